//! Bearer tokens: 32 random bytes, given to the app once and stored as their SHA-256, so a
//! request's token is checked with one hash and one indexed lookup.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngExt;
use sha2::{Digest, Sha256};

/// How long a token lives (the platform's client asks again 10 s before).
pub const TOKEN_LIFETIME_SECONDS: i64 = 300;

/// A token as the app holds it.
pub struct AccessToken(String);

impl AccessToken {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> Vec<u8> {
        token_hash(&self.0)
    }
}

/// What a presented token is looked up by.
pub fn token_hash(presented: &str) -> Vec<u8> {
    Sha256::digest(presented.as_bytes()).to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_found_by_their_hash() {
        let (a, b) = (AccessToken::generate(), AccessToken::generate());
        assert_ne!(a.as_str(), b.as_str());
        assert_eq!(a.as_str().len(), 43);
        assert_eq!(a.hash(), token_hash(a.as_str()));
        assert_eq!(a.hash().len(), 32);
    }
}
