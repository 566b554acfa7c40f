//! Password hashing (argon2id) and the audit log's pseudonymising hash (PBKDF2).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// PBKDF2-HMAC-SHA256 parameters of SPEC.md: the salt is fixed so that an admin can find
/// entries by typing an address, which is hashed the same way.
const AUDIT_HASH_SALT: &[u8] = b"backbone-admin/identity-deletion-audit-log";
const AUDIT_HASH_ITERATIONS: u32 = 100_000;

/// The 32-byte pseudonym stored in the audit log instead of an address, device ID or username.
pub fn audit_hash(value: &str) -> Vec<u8> {
    pbkdf2::pbkdf2_hmac_array::<pbkdf2::sha2::Sha256, 32>(
        value.as_bytes(),
        AUDIT_HASH_SALT,
        AUDIT_HASH_ITERATIONS,
    )
    .to_vec()
}

/// Hashes a password into a PHC string (`$argon2id$v=19$…`) with a fresh random salt.
pub fn hash_password(password: &str) -> String {
    let password = password.to_owned();
    on_hashing_thread(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .expect("argon2 with default parameters accepts any password")
            .to_string()
    })
}

/// Checks a password against a stored PHC string; a malformed hash never verifies.
pub fn verify_password(password: &str, phc: &str) -> bool {
    let (password, phc) = (password.to_owned(), phc.to_owned());
    on_hashing_thread(move || {
        PasswordHash::new(&phc)
            .map(|hash| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &hash)
                    .is_ok()
            })
            .unwrap_or(false)
    })
}

/// Threads that run argon2id. Each hash needs 19 MiB; on the blocking pool, every thread
/// that ever hashed kept that memory in its malloc arena, so 64 sign-ins left the server at
/// about 2 GiB RSS (bench/RESULTS.md). A few dedicated threads bound that memory (19 MiB
/// each) and the CPU that a burst of sign-ins can take from page requests.
const HASHING_THREADS: usize = 2;

/// Runs `work` on one of the hashing threads and waits for its result.
fn on_hashing_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let _queued = crate::metrics::password_hash_queued();
    type Job = Box<dyn FnOnce() + Send>;
    static JOBS: OnceLock<mpsc::Sender<Job>> = OnceLock::new();
    let jobs = JOBS.get_or_init(|| {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        for index in 0..HASHING_THREADS {
            let receiver = Arc::clone(&receiver);
            std::thread::Builder::new()
                .name(format!("argon2-{index}"))
                .spawn(move || {
                    loop {
                        let job = receiver
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .recv();
                        match job {
                            Ok(job) => job(),
                            Err(_) => break,
                        }
                    }
                })
                .expect("cannot start a password hashing thread");
        }
        sender
    });
    let (done, result) = mpsc::sync_channel(1);
    jobs.send(Box::new(move || {
        let _ = done.send(work());
    }))
    .expect("the password hashing threads live as long as the process");
    result
        .recv()
        .expect("a password hashing job ended without a result")
}

/// A valid hash of a random password, verified against when a username is unknown so that
/// a failed sign-in takes as long whether or not the account exists.
pub fn dummy_password_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&crate::domain::ids::random_alphanumeric(24)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_hash_is_deterministic_and_32_bytes() {
        let a = audit_hash("did:e:localhost:dids:0123456789abcdef012345");
        assert_eq!(a.len(), 32);
        assert_eq!(a, audit_hash("did:e:localhost:dids:0123456789abcdef012345"));
        assert_ne!(a, audit_hash("did:e:localhost:dids:0123456789abcdef012346"));
    }

    #[test]
    fn password_round_trip_uses_argon2id() {
        let phc = hash_password("correct horse");
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &phc));
        assert!(!verify_password("wrong horse", &phc));
        assert!(!verify_password("correct horse", "not a phc string"));
    }
}
