//! Pure rules for admin accounts and sign-in protection (`docs/security.md`): roles and what
//! each may do, the admin password policy, TOTP, recovery codes, the client network behind
//! proxies, known-browser tokens, the throttling decision and the security-event kinds.
//! Nothing here does I/O or reads the clock; the facade passes "now" in.

pub mod api_key;
pub mod error;
pub mod events;
pub mod known_browser;
pub mod network;
pub mod password;
pub mod recovery;
pub mod role;
pub mod throttle;
pub mod totp;

pub use api_key::{ApiKeyLifetime, ApiKeyLimit, ApiKeyName, ApiKeySecret, KeyRefusal};
pub use error::AccountError;
pub use events::SecurityEventKind;
pub use known_browser::{KnownBrowser, KnownBrowserKey};
pub use network::{ClientNetwork, TrustedProxies};
pub use password::check_admin_password;
pub use recovery::RecoveryCode;
pub use role::{Permission, Role};
pub use throttle::{Realm, ThrottleDecision, UsernameKey};
pub use totp::{TotpSecret, TotpStep};

/// The list of `IN (...)` values of the CHECK on `column` in a migration's SQL, for tests
/// that tie a Rust enum's list to the database.
#[cfg(test)]
pub(crate) fn check_values(sql: &str, column: &str) -> Vec<String> {
    let start = sql
        .find(&format!("CHECK ({column} IN ("))
        .unwrap_or_else(|| panic!("no CHECK on {column}"));
    let rest = &sql[start..];
    let list = &rest[rest.find("IN (").unwrap() + 4..rest.find(')').unwrap()];
    list.split(',')
        .map(|v| v.trim().trim_matches('\'').to_owned())
        .collect()
}
