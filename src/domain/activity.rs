//! Weekly activity of deletion processes, as the dashboard's chart shows it: how many were
//! started, approved, rejected, cancelled and completed in each of the last weeks. Counted
//! from the audit log's message keys, so processes removed since still count.

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};

use super::audit::MessageKey;
use super::enums::text_enum;

text_enum!(
    /// What the chart counts, one series each.
    ActivityKind ("activity kind") {
        Started,
        Approved,
        Rejected,
        Cancelled,
        Completed,
    }
);

impl ActivityKind {
    /// The kind an audit entry counts as, if any. An owner's own start approves at once,
    /// so it counts as started and (through [`Self::also_counts`]) as approved.
    pub fn of(key: MessageKey) -> Option<Self> {
        use MessageKey::*;
        match key {
            StartedBySupport | StartedByOwner => Some(Self::Started),
            Approved => Some(Self::Approved),
            Rejected => Some(Self::Rejected),
            CancelledByOwner | CancelledBySupport | CancelledAutomatically => Some(Self::Cancelled),
            DeletionCompleted => Some(Self::Completed),
            _ => None,
        }
    }

    /// A second kind the same entry counts as.
    pub fn also_counts(key: MessageKey) -> Option<Self> {
        (key == MessageKey::StartedByOwner).then_some(Self::Approved)
    }

    /// The message keys to read for the chart.
    pub fn message_keys() -> Vec<MessageKey> {
        MessageKey::all()
            .iter()
            .copied()
            .filter(|key| Self::of(*key).is_some())
            .collect()
    }
}

/// Weeks shown on the chart.
pub const WEEKS: usize = 12;

/// Monday 00:00 UTC of the week holding `at`.
pub fn week_start(at: DateTime<Utc>) -> DateTime<Utc> {
    let day = at.date_naive() - Duration::days(i64::from(at.weekday().num_days_from_monday()));
    day.and_time(NaiveTime::MIN).and_utc()
}

/// The starts of the last [`WEEKS`] weeks, oldest first; the last is the week of `now`.
pub fn chart_weeks(now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let current = week_start(now);
    (0..WEEKS)
        .rev()
        .map(|back| current - Duration::weeks(back as i64))
        .collect()
}

/// A week's counts stay as they are once no transaction that began in it can still commit:
/// an hour after it ended.
pub fn is_settled(week: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    week + Duration::weeks(1) + Duration::hours(1) <= now
}

/// The counts of one week, one per kind in [`ActivityKind::ALL`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekCounts {
    pub week: DateTime<Utc>,
    pub counts: [i64; 5],
}

impl WeekCounts {
    pub fn empty(week: DateTime<Utc>) -> Self {
        Self {
            week,
            counts: [0; 5],
        }
    }

    /// Adds `n` entries with `key`.
    pub fn add(&mut self, key: MessageKey, n: i64) {
        for kind in [ActivityKind::of(key), ActivityKind::also_counts(key)]
            .into_iter()
            .flatten()
        {
            self.counts[kind.index()] += n;
        }
    }

    pub fn count(&self, kind: ActivityKind) -> i64 {
        self.counts[kind.index()]
    }

    pub fn set(&mut self, kind: ActivityKind, count: i64) {
        self.counts[kind.index()] = count;
    }
}

impl ActivityKind {
    fn index(self) -> usize {
        Self::ALL
            .iter()
            .position(|k| *k == self)
            .expect("every kind is in ALL")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn weeks_start_on_monday_at_midnight_utc() {
        // 6 December 2026 is a Sunday.
        assert_eq!(
            week_start(at("2026-12-06T23:59:00Z")),
            at("2026-11-30T00:00:00Z")
        );
        assert_eq!(
            week_start(at("2026-12-07T00:00:00Z")),
            at("2026-12-07T00:00:00Z")
        );
        let weeks = chart_weeks(at("2026-12-06T12:00:00Z"));
        assert_eq!(weeks.len(), WEEKS);
        assert_eq!(weeks[WEEKS - 1], at("2026-11-30T00:00:00Z"));
        assert_eq!(weeks[0], at("2026-09-14T00:00:00Z"));
    }

    #[test]
    fn a_week_settles_an_hour_after_it_ended() {
        let week = at("2026-11-23T00:00:00Z");
        assert!(!is_settled(week, at("2026-11-30T00:59:59Z")));
        assert!(is_settled(week, at("2026-11-30T01:00:00Z")));
    }

    #[test]
    fn entries_count_as_their_kinds() {
        let mut week = WeekCounts::empty(at("2026-11-30T00:00:00Z"));
        week.add(MessageKey::StartedBySupport, 3);
        week.add(MessageKey::StartedByOwner, 2);
        week.add(MessageKey::Approved, 1);
        week.add(MessageKey::CancelledAutomatically, 4);
        week.add(MessageKey::ApprovalReminder1Sent, 9);
        week.add(MessageKey::DeletionCompleted, 1);
        assert_eq!(week.count(ActivityKind::Started), 5);
        assert_eq!(
            week.count(ActivityKind::Approved),
            3,
            "an owner's start approves"
        );
        assert_eq!(week.count(ActivityKind::Rejected), 0);
        assert_eq!(week.count(ActivityKind::Cancelled), 4);
        assert_eq!(week.count(ActivityKind::Completed), 1);
        assert!(!ActivityKind::message_keys().contains(&MessageKey::DataDeleted));
    }
}
