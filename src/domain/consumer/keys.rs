//! Identity keys and signatures as the platform's crypto library writes them: base64url of
//! a small UTF-8 JSON object (`{"pub": …, "alg": 3}`, `{"sig": …, "alg": 2}`), whose byte
//! fields are base64url again. Ed25519 through `ed25519-dalek`.

use base64::Engine;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::Deserialize;
use sha2::{Digest, Sha256, Sha512};

use crate::domain::{DomainError, IdentityAddress};

/// The library's algorithm number for Ed25519 keys.
const ED25519: u8 = 3;
/// Its number for the SHA-512 hash an Ed25519 signature carries.
const SHA512: u8 = 2;

/// base64url, with or without padding (the library leaves it out; be lenient about it).
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes base64url `text` of `property`, or says why not.
pub fn decode_base64url(property: &'static str, text: &str) -> Result<Vec<u8>, DomainError> {
    BASE64URL
        .decode(text.trim())
        .map_err(|_| DomainError::invalid(property, "is not valid base64url"))
}

/// The JSON object behind a key's or signature's outer base64url.
fn decode_json<T: for<'de> Deserialize<'de>>(
    property: &'static str,
    text: &str,
    shape: &str,
) -> Result<T, DomainError> {
    let bytes = decode_base64url(property, text)?;
    serde_json::from_slice(&bytes).map_err(|_| {
        DomainError::invalid(
            property,
            format!("must be base64url of the JSON object {shape}"),
        )
    })
}

fn exact<const N: usize>(property: &'static str, bytes: Vec<u8>) -> Result<[u8; N], DomainError> {
    <[u8; N]>::try_from(bytes)
        .map_err(|_| DomainError::invalid(property, format!("must hold exactly {N} bytes")))
}

#[derive(Deserialize)]
struct KeyJson {
    #[serde(rename = "pub")]
    public: String,
    alg: u8,
}

#[derive(Deserialize)]
struct SignatureJson {
    sig: String,
    alg: u8,
}

/// An identity's Ed25519 public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityPublicKey([u8; 32]);

impl IdentityPublicKey {
    /// From the request's `identityPublicKey`.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        const PROPERTY: &str = "identityPublicKey";
        let json: KeyJson = decode_json(PROPERTY, text, r#"{"pub": "…", "alg": 3}"#)?;
        if json.alg != ED25519 {
            return Err(DomainError::invalid(PROPERTY, "alg must be 3 (Ed25519)"));
        }
        Ok(Self(exact(
            PROPERTY,
            decode_base64url(PROPERTY, &json.public)?,
        )?))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Whether `signature` is this key's Ed25519 signature of `message`.
    pub fn verifies(&self, message: &[u8], signature: &Signature) -> bool {
        let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&self.0) else {
            return false;
        };
        let signature = ed25519_dalek::Signature::from_bytes(&signature.0);
        key.verify_strict(message, &signature).is_ok()
    }
}

/// An Ed25519 signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature([u8; 64]);

impl Signature {
    /// From the request's `signedChallenge.signature`.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        const PROPERTY: &str = "signedChallenge.signature";
        let json: SignatureJson = decode_json(PROPERTY, text, r#"{"sig": "…", "alg": 2}"#)?;
        if json.alg != SHA512 {
            return Err(DomainError::invalid(PROPERTY, "alg must be 2"));
        }
        Ok(Self(exact(
            PROPERTY,
            decode_base64url(PROPERTY, &json.sig)?,
        )?))
    }

    pub fn from_bytes(bytes: [u8; 64]) -> Self {
        Self(bytes)
    }
}

/// The address of the identity holding `key` on `domain`, as the client library computes
/// it: `did:e:<domain>:dids:` + hex of the first 10 bytes of SHA-256(SHA-512(key)), then one
/// checksum byte, the first of SHA-256 of everything before it.
pub fn derive_address(
    key: &IdentityPublicKey,
    domain: &str,
) -> Result<IdentityAddress, DomainError> {
    let hashed = Sha256::digest(Sha512::digest(key.as_bytes()));
    let without_checksum = format!("did:e:{domain}:dids:{}", hex::encode(&hashed[..10]));
    let checksum = Sha256::digest(without_checksum.as_bytes())[0];
    IdentityAddress::parse(&format!("{without_checksum}{checksum:02x}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn encoded(json: serde_json::Value) -> String {
        BASE64URL.encode(json.to_string())
    }

    fn key_text(bytes: &[u8]) -> String {
        encoded(
            serde_json::json!({ "pub": BASE64URL.encode(bytes), "alg": 3, "@type": "CryptoSignaturePublicKey" }),
        )
    }

    #[test]
    fn the_address_of_the_documented_test_vector() {
        let key = IdentityPublicKey::parse(&encoded(serde_json::json!({
            "pub": "VI8m-21WLBfzBGtvOPM2qZM2Ealw3G-wjsxVFy5Zcjs", "alg": 3
        })))
        .unwrap();
        let address = derive_address(&key, "localhost").unwrap();
        assert_eq!(
            address.as_str(),
            "did:e:localhost:dids:a14fd999f336573b413288"
        );
    }

    #[test]
    fn a_signature_of_the_exact_bytes_verifies_and_nothing_else_does() {
        let signing = SigningKey::from_bytes(&[7; 32]);
        let key = IdentityPublicKey::parse(&key_text(signing.verifying_key().as_bytes())).unwrap();
        let message = br#"{"id":"CHL00000000000000001","expiresAt":"2026-12-06T01:44:50.016Z","type":"Identity"}"#;
        let sig = signing.sign(message).to_bytes();
        let signature = Signature::parse(&encoded(
            serde_json::json!({ "sig": BASE64URL.encode(sig), "alg": 2 }),
        ))
        .unwrap();
        assert!(key.verifies(message, &signature));
        let mut changed = message.to_vec();
        changed[10] ^= 1;
        assert!(!key.verifies(&changed, &signature));
        let other = IdentityPublicKey::from_bytes(
            *SigningKey::from_bytes(&[8; 32]).verifying_key().as_bytes(),
        );
        assert!(!other.verifies(message, &signature));
    }

    #[test]
    fn malformed_keys_and_signatures_are_invalid_input() {
        for bad in [
            "",
            "not base64!",
            &BASE64URL.encode("not json"),
            &encoded(serde_json::json!({ "pub": 5, "alg": 3 })),
            &encoded(serde_json::json!({ "pub": BASE64URL.encode([1; 32]), "alg": 1 })),
            &encoded(serde_json::json!({ "pub": BASE64URL.encode([1; 31]), "alg": 3 })),
            &encoded(serde_json::json!({ "pub": "***", "alg": 3 })),
        ] {
            let error = IdentityPublicKey::parse(bad).unwrap_err();
            assert_eq!(error.http_status(), 400, "{bad}");
        }
        assert!(
            Signature::parse(&encoded(
                serde_json::json!({ "sig": BASE64URL.encode([1; 63]), "alg": 2 })
            ))
            .is_err()
        );
        assert!(Signature::parse("%%").is_err());
    }

    #[test]
    fn padding_is_optional() {
        assert_eq!(decode_base64url("x", "YQ").unwrap(), b"a");
        assert_eq!(decode_base64url("x", "YQ==").unwrap(), b"a");
    }
}
