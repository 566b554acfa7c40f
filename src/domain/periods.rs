//! The configurable periods of the lifecycle, each with its one default. `config.rs` takes
//! its defaults from here.

use chrono::Duration;

use super::grace::GraceLength;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Periods {
    /// How long the owner has to answer a process support started.
    pub approval: Duration,
    /// From approval to the actual deletion, unless the owner chose a length.
    pub grace: GraceLength,
    /// How long rejected and cancelled processes are kept after they ended.
    pub retention: Duration,
    /// How long security events are kept.
    pub security_events_retention: Duration,
}

impl Periods {
    pub const DEFAULT_APPROVAL_DAYS: u16 = 7;
    pub const DEFAULT_GRACE_DAYS: u16 = 14;
    pub const DEFAULT_RETENTION_DAYS: u16 = 30;
    pub const DEFAULT_SECURITY_EVENTS_RETENTION_DAYS: u16 = 180;

    /// Periods of whole days. `None` when the grace length is outside [`GraceLength`]'s bounds.
    pub fn from_days(
        approval: u16,
        grace: u16,
        retention: u16,
        security_events_retention: u16,
    ) -> Option<Self> {
        let days = |n: u16| Duration::days(i64::from(n));
        Some(Self {
            approval: days(approval),
            grace: GraceLength::from_days(grace)?,
            retention: days(retention),
            security_events_retention: days(security_events_retention),
        })
    }
}

impl Default for Periods {
    fn default() -> Self {
        Self::from_days(
            Self::DEFAULT_APPROVAL_DAYS,
            Self::DEFAULT_GRACE_DAYS,
            Self::DEFAULT_RETENTION_DAYS,
            Self::DEFAULT_SECURITY_EVENTS_RETENTION_DAYS,
        )
        .expect("the default grace length is within bounds")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_those_of_spec() {
        let periods = Periods::default();
        assert_eq!(periods.approval, Duration::days(7));
        assert_eq!(periods.grace.days(), 14);
        assert_eq!(periods.retention, Duration::days(30));
        assert_eq!(periods.security_events_retention, Duration::days(180));
        assert!(Periods::from_days(7, 91, 30, 180).is_none());
    }
}
