//! Done-when 3: what each role sees and may do on the pages.

use backbone_admin::domain::ProcessStatus;
use backbone_admin::domain::accounts::Role;
use reqwest::StatusCode;

use crate::common::admin_name;
use crate::common::app::*;
use crate::{browser_as, create_account};

fn nav(html: &str) -> Vec<String> {
    texts(html, "header nav a")
}

#[actix_web::test]
async fn navigation_shows_what_each_role_may_open() {
    let app = spawn_app();
    let admin = browser();
    app.sign_in_admin(&admin).await;
    let auditor = browser_as(&app, "audrey", Role::Auditor).await;
    let support = browser_as(&app, "sam", Role::Support).await;
    for (client, accounts, events) in [
        (&admin, true, true),
        (&auditor, false, true),
        (&support, false, false),
    ] {
        let (status, html) = app.get_html(client, "/admin").await;
        assert_eq!(status, StatusCode::OK);
        let links = nav(&html);
        assert_eq!(
            links.contains(&"Accounts".to_owned()),
            accounts,
            "{links:?}"
        );
        assert_eq!(
            links.contains(&"Security events".to_owned()),
            events,
            "{links:?}"
        );
        assert!(links.contains(&"My account".to_owned()), "{links:?}");
        let (status, _) = app.get_html(client, "/admin/security-events").await;
        assert_eq!(
            status == StatusCode::OK,
            events,
            "security events: {status}"
        );
        let (status, _) = app.get_html(client, "/admin/accounts").await;
        assert_eq!(status == StatusCode::OK, accounts, "accounts: {status}");
        // Everyone has the own-account page.
        let (status, _) = app.get_html(client, "/admin/account").await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[actix_web::test]
async fn an_auditor_sees_no_start_or_cancel_buttons_and_a_hand_made_post_changes_nothing() {
    let app = spawn_app();
    let idle = app.create_owner("idle-owner");
    let busy = app.create_owner("busy-owner");
    let process = app
        .core
        .processes()
        .start_as_support(&busy.address, &admin_username())
        .expect("started");
    // Approved: support may cancel it now.
    app.core
        .processes()
        .approve(&busy.owner(), &process.id)
        .expect("approved");
    let auditor = browser_as(&app, "audrey", Role::Auditor).await;
    let support = browser_as(&app, "sam", Role::Support).await;

    let idle_page = format!("/admin/identities/{}", idle.address);
    let process_page = format!(
        "/admin/identities/{}/deletion-processes/{}",
        busy.address, process.id
    );
    // Support sees both buttons (the same pages, another role).
    let (_, html) = app.get_html(&support, &idle_page).await;
    assert_eq!(
        texts(&html, "#start-deletion").len(),
        1,
        "support may start"
    );
    let (_, html) = app.get_html(&support, &process_page).await;
    assert_eq!(
        texts(&html, "#cancel-deletion").len(),
        1,
        "support may cancel"
    );

    let (status, html) = app.get_html(&auditor, &idle_page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        texts(&html, "#start-deletion").is_empty(),
        "no start button"
    );
    let (status, html) = app.get_html(&auditor, &process_page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        texts(&html, "#cancel-deletion").is_empty(),
        "no cancel button"
    );
    // The confirmation pages are refused too.
    for page in [
        format!("{idle_page}/deletion-processes/new"),
        format!("{process_page}/cancel"),
    ] {
        let (status, _) = app.get_html(&auditor, &page).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
    }
    // Hand-made POSTs with a valid CSRF token: 403, nothing changed.
    let start = app
        .post_form(
            &auditor,
            &idle_page,
            &format!("{idle_page}/deletion-processes"),
            &[],
        )
        .await;
    assert_eq!(start.status(), StatusCode::FORBIDDEN);
    let body = start.text().await.unwrap();
    assert!(body.contains("Your role does not allow this"), "{body}");
    let cancel = app
        .post_form(
            &auditor,
            &process_page,
            &format!("{process_page}/cancel"),
            &[],
        )
        .await;
    assert_eq!(cancel.status(), StatusCode::FORBIDDEN);
    let details = app
        .core
        .identities()
        .identity_details(Role::Administrator, &idle.address, None, 50)
        .unwrap();
    assert!(details.processes.items.is_empty(), "no process was started");
    let after = app
        .core
        .processes()
        .process(&busy.address, &process.id)
        .unwrap();
    assert_eq!(after.status, ProcessStatus::Approved, "not cancelled");
}

#[actix_web::test]
async fn support_and_auditors_cannot_open_or_use_the_account_pages() {
    let app = spawn_app();
    create_account(&app, "victim", Role::Auditor);
    let support = browser_as(&app, "sam", Role::Support).await;
    let auditor = browser_as(&app, "audrey", Role::Auditor).await;
    for client in [&support, &auditor] {
        for page in [
            "/admin/accounts",
            "/admin/accounts/victim/disable",
            "/admin/accounts/victim/reset-password",
            "/admin/accounts/victim/role?role=administrator",
        ] {
            let (status, _) = app.get_html(client, page).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
        }
        for (path, fields) in [
            (
                "/admin/accounts",
                &[("username", "intruder"), ("role", "administrator")][..],
            ),
            (
                "/admin/accounts/victim/role",
                &[("role", "administrator")][..],
            ),
            ("/admin/accounts/victim/disable", &[][..]),
            ("/admin/accounts/victim/reset-password", &[][..]),
        ] {
            let response = app.post_form(client, "/admin/account", path, fields).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "POST {path}");
        }
    }
    assert!(
        !app.core
            .accounts()
            .admin_exists(&admin_name("intruder"))
            .unwrap()
    );
    let victim = app
        .core
        .accounts()
        .admin_account(&admin_name("victim"))
        .unwrap()
        .unwrap();
    assert_eq!(victim.role, Role::Auditor);
    assert!(victim.enabled && !victim.must_change_password);
}
