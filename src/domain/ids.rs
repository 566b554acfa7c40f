//! Prefixed random IDs: three letters and 17 characters of `[A-Za-z0-9]`.

use rand::distr::{Alphanumeric, SampleString};

use super::error::DomainError;

const RANDOM_PART_LEN: usize = 17;

/// Random characters from `[A-Za-z0-9]`, drawn from the thread-local CSPRNG.
pub fn random_alphanumeric(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rng(), len)
}

fn has_shape(value: &str, prefix: &str) -> bool {
    value.len() == prefix.len() + RANDOM_PART_LEN
        && value.starts_with(prefix)
        && value[prefix.len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric())
}

macro_rules! prefixed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $property:literal) => {
        crate::domain::ids::text_newtype!($(#[$doc])* $name);

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            pub fn generate() -> Self {
                Self(format!("{}{}", $prefix, random_alphanumeric(RANDOM_PART_LEN)))
            }

            pub fn parse(value: &str) -> Result<Self, DomainError> {
                if has_shape(value, $prefix) {
                    Ok(Self(value.to_owned()))
                } else {
                    Err(DomainError::invalid(
                        $property,
                        format!(
                            "'{}' is not a valid ID: it must be '{}' followed by 17 letters or digits",
                            crate::domain::ids::shorten(value),
                            $prefix
                        ),
                    ))
                }
            }
        }
    };
}

/// A validated text newtype `$name(String)` and what each has besides its `parse`:
/// `as_str`, `Display`, serde through `TryFrom<String>`/`Into<String>`, and Diesel's text
/// mapping (stored values are trusted: only parsed ones were written).
macro_rules! text_newtype {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = crate::domain::DomainError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        crate::domain::ids::text_sql_via_str!(
            $name,
            |s: String| Ok::<_, crate::domain::DomainError>($name(s))
        );
    };
}

pub(crate) use text_newtype;

/// Implements Diesel's text mapping for a type with `as_str()` and a constructor from the
/// stored string (stored values are trusted: the table's CHECK constraints validated them).
macro_rules! text_sql_via_str {
    ($ty:ty, $from_db:expr) => {
        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $ty {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $ty {
            fn from_sql(bytes: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let raw = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    diesel::pg::Pg,
                >>::from_sql(bytes)?;
                ($from_db)(raw).map_err(|e| e.to_string().into())
            }
        }
    };
}

pub(crate) use text_sql_via_str;

/// At most 40 characters of untrusted input, for echoing it back in an error message.
pub(crate) fn shorten(value: &str) -> String {
    const MAX: usize = 40;
    if value.chars().count() <= MAX {
        value.to_owned()
    } else {
        format!("{}…", value.chars().take(MAX).collect::<String>())
    }
}

prefixed_id!(
    /// ID of an IdentityDeletionProcess (`IDP…`).
    DeletionProcessId, "IDP", "deletion process ID"
);
prefixed_id!(
    /// ID of an audit log entry (`IDA…`).
    AuditEntryId, "IDA", "audit entry ID"
);
prefixed_id!(
    /// ID of a device (`DVC…`).
    DeviceId, "DVC", "device ID"
);
prefixed_id!(
    /// ID of a registration challenge (`CHL…`).
    ChallengeId, "CHL", "challenge ID"
);
prefixed_id!(
    /// ID of a sync run (`SYR…`).
    SyncRunId, "SYR", "sync run ID"
);
prefixed_id!(
    /// ID of an external event (`EXT…`).
    ExternalEventId, "EXT", "external event ID"
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn generated_ids_have_the_documented_shape() {
        for _ in 0..100 {
            let id = DeletionProcessId::generate();
            assert_eq!(id.as_str().len(), 20);
            assert!(id.as_str().starts_with("IDP"));
            assert_eq!(DeletionProcessId::parse(id.as_str()).unwrap(), id);
            assert!(DeviceId::generate().as_str().starts_with("DVC"));
            assert!(AuditEntryId::generate().as_str().starts_with("IDA"));
        }
    }

    #[test]
    fn malformed_ids_are_rejected_with_the_invalid_property_code() {
        for bad in [
            "",
            "IDP",
            "IDP123",
            "IDP1234567890123456",   // 16 after the prefix
            "IDP123456789012345678", // 18 after the prefix
            "IDX12345678901234567",
            "idp12345678901234567",
            "IDP1234567890123456!",
            "IDP12345678901234 67",
            "IDP1234567890123456é",
        ] {
            let error = DeletionProcessId::parse(bad).unwrap_err();
            assert_eq!(error.http_status(), 400, "{bad}");
            assert!(error.code().ends_with("invalidPropertyValue"));
        }
        assert!(DeletionProcessId::parse(DeviceId::generate().as_str()).is_err());
    }

    #[test]
    fn long_input_is_shortened_in_messages() {
        let error = DeviceId::parse(&"x".repeat(10_000)).unwrap_err();
        assert!(error.message().len() < 200);
    }

    proptest! {
        #[test]
        fn parse_accepts_exactly_the_valid_shape(s in "\\PC{0,30}") {
            let valid = s.len() == 20 && s.starts_with("IDP")
                && s[3..].bytes().all(|b| b.is_ascii_alphanumeric());
            prop_assert_eq!(DeletionProcessId::parse(&s).is_ok(), valid);
        }

        #[test]
        fn parse_accepts_every_valid_id(tail in "[A-Za-z0-9]{17}") {
            let text = format!("IDP{tail}");
            let id = DeletionProcessId::parse(&text).unwrap();
            prop_assert_eq!(id.as_str(), text.as_str());
        }
    }
}
