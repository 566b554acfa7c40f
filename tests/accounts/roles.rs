//! Roles checked by the facade, the password policy at creation, and the last enabled
//! administrator.

use super::*;
use crate::common::{admin_name, device_name, stored_account};

#[test]
fn roles_are_checked_by_the_facade() {
    let w = world();
    let created = w
        .core
        .accounts()
        .create_admin_account(
            &admin_name(ROOT),
            &admin_name("carol"),
            Role::Support,
            &ctx(),
        )
        .unwrap();
    w.core
        .accounts()
        .create_admin_account(
            &admin_name(ROOT),
            &admin_name("dave"),
            Role::Auditor,
            &ctx(),
        )
        .unwrap();
    // The one-time password signs in and must be changed.
    assert!(common::admin_password_is(
        &w.core,
        "carol",
        &created.one_time_password
    ));
    let carol = w
        .core
        .accounts()
        .admin_account(&admin_name("carol"))
        .unwrap()
        .unwrap();
    assert!(carol.must_change_password && carol.enabled && !carol.second_factor);
    assert_eq!(carol.role, Role::Support);

    // Support and auditors manage no accounts; auditors read security events, support not.
    for actor in ["carol", "dave"] {
        let forbidden = account_error(w.core.accounts().list_admin_accounts(&admin_name(actor)));
        assert_eq!(
            forbidden,
            AccountError::Forbidden(Permission::ManageAccounts)
        );
        assert!(matches!(
            account_error(w.core.accounts().create_admin_account(
                &admin_name(actor),
                &admin_name("eve"),
                Role::Administrator,
                &ctx()
            )),
            AccountError::Forbidden(_)
        ));
        assert!(matches!(
            account_error(w.core.accounts().change_admin_role(
                &admin_name(actor),
                &admin_name(actor),
                Role::Administrator,
                &ctx()
            )),
            AccountError::Forbidden(_)
        ));
    }
    assert!(
        w.core
            .accounts()
            .admin_account(&admin_name("eve"))
            .unwrap()
            .is_none()
    );
    let filter = SecurityEventFilter::default();
    assert!(
        w.core
            .security_events()
            .list_security_events(&admin_name("dave"), &filter, None, 10)
            .is_ok()
    );
    assert!(matches!(
        account_error(w.core.security_events().list_security_events(
            &admin_name("carol"),
            &filter,
            None,
            10
        )),
        AccountError::Forbidden(Permission::ReadSecurityEvents)
    ));
    w.core
        .accounts()
        .require_permission(&admin_name("carol"), Permission::StartDeletion)
        .unwrap();
    assert!(
        w.core
            .accounts()
            .require_permission(&admin_name("dave"), Permission::StartDeletion)
            .is_err()
    );

    // A disabled account cannot sign in nor act, and is enabled again.
    w.core
        .accounts()
        .set_admin_enabled(&admin_name(ROOT), &admin_name("carol"), false, &ctx())
        .unwrap();
    assert!(!common::admin_password_is(
        &w.core,
        "carol",
        &created.one_time_password
    ));
    assert!(
        w.core
            .accounts()
            .require_permission(&admin_name("carol"), Permission::Read)
            .is_err()
    );
    w.core
        .accounts()
        .set_admin_enabled(&admin_name(ROOT), &admin_name("carol"), true, &ctx())
        .unwrap();

    // Own password: the current one is needed and the new one must pass the policy.
    let weak = account_error(w.core.accounts().change_own_password(
        &admin_name("carol"),
        &created.one_time_password,
        "carol-carol-2024",
        &ctx(),
    ));
    assert!(
        matches!(weak, AccountError::WeakPassword(ref why) if why.to_string().contains("username"))
    );
    assert_eq!(
        account_error(w.core.accounts().change_own_password(
            &admin_name("carol"),
            "not the password",
            "lantern orchid walrus meadow",
            &ctx()
        )),
        AccountError::WrongCurrentPassword
    );
    w.core
        .accounts()
        .change_own_password(
            &admin_name("carol"),
            &created.one_time_password,
            "lantern orchid walrus meadow",
            &ctx(),
        )
        .unwrap();
    assert!(!stored_account(&w.core, "carol").must_change_password);

    // A reset gives a new one-time password; the old one stops working.
    let reset = w
        .core
        .accounts()
        .reset_admin_password(&admin_name(ROOT), &admin_name("carol"), &ctx())
        .unwrap();
    assert_ne!(reset, created.one_time_password);
    assert!(common::admin_password_is(&w.core, "carol", &reset));
    assert!(!common::admin_password_is(
        &w.core,
        "carol",
        "lantern orchid walrus meadow"
    ));
    assert!(stored_account(&w.core, "carol").must_change_password);

    let accounts = w
        .core
        .accounts()
        .list_admin_accounts(&admin_name(ROOT))
        .unwrap();
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
        let error = account_error(w.core.accounts().create_admin_with_role(
            &admin_name("newbie"),
            Role::Auditor,
            weak,
        ));
        assert!(matches!(error, AccountError::WeakPassword(_)), "{weak}");
        assert!(!error.message().is_empty());
    }
    w.core
        .accounts()
        .create_admin_with_role(
            &admin_name("newbie"),
            Role::Auditor,
            "quiet harbor pencil drift",
        )
        .unwrap();
}

#[test]
fn the_last_enabled_administrator_can_be_neither_disabled_nor_demoted() {
    let w = world();
    w.core
        .accounts()
        .create_admin_account(
            &admin_name(ROOT),
            &admin_name("ops"),
            Role::Administrator,
            &ctx(),
        )
        .unwrap();
    assert_eq!(
        account_error(w.core.accounts().set_admin_enabled(
            &admin_name(ROOT),
            &admin_name(ROOT),
            false,
            &ctx()
        )),
        AccountError::NotOnOwnAccount
    );
    w.core
        .accounts()
        .change_admin_role(&admin_name(ROOT), &admin_name("ops"), Role::Support, &ctx())
        .unwrap();
    assert_eq!(
        account_error(w.core.accounts().change_admin_role(
            &admin_name(ROOT),
            &admin_name(ROOT),
            Role::Auditor,
            &ctx()
        )),
        AccountError::LastAdministrator
    );
    // A disabled administrator does not count.
    w.core
        .accounts()
        .change_admin_role(
            &admin_name(ROOT),
            &admin_name("ops"),
            Role::Administrator,
            &ctx(),
        )
        .unwrap();
    w.core
        .accounts()
        .set_admin_enabled(&admin_name(ROOT), &admin_name("ops"), false, &ctx())
        .unwrap();
    assert_eq!(
        account_error(w.core.accounts().change_admin_role(
            &admin_name(ROOT),
            &admin_name(ROOT),
            Role::Support,
            &ctx()
        )),
        AccountError::LastAdministrator
    );
    assert_eq!(enabled_administrators(&w.db), [ROOT]);
}

#[test]
fn concurrent_self_demotions_of_the_last_two_administrators_leave_one() {
    let w = world();
    for round in 0..5 {
        let other = format!("admin{round}");
        w.core
            .accounts()
            .create_admin_account(
                &admin_name(ROOT),
                &admin_name(&other),
                Role::Administrator,
                &ctx(),
            )
            .unwrap();
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = [ROOT.to_owned(), other.clone()]
            .into_iter()
            .map(|me| {
                let core = w.core.clone();
                let barrier = Arc::clone(&barrier);
                std::thread::spawn(move || {
                    barrier.wait();
                    core.accounts().change_admin_role(
                        &admin_name(&me),
                        &admin_name(&me),
                        Role::Support,
                        &ctx(),
                    )
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
            w.core
                .accounts()
                .change_admin_role(
                    &admin_name(&left[0]),
                    &admin_name(ROOT),
                    Role::Administrator,
                    &ctx(),
                )
                .unwrap();
            w.core
                .accounts()
                .change_admin_role(
                    &admin_name(ROOT),
                    &admin_name(&left[0]),
                    Role::Auditor,
                    &ctx(),
                )
                .unwrap();
        }
    }
}

#[test]
fn only_support_and_administrators_start_and_cancel_deletions() {
    let w = world();
    w.core
        .accounts()
        .create_admin_with_role(
            &admin_name("ann"),
            Role::Auditor,
            "quiet harbor pencil drift",
        )
        .unwrap();
    w.core
        .accounts()
        .create_admin_with_role(
            &admin_name("sam"),
            Role::Support,
            "amber violin tundra socket",
        )
        .unwrap();
    let owner = w
        .core
        .identities()
        .create_identity(&device_name("owner-1"), "owner-password", "test")
        .unwrap();
    assert_eq!(
        account_error(
            w.core
                .processes()
                .start_as_support(&owner.address, &admin("ann"))
        ),
        AccountError::Forbidden(Permission::StartDeletion)
    );
    assert_eq!(
        account_error(
            w.core
                .processes()
                .start_as_support(&owner.address, &admin("nobody"))
        ),
        AccountError::Forbidden(Permission::StartDeletion)
    );
    let processes: i64 = backbone_admin::schema::identity_deletion_processes::table
        .count()
        .get_result(&mut w.db.connect())
        .unwrap();
    assert_eq!(processes, 0, "nothing changed");
    let started = w
        .core
        .processes()
        .start_as_support(&owner.address, &admin("sam"))
        .unwrap();
    assert_eq!(
        account_error(w.core.processes().cancel_as_support(
            &owner.address,
            &started.id,
            &admin("ann")
        )),
        AccountError::Forbidden(Permission::CancelDeletion)
    );
}
