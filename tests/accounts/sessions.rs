//! Account changes end the account's other sessions.

use super::*;
use crate::common::admin_name;

#[test]
fn account_changes_end_the_accounts_other_sessions() {
    use backbone_admin::facade::sessions::{Principal, Resumed, SessionId};
    let w = world();
    let created = w
        .core
        .accounts()
        .create_admin_account(&admin_name(ROOT), &admin_name("fay"), Role::Support, &ctx())
        .unwrap();
    let fay = Principal::Admin {
        username: admin_name("fay"),
    };
    let live = |id: &SessionId| {
        matches!(
            w.core.sessions().resume_session(id).unwrap(),
            Resumed::Live(_)
        )
    };
    let sign_in = || w.core.sessions().start_session(&fay, None).unwrap();

    type Change<'a> = Box<dyn Fn() + 'a>;
    let changes: Vec<(&str, Change)> = vec![
        (
            "role change",
            Box::new(|| {
                w.core
                    .accounts()
                    .change_admin_role(&admin_name(ROOT), &admin_name("fay"), Role::Auditor, &ctx())
                    .unwrap()
            }),
        ),
        (
            "password reset",
            Box::new(|| {
                w.core
                    .accounts()
                    .reset_admin_password(&admin_name(ROOT), &admin_name("fay"), &ctx())
                    .unwrap();
            }),
        ),
        (
            "disabling",
            Box::new(|| {
                w.core
                    .accounts()
                    .set_admin_enabled(&admin_name(ROOT), &admin_name("fay"), false, &ctx())
                    .unwrap();
                w.core
                    .accounts()
                    .set_admin_enabled(&admin_name(ROOT), &admin_name("fay"), true, &ctx())
                    .unwrap();
            }),
        ),
    ];
    for (what, change) in changes {
        let (a, b) = (sign_in(), sign_in());
        let root_session = w
            .core
            .sessions()
            .start_session(
                &Principal::Admin {
                    username: admin_name(ROOT),
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
    let password = w
        .core
        .accounts()
        .reset_admin_password(&admin_name(ROOT), &admin_name("fay"), &ctx())
        .unwrap();
    assert_ne!(password, created.one_time_password);
    let (mine, other) = (sign_in(), sign_in());
    let own = ChangeContext {
        session: Some(mine.clone()),
        ..ctx()
    };
    w.core
        .accounts()
        .change_own_password(
            &admin_name("fay"),
            &password,
            "saffron beacon mollusk tide",
            &own,
        )
        .unwrap();
    assert!(live(&mine) && !live(&other));
    let enrolment = w
        .core
        .second_factor()
        .begin_totp_enrolment(&admin_name("fay"))
        .unwrap();
    let secret = TotpSecret::from_base32(&enrolment.secret_base32).unwrap();
    w.core
        .second_factor()
        .confirm_totp_enrolment(&admin_name("fay"), &code_at(&secret, &w.clock, 0), &own)
        .unwrap();
    let other = sign_in();
    w.clock.advance(Duration::seconds(30));
    w.core
        .second_factor()
        .turn_off_own_second_factor(
            &admin_name("fay"),
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
