//! The admin password policy and one-time passwords.

use zxcvbn::Score;

use crate::domain::error::{MessageArg, Reason};

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 1024;
/// zxcvbn's "safely unguessable" level: about 10^10 guesses or more.
const MIN_SCORE: Score = Score::Three;

/// Checks an admin password against the policy of `docs/security.md`; the error is the reason, for the page.
///
/// Rules in order: length 12..=1024 characters, not containing the username (ignoring
/// case), and not rated weak (score < 3) by zxcvbn, which is also told the username and
/// the product's name so that variations of them count as guessable.
pub fn check_admin_password(username: &str, password: &str) -> Result<(), Reason> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(Reason::said(
            "reason-password-short",
            vec![
                ("min", MessageArg::Number(MIN_CHARS as i64)),
                ("count", MessageArg::Number(chars as i64)),
            ],
            format!("use at least {MIN_CHARS} characters (this one has {chars})."),
        ));
    }
    if chars > MAX_CHARS {
        return Err(Reason::said(
            "reason-password-long",
            vec![("max", MessageArg::Number(MAX_CHARS as i64))],
            format!("use at most {MAX_CHARS} characters."),
        ));
    }
    if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
        return Err(Reason::said(
            "reason-password-username",
            Vec::new(),
            "it must not contain the username.",
        ));
    }
    let estimate = zxcvbn::zxcvbn(password, &[username, "backbone", "admin"]);
    if estimate.score() < MIN_SCORE {
        // zxcvbn's own hints are English only: the other languages give the advice alone.
        return Err(Reason::said(
            "reason-password-guessable",
            Vec::new(),
            guessable_in_english(&estimate),
        ));
    }
    Ok(())
}

/// "It is too easy to guess", with zxcvbn's warning and first suggestion.
fn guessable_in_english(estimate: &zxcvbn::Entropy) -> String {
    let mut reason = "it is too easy to guess".to_owned();
    if let Some(feedback) = estimate.feedback() {
        if let Some(warning) = feedback.warning() {
            reason.push_str(&format!(" ({warning})"));
        }
        if let Some(suggestion) = feedback.suggestions().first() {
            reason.push_str(&format!(". {suggestion}"));
        }
    }
    reason.push_str(". A few unrelated words make a strong password.");
    reason.replace("..", ".")
}

/// A one-time password for a new account or a reset: 20 characters from an alphabet without
/// look-alikes (about 115 bits), in groups of five so it can be read out and typed.
pub fn generate_one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let bytes: [u8; 20] = rand::random();
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(5)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_are_refused_with_a_reason() {
        for weak in [
            "password",
            "admin-admin-admin",
            "passwordpassword",
            "qwertyuiop123",
        ] {
            let reason = check_admin_password("alice", weak).expect_err(weak);
            assert!(!reason.to_string().is_empty(), "{weak}");
        }
    }

    #[test]
    fn the_username_plus_digits_is_refused() {
        let reason = check_admin_password("margaret", "Margaret19741974").unwrap_err();
        assert!(reason.to_string().contains("username"), "{reason}");
    }

    #[test]
    fn eleven_characters_are_too_few_whatever_they_are() {
        let reason = check_admin_password("alice", "x7#Lq9!vRt2")
            .unwrap_err()
            .to_string();
        assert!(reason.contains("at least 12"), "{reason}");
        assert!(reason.contains("11"), "{reason}");
        assert!(check_admin_password("alice", &"Ab1!".repeat(257)).is_err());
    }

    #[test]
    fn a_strong_passphrase_is_accepted() {
        check_admin_password("alice", "velvet tractor anthem glacier").unwrap();
    }

    #[test]
    fn one_time_passwords_pass_the_policy() {
        for _ in 0..20 {
            let password = generate_one_time_password();
            assert_eq!(password.len(), 23);
            check_admin_password("administrator", &password).unwrap();
        }
    }
}
