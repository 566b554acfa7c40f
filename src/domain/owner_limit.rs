//! An identity's owner may make at most [`TRANSITIONS_PER_HOUR`] transitions (initiate,
//! approve, reject, cancel) within any hour (SPEC section 6). The facade reads the times
//! of the owner's latest transitions from the audit log under the identity's row lock, so
//! concurrent requests of one identity are counted one after another.

use chrono::{DateTime, Duration, Utc};

use super::DomainError;

pub const TRANSITIONS_PER_HOUR: usize = 10;

/// The window the transitions are counted in.
pub fn window() -> Duration {
    Duration::hours(1)
}

/// Whether one more transition is allowed, given the owner's transitions of the last hour
/// (`recent`, newest first; the facade reads at most [`TRANSITIONS_PER_HOUR`]).
pub fn check(recent: &[DateTime<Utc>], now: DateTime<Utc>) -> Result<(), DomainError> {
    let since = now - window();
    let counted: Vec<&DateTime<Utc>> = recent.iter().filter(|at| **at > since).collect();
    match counted.get(TRANSITIONS_PER_HOUR - 1) {
        Some(oldest_counted) => {
            let retry_at = **oldest_counted + window();
            Err(DomainError::TooManyTransitions {
                retry_at,
                wait_seconds: (retry_at - now).num_seconds().max(1),
            })
        }
        None => Ok(()),
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
        let nine: Vec<_> = (0..9).map(|i| at(59 - i)).collect();
        assert_eq!(check(&nine, now), Ok(()));
        let ten: Vec<_> = (0..10).map(|i| at(59 - i)).collect();
        assert_eq!(
            check(&ten, now),
            Err(DomainError::TooManyTransitions {
                retry_at: at(110),
                wait_seconds: 50 * 60
            })
        );
        // Older than an hour: not counted.
        let mut aged = nine.clone();
        aged.push(at(0));
        assert_eq!(check(&aged, now), Ok(()));
    }
}
