//! A value computed at most every so often per instance, for counts that cost a scan of a
//! large table and may be a little old (the dashboard's status counts and its chart's open
//! weeks). Kept on the [`Core`](super::Core), so every request of an instance shares it.

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// The last value and when (on the facade clock) it was computed.
pub(crate) struct Recent<T> {
    last: Mutex<Option<(DateTime<Utc>, T)>>,
}

impl<T> Default for Recent<T> {
    fn default() -> Self {
        Self {
            last: Mutex::new(None),
        }
    }
}

impl<T> std::fmt::Debug for Recent<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Recent(…)")
    }
}

impl<T: Clone> Recent<T> {
    /// The value computed less than `max_age` before `now` if it is still `usable`, else a
    /// new one from `compute` (kept only when it succeeds).
    pub(crate) fn get_or<E>(
        &self,
        now: DateTime<Utc>,
        max_age: Duration,
        usable: impl FnOnce(&T) -> bool,
        compute: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        if let Some((at, value)) = self.last.lock().expect("not poisoned").as_ref()
            && *at <= now
            && now - *at < max_age
            && usable(value)
        {
            return Ok(value.clone());
        }
        let value = compute()?;
        *self.last.lock().expect("not poisoned") = Some((now, value.clone()));
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_reused_until_it_is_too_old_or_unusable() {
        let recent: Recent<u32> = Recent::default();
        let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let age = Duration::seconds(30);
        let get = |now, usable: bool, n| recent.get_or(now, age, |_| usable, || Ok::<_, ()>(n));
        assert_eq!(get(start, true, 1), Ok(1));
        assert_eq!(get(start + Duration::seconds(29), true, 2), Ok(1));
        assert_eq!(get(start + Duration::seconds(29), false, 3), Ok(3));
        assert_eq!(get(start + Duration::seconds(59), true, 4), Ok(4));
        assert_eq!(
            recent.get_or(start, age, |_| true, || Err::<u32, _>("x")),
            Err("x")
        );
        assert_eq!(
            get(start - Duration::seconds(1), true, 5),
            Ok(5),
            "a clock set back"
        );
    }
}
