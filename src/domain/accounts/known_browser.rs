//! "Known browser" tokens (OWASP's device cookie): after a successful sign-in the browser
//! gets a token signed for that account. Presented with a later attempt on the same
//! account, it lets the attempt skip the throttling counters that an attacker could fill.
//!
//! Format: `v1.<browser id>.<issued, Unix seconds>.<HMAC-SHA256>`, all URL-safe base64
//! except the time. The MAC covers the realm, the account key, the browser ID and the time,
//! under a key derived from the session key, so a token is good for one account only and
//! cannot be made up. The browser ID (random, not secret) lets the facade give each known
//! browser a small failure limit of its own.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::throttle::UsernameKey;

/// How long a browser stays known without signing in again.
pub const VALID_DAYS: i64 = 180;
const VERSION: &str = "v1";

/// The HMAC key for known-browser tokens.
#[derive(Clone)]
pub struct KnownBrowserKey([u8; 32]);

impl std::fmt::Debug for KnownBrowserKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KnownBrowserKey(<redacted>)")
    }
}

/// A browser that presented a valid token for the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownBrowser {
    /// Random, per token; stored with failures to count them per browser.
    pub id: String,
}

impl KnownBrowserKey {
    /// Derived from the session key's master bytes (at least 32 bytes of secret), with a
    /// label of its own, so the session cookie's keys and this one never coincide.
    pub fn derive(master: &[u8]) -> Self {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(master)
            .expect("HMAC accepts keys of any length");
        mac.update(b"backbone-admin/known-browser/v1");
        Self(mac.finalize().into_bytes().into())
    }

    fn mac(&self, account: &UsernameKey, id: &str, issued: i64) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .expect("HMAC accepts keys of any length");
        for part in [
            VERSION,
            account.realm().as_str(),
            account.as_str(),
            id,
            &issued.to_string(),
        ] {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part.as_bytes());
        }
        mac
    }

    /// A new token for `account`, issued at `now_unix`.
    pub fn issue(&self, account: &UsernameKey, now_unix: i64) -> String {
        let id = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>());
        let tag = self.mac(account, &id, now_unix).finalize().into_bytes();
        format!("{VERSION}.{id}.{now_unix}.{}", URL_SAFE_NO_PAD.encode(tag))
    }

    /// The key under which attempts on a device username that does not exist are counted
    /// and logged: the same name gives the same key on every instance (so the throttling
    /// treats it like any account), but without the server's secret the key tells nothing
    /// of what was typed (which may be a password typed into the wrong field).
    pub fn unknown_owner_key(&self, typed: &str) -> UsernameKey {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .expect("HMAC accepts keys of any length");
        mac.update(b"unknown device username\0");
        mac.update(typed.as_bytes());
        UsernameKey::owner_from_hash(&mac.finalize().into_bytes())
    }

    /// The browser, if `token` was issued for `account` by this key and has not expired.
    pub fn verify(
        &self,
        token: &str,
        account: &UsernameKey,
        now_unix: i64,
    ) -> Option<KnownBrowser> {
        let mut parts = token.split('.');
        let (version, id, issued, tag) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        if version != VERSION || parts.next().is_some() || id.len() != 22 {
            return None;
        }
        let issued: i64 = issued.parse().ok()?;
        let age = now_unix - issued;
        if !(0..=VALID_DAYS * 86_400).contains(&age) {
            return None;
        }
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        self.mac(account, id, issued).verify_slice(&tag).ok()?;
        Some(KnownBrowser { id: id.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn key() -> KnownBrowserKey {
        KnownBrowserKey::derive(&[7; 64])
    }

    #[test]
    fn a_token_verifies_for_its_account_only() {
        let alice = UsernameKey::admin("alice");
        let token = key().issue(&alice, NOW);
        let browser = key().verify(&token, &alice, NOW + 60).unwrap();
        assert_eq!(browser.id.len(), 22);
        assert_eq!(key().verify(&token, &UsernameKey::admin("bob"), NOW), None);
        // Same text as an owner key: another realm, another account.
        assert_eq!(
            key().verify(&token, &UsernameKey::Owner("alice".into()), NOW),
            None
        );
        // Another key (another deployment, a rotated session key).
        assert_eq!(
            KnownBrowserKey::derive(&[8; 64]).verify(&token, &alice, NOW),
            None
        );
    }

    #[test]
    fn unknown_owner_keys_are_stable_per_name_and_secret() {
        let bob = key().unknown_owner_key("bob");
        assert_eq!(bob, key().unknown_owner_key("bob"));
        assert_eq!(bob.as_str().len(), 64);
        assert_ne!(bob, key().unknown_owner_key("bob2"));
        assert_ne!(
            bob,
            KnownBrowserKey::derive(&[8; 64]).unknown_owner_key("bob")
        );
    }

    #[test]
    fn tampered_or_expired_tokens_fail() {
        let alice = UsernameKey::admin("alice");
        let token = key().issue(&alice, NOW);
        let mut tampered = token.clone();
        tampered.replace_range(3..4, if &token[3..4] == "A" { "B" } else { "A" });
        assert_eq!(key().verify(&tampered, &alice, NOW), None);
        assert_eq!(
            key().verify(&token, &alice, NOW + VALID_DAYS * 86_400 + 1),
            None
        );
        assert_eq!(key().verify(&token, &alice, NOW - 1), None);
        for junk in ["", "v1", "v1.a.b.c", "v1...", &format!("{token}.x")] {
            assert_eq!(key().verify(junk, &alice, NOW), None, "{junk}");
        }
    }
}
