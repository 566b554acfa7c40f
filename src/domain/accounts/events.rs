//! Kinds of security events (table `security_events`) and the trimmed user agent.

use std::fmt;

macro_rules! event_kinds {
    ($($variant:ident),+ $(,)?) => {
        /// What happened; stored by name, tied to the migration's CHECK by a test.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum SecurityEventKind { $($variant),+ }

        impl SecurityEventKind {
            pub const ALL: &'static [SecurityEventKind] = &[$(SecurityEventKind::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(SecurityEventKind::$variant => stringify!($variant)),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $(stringify!($variant) => Some(SecurityEventKind::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

event_kinds!(
    SignInSucceeded,
    SignInFailed,
    SignInThrottled,
    SecondFactorFailed,
    SecondFactorEnrolled,
    SecondFactorTurnedOff,
    RecoveryCodeUsed,
    PasswordChanged,
    PasswordReset,
    AccountCreated,
    AccountDisabled,
    AccountEnabled,
    RoleChanged,
    SessionsEnded,
    ApiKeyCreated,
    ApiKeyRevoked,
    ApiKeyRefused,
);

impl SecurityEventKind {
    /// The kinds that are an attempt to sign in, with its outcome ("recent sign-ins").
    pub const SIGN_IN: &'static [SecurityEventKind] = &[
        Self::SignInSucceeded,
        Self::SignInFailed,
        Self::SignInThrottled,
        Self::SecondFactorFailed,
        Self::RecoveryCodeUsed,
    ];

    /// Whether this kind is the outcome of a sign-in attempt.
    pub fn is_sign_in(self) -> bool {
        Self::SIGN_IN.contains(&self)
    }

    /// A sentence for the security-event page.
    pub fn describe(self) -> &'static str {
        match self {
            Self::SignInSucceeded => "Signed in",
            Self::SignInFailed => "Sign-in failed",
            Self::SignInThrottled => "Sign-in attempt held back (too many failures)",
            Self::SecondFactorFailed => "Wrong second-factor code",
            Self::SecondFactorEnrolled => "Second factor turned on",
            Self::SecondFactorTurnedOff => "Second factor turned off",
            Self::RecoveryCodeUsed => "Recovery code used",
            Self::PasswordChanged => "Password changed",
            Self::PasswordReset => "Password reset by an administrator",
            Self::AccountCreated => "Account created",
            Self::AccountDisabled => "Account disabled",
            Self::AccountEnabled => "Account enabled",
            Self::RoleChanged => "Role changed",
            Self::SessionsEnded => "Other sessions ended",
            Self::ApiKeyCreated => "API key created",
            Self::ApiKeyRevoked => "API key revoked",
            Self::ApiKeyRefused => "API request with an unknown or dead key refused",
        }
    }
}

impl fmt::Display for SecurityEventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The longest user agent kept.
pub const USER_AGENT_CHARS: usize = 200;

/// A user agent as stored: control characters dropped, at most 200 characters.
pub fn trim_user_agent(user_agent: &str) -> String {
    user_agent
        .chars()
        .filter(|c| !c.is_control())
        .take(USER_AGENT_CHARS)
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_match_the_migration() {
        for kind in SecurityEventKind::ALL {
            assert_eq!(SecurityEventKind::parse(kind.as_str()), Some(*kind));
            assert!(!kind.describe().is_empty());
        }
        let sql = include_str!("../../../migrations/2026-12-06-100001_api_keys/up.sql");
        let names: Vec<String> = SecurityEventKind::ALL
            .iter()
            .map(|k| k.as_str().to_owned())
            .collect();
        assert_eq!(super::super::check_values(sql, "kind"), names);
    }

    #[test]
    fn sign_in_kinds_are_the_attempts_and_their_outcomes() {
        assert!(SecurityEventKind::SignInThrottled.is_sign_in());
        assert!(SecurityEventKind::RecoveryCodeUsed.is_sign_in());
        assert!(!SecurityEventKind::PasswordChanged.is_sign_in());
        assert!(!SecurityEventKind::ApiKeyRefused.is_sign_in());
    }

    #[test]
    fn user_agents_are_trimmed() {
        assert_eq!(trim_user_agent(" Mozilla/5.0\r\n\0 x "), "Mozilla/5.0 x");
        assert_eq!(trim_user_agent(&"a".repeat(500)).len(), 200);
    }
}
