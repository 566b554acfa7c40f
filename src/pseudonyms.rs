//! The pseudonyms the audit log and the security log keep instead of addresses, device IDs
//! and device usernames: PBKDF2-HMAC-SHA256, so that they outlive a deleted identity without
//! its personal data, while an admin who types an address still finds its entries.

/// PBKDF2-HMAC-SHA256 parameters of the audit log's pseudonyms (`docs/architecture.md`): the
/// salt is fixed so that an admin can find entries by typing an address, which is hashed the
/// same way.
const AUDIT_HASH_SALT: &[u8] = b"backbone-admin/identity-deletion-audit-log";
const AUDIT_HASH_ITERATIONS: u32 = 100_000;

/// The 32-byte pseudonym stored in the audit log instead of an address, device ID or username.
pub fn audit_hash(value: &str) -> Vec<u8> {
    // Through the crate's non-generic entry point: its SHA-256 rounds are then compiled in
    // the pbkdf2 crate, optimised even in debug builds, instead of being instantiated here
    // unoptimised (a test's owner sign-in spent ~150 ms in these rounds).
    let pbkdf2 = pbkdf2::Pbkdf2::new(
        pbkdf2::Algorithm::Pbkdf2Sha256,
        pbkdf2::Params::new(AUDIT_HASH_ITERATIONS).expect("100,000 rounds are allowed"),
    );
    let mut hash = vec![0; 32];
    pbkdf2.hash_password_into(value.as_bytes(), AUDIT_HASH_SALT, &mut hash);
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_hash_is_pbkdf2_hmac_sha256_with_the_specs_salt_and_rounds() {
        let value = "did:e:localhost:dids:0123456789abcdef012345";
        let generic = pbkdf2::pbkdf2_hmac_array::<pbkdf2::sha2::Sha256, 32>(
            value.as_bytes(),
            AUDIT_HASH_SALT,
            AUDIT_HASH_ITERATIONS,
        );
        assert_eq!(audit_hash(value), generic.to_vec());
    }

    #[test]
    fn audit_hash_is_deterministic_and_32_bytes() {
        let a = audit_hash("did:e:localhost:dids:0123456789abcdef012345");
        assert_eq!(a.len(), 32);
        assert_eq!(a, audit_hash("did:e:localhost:dids:0123456789abcdef012345"));
        assert_ne!(a, audit_hash("did:e:localhost:dids:0123456789abcdef012346"));
    }
}
