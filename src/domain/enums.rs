//! The one macro that turns a list of names into an enum stored as text: the variants, the
//! `ALL` list, `as_str`, `parse`, `Display` and Diesel's text mapping all come from the one
//! list, so none of them can drift. Tests in `tests/schema_ties.rs` tie every `ALL` to the
//! migration's CHECK lists.

/// `text_enum!(/// doc \n Name ("property in errors") { A, B, C })`.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident ($property:literal) { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),+ }
            }

            pub fn parse(value: &str) -> Result<Self, crate::domain::DomainError> {
                match value {
                    $(stringify!($variant) => Ok($name::$variant),)+
                    _ => Err(crate::domain::DomainError::invalid(
                        $property,
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

        crate::domain::ids::text_sql_via_str!($name, |s: String| $name::parse(&s));
    };
}

pub(crate) use text_enum;
