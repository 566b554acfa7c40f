//! How the seeded data names identities (must match bench/sql/seed.sql), and which
//! identities each scenario may use.

use sha2::{Digest, Sha256};

/// `did:e:localhost:dids:` and the first 22 hex digits of sha256("i" || n).
pub fn address(n: u64) -> String {
    let digest = Sha256::digest(format!("i{n}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("did:e:localhost:dids:{}", &hex[..22])
}

/// The primary device's username of identity n.
pub fn username(n: u64) -> String {
    format!("user{n:07}")
}

/// Identities reserved (no seeded process) for the owner initiate→cancel scenario: the
/// k-th connection works on its own identity. Classes 12 and 13 belong to the pgbench floors.
pub fn initiate_identity(k: u64) -> u64 {
    20 * k + 10
}

/// Identities reserved for the admin start → owner approve → owner cancel scenario.
pub fn admin_cycle_identity(k: u64) -> u64 {
    20 * k + 11
}

/// Real owners the sign-in flood (issue 17) names with wrong passwords: the pgbench floors'
/// class (n % 20 = 12), whose owners nothing signs in as through the app, so that the
/// failures the flood leaves (counted for an hour) cannot throttle another phase's sign-ins.
pub fn flood_owner(k: u64) -> u64 {
    20 * k + 12
}

/// A real admin that nothing signs in as: bench/run.sh creates it only to make the hash.
/// The sign-in flood names it with wrong passwords.
pub const SPARE_ADMIN: &str = "bench-hash-source";

/// An identity whose owner may sign in and that no transition scenario touches: not being
/// deleted (n % 1000 = 4) and not reserved (n % 20 in 10..=13).
pub fn is_plain_owner(n: u64) -> bool {
    n % 1000 != 4 && !(10..=13).contains(&(n % 20))
}

/// The bench admins seeded by seed.sql.
pub fn admin_username(k: u64) -> String {
    format!("bench-admin-{:02}", k + 1)
}

/// A small, fast, seedable generator (SplitMix64): the load generator needs cheap
/// uniform picks, not cryptographic randomness.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `low..=high` (the tiny modulo bias is irrelevant here).
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_seed() {
        // psql: SELECT left(encode(sha256(convert_to('i1', 'UTF8')), 'hex'), 22)
        assert_eq!(address(1), "did:e:localhost:dids:4cd9b7672d7fbee8fb51fb");
        assert_eq!(username(42), "user0000042");
        assert_eq!(admin_username(0), "bench-admin-01");
    }

    #[test]
    fn reserved_identities_are_not_plain_owners() {
        for k in 0..64 {
            assert!(!is_plain_owner(initiate_identity(k)));
            assert!(!is_plain_owner(admin_cycle_identity(k)));
        }
        assert!(!is_plain_owner(1004));
        assert!(is_plain_owner(1));
    }

    #[test]
    fn rng_stays_in_range() {
        let mut rng = Rng::new(7);
        for _ in 0..1000 {
            assert!((3..=5).contains(&rng.between(3, 5)));
        }
    }
}
