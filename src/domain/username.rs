//! Usernames, parsed once where they come in (a form, the command line) and carried as
//! their own types after that: an admin's and a device's are never mixed up.
//!
//! Both follow one rule: 1 to 100 characters, each an ASCII letter or digit or one of
//! `.`, `_`, `-`, `@` (the columns' CHECK allows 1 to 100 characters).

use super::error::{DomainError, Reason};
use super::ids::text_newtype;

pub const MIN_LEN: usize = 1;
pub const MAX_LEN: usize = 100;

fn is_username(value: &str) -> bool {
    (MIN_LEN..=MAX_LEN).contains(&value.chars().count())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

/// The username rule, for code that checks a name it then stores as text.
pub fn check(value: &str) -> Result<(), DomainError> {
    if is_username(value) {
        Ok(())
    } else {
        Err(DomainError::invalid(
            "username",
            Reason::said(
                "reason-username-rule",
                Vec::new(),
                "use 1 to 100 letters, digits, '.', '_', '-' or '@'",
            ),
        ))
    }
}

macro_rules! username_type {
    ($(#[$doc:meta])* $name:ident) => {
        text_newtype!($(#[$doc])* $name);

        impl $name {
            pub fn parse(value: &str) -> Result<Self, DomainError> {
                check(value).map(|()| Self(value.to_owned()))
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }
    };
}

username_type!(
    /// The username of a support admin's account.
    AdminUsername
);

username_type!(
    /// The username a device signs in with.
    DeviceUsername
);

impl DeviceUsername {
    /// The username of a device registered through the Consumer API: `USR` and 17 random
    /// letters or digits, as the platform's own Backbone names them.
    pub fn generate() -> Self {
        Self(format!("USR{}", super::ids::random_alphanumeric(17)))
    }

    /// A value read back from the database, where only parsed values were written.
    pub(crate) fn from_stored(value: String) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_names_in_use() {
        for name in [
            "admin",
            "support-admin",
            "demo-owner-1",
            "alice.smith",
            "user_00001",
            "ops@example.org",
            &"x".repeat(100),
        ] {
            assert_eq!(AdminUsername::parse(name).unwrap().as_str(), name);
            assert_eq!(DeviceUsername::parse(name).unwrap().to_string(), name);
        }
    }

    #[test]
    fn refuses_the_rest_saying_the_rule() {
        for bad in [
            "",
            " admin",
            "admin ",
            "al ice",
            "bob\n",
            "ünï",
            "a/b",
            &"x".repeat(101),
        ] {
            let error = DeviceUsername::parse(bad).unwrap_err();
            assert_eq!(error.http_status(), 400, "{bad:?}");
            assert!(error.message().contains("1 to 100"), "{bad:?}");
            assert!(AdminUsername::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn serde_parses_too() {
        let name: AdminUsername = serde_json::from_str("\"admin\"").unwrap();
        assert_eq!(name.as_str(), "admin");
        assert!(serde_json::from_str::<AdminUsername>("\"a b\"").is_err());
    }

    proptest! {
        #[test]
        fn parse_accepts_exactly_the_rule(s in "\\PC{0,8}|[A-Za-z0-9._@-]{0,110}") {
            let valid = (1..=100).contains(&s.chars().count())
                && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c));
            prop_assert_eq!(DeviceUsername::parse(&s).is_ok(), valid);
            prop_assert_eq!(AdminUsername::parse(&s).is_ok(), valid);
        }
    }
}
