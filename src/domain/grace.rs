//! The grace period an owner may choose when initiating a deletion.

use chrono::Duration;

use super::error::{DomainError, MessageArg, Reason};

/// Whole days, bounded so that a typo cannot schedule a deletion for tomorrow by accident
/// of a sign or postpone it for centuries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraceLength(u16);

impl GraceLength {
    pub const MIN_DAYS: u16 = 1;
    pub const MAX_DAYS: u16 = 90;

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let out_of_range = || {
            let shown = super::ids::shorten(value.trim());
            let (min, max) = (Self::MIN_DAYS, Self::MAX_DAYS);
            DomainError::invalid(
                "grace period",
                Reason::said(
                    "reason-grace-days",
                    vec![
                        ("value", MessageArg::Text(shown.clone())),
                        ("min", MessageArg::Number(min.into())),
                        ("max", MessageArg::Number(max.into())),
                    ],
                    format!("'{shown}' is not a number of days from {min} to {max}"),
                ),
            )
        };
        let days: u16 = value.trim().parse().map_err(|_| out_of_range())?;
        Self::from_days(days).ok_or_else(out_of_range)
    }

    pub fn from_days(days: u16) -> Option<Self> {
        (Self::MIN_DAYS..=Self::MAX_DAYS)
            .contains(&days)
            .then_some(Self(days))
    }

    pub fn days(self) -> u16 {
        self.0
    }

    pub fn duration(self) -> Duration {
        Duration::days(i64::from(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_bounds_and_rejects_the_rest() {
        assert_eq!(GraceLength::parse("1").unwrap().days(), 1);
        assert_eq!(GraceLength::parse(" 90 ").unwrap().days(), 90);
        for bad in [
            "",
            "abc",
            "-1",
            "0",
            "91",
            "100000",
            "1.5",
            "99999999999999999999",
        ] {
            let error = GraceLength::parse(bad).unwrap_err();
            assert_eq!(error.http_status(), 400);
            assert!(error.message().contains("from 1 to 90"), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn any_input_parses_only_within_bounds(s in "\\PC{0,12}") {
            if let Ok(grace) = GraceLength::parse(&s) {
                prop_assert!((1..=90).contains(&grace.days()));
            }
        }

        #[test]
        fn every_number_is_judged_by_its_range(n in -1000i64..100_000) {
            prop_assert_eq!(GraceLength::parse(&n.to_string()).is_ok(), (1..=90).contains(&n));
        }
    }
}
