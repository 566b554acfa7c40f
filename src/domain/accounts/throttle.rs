//! The sign-in throttling decision (`docs/security.md`), as a pure function of the failures
//! the facade read from PostgreSQL.
//!
//! - Only failures count; a success clears its (username, network) pair.
//! - Per (username, network): from the 5th failure in 15 minutes, each further attempt
//!   waits 2^(n-5) seconds after the latest failure, at most 15 minutes.
//! - Per network: 30 failures in 15 minutes over any usernames refuse the network until
//!   fewer than 30 remain in the window (password spraying).
//! - Per username from unknown browsers: from the 20th failure in an hour, every browser
//!   the account does not know waits 2^(n-20) seconds, at most 15 minutes (a distributed
//!   guess from many networks).
//! - A known browser (signed cookie of that account, OWASP's device-cookie scheme) skips
//!   the three rules above, so an attacker without the password cannot lock the real user
//!   out. It has a small limit of its own, so a stolen cookie is no guessing licence: from
//!   the 10th failure with that cookie in 15 minutes, 2^(n-10) seconds.

use chrono::{DateTime, Duration, Utc};

/// Who is signing in: admins and identity owners are counted separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Realm {
    Admin,
    Owner,
}

impl Realm {
    pub const ALL: [Realm; 2] = [Realm::Admin, Realm::Owner];

    pub fn as_str(self) -> &'static str {
        match self {
            Realm::Admin => "admin",
            Realm::Owner => "owner",
        }
    }

    pub fn parse(text: &str) -> Option<Realm> {
        Realm::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// The account an attempt or event is about: an admin's username, or for owners the hex of
/// the PBKDF2 hash of the device username (`pseudonyms::audit_hash`), never the clear text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UsernameKey {
    Admin(String),
    Owner(String),
}

impl UsernameKey {
    pub fn admin(username: &str) -> Self {
        Self::Admin(username.to_owned())
    }

    /// From `passwords::audit_hash(device_username)`.
    pub fn owner_from_hash(hash: &[u8]) -> Self {
        Self::Owner(hex::encode(hash))
    }

    pub fn realm(&self) -> Realm {
        match self {
            Self::Admin(_) => Realm::Admin,
            Self::Owner(_) => Realm::Owner,
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Admin(key) | Self::Owner(key) => key,
        }
    }

    /// The key of attempts with a username no account can have (empty, too long, a
    /// character no username has): they count for their network only.
    pub fn not_a_username(realm: Realm) -> Self {
        Self::from_stored(realm, NOT_A_USERNAME.to_owned())
    }

    pub fn names_no_account(&self) -> bool {
        self.as_str() == NOT_A_USERNAME
    }

    /// From the stored realm and key.
    pub fn from_stored(realm: Realm, key: String) -> Self {
        match realm {
            Realm::Admin => Self::Admin(key),
            Realm::Owner => Self::Owner(key),
        }
    }
}

/// No username has brackets or spaces, so this key names no account.
pub const NOT_A_USERNAME: &str = "(not a username)";

pub const PAIR_WINDOW_MINUTES: i64 = 15;
pub const PAIR_THRESHOLD: usize = 5;
pub const NETWORK_WINDOW_MINUTES: i64 = 15;
pub const NETWORK_THRESHOLD: usize = 30;
pub const ACCOUNT_WINDOW_MINUTES: i64 = 60;
pub const ACCOUNT_THRESHOLD: usize = 20;
pub const BROWSER_WINDOW_MINUTES: i64 = 15;
pub const BROWSER_THRESHOLD: usize = 10;
/// The longest growing delay.
pub const MAX_DELAY_SECONDS: i64 = 15 * 60;

/// How many of the latest failures of each counter the facade needs to read: enough to
/// reach the longest delay (2^10 s > 15 min) or the network threshold.
pub const PAIR_FETCH: usize = PAIR_THRESHOLD + 11;
pub const NETWORK_FETCH: usize = NETWORK_THRESHOLD;
pub const ACCOUNT_FETCH: usize = ACCOUNT_THRESHOLD + 11;
pub const BROWSER_FETCH: usize = BROWSER_THRESHOLD + 11;

/// The failures inside each counter's window, newest first (the facade reads at most the
/// `*_FETCH` latest of each).
#[derive(Debug, Clone, Default)]
pub struct RecentFailures {
    /// Same realm, username and network, last 15 minutes.
    pub pair: Vec<DateTime<Utc>>,
    /// Same realm and network, any username, last 15 minutes.
    pub network: Vec<DateTime<Utc>>,
    /// Same realm and username from browsers the account did not know, last hour.
    pub account_unknown_browsers: Vec<DateTime<Utc>>,
    /// Same realm, username and known-browser cookie, last 15 minutes (empty when the
    /// browser is not known).
    pub browser: Vec<DateTime<Utc>>,
}

/// Which rule made an attempt wait (recorded in the security event).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleRule {
    UsernameAndNetwork,
    Network,
    UsernameFromUnknownBrowsers,
    KnownBrowser,
}

impl ThrottleRule {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UsernameAndNetwork => "username_and_network",
            Self::Network => "network",
            Self::UsernameFromUnknownBrowsers => "username_from_unknown_browsers",
            Self::KnownBrowser => "known_browser",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleDecision {
    Allow,
    /// Answer 429 with `Retry-After: seconds` (at least 1).
    Wait {
        seconds: u32,
        rule: ThrottleRule,
    },
}

impl ThrottleDecision {
    pub fn is_allowed(self) -> bool {
        self == Self::Allow
    }
}

/// 2^(count - threshold) seconds once `count` reaches `threshold`, at most 15 minutes.
fn growing_delay(count: usize, threshold: usize) -> Option<Duration> {
    let excess = u32::try_from(count.checked_sub(threshold)?).unwrap_or(u32::MAX);
    let seconds = 2_i64.checked_pow(excess).unwrap_or(i64::MAX);
    Some(Duration::seconds(seconds.min(MAX_DELAY_SECONDS)))
}

/// May this attempt go ahead, and if not, for how long must it wait?
pub fn decide(
    failures: &RecentFailures,
    known_browser: bool,
    now: DateTime<Utc>,
) -> ThrottleDecision {
    let mut until: Vec<(DateTime<Utc>, ThrottleRule)> = Vec::new();
    let mut growing = |times: &[DateTime<Utc>], threshold, rule| {
        if let (Some(delay), Some(latest)) = (growing_delay(times.len(), threshold), times.first())
        {
            until.push((*latest + delay, rule));
        }
    };
    if known_browser {
        growing(
            &failures.browser,
            BROWSER_THRESHOLD,
            ThrottleRule::KnownBrowser,
        );
    } else {
        growing(
            &failures.pair,
            PAIR_THRESHOLD,
            ThrottleRule::UsernameAndNetwork,
        );
        growing(
            &failures.account_unknown_browsers,
            ACCOUNT_THRESHOLD,
            ThrottleRule::UsernameFromUnknownBrowsers,
        );
        if let Some(oldest_counted) = failures.network.get(NETWORK_THRESHOLD - 1) {
            until.push((
                *oldest_counted + Duration::minutes(NETWORK_WINDOW_MINUTES),
                ThrottleRule::Network,
            ));
        }
    }
    match until
        .into_iter()
        .filter(|(at, _)| *at > now)
        .max_by_key(|(at, _)| *at)
    {
        None => ThrottleDecision::Allow,
        Some((at, rule)) => {
            let millis = (at - now).num_milliseconds();
            let seconds = u32::try_from((millis + 999) / 1000)
                .unwrap_or(u32::MAX)
                .max(1);
            ThrottleDecision::Wait { seconds, rule }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
    }

    /// `n` failures, the latest `ago` before now, one second apart going back.
    fn times(n: usize, ago: Duration) -> Vec<DateTime<Utc>> {
        (0..n)
            .map(|i| now() - ago - Duration::seconds(i as i64))
            .collect()
    }

    #[test]
    fn four_failures_of_a_pair_do_not_slow_it() {
        let failures = RecentFailures {
            pair: times(4, Duration::zero()),
            ..Default::default()
        };
        assert_eq!(decide(&failures, false, now()), ThrottleDecision::Allow);
    }

    #[test]
    fn a_pair_waits_a_growing_time_capped_at_15_minutes() {
        let expect = [
            (5, 1),
            (6, 2),
            (7, 4),
            (10, 32),
            (14, 512),
            (15, 900),
            (16, 900),
        ];
        for (n, seconds) in expect {
            let failures = RecentFailures {
                pair: times(n, Duration::zero()),
                ..Default::default()
            };
            assert_eq!(
                decide(&failures, false, now()),
                ThrottleDecision::Wait {
                    seconds,
                    rule: ThrottleRule::UsernameAndNetwork
                },
                "{n} failures"
            );
        }
        // The wait runs from the latest failure.
        let failures = RecentFailures {
            pair: times(7, Duration::seconds(3)),
            ..Default::default()
        };
        assert!(matches!(
            decide(&failures, false, now()),
            ThrottleDecision::Wait { seconds: 1, .. }
        ));
        let failures = RecentFailures {
            pair: times(7, Duration::seconds(4)),
            ..Default::default()
        };
        assert_eq!(decide(&failures, false, now()), ThrottleDecision::Allow);
    }

    #[test]
    fn thirty_failures_of_a_network_refuse_it_until_one_leaves_the_window() {
        let failures = RecentFailures {
            network: times(29, Duration::zero()),
            ..Default::default()
        };
        assert_eq!(decide(&failures, false, now()), ThrottleDecision::Allow);
        let failures = RecentFailures {
            network: times(30, Duration::minutes(5)),
            ..Default::default()
        };
        // The 30th newest is 5 min 29 s old: it leaves the window in 9 min 31 s.
        assert_eq!(
            decide(&failures, false, now()),
            ThrottleDecision::Wait {
                seconds: 571,
                rule: ThrottleRule::Network
            }
        );
    }

    #[test]
    fn a_username_guessed_from_everywhere_slows_unknown_browsers_only() {
        let failures = RecentFailures {
            account_unknown_browsers: times(20, Duration::zero()),
            network: times(30, Duration::zero()),
            pair: times(15, Duration::zero()),
            browser: vec![],
        };
        assert!(matches!(
            decide(&failures, false, now()),
            ThrottleDecision::Wait { .. }
        ));
        // The real user's browser, known to the account, is not held back.
        assert_eq!(decide(&failures, true, now()), ThrottleDecision::Allow);
        let unknown_only = RecentFailures {
            account_unknown_browsers: times(21, Duration::zero()),
            ..Default::default()
        };
        assert_eq!(
            decide(&unknown_only, false, now()),
            ThrottleDecision::Wait {
                seconds: 2,
                rule: ThrottleRule::UsernameFromUnknownBrowsers
            }
        );
    }

    #[test]
    fn a_known_browser_cookie_has_its_own_small_limit() {
        let failures = RecentFailures {
            browser: times(10, Duration::zero()),
            ..Default::default()
        };
        assert_eq!(
            decide(&failures, true, now()),
            ThrottleDecision::Wait {
                seconds: 1,
                rule: ThrottleRule::KnownBrowser
            }
        );
        assert_eq!(decide(&failures, false, now()), ThrottleDecision::Allow);
    }

    #[test]
    fn keys_and_realms() {
        assert_eq!(UsernameKey::admin("alice").realm(), Realm::Admin);
        let owner = UsernameKey::owner_from_hash(&[0xab; 32]);
        assert_eq!(owner.realm(), Realm::Owner);
        assert_eq!(owner.as_str().len(), 64);
        for realm in Realm::ALL {
            assert_eq!(Realm::parse(realm.as_str()), Some(realm));
        }
    }
}
