//! Statuses of identities and deletion processes, stored as their names.

use super::error::DomainError;
use super::ids::text_sql_via_str;

macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),+ }
            }

            pub fn parse(value: &str) -> Result<Self, DomainError> {
                match value {
                    $(stringify!($variant) => Ok($name::$variant),)+
                    _ => Err(DomainError::invalid(
                        "status",
                        format!(
                            "'{}' is not one of {}",
                            crate::domain::ids::shorten(value),
                            [$(stringify!($variant)),+].join(", ")
                        ),
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        text_sql_via_str!($name, |s: String| $name::parse(&s));
    };
}

text_enum!(
    /// Where an IdentityDeletionProcess stands.
    ProcessStatus { WaitingForApproval, Approved, Rejected, Cancelled, Deleting }
);

text_enum!(
    /// Where an identity stands with respect to deletion.
    IdentityStatus { Active, ToBeDeleted, Deleting }
);

impl ProcessStatus {
    /// Open processes count against the one-per-identity rule.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::WaitingForApproval | Self::Approved | Self::Deleting
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for status in ProcessStatus::ALL {
            assert_eq!(ProcessStatus::parse(status.as_str()).unwrap(), *status);
        }
        for status in IdentityStatus::ALL {
            assert_eq!(IdentityStatus::parse(status.as_str()).unwrap(), *status);
        }
        assert!(ProcessStatus::parse("approved").is_err());
        assert_eq!(ProcessStatus::parse("x").unwrap_err().http_status(), 400);
    }

    #[test]
    fn open_statuses_are_the_ones_of_the_unique_index() {
        let open: Vec<_> = ProcessStatus::ALL.iter().filter(|s| s.is_open()).collect();
        assert_eq!(
            open,
            [
                &ProcessStatus::WaitingForApproval,
                &ProcessStatus::Approved,
                &ProcessStatus::Deleting
            ]
        );
    }
}
