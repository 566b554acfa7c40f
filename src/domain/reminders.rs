//! When the owner is reminded: the reminder days before a deadline and the "only the
//! latest due one" choice. The jobs only pre-select candidates (see [`ReminderSchedule::window`]);
//! this module decides.

use chrono::{DateTime, Duration, Utc};

/// Reminders 1, 2 and 3, due so many days before a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderSchedule {
    days_before_end: [i64; 3],
}

impl ReminderSchedule {
    /// Before the approval period of a `WaitingForApproval` process ends.
    pub const APPROVAL: Self = Self {
        days_before_end: [6, 4, 2],
    };
    /// Before the grace period of an `Approved` process ends.
    pub const GRACE: Self = Self {
        days_before_end: [12, 10, 5],
    };

    pub fn days_before_end(&self) -> [i64; 3] {
        self.days_before_end
    }

    /// How long before the deadline the first reminder is due: a process whose deadline is
    /// further away than this needs no reminder yet.
    pub fn window(&self) -> Duration {
        Duration::days(self.days_before_end[0])
    }

    /// The latest reminder (index 0..3) whose time has come at `now`.
    fn latest_due(&self, end: DateTime<Utc>, now: DateTime<Utc>) -> Option<usize> {
        (0..3)
            .rev()
            .find(|&i| now >= end - Duration::days(self.days_before_end[i]))
    }

    /// Sends the latest due reminder (records `now` in its slot) unless it or a later one
    /// was sent before; earlier ones that were missed are skipped. Returns its number (1-based).
    pub(crate) fn record_due(
        &self,
        sent: [&mut Option<DateTime<Utc>>; 3],
        end: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Option<u8> {
        let latest = self.latest_due(end, now)?;
        if sent[latest..].iter().any(|at| at.is_some()) {
            return None;
        }
        *sent[latest] = Some(now);
        Some(u8::try_from(latest + 1).expect("three reminders"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_window_reaches_back_to_the_first_reminder() {
        assert_eq!(ReminderSchedule::APPROVAL.window(), Duration::days(6));
        assert_eq!(ReminderSchedule::GRACE.window(), Duration::days(12));
    }

    #[test]
    fn only_the_latest_due_reminder_is_recorded_and_never_twice() {
        let end = Utc.with_ymd_and_hms(2026, 1, 10, 0, 0, 0).unwrap();
        let schedule = ReminderSchedule::APPROVAL;
        let mut slots = [None, None, None];
        let record = |slots: &mut [Option<DateTime<Utc>>; 3], now| {
            let [a, b, c] = slots;
            schedule.record_due([a, b, c], end, now)
        };
        assert_eq!(record(&mut slots, end - Duration::days(7)), None);
        let late = end - Duration::days(3);
        assert_eq!(record(&mut slots, late), Some(2), "reminder 1 is skipped");
        assert_eq!(slots, [None, Some(late), None]);
        assert_eq!(record(&mut slots, late), None);
        assert_eq!(record(&mut slots, end - Duration::days(2)), Some(3));
        assert_eq!(record(&mut slots, end), None);
    }
}
