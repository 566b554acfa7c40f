//! The TOTP second factor: enrolment, replay, skew, recovery codes, one code used once.

use super::*;
use crate::common::{admin_name, stored_account};

#[test]
fn totp_enrolment_replay_skew_and_recovery_codes() {
    let w = world();
    let enrolment = w
        .core
        .second_factor()
        .begin_totp_enrolment(&admin_name(ROOT))
        .unwrap();
    assert!(enrolment.otpauth_uri.starts_with("otpauth://totp/"));
    assert!(enrolment.qr_svg.starts_with("<svg"));
    let secret = TotpSecret::from_base32(&enrolment.secret_base32).unwrap();
    // Not in force before a correct code.
    assert!(!stored_account(&w.core, ROOT).second_factor);
    let wrong = if code_at(&secret, &w.clock, 0) == "000000" {
        "000001"
    } else {
        "000000"
    };
    assert_eq!(
        account_error(w.core.second_factor().confirm_totp_enrolment(
            &admin_name(ROOT),
            wrong,
            &ctx()
        )),
        AccountError::WrongCode
    );
    // The page can be shown again with the same secret.
    let again = w
        .core
        .second_factor()
        .pending_totp_enrolment(&admin_name(ROOT))
        .unwrap()
        .unwrap();
    assert_eq!(again.secret_base32, enrolment.secret_base32);

    let codes = w
        .core
        .second_factor()
        .confirm_totp_enrolment(&admin_name(ROOT), &code_at(&secret, &w.clock, 0), &ctx())
        .unwrap();
    assert_eq!(codes.len(), 10);
    assert!(stored_account(&w.core, ROOT).second_factor);
    assert!(matches!(
        account_error(
            w.core
                .second_factor()
                .begin_totp_enrolment(&admin_name(ROOT))
        ),
        AccountError::SecondFactorAlreadyOn
    ));

    let client = ClientInfo::default();
    let check = |code: &str| {
        w.core
            .second_factor()
            .verify_second_factor(&admin_name(ROOT), code, &client)
            .unwrap()
    };
    // The enrolment code was used: it is not accepted again.
    assert_eq!(
        check(&code_at(&secret, &w.clock, 0)),
        SecondFactorCheck::Refused
    );
    w.clock.advance(Duration::seconds(30));
    let fresh = code_at(&secret, &w.clock, 0);
    assert_eq!(check(&fresh), SecondFactorCheck::Accepted);
    assert_eq!(check(&fresh), SecondFactorCheck::Refused, "replay");
    // One step of skew either side, but never at or before the last step used.
    w.clock.advance(Duration::seconds(90));
    assert_eq!(
        check(&code_at(&secret, &w.clock, -3)),
        SecondFactorCheck::Refused
    );
    assert_eq!(
        check(&code_at(&secret, &w.clock, -2)),
        SecondFactorCheck::Refused
    );
    assert_eq!(
        check(&code_at(&secret, &w.clock, -1)),
        SecondFactorCheck::Accepted
    );
    assert_eq!(
        check(&code_at(&secret, &w.clock, 1)),
        SecondFactorCheck::Accepted
    );
    assert_eq!(
        check(&code_at(&secret, &w.clock, 0)),
        SecondFactorCheck::Refused
    );
    w.clock.advance(Duration::seconds(300));
    assert_eq!(check("12345"), SecondFactorCheck::Refused);

    // A recovery code works once.
    let recovery = codes[3].as_str().to_lowercase();
    assert_eq!(
        check(&recovery),
        SecondFactorCheck::RecoveryCodeUsed { remaining: 9 }
    );
    assert_eq!(check(&recovery), SecondFactorCheck::Refused);
    assert_eq!(
        w.core
            .second_factor()
            .remaining_recovery_codes(&admin_name(ROOT))
            .unwrap(),
        9
    );

    // Turning it off (with the password and a code) removes secret and codes.
    let recovery_for_off = codes[5].as_str().to_owned();
    w.core
        .second_factor()
        .turn_off_own_second_factor(&admin_name(ROOT), ROOT_PASSWORD, &recovery_for_off, &ctx())
        .unwrap();
    assert!(!stored_account(&w.core, ROOT).second_factor);
    assert_eq!(
        check(&code_at(&secret, &w.clock, 0)),
        SecondFactorCheck::Refused
    );
    assert_eq!(check(codes[4].as_str()), SecondFactorCheck::Refused);
    assert_eq!(
        w.core
            .second_factor()
            .remaining_recovery_codes(&admin_name(ROOT))
            .unwrap(),
        0
    );
}

#[test]
fn concurrent_use_of_one_code_succeeds_once() {
    let w = world();
    let enrolment = w
        .core
        .second_factor()
        .begin_totp_enrolment(&admin_name(ROOT))
        .unwrap();
    let secret = TotpSecret::from_base32(&enrolment.secret_base32).unwrap();
    let codes = w
        .core
        .second_factor()
        .confirm_totp_enrolment(&admin_name(ROOT), &code_at(&secret, &w.clock, 0), &ctx())
        .unwrap();
    w.clock.advance(Duration::seconds(30));
    for code in [code_at(&secret, &w.clock, 0), codes[0].as_str().to_owned()] {
        let barrier = Arc::new(Barrier::new(4));
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let (core, barrier, code) = (w.core.clone(), Arc::clone(&barrier), code.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    core.second_factor()
                        .verify_second_factor(&admin_name(ROOT), &code, &ClientInfo::default())
                        .unwrap()
                })
            })
            .collect();
        let accepted = handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .filter(|check| *check != SecondFactorCheck::Refused)
            .count();
        assert_eq!(accepted, 1, "{code}");
    }
}
