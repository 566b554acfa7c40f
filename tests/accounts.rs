//! Admin accounts, the second factor, sign-in throttling and security events against real
//! PostgreSQL (`docs/security.md`), plus the control-character filter through the real server.

mod common;

use std::sync::{Arc, Barrier};

use backbone_admin::clock::{Clock, ManualClock};
use backbone_admin::domain::accounts::throttle::ThrottleRule;
use backbone_admin::domain::accounts::{
    AccountError, ClientNetwork, KnownBrowserKey, Permission, Role, SecurityEventKind,
    ThrottleDecision, TotpSecret, TotpStep, UsernameKey,
};
use backbone_admin::domain::{AdminUsername, Periods};
use backbone_admin::facade::accounts::{
    ChangeContext, ClientInfo, FailureKind, SecondFactorCheck, SecurityEventFilter, SignInAttempt,
};
use backbone_admin::facade::{FacadeError, IdentityDeletionProcessFacade};
use backbone_admin::hashing::audit_hash;
use backbone_admin::schema::{admin_users, security_events};
use chrono::{Duration, TimeZone, Utc};
use common::{TestDatabase, fresh_database};
use diesel::prelude::*;

const ROOT: &str = "root";
const ROOT_PASSWORD: &str = "velvet tractor anthem glacier";

struct World {
    db: TestDatabase,
    facade: IdentityDeletionProcessFacade,
    clock: ManualClock,
}

fn world() -> World {
    let db = fresh_database();
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap());
    let facade = facade_on(&db, &clock);
    facade.create_admin(ROOT, ROOT_PASSWORD).unwrap();
    World { db, facade, clock }
}

fn facade_on(db: &TestDatabase, clock: &ManualClock) -> IdentityDeletionProcessFacade {
    IdentityDeletionProcessFacade::new(db.pool(4), Arc::new(clock.clone()), Periods::default())
}

fn ctx() -> ChangeContext {
    ChangeContext {
        client: ClientInfo {
            network: Some(ClientNetwork::of("198.51.100.1".parse().unwrap())),
            user_agent: Some("test-agent/1.0".into()),
        },
        session: None,
    }
}

/// An admin username as the deletion use cases take it.
fn admin(name: &str) -> AdminUsername {
    AdminUsername::parse(name).unwrap()
}

fn account_error(result: Result<impl std::fmt::Debug, FacadeError>) -> AccountError {
    match result {
        Err(FacadeError::Account(error)) => error,
        other => panic!("expected an account error, got {other:?}"),
    }
}

fn enabled_administrators(db: &TestDatabase) -> Vec<String> {
    admin_users::table
        .filter(admin_users::role.eq("administrator"))
        .filter(admin_users::enabled)
        .select(admin_users::username)
        .order(admin_users::username)
        .load(&mut db.connect())
        .unwrap()
}

#[test]
fn roles_are_checked_by_the_facade() {
    let w = world();
    let created = w
        .facade
        .create_admin_account(ROOT, "carol", Role::Support, &ctx())
        .unwrap();
    w.facade
        .create_admin_account(ROOT, "dave", Role::Auditor, &ctx())
        .unwrap();
    // The one-time password signs in and must be changed.
    assert!(common::admin_password_is(
        &w.facade,
        "carol",
        &created.one_time_password
    ));
    let carol = w.facade.admin_account("carol").unwrap().unwrap();
    assert!(carol.must_change_password && carol.enabled && !carol.second_factor);
    assert_eq!(carol.role, Role::Support);

    // Support and auditors manage no accounts; auditors read security events, support not.
    for actor in ["carol", "dave"] {
        let forbidden = account_error(w.facade.list_admin_accounts(actor));
        assert_eq!(
            forbidden,
            AccountError::Forbidden(Permission::ManageAccounts)
        );
        assert!(matches!(
            account_error(
                w.facade
                    .create_admin_account(actor, "eve", Role::Administrator, &ctx())
            ),
            AccountError::Forbidden(_)
        ));
        assert!(matches!(
            account_error(
                w.facade
                    .change_admin_role(actor, actor, Role::Administrator, &ctx())
            ),
            AccountError::Forbidden(_)
        ));
    }
    assert!(w.facade.admin_account("eve").unwrap().is_none());
    let filter = SecurityEventFilter::default();
    assert!(
        w.facade
            .list_security_events("dave", &filter, None, 10)
            .is_ok()
    );
    assert!(matches!(
        account_error(w.facade.list_security_events("carol", &filter, None, 10)),
        AccountError::Forbidden(Permission::ReadSecurityEvents)
    ));
    w.facade
        .require_permission("carol", Permission::StartDeletion)
        .unwrap();
    assert!(
        w.facade
            .require_permission("dave", Permission::StartDeletion)
            .is_err()
    );

    // A disabled account cannot sign in nor act, and is enabled again.
    w.facade
        .set_admin_enabled(ROOT, "carol", false, &ctx())
        .unwrap();
    assert!(!common::admin_password_is(
        &w.facade,
        "carol",
        &created.one_time_password
    ));
    assert!(
        w.facade
            .require_permission("carol", Permission::Read)
            .is_err()
    );
    w.facade
        .set_admin_enabled(ROOT, "carol", true, &ctx())
        .unwrap();

    // Own password: the current one is needed and the new one must pass the policy.
    let weak = account_error(w.facade.change_own_password(
        "carol",
        &created.one_time_password,
        "carol-carol-2024",
        &ctx(),
    ));
    assert!(matches!(weak, AccountError::WeakPassword(ref why) if why.contains("username")));
    assert_eq!(
        account_error(w.facade.change_own_password(
            "carol",
            "not the password",
            "lantern orchid walrus meadow",
            &ctx()
        )),
        AccountError::WrongCurrentPassword
    );
    w.facade
        .change_own_password(
            "carol",
            &created.one_time_password,
            "lantern orchid walrus meadow",
            &ctx(),
        )
        .unwrap();
    assert!(
        !w.facade
            .admin_account("carol")
            .unwrap()
            .unwrap()
            .must_change_password
    );

    // A reset gives a new one-time password; the old one stops working.
    let reset = w
        .facade
        .reset_admin_password(ROOT, "carol", &ctx())
        .unwrap();
    assert_ne!(reset, created.one_time_password);
    assert!(common::admin_password_is(&w.facade, "carol", &reset));
    assert!(!common::admin_password_is(
        &w.facade,
        "carol",
        "lantern orchid walrus meadow"
    ));
    assert!(
        w.facade
            .admin_account("carol")
            .unwrap()
            .unwrap()
            .must_change_password
    );

    let accounts = w.facade.list_admin_accounts(ROOT).unwrap();
    let names: Vec<_> = accounts.iter().map(|a| a.username.as_str()).collect();
    assert_eq!(names, ["carol", "dave", ROOT]);
}

#[test]
fn weak_passwords_are_refused_at_creation() {
    let w = world();
    for weak in [
        "password",
        "admin-admin-admin",
        "newbie12345678",
        "x7#Lq9!vRt2",
    ] {
        let error = account_error(
            w.facade
                .create_admin_with_role("newbie", Role::Auditor, weak),
        );
        assert!(matches!(error, AccountError::WeakPassword(_)), "{weak}");
        assert!(!error.message().is_empty());
    }
    w.facade
        .create_admin_with_role("newbie", Role::Auditor, "quiet harbor pencil drift")
        .unwrap();
}

#[test]
fn the_last_enabled_administrator_can_be_neither_disabled_nor_demoted() {
    let w = world();
    w.facade
        .create_admin_account(ROOT, "ops", Role::Administrator, &ctx())
        .unwrap();
    assert_eq!(
        account_error(w.facade.set_admin_enabled(ROOT, ROOT, false, &ctx())),
        AccountError::NotOnOwnAccount
    );
    w.facade
        .change_admin_role(ROOT, "ops", Role::Support, &ctx())
        .unwrap();
    assert_eq!(
        account_error(
            w.facade
                .change_admin_role(ROOT, ROOT, Role::Auditor, &ctx())
        ),
        AccountError::LastAdministrator
    );
    // A disabled administrator does not count.
    w.facade
        .change_admin_role(ROOT, "ops", Role::Administrator, &ctx())
        .unwrap();
    w.facade
        .set_admin_enabled(ROOT, "ops", false, &ctx())
        .unwrap();
    assert_eq!(
        account_error(
            w.facade
                .change_admin_role(ROOT, ROOT, Role::Support, &ctx())
        ),
        AccountError::LastAdministrator
    );
    assert_eq!(enabled_administrators(&w.db), [ROOT]);
}

#[test]
fn concurrent_self_demotions_of_the_last_two_administrators_leave_one() {
    let w = world();
    for round in 0..5 {
        let other = format!("admin{round}");
        w.facade
            .create_admin_account(ROOT, &other, Role::Administrator, &ctx())
            .unwrap();
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = [ROOT.to_owned(), other.clone()]
            .into_iter()
            .map(|me| {
                let facade = w.facade.clone();
                let barrier = Arc::clone(&barrier);
                std::thread::spawn(move || {
                    barrier.wait();
                    facade.change_admin_role(&me, &me, Role::Support, &ctx())
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let passed = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(passed, 1, "round {round}: {results:?}");
        assert!(results.iter().any(|r| matches!(
            r,
            Err(FacadeError::Account(AccountError::LastAdministrator))
        )));
        let left = enabled_administrators(&w.db);
        assert_eq!(left.len(), 1, "round {round}");
        // Make ROOT the administrator again for the next round.
        if left[0] != ROOT {
            w.facade
                .change_admin_role(&left[0], ROOT, Role::Administrator, &ctx())
                .unwrap();
            w.facade
                .change_admin_role(ROOT, &left[0], Role::Auditor, &ctx())
                .unwrap();
        }
    }
}

fn code_at(secret: &TotpSecret, clock: &ManualClock, steps_from_now: i64) -> String {
    secret.code_at_step(TotpStep(clock.now().timestamp() / 30 + steps_from_now))
}

#[test]
fn totp_enrolment_replay_skew_and_recovery_codes() {
    let w = world();
    let enrolment = w.facade.begin_totp_enrolment(ROOT).unwrap();
    assert!(enrolment.otpauth_uri.starts_with("otpauth://totp/"));
    assert!(enrolment.qr_svg.starts_with("<svg"));
    let secret = TotpSecret::from_base32(&enrolment.secret_base32).unwrap();
    // Not in force before a correct code.
    assert!(!w.facade.admin_account(ROOT).unwrap().unwrap().second_factor);
    let wrong = if code_at(&secret, &w.clock, 0) == "000000" {
        "000001"
    } else {
        "000000"
    };
    assert_eq!(
        account_error(w.facade.confirm_totp_enrolment(ROOT, wrong, &ctx())),
        AccountError::WrongCode
    );
    // The page can be shown again with the same secret.
    let again = w.facade.pending_totp_enrolment(ROOT).unwrap().unwrap();
    assert_eq!(again.secret_base32, enrolment.secret_base32);

    let codes = w
        .facade
        .confirm_totp_enrolment(ROOT, &code_at(&secret, &w.clock, 0), &ctx())
        .unwrap();
    assert_eq!(codes.len(), 10);
    assert!(w.facade.admin_account(ROOT).unwrap().unwrap().second_factor);
    assert!(matches!(
        account_error(w.facade.begin_totp_enrolment(ROOT)),
        AccountError::SecondFactorAlreadyOn
    ));

    let client = ClientInfo::default();
    let check = |code: &str| w.facade.verify_second_factor(ROOT, code, &client).unwrap();
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
    assert_eq!(w.facade.remaining_recovery_codes(ROOT).unwrap(), 9);

    // Turning it off (with the password and a code) removes secret and codes.
    let recovery_for_off = codes[5].as_str().to_owned();
    w.facade
        .turn_off_own_second_factor(ROOT, ROOT_PASSWORD, &recovery_for_off, &ctx())
        .unwrap();
    assert!(!w.facade.admin_account(ROOT).unwrap().unwrap().second_factor);
    assert_eq!(
        check(&code_at(&secret, &w.clock, 0)),
        SecondFactorCheck::Refused
    );
    assert_eq!(check(codes[4].as_str()), SecondFactorCheck::Refused);
    assert_eq!(w.facade.remaining_recovery_codes(ROOT).unwrap(), 0);
}

#[test]
fn concurrent_use_of_one_code_succeeds_once() {
    let w = world();
    let enrolment = w.facade.begin_totp_enrolment(ROOT).unwrap();
    let secret = TotpSecret::from_base32(&enrolment.secret_base32).unwrap();
    let codes = w
        .facade
        .confirm_totp_enrolment(ROOT, &code_at(&secret, &w.clock, 0), &ctx())
        .unwrap();
    w.clock.advance(Duration::seconds(30));
    for code in [code_at(&secret, &w.clock, 0), codes[0].as_str().to_owned()] {
        let barrier = Arc::new(Barrier::new(4));
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let (facade, barrier, code) =
                    (w.facade.clone(), Arc::clone(&barrier), code.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    facade
                        .verify_second_factor(ROOT, &code, &ClientInfo::default())
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

fn attempt(account: UsernameKey, network: &str) -> SignInAttempt {
    SignInAttempt {
        account,
        network: ClientNetwork::of(network.parse().unwrap()),
        browser: None,
        user_agent: Some("curl/8".into()),
    }
}

#[test]
fn throttle_counters_are_shared_by_instances_and_a_success_clears_its_pair() {
    let w = world();
    let other_instance = facade_on(&w.db, &w.clock);
    let alice = UsernameKey::admin("alice");
    let from_a = attempt(alice.clone(), "203.0.113.5");
    for _ in 0..4 {
        w.facade
            .record_sign_in_failure(&from_a, FailureKind::Password)
            .unwrap();
    }
    assert_eq!(
        other_instance.check_sign_in(&from_a).unwrap(),
        ThrottleDecision::Allow
    );
    w.facade
        .record_sign_in_failure(&from_a, FailureKind::SecondFactor)
        .unwrap();
    assert_eq!(
        other_instance.check_sign_in(&from_a).unwrap(),
        ThrottleDecision::Wait {
            seconds: 1,
            rule: ThrottleRule::UsernameAndNetwork
        }
    );
    // Another network, or the account's known browser, is not held back.
    let from_b = attempt(alice.clone(), "203.0.113.6");
    assert!(w.facade.check_sign_in(&from_b).unwrap().is_allowed());
    let key = KnownBrowserKey::derive(&[1; 64]);
    let token = key.issue(&alice, w.clock.now().timestamp());
    let known = SignInAttempt {
        browser: key.verify(&token, &alice, w.clock.now().timestamp()),
        ..from_a.clone()
    };
    assert!(known.browser.is_some());
    assert!(w.facade.check_sign_in(&known).unwrap().is_allowed());

    // A success on one instance clears the pair for both.
    other_instance.record_sign_in_success(&from_a).unwrap();
    assert!(w.facade.check_sign_in(&from_a).unwrap().is_allowed());
    // The failures leave the window after 15 minutes anyway.
    for _ in 0..6 {
        w.facade
            .record_sign_in_failure(&from_b, FailureKind::Password)
            .unwrap();
    }
    assert!(!w.facade.check_sign_in(&from_b).unwrap().is_allowed());
    w.clock.advance(Duration::minutes(16));
    assert!(w.facade.check_sign_in(&from_b).unwrap().is_allowed());
}

#[test]
fn spraying_from_one_network_and_guessing_one_username_from_many() {
    let w = world();
    let other_instance = facade_on(&w.db, &w.clock);
    // 30 failures from one network over 30 usernames, half on each instance.
    for i in 0..30 {
        let facade = if i % 2 == 0 {
            &w.facade
        } else {
            &other_instance
        };
        let sprayed = attempt(UsernameKey::admin(&format!("user{i}")), "192.0.2.77");
        facade
            .record_sign_in_failure(&sprayed, FailureKind::Password)
            .unwrap();
    }
    let same_network = attempt(UsernameKey::admin("someone-else"), "192.0.2.77");
    assert!(matches!(
        w.facade.check_sign_in(&same_network).unwrap(),
        ThrottleDecision::Wait {
            rule: ThrottleRule::Network,
            ..
        }
    ));
    let elsewhere = attempt(UsernameKey::admin("someone-else"), "192.0.2.78");
    assert!(w.facade.check_sign_in(&elsewhere).unwrap().is_allowed());

    // 20 failures for one username from 20 networks: unknown browsers wait, known do not.
    let bob = UsernameKey::admin("bob");
    for i in 0..20 {
        let guess = attempt(bob.clone(), &format!("2001:db8:{i}::1"));
        other_instance
            .record_sign_in_failure(&guess, FailureKind::Password)
            .unwrap();
    }
    let fresh_network = attempt(bob.clone(), "198.18.0.1");
    assert!(matches!(
        w.facade.check_sign_in(&fresh_network).unwrap(),
        ThrottleDecision::Wait {
            rule: ThrottleRule::UsernameFromUnknownBrowsers,
            seconds: 1
        }
    ));
    let key = KnownBrowserKey::derive(&[2; 64]);
    let token = key.issue(&bob, w.clock.now().timestamp());
    let known = SignInAttempt {
        browser: key.verify(&token, &bob, w.clock.now().timestamp()),
        ..fresh_network
    };
    assert!(w.facade.check_sign_in(&known).unwrap().is_allowed());
    // IPv6 clients of one /64 are one network.
    let same_64 = attempt(bob.clone(), "2001:db8:3::ffff");
    let pair = attempt(bob, "2001:db8:3::1");
    for _ in 0..5 {
        w.facade
            .record_sign_in_failure(&pair, FailureKind::Password)
            .unwrap();
    }
    assert!(matches!(
        w.facade.check_sign_in(&same_64).unwrap(),
        ThrottleDecision::Wait { .. }
    ));
}

#[test]
fn security_events_hold_no_secrets_and_page_without_gaps() {
    let w = world();
    let created = w
        .facade
        .create_admin_account(ROOT, "erin", Role::Auditor, &ctx())
        .unwrap();
    let reset = w.facade.reset_admin_password(ROOT, "erin", &ctx()).unwrap();
    let enrolment = w.facade.begin_totp_enrolment(ROOT).unwrap();
    let secret = TotpSecret::from_base32(&enrolment.secret_base32).unwrap();
    let code = code_at(&secret, &w.clock, 0);
    let codes = w
        .facade
        .confirm_totp_enrolment(ROOT, &code, &ctx())
        .unwrap();
    w.clock.advance(Duration::seconds(30));
    let client = ClientInfo {
        network: None,
        user_agent: Some("Mozilla/5.0\0\r\n evil".into()),
    };
    w.facade
        .verify_second_factor(ROOT, codes[0].as_str(), &client)
        .unwrap();
    let owner = UsernameKey::owner_from_hash(&audit_hash("owner-bob"));
    let owner_attempt = attempt(owner.clone(), "203.0.113.9");
    w.facade
        .record_sign_in_failure(&owner_attempt, FailureKind::Password)
        .unwrap();
    w.facade.record_sign_in_success(&owner_attempt).unwrap();
    w.facade
        .turn_off_own_second_factor(ROOT, ROOT_PASSWORD, codes[1].as_str(), &ctx())
        .unwrap();
    w.facade
        .change_admin_role(ROOT, "erin", Role::Support, &ctx())
        .unwrap();
    w.facade
        .set_admin_enabled(ROOT, "erin", false, &ctx())
        .unwrap();
    w.facade
        .set_admin_enabled(ROOT, "erin", true, &ctx())
        .unwrap();
    w.facade
        .change_own_password(ROOT, ROOT_PASSWORD, "granite osprey lullaby fern", &ctx())
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
        w.facade
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
            .facade
            .list_security_events(ROOT, &filter, after, 10)
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
        .facade
        .list_security_events(
            ROOT,
            &SecurityEventFilter {
                kind: None,
                account: Some(owner),
            },
            None,
            50,
        )
        .unwrap();
    assert_eq!(owner_events.events.len(), 2);
    let own = w.facade.own_security_events(ROOT, 5).unwrap();
    assert!(own.iter().all(|e| e.account == UsernameKey::admin(ROOT)));
}

#[derive(QueryableByName)]
struct TextRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    text: String,
}

#[test]
fn throttled_attempts_are_recorded_once_a_minute() {
    let w = world();
    let from = attempt(UsernameKey::admin("alice"), "203.0.113.50");
    for _ in 0..6 {
        w.facade
            .record_sign_in_failure(&from, FailureKind::Password)
            .unwrap();
    }
    for _ in 0..10 {
        assert!(!w.facade.check_sign_in(&from).unwrap().is_allowed());
    }
    let throttled: i64 = security_events::table
        .filter(security_events::kind.eq("SignInThrottled"))
        .count()
        .get_result(&mut w.db.connect())
        .unwrap();
    assert_eq!(throttled, 1);
}

mod control_characters {
    use super::common::app::{browser, spawn_app};
    use reqwest::StatusCode;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn are_refused_in_paths_queries_and_forms_before_any_handler() {
        let app = spawn_app();
        let client = browser();
        for path in [
            "/admin/login?next=%00",
            "/login?x=a%01b",
            "/admin/identities/did%00x",
            "/me/deletion-processes/IDP%1B",
            "/static/app%00.css",
            "/admin/audit-logs?address%7F=1",
        ] {
            let (status, html) = app.get_html(&client, path).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
            assert!(html.contains("control character"), "{path}: {html}");
        }
        // Form fields, before CSRF, sessions or the database are consulted.
        for fields in [
            vec![("username", "a\0b"), ("password", "x")],
            vec![("username", "alice"), ("password", "x\u{7}")],
            vec![("user\u{1}name", "alice")],
        ] {
            let response = app.post_raw(&client, "/login", &fields).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{fields:?}");
        }
        // Tab, CR and LF are ordinary input; the form still reaches its handler.
        let (status, _) = app.get_html(&client, "/admin/login?next=%09%0D%0A").await;
        assert_eq!(status, StatusCode::OK);
        let response = app
            .post_form(
                &client,
                "/login",
                "/login",
                &[("username", "a\tb"), ("password", "x\r\ny")],
            )
            .await;
        assert_ne!(response.status(), StatusCode::BAD_REQUEST);
    }
}

#[test]
fn only_support_and_administrators_start_and_cancel_deletions() {
    let w = world();
    w.facade
        .create_admin_with_role("ann", Role::Auditor, "quiet harbor pencil drift")
        .unwrap();
    w.facade
        .create_admin_with_role("sam", Role::Support, "amber violin tundra socket")
        .unwrap();
    let owner = w
        .facade
        .create_identity("owner-1", "owner-password", "test")
        .unwrap();
    assert_eq!(
        account_error(w.facade.start_as_support(&owner.address, &admin("ann"))),
        AccountError::Forbidden(Permission::StartDeletion)
    );
    assert_eq!(
        account_error(w.facade.start_as_support(&owner.address, &admin("nobody"))),
        AccountError::Forbidden(Permission::StartDeletion)
    );
    let processes: i64 = backbone_admin::schema::identity_deletion_processes::table
        .count()
        .get_result(&mut w.db.connect())
        .unwrap();
    assert_eq!(processes, 0, "nothing changed");
    let started = w
        .facade
        .start_as_support(&owner.address, &admin("sam"))
        .unwrap();
    assert_eq!(
        account_error(
            w.facade
                .cancel_as_support(&owner.address, &started.id, &admin("ann"))
        ),
        AccountError::Forbidden(Permission::CancelDeletion)
    );
}

#[test]
fn account_changes_end_the_accounts_other_sessions() {
    use backbone_admin::facade::sessions::{Principal, Resumed, SessionId};
    let w = world();
    let created = w
        .facade
        .create_admin_account(ROOT, "fay", Role::Support, &ctx())
        .unwrap();
    let fay = Principal::Admin {
        username: "fay".into(),
    };
    let live = |id: &SessionId| matches!(w.facade.resume_session(id).unwrap(), Resumed::Live(_));
    let sign_in = || w.facade.start_session(&fay, None).unwrap();

    type Change<'a> = Box<dyn Fn() + 'a>;
    let changes: Vec<(&str, Change)> = vec![
        (
            "role change",
            Box::new(|| {
                w.facade
                    .change_admin_role(ROOT, "fay", Role::Auditor, &ctx())
                    .unwrap()
            }),
        ),
        (
            "password reset",
            Box::new(|| {
                w.facade.reset_admin_password(ROOT, "fay", &ctx()).unwrap();
            }),
        ),
        (
            "disabling",
            Box::new(|| {
                w.facade
                    .set_admin_enabled(ROOT, "fay", false, &ctx())
                    .unwrap();
                w.facade
                    .set_admin_enabled(ROOT, "fay", true, &ctx())
                    .unwrap();
            }),
        ),
    ];
    for (what, change) in changes {
        let (a, b) = (sign_in(), sign_in());
        let root_session = w
            .facade
            .start_session(
                &Principal::Admin {
                    username: ROOT.into(),
                },
                None,
            )
            .unwrap();
        change();
        assert!(!live(&a) && !live(&b), "{what}");
        assert!(live(&root_session), "{what}: other accounts keep theirs");
    }

    // Changing one's own password or turning off one's second factor keeps the session
    // that did it and ends the others.
    let password = w.facade.reset_admin_password(ROOT, "fay", &ctx()).unwrap();
    assert_ne!(password, created.one_time_password);
    let (mine, other) = (sign_in(), sign_in());
    let own = ChangeContext {
        session: Some(mine.clone()),
        ..ctx()
    };
    w.facade
        .change_own_password("fay", &password, "saffron beacon mollusk tide", &own)
        .unwrap();
    assert!(live(&mine) && !live(&other));
    let enrolment = w.facade.begin_totp_enrolment("fay").unwrap();
    let secret = TotpSecret::from_base32(&enrolment.secret_base32).unwrap();
    w.facade
        .confirm_totp_enrolment("fay", &code_at(&secret, &w.clock, 0), &own)
        .unwrap();
    let other = sign_in();
    w.clock.advance(Duration::seconds(30));
    w.facade
        .turn_off_own_second_factor(
            "fay",
            "saffron beacon mollusk tide",
            &code_at(&secret, &w.clock, 0),
            &own,
        )
        .unwrap();
    assert!(live(&mine) && !live(&other));
    let ended: i64 = security_events::table
        .filter(security_events::kind.eq("SessionsEnded"))
        .filter(security_events::account.eq("fay"))
        .count()
        .get_result(&mut w.db.connect())
        .unwrap();
    assert_eq!(ended, 5);
}
