//! TOTP second factor (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps, one step of skew).
//!
//! Verification returns the step a code matched, so that the facade can refuse a step at or
//! before the last one the account used (a code is accepted once: no replay).

use std::fmt;

use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, Builder, Totp};

pub const DIGITS: usize = 6;
pub const STEP_SECONDS: i64 = 30;
/// Steps accepted either side of the current one.
pub const SKEW_STEPS: i64 = 1;
/// Shown by authenticator apps above the account name.
pub const ISSUER: &str = "Backbone Admin";
const SECRET_BYTES: usize = 20;

/// A shared TOTP secret (160 random bits, RFC 4226's recommendation). Its `Debug` shows
/// nothing, so it cannot end up in a log line by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

/// A 30-second step number (Unix seconds / 30).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TotpStep(pub i64);

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(<redacted>)")
    }
}

impl TotpSecret {
    pub fn generate() -> Self {
        let bytes: [u8; SECRET_BYTES] = rand::random();
        Self(bytes.to_vec())
    }

    /// From the stored bytes.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// From the base32 text an app shows (spaces and case ignored).
    pub fn from_base32(text: &str) -> Option<Self> {
        let text: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        totp_rs::Secret::try_from_base32(text)
            .ok()
            .map(|secret| Self(secret.as_bytes().to_vec()))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Base32 without padding, as typed into an app that cannot scan the QR code.
    pub fn to_base32(&self) -> String {
        self.totp("-").secret().to_base32()
    }

    fn totp(&self, account: &str) -> Totp {
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(DIGITS as u8)
            .with_step_duration(STEP_SECONDS as u64)
            .with_skew(SKEW_STEPS as u16)
            .with_secret(self.0.clone())
            .with_issuer(Some(ISSUER))
            .with_account_name(account.replace(':', "_"))
            .build_noncompliant()
    }

    /// The code of a step (for tests and for showing the enrolment works).
    pub fn code_at_step(&self, step: TotpStep) -> String {
        let at = u64::try_from(step.0 * STEP_SECONDS).unwrap_or(0);
        self.totp("-").generate(at).to_string()
    }

    /// The step `code` belongs to, if it is the code of a step within one step of `now`
    /// (Unix seconds) and later than `last_used`. Spaces in the code are ignored.
    pub fn verify(
        &self,
        code: &str,
        now_unix: i64,
        last_used: Option<TotpStep>,
    ) -> Option<TotpStep> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let current = now_unix.div_euclid(STEP_SECONDS);
        let mut matched = None;
        // Every candidate is computed and compared, so the time taken does not say which one
        // matched.
        for step in (current - SKEW_STEPS..=current + SKEW_STEPS).map(TotpStep) {
            let fresh = last_used.is_none_or(|last| step > last);
            let equal: bool = self
                .code_at_step(step)
                .as_bytes()
                .ct_eq(code.as_bytes())
                .into();
            if equal && fresh && matched.is_none() {
                matched = Some(step);
            }
        }
        matched
    }

    /// The `otpauth://totp/...` URI an authenticator app imports.
    pub fn otpauth_uri(&self, account: &str) -> String {
        self.totp(account)
            .to_url()
            .expect("the account name is not empty and has no colon")
    }

    /// The URI as a QR code: an `<svg>` element to put in a page (no script, no CDN).
    pub fn qr_svg(&self, account: &str) -> String {
        let code = qrcode::QrCode::new(self.otpauth_uri(account).as_bytes())
            .expect("an otpauth URI fits in a QR code");
        let svg = code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(220, 220)
            .quiet_zone(true)
            .build();
        // Drop the XML declaration: the element is embedded in an HTML page.
        match svg.find("<svg") {
            Some(start) => svg[start..].to_owned(),
            None => svg,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B: the SHA-1 secret "12345678901234567890".
    fn rfc_secret() -> TotpSecret {
        TotpSecret::from_bytes(b"12345678901234567890".to_vec())
    }

    #[test]
    fn rfc_6238_test_vectors_with_six_digits() {
        // The RFC lists 8 digits; the last 6 of them are the 6-digit code.
        for (at, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            let step = TotpStep(at / STEP_SECONDS);
            assert_eq!(rfc_secret().code_at_step(step), eight[2..], "{at}");
            assert_eq!(rfc_secret().verify(&eight[2..], at, None), Some(step));
        }
    }

    #[test]
    fn one_step_either_side_is_accepted_two_are_not() {
        let secret = TotpSecret::generate();
        let now = 1_800_000_015;
        let current = now / STEP_SECONDS;
        for offset in [-1, 0, 1] {
            let step = TotpStep(current + offset);
            assert_eq!(
                secret.verify(&secret.code_at_step(step), now, None),
                Some(step)
            );
        }
        for offset in [-3, -2, 2] {
            let code = secret.code_at_step(TotpStep(current + offset));
            // A collision with a code of the window is possible (1 in 10^6 per step).
            let matched = secret.verify(&code, now, None);
            assert!(matched.is_none() || secret.code_at_step(matched.unwrap()) == code);
            assert_ne!(matched, Some(TotpStep(current + offset)));
        }
    }

    #[test]
    fn a_step_at_or_before_the_last_used_one_is_refused() {
        let secret = TotpSecret::generate();
        let now = 1_800_000_000;
        let step = TotpStep(now / STEP_SECONDS);
        let code = secret.code_at_step(step);
        assert_eq!(
            secret.verify(&code, now, Some(TotpStep(step.0 - 1))),
            Some(step)
        );
        assert_eq!(secret.verify(&code, now, Some(step)), None);
        assert_eq!(secret.verify(&code, now + 30, Some(step)), None);
    }

    #[test]
    fn malformed_codes_never_verify() {
        let secret = TotpSecret::generate();
        for code in ["", "12345", "1234567", "12a456", "１２３４５６"] {
            assert_eq!(secret.verify(code, 1_800_000_000, None), None, "{code}");
        }
        let step = TotpStep(1_800_000_000 / STEP_SECONDS);
        let spaced = secret.code_at_step(step);
        let spaced = format!("{} {}", &spaced[..3], &spaced[3..]);
        assert_eq!(secret.verify(&spaced, 1_800_000_000, None), Some(step));
    }

    #[test]
    fn uri_and_qr_code() {
        let secret = TotpSecret::from_bytes(b"12345678901234567890".to_vec());
        let uri = secret.otpauth_uri("alice");
        assert!(
            uri.starts_with("otpauth://totp/Backbone%20Admin:alice?"),
            "{uri}"
        );
        assert!(
            uri.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            "{uri}"
        );
        assert!(uri.contains("issuer=Backbone%20Admin"), "{uri}");
        let svg = secret.qr_svg("alice");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains("script"));
        assert_eq!(format!("{secret:?}"), "TotpSecret(<redacted>)");
    }
}
