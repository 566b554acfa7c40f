//! An identity's owner may make at most [`OwnerLimit::per_hour`] transitions (initiate,
//! approve, reject, cancel) within any hour (`docs/domain.md`; 10 unless the
//! `OWNER_TRANSITIONS_PER_HOUR` setting says otherwise). The facade reads the times
//! of the owner's latest transitions from the audit log under the identity's row lock, so
//! concurrent requests of one identity are counted one after another.

use chrono::{DateTime, Duration, Utc};

use super::DomainError;

/// How many transitions an owner may make within an hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnerLimit {
    per_hour: u16,
}

impl OwnerLimit {
    pub const DEFAULT_PER_HOUR: u16 = 10;

    /// At least one transition an hour: a limit of 0 would lock every owner out.
    pub fn new(per_hour: u16) -> Self {
        Self {
            per_hour: per_hour.max(1),
        }
    }

    pub fn per_hour(self) -> u16 {
        self.per_hour
    }

    /// The window the transitions are counted in.
    pub fn window() -> Duration {
        Duration::hours(1)
    }

    /// Whether one more transition is allowed, given the owner's transitions of the last
    /// hour (`recent`, newest first; the facade reads at most [`Self::per_hour`]).
    pub fn check(self, recent: &[DateTime<Utc>], now: DateTime<Utc>) -> Result<(), DomainError> {
        let since = now - Self::window();
        let counted: Vec<&DateTime<Utc>> = recent.iter().filter(|at| **at > since).collect();
        match counted.get(usize::from(self.per_hour) - 1) {
            Some(oldest_counted) => {
                let retry_at = **oldest_counted + Self::window();
                Err(DomainError::TooManyTransitions {
                    limit: self.per_hour,
                    retry_at,
                    wait_seconds: (retry_at - now).num_seconds().max(1),
                })
            }
            None => Ok(()),
        }
    }
}

impl Default for OwnerLimit {
    fn default() -> Self {
        Self::new(Self::DEFAULT_PER_HOUR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn the_eleventh_transition_within_an_hour_waits_for_the_oldest_to_age_out() {
        let now = at(60);
        let limit = OwnerLimit::default();
        let nine: Vec<_> = (0..9).map(|i| at(59 - i)).collect();
        assert_eq!(limit.check(&nine, now), Ok(()));
        let ten: Vec<_> = (0..10).map(|i| at(59 - i)).collect();
        assert_eq!(
            limit.check(&ten, now),
            Err(DomainError::TooManyTransitions {
                limit: 10,
                retry_at: at(110),
                wait_seconds: 50 * 60
            })
        );
        // Older than an hour: not counted.
        let mut aged = nine.clone();
        aged.push(at(0));
        assert_eq!(limit.check(&aged, now), Ok(()));
    }

    #[test]
    fn a_configured_limit_counts_up_to_its_own_number() {
        let now = at(60);
        let ten: Vec<_> = (0..10).map(|i| at(59 - i)).collect();
        assert_eq!(OwnerLimit::new(11).check(&ten, now), Ok(()));
        assert!(OwnerLimit::new(3).check(&ten[..3], now).is_err());
        assert_eq!(OwnerLimit::new(0), OwnerLimit::new(1));
        assert!(OwnerLimit::new(0).check(&ten[..1], now).is_err());
    }
}
