//! OAuth clients: the apps allowed to create identities and ask for tokens. A client's
//! secret is a long random string, stored as its SHA-256 (one hash per check is enough for
//! that much entropy; a short secret is refused).

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::domain::DomainError;
use crate::domain::ids::text_newtype;

text_newtype!(
    /// A client's ID: 1 to 100 letters, digits, `.`, `_` or `-`.
    ClientId
);

impl ClientId {
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let ok = (1..=100).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if ok {
            Ok(Self(value.to_owned()))
        } else {
            Err(DomainError::invalid(
                "client ID",
                "use 1 to 100 letters, digits, '.', '_' or '-'",
            ))
        }
    }
}

/// A client secret as given when the client is created.
pub struct ClientSecret(String);

impl ClientSecret {
    pub const MIN_CHARS: usize = 32;
    pub const MAX_CHARS: usize = 1024;

    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let chars = value.chars().count();
        if (Self::MIN_CHARS..=Self::MAX_CHARS).contains(&chars) && !value.trim().is_empty() {
            Ok(Self(value.to_owned()))
        } else {
            Err(DomainError::invalid(
                "client secret",
                "use 32 to 1024 characters of a random string",
            ))
        }
    }

    /// A new random secret (for the demo client and generated ones).
    pub fn generate() -> Self {
        Self(crate::domain::ids::random_alphanumeric(40))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> Vec<u8> {
        secret_hash(&self.0)
    }
}

/// SHA-256 of a secret as presented.
pub fn secret_hash(presented: &str) -> Vec<u8> {
    Sha256::digest(presented.as_bytes()).to_vec()
}

/// Whether `presented` is the secret behind `stored`, in constant time.
pub fn secret_matches(presented: &str, stored: &[u8]) -> bool {
    secret_hash(presented).ct_eq(stored).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_secrets_are_checked() {
        assert!(ClientId::parse("backbone-app_1.0").is_ok());
        for bad in ["", "has space", "semi;colon", &"x".repeat(101)] {
            assert!(ClientId::parse(bad).is_err(), "{bad}");
        }
        assert!(ClientSecret::parse(&"s".repeat(31)).is_err());
        assert!(ClientSecret::parse(&" ".repeat(40)).is_err());
        let secret = ClientSecret::generate();
        assert!(secret_matches(secret.as_str(), &secret.hash()));
        assert!(!secret_matches("wrong", &secret.hash()));
    }
}
