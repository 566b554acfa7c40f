//! Single-use recovery codes for an account whose authenticator is lost.
//!
//! Each code carries 80 random bits. At that entropy a fast hash is enough: even a stolen
//! table cannot be brute-forced (2^80 guesses per code), so the codes are stored as SHA-256
//! of the account and the code instead of argon2id. That keeps a recovery attempt off the
//! bounded password-hash queue and lets the facade find and spend a code with one indexed
//! `UPDATE … WHERE used_at IS NULL`, which is also what makes "exactly once" hold under
//! concurrency.

use sha2::{Digest, Sha256};

pub const CODES_PER_ENROLMENT: usize = 10;
const CODE_CHARS: usize = 16;
/// Crockford-like base32 without I, L, O, U: no look-alikes when typed from paper.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A recovery code as shown to the person once: `XXXX-XXXX-XXXX-XXXX`.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(String);

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

impl RecoveryCode {
    pub fn generate() -> Self {
        let bytes: [u8; CODE_CHARS] = rand::random();
        let chars: Vec<char> = bytes
            .iter()
            .map(|b| ALPHABET[usize::from(b & 31)] as char)
            .collect();
        Self(
            chars
                .chunks(4)
                .map(|group| group.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("-"),
        )
    }

    pub fn generate_set() -> Vec<RecoveryCode> {
        (0..CODES_PER_ENROLMENT).map(|_| Self::generate()).collect()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What is stored for this code of `username`.
    pub fn hash(&self, username: &str) -> Vec<u8> {
        hash_code(username, &self.0)
    }
}

/// The stored hash of what a person typed as a recovery code of `username`: case, spaces
/// and dashes do not matter.
pub fn hash_code(username: &str, typed: &str) -> Vec<u8> {
    let normalized: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let mut hasher = Sha256::new();
    hasher.update(b"backbone-admin/recovery-code\0");
    hasher.update(username.as_bytes());
    hasher.update(b"\0");
    hasher.update(normalized.as_bytes());
    hasher.finalize().to_vec()
}

/// Whether `typed` looks like a recovery code rather than a 6-digit TOTP code.
pub fn looks_like_recovery_code(typed: &str) -> bool {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .count()
        == CODE_CHARS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_distinct_codes_of_80_bits() {
        let codes = RecoveryCode::generate_set();
        assert_eq!(codes.len(), 10);
        for code in &codes {
            assert_eq!(code.as_str().len(), 19);
            assert!(looks_like_recovery_code(code.as_str()));
            assert!(!looks_like_recovery_code("123456"));
        }
        let mut unique: Vec<&str> = codes.iter().map(RecoveryCode::as_str).collect();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 10);
    }

    #[test]
    fn typing_variations_hash_alike_and_accounts_differ() {
        let code = RecoveryCode("ABCD-EFGH-JKMN-PQRS".into());
        assert_eq!(
            code.hash("alice"),
            hash_code("alice", "abcd efgh jkmn pqrs")
        );
        assert_eq!(code.hash("alice"), hash_code("alice", "ABCDEFGHJKMNPQRS"));
        assert_ne!(code.hash("alice"), code.hash("bob"));
        assert_eq!(code.hash("alice").len(), 32);
        assert_eq!(format!("{code:?}"), "RecoveryCode(<redacted>)");
    }
}
