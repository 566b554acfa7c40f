//! Deletion receipts: the server's Ed25519 signature over a process ID and the SHA-256 of
//! the identity's address. Whoever holds the receipt code and the address can have it
//! checked (or check it offline with the public key); the code alone names no identity,
//! and the server needs no copy of the address to check it after the identity is gone.
//!
//! The signed message is the UTF-8 text
//! `backbone-admin deletion receipt v1\n<process ID>\n<hex SHA-256 of the address>`, and a
//! receipt code is `<process ID>.<base64url signature without padding>`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use rand::RngExt;
use sha2::{Digest, Sha256};

use super::address::IdentityAddress;
use super::error::DomainError;
use super::ids::DeletionProcessId;

const CONTEXT: &str = "backbone-admin deletion receipt v1";

/// The text a receipt's signature covers.
fn message(process: &DeletionProcessId, address: &IdentityAddress) -> String {
    let address_hash = hex::encode(Sha256::digest(address.as_str().as_bytes()));
    format!("{CONTEXT}\n{process}\n{address_hash}")
}

/// A receipt code: which process, and the server's signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptCode {
    process: DeletionProcessId,
    signature: [u8; 64],
}

impl ReceiptCode {
    /// A code as a person pasted it (spaces and line breaks around or inside are ignored);
    /// `None` when it cannot be one.
    pub fn parse(text: &str) -> Option<Self> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let (process, signature) = compact.split_once('.')?;
        let process = DeletionProcessId::parse(process).ok()?;
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?.try_into().ok()?;
        Some(Self { process, signature })
    }

    pub fn process(&self) -> &DeletionProcessId {
        &self.process
    }
}

impl std::fmt::Display for ReceiptCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}.{}",
            self.process,
            URL_SAFE_NO_PAD.encode(self.signature)
        )
    }
}

/// The public half, to check receipts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiptKey(VerifyingKey);

impl ReceiptKey {
    /// Whether `code` was signed by this key for `address`.
    pub fn verifies(&self, code: &ReceiptCode, address: &IdentityAddress) -> bool {
        let signature = Signature::from_bytes(&code.signature);
        self.0
            .verify_strict(message(&code.process, address).as_bytes(), &signature)
            .is_ok()
    }

    /// The 32 key bytes in base64url, as the verify page and `docs/receipts.md` show it.
    pub fn to_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.as_bytes())
    }
}

/// The server's signing key. Every instance of one deployment must share it, or one
/// instance's receipts do not verify on another.
#[derive(Clone)]
pub struct ReceiptSigner(SigningKey);

impl ReceiptSigner {
    /// The key from its 32-byte seed, written as 64 hex digits (`RECEIPT_SIGNING_KEY`).
    pub fn from_hex(text: &str) -> Result<Self, DomainError> {
        let seed: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| {
                DomainError::invalid("RECEIPT_SIGNING_KEY", "must be 64 hex digits (32 bytes)")
            })?;
        Ok(Self(SigningKey::from_bytes(&seed)))
    }

    /// A new random key.
    pub fn generate() -> Self {
        let mut seed = [0u8; 32];
        rand::rng().fill(&mut seed);
        Self(SigningKey::from_bytes(&seed))
    }

    /// The seed as 64 hex digits, to keep the key in a file.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0.to_bytes())
    }

    pub fn public_key(&self) -> ReceiptKey {
        ReceiptKey(self.0.verifying_key())
    }

    /// The receipt code of `process`, asked for on the identity at `address`.
    pub fn sign(&self, process: &DeletionProcessId, address: &IdentityAddress) -> ReceiptCode {
        let signature = self.0.sign(message(process, address).as_bytes());
        ReceiptCode {
            process: process.clone(),
            signature: signature.to_bytes(),
        }
    }
}

impl std::fmt::Debug for ReceiptSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReceiptSigner(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process() -> DeletionProcessId {
        DeletionProcessId::parse("IDP00000000000000001").unwrap()
    }

    fn address(n: u8) -> IdentityAddress {
        IdentityAddress::parse(&format!("did:e:localhost:dids:{:022x}", n)).unwrap()
    }

    #[test]
    fn a_receipt_verifies_only_with_its_address_and_key() {
        let signer = ReceiptSigner::generate();
        let code = signer.sign(&process(), &address(1));
        assert!(signer.public_key().verifies(&code, &address(1)));
        assert!(
            !signer.public_key().verifies(&code, &address(2)),
            "other address"
        );
        let other = ReceiptSigner::generate();
        assert!(
            !other.public_key().verifies(&code, &address(1)),
            "other key"
        );
    }

    #[test]
    fn codes_round_trip_through_text_and_refuse_changes() {
        let signer = ReceiptSigner::generate();
        let code = signer.sign(&process(), &address(1));
        let text = code.to_string();
        assert_eq!(ReceiptCode::parse(&text), Some(code.clone()));
        let spaced: String = text
            .chars()
            .enumerate()
            .flat_map(|(i, c)| (i % 4 == 0).then_some(' ').into_iter().chain([c]))
            .collect();
        assert_eq!(ReceiptCode::parse(&format!("\n{spaced} ")), Some(code));
        // Each character of the signature changed in turn: never a valid receipt.
        let dot = text.find('.').unwrap();
        for i in dot + 1..text.len() {
            let mut altered = text.clone().into_bytes();
            altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
            let altered = String::from_utf8(altered).unwrap();
            if let Some(code) = ReceiptCode::parse(&altered) {
                assert!(
                    !signer.public_key().verifies(&code, &address(1)),
                    "{altered}"
                );
            }
        }
        for bad in ["", ".", "IDP1.abc", "not a code", &text.replace('.', "")] {
            assert_eq!(ReceiptCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_key_survives_its_hex_form() {
        let signer = ReceiptSigner::generate();
        let again = ReceiptSigner::from_hex(&signer.to_hex()).unwrap();
        assert_eq!(again.public_key(), signer.public_key());
        assert!(ReceiptSigner::from_hex("00").is_err());
        assert!(ReceiptSigner::from_hex(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn the_signed_message_is_the_documented_one() {
        let text = message(&process(), &address(1));
        let expected_hash = hex::encode(Sha256::digest(address(1).as_str().as_bytes()));
        assert_eq!(
            text,
            format!("backbone-admin deletion receipt v1\nIDP00000000000000001\n{expected_hash}")
        );
    }
}
