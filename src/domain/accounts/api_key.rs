//! API keys of admin accounts (the Admin API's `X-API-KEY`): the key's shape, the part of
//! it that is shown again, its stored hash, a key's name and lifetime, and the per-key
//! request limit. Pure: the facade stores and checks keys (`facade::api_keys`).

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use crate::domain::DomainError;
use crate::domain::ids::random_alphanumeric;

/// Every key starts with this tag, so a key found in a log or a file is recognisable.
pub const KEY_TAG: &str = "bba_";
/// Random alphanumeric characters after the tag: 40 × log2(62) ≈ 238 bits.
const RANDOM_CHARS: usize = 40;
/// Characters shown on the account page: the tag and the first 6 random ones.
const SHOWN_CHARS: usize = KEY_TAG.len() + 6;

/// A new key in clear text: returned once, when it is created, and never stored.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKeySecret(String);

impl ApiKeySecret {
    pub fn generate() -> Self {
        Self(format!("{KEY_TAG}{}", random_alphanumeric(RANDOM_CHARS)))
    }

    /// A key as a client presents it; `None` when it cannot be a key at all (then no
    /// lookup is needed to refuse it).
    pub fn from_header(text: &str) -> Option<Self> {
        let random = text.strip_prefix(KEY_TAG)?;
        (random.len() == RANDOM_CHARS && random.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then(|| Self(text.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What is stored and looked up: SHA-256 of the key. A slow hash would add nothing
    /// against a random 238-bit key, and would cost every request.
    pub fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.0.as_bytes()).to_vec()
    }

    /// The first characters, shown in the key list so a person can tell keys apart.
    pub fn shown_prefix(&self) -> String {
        self.0[..SHOWN_CHARS].to_owned()
    }
}

/// Never prints the key (logs, panics, debug output).
impl fmt::Debug for ApiKeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKeySecret({}…)", self.shown_prefix())
    }
}

/// What a key is for, in its owner's words ("ticket import").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyName(String);

impl ApiKeyName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let name = text.trim();
        if name.is_empty() {
            return Err(DomainError::invalid("name", "give the key a name"));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(DomainError::invalid("name", "use at most 100 characters"));
        }
        if name.chars().any(char::is_control) {
            return Err(DomainError::invalid(
                "name",
                "use no control characters (line breaks, tabs)",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How many days a key lives: 1 to 365.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiKeyLifetime(u16);

impl ApiKeyLifetime {
    pub const MAX_DAYS: u16 = 365;
    pub const DEFAULT_DAYS: u16 = 90;

    pub fn days(days: i64) -> Result<Self, DomainError> {
        u16::try_from(days)
            .ok()
            .filter(|d| (1..=Self::MAX_DAYS).contains(d))
            .map(Self)
            .ok_or_else(|| DomainError::invalid("expiry", "choose 1 to 365 days"))
    }

    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let days = text
            .trim()
            .parse::<i64>()
            .map_err(|_| DomainError::invalid("expiry", "give a number of days, 1 to 365"))?;
        Self::days(days)
    }

    pub fn as_days(self) -> u16 {
        self.0
    }

    pub fn expires_at(self, created_at: DateTime<Utc>) -> DateTime<Utc> {
        created_at + Duration::days(i64::from(self.0))
    }
}

impl Default for ApiKeyLifetime {
    fn default() -> Self {
        Self(Self::DEFAULT_DAYS)
    }
}

/// Why a presented key was refused (the security event says which; the client only gets
/// a 401).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRefusal {
    /// No `X-API-KEY` header.
    Missing,
    /// Not a key of any account (or not even shaped like one).
    Unknown,
    Revoked,
    Expired,
    AccountDisabled,
}

impl KeyRefusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Missing => "no key",
            Self::Unknown => "unknown key",
            Self::Revoked => "revoked key",
            Self::Expired => "expired key",
            Self::AccountDisabled => "account disabled",
        }
    }

    /// Why a stored key no longer works at `now` (`None`: it works).
    pub fn of_stored(
        revoked: bool,
        expires_at: DateTime<Utc>,
        account_enabled: bool,
        now: DateTime<Utc>,
    ) -> Option<Self> {
        if revoked {
            Some(Self::Revoked)
        } else if expires_at <= now {
            Some(Self::Expired)
        } else if !account_enabled {
            Some(Self::AccountDisabled)
        } else {
            None
        }
    }
}

/// Requests one key may make per minute (`API_KEY_REQUESTS_PER_MINUTE`). Counted in a fixed
/// window that starts with the first request after the previous window ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiKeyLimit {
    per_minute: u32,
}

impl ApiKeyLimit {
    pub const DEFAULT_PER_MINUTE: u32 = 300;

    /// At least one request a minute: 0 would make every key useless.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute: per_minute.max(1),
        }
    }

    pub fn per_minute(self) -> u32 {
        self.per_minute
    }

    pub fn window() -> Duration {
        Duration::minutes(1)
    }

    /// Whether the `requests`-th request of the window that started at `window_started_at`
    /// may go on; if not, the seconds until the window ends (for `Retry-After`).
    pub fn check(
        self,
        window_started_at: DateTime<Utc>,
        requests: i32,
        now: DateTime<Utc>,
    ) -> Result<(), u32> {
        if requests <= 0 || requests as u32 <= self.per_minute {
            return Ok(());
        }
        let left = (window_started_at + Self::window() - now).num_milliseconds();
        Err(u32::try_from((left + 999).div_euclid(1000))
            .unwrap_or(1)
            .clamp(1, 60))
    }
}

impl Default for ApiKeyLimit {
    fn default() -> Self {
        Self::new(Self::DEFAULT_PER_MINUTE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_tagged_random_and_hashed() {
        let key = ApiKeySecret::generate();
        assert!(key.expose().starts_with(KEY_TAG));
        assert_eq!(key.expose().len(), 44);
        assert_ne!(key, ApiKeySecret::generate());
        assert_eq!(key.hash().len(), 32);
        assert_eq!(key.shown_prefix().len(), 10);
        assert!(key.expose().starts_with(&key.shown_prefix()));
        assert_eq!(ApiKeySecret::from_header(key.expose()), Some(key.clone()));
        assert!(!format!("{key:?}").contains(&key.expose()[10..]));
    }

    #[test]
    fn odd_headers_are_no_keys() {
        let good = ApiKeySecret::generate();
        let long = format!("{}x", good.expose());
        let short = &good.expose()[..43];
        let foreign = good.expose().replacen('a', "é", 1);
        for bad in [
            "",
            "bba_",
            "x",
            &long,
            short,
            "abc_0123456789012345678901234567890123456789",
        ] {
            assert_eq!(ApiKeySecret::from_header(bad), None, "{bad}");
        }
        if foreign != good.expose() {
            assert_eq!(ApiKeySecret::from_header(&foreign), None);
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(ApiKeyName::parse("  tickets ").unwrap().as_str(), "tickets");
        for bad in ["", "   ", "a\nb", &"x".repeat(101)] {
            assert!(ApiKeyName::parse(bad).is_err(), "{bad:?}");
        }
        assert!(ApiKeyName::parse(&"é".repeat(100)).is_ok());
    }

    #[test]
    fn lifetimes_are_one_day_to_one_year() {
        assert_eq!(ApiKeyLifetime::parse("365").unwrap().as_days(), 365);
        assert_eq!(ApiKeyLifetime::parse(" 1 ").unwrap().as_days(), 1);
        for bad in ["0", "366", "-1", "x", "", "99999999999999999999"] {
            assert!(ApiKeyLifetime::parse(bad).is_err(), "{bad}");
        }
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(
            ApiKeyLifetime::default().expires_at(now),
            now + Duration::days(90)
        );
    }

    #[test]
    fn refusals_name_the_first_reason() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let later = now + Duration::days(1);
        assert_eq!(KeyRefusal::of_stored(false, later, true, now), None);
        assert_eq!(
            KeyRefusal::of_stored(true, now, false, now),
            Some(KeyRefusal::Revoked)
        );
        assert_eq!(
            KeyRefusal::of_stored(false, now, false, now),
            Some(KeyRefusal::Expired)
        );
        assert_eq!(
            KeyRefusal::of_stored(false, later, false, now),
            Some(KeyRefusal::AccountDisabled)
        );
    }

    #[test]
    fn the_limit_counts_per_window() {
        let limit = ApiKeyLimit::new(3);
        let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(limit.check(start, 3, start), Ok(()));
        assert_eq!(limit.check(start, 4, start), Err(60));
        assert_eq!(
            limit.check(start, 4, start + Duration::milliseconds(59_500)),
            Err(1)
        );
        assert_eq!(
            limit.check(start, 4, start + Duration::seconds(30)),
            Err(30)
        );
        assert_eq!(ApiKeyLimit::new(0).per_minute(), 1);
    }
}
