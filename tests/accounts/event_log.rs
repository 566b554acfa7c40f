//! The security-event log holds no secrets and pages without gaps.

use super::*;
use crate::common::admin_name;

#[test]
fn security_events_hold_no_secrets_and_page_without_gaps() {
    let w = world();
    let created = w
        .core
        .accounts()
        .create_admin_account(
            &admin_name(ROOT),
            &admin_name("erin"),
            Role::Auditor,
            &ctx(),
        )
        .unwrap();
    let reset = w
        .core
        .accounts()
        .reset_admin_password(&admin_name(ROOT), &admin_name("erin"), &ctx())
        .unwrap();
    let enrolment = w
        .core
        .second_factor()
        .begin_totp_enrolment(&admin_name(ROOT))
        .unwrap();
    let secret = TotpSecret::from_base32(&enrolment.secret_base32).unwrap();
    let code = code_at(&secret, &w.clock, 0);
    let codes = w
        .core
        .second_factor()
        .confirm_totp_enrolment(&admin_name(ROOT), &code, &ctx())
        .unwrap();
    w.clock.advance(Duration::seconds(30));
    let client = ClientInfo {
        network: None,
        user_agent: Some("Mozilla/5.0\0\r\n evil".into()),
    };
    w.core
        .second_factor()
        .verify_second_factor(&admin_name(ROOT), codes[0].as_str(), &client)
        .unwrap();
    let owner = UsernameKey::owner_from_hash(&audit_hash("owner-bob"));
    let owner_attempt = attempt(owner.clone(), "203.0.113.9");
    w.core
        .sign_in_throttle()
        .record_sign_in_failure(&owner_attempt, FailureKind::Password)
        .unwrap();
    w.core
        .sign_in_throttle()
        .record_sign_in_success(&owner_attempt)
        .unwrap();
    w.core
        .second_factor()
        .turn_off_own_second_factor(&admin_name(ROOT), ROOT_PASSWORD, codes[1].as_str(), &ctx())
        .unwrap();
    w.core
        .accounts()
        .change_admin_role(
            &admin_name(ROOT),
            &admin_name("erin"),
            Role::Support,
            &ctx(),
        )
        .unwrap();
    w.core
        .accounts()
        .set_admin_enabled(&admin_name(ROOT), &admin_name("erin"), false, &ctx())
        .unwrap();
    w.core
        .accounts()
        .set_admin_enabled(&admin_name(ROOT), &admin_name("erin"), true, &ctx())
        .unwrap();
    w.core
        .accounts()
        .change_own_password(
            &admin_name(ROOT),
            ROOT_PASSWORD,
            "granite osprey lullaby fern",
            &ctx(),
        )
        .unwrap();

    // Nothing secret anywhere in the table.
    let rows: Vec<String> =
        diesel::sql_query("SELECT row_to_json(e)::text AS text FROM security_events e")
            .load::<TextRow>(&mut w.db.connect())
            .unwrap()
            .into_iter()
            .map(|r| r.text)
            .collect();
    assert!(rows.len() >= 12, "{rows:#?}");
    let secrets = [
        created.one_time_password.as_str(),
        reset.as_str(),
        enrolment.secret_base32.as_str(),
        code.as_str(),
        codes[0].as_str(),
        codes[1].as_str(),
        "owner-bob",
        ROOT_PASSWORD,
        "granite osprey lullaby fern",
        "\\u0000",
    ];
    for row in &rows {
        for secret in secrets {
            assert!(!row.contains(secret), "{secret} in {row}");
        }
    }
    // Each kind of account change was recorded.
    let kinds: Vec<String> = security_events::table
        .select(security_events::kind)
        .load(&mut w.db.connect())
        .unwrap();
    for kind in [
        SecurityEventKind::AccountCreated,
        SecurityEventKind::PasswordReset,
        SecurityEventKind::SecondFactorEnrolled,
        SecurityEventKind::RecoveryCodeUsed,
        SecurityEventKind::SignInFailed,
        SecurityEventKind::SignInSucceeded,
        SecurityEventKind::SecondFactorTurnedOff,
        SecurityEventKind::RoleChanged,
        SecurityEventKind::AccountDisabled,
        SecurityEventKind::AccountEnabled,
        SecurityEventKind::PasswordChanged,
    ] {
        assert!(kinds.iter().any(|k| k == kind.as_str()), "{kind} missing");
    }

    // The table is append-only.
    let mut conn = w.db.connect();
    assert!(
        diesel::sql_query("UPDATE security_events SET kind = 'SignInFailed'")
            .execute(&mut conn)
            .is_err()
    );
    assert!(
        diesel::sql_query("DELETE FROM security_events")
            .execute(&mut conn)
            .is_err()
    );

    // Keyset pages: nothing missing or repeated, newest first; filters.
    for i in 0..25 {
        w.clock
            .advance(Duration::seconds(if i % 3 == 0 { 0 } else { 1 }));
        w.core
            .sign_in_throttle()
            .record_sign_in_failure(
                &attempt(UsernameKey::admin("mallory"), "192.0.2.1"),
                FailureKind::Password,
            )
            .unwrap();
    }
    let filter = SecurityEventFilter {
        kind: Some(SecurityEventKind::SignInFailed),
        account: Some(UsernameKey::admin("mallory")),
    };
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = w
            .core
            .security_events()
            .list_security_events(&admin_name(ROOT), &filter, after, 10)
            .unwrap();
        assert!(page.events.len() <= 10);
        seen.extend(page.events.iter().map(|e| (e.created_at, e.id)));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 25);
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(sorted, seen);
    let owner_events = w
        .core
        .security_events()
        .list_security_events(
            &admin_name(ROOT),
            &SecurityEventFilter {
                kind: None,
                account: Some(owner),
            },
            None,
            50,
        )
        .unwrap();
    assert_eq!(owner_events.events.len(), 2);
    let own = w
        .core
        .security_events()
        .own_security_events(&admin_name(ROOT), 5)
        .unwrap();
    assert!(own.iter().all(|e| e.account == UsernameKey::admin(ROOT)));
}
