//! OAuth clients: administrators manage them at `/admin/clients` (the secret shown once),
//! other roles may not; the rules of a client's ID, secret and tier.

use backbone_admin::domain::accounts::Role;
use backbone_admin::domain::consumer::{ClientId, ClientSecret};
use backbone_admin::facade::clients::{Clients, NewClient};
use reqwest::StatusCode;

use crate::common::admin_name;
use crate::common::app::*;
use crate::helpers::*;

const STRONG: &str = "plinth gravel otter saxophone";

#[tokio::test]
async fn an_administrator_creates_lists_and_deletes_clients() {
    let api = api();
    let admin = browser();
    api.app.sign_in_admin(&admin).await;
    let response = api
        .app
        .post_form(
            &admin,
            "/admin/clients",
            "/admin/clients",
            &[
                ("client_id", "page-app"),
                ("default_tier", "Basic"),
                ("max_identities", "2"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = response.text().await.unwrap();
    let secret = texts(&html, "#client-secret")
        .pop()
        .expect("the secret is shown");
    assert_eq!(secret.len(), 40);
    // Selected with one click, on a success page without the danger stripe.
    assert_eq!(
        texts(&html, "code.select-all#client-secret"),
        vec![secret.clone()]
    );
    assert!(texts(&html, "section.confirm").is_empty());

    let (_, list) = api.app.get_html(&admin, "/admin/clients").await;
    let row = texts(&list, "#client-page-app").join(" ");
    assert!(row.contains("0 of at most 2"), "{row}");
    assert!(!list.contains(&secret), "the secret is shown only once");

    // The new client works: its secret gets a device a token.
    let app = api.register().await;
    let token = api
        .http
        .post(api.url("/connect/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", "page-app"),
            ("client_secret", secret.as_str()),
            ("username", app.username.as_str()),
            ("password", app.password.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), StatusCode::OK);

    let (status, confirm) = api
        .app
        .get_html(&admin, "/admin/clients/page-app/delete")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(confirm.contains("Delete the client page-app?"));
    let deleted = api
        .app
        .post_form(
            &admin,
            "/admin/clients/page-app/delete",
            "/admin/clients/page-app/delete",
            &[],
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    let (_, list) = api.app.get_html(&admin, "/admin/clients").await;
    assert!(texts(&list, "#client-page-app").is_empty());
}

#[tokio::test]
async fn only_administrators_manage_clients() {
    let api = api();
    api.app
        .core
        .accounts()
        .create_admin_with_role(&admin_name("auditor-1"), Role::Auditor, STRONG)
        .unwrap();
    let auditor = browser();
    let response = api
        .app
        .post_form(
            &auditor,
            "/admin/login",
            "/admin/login",
            &[("username", "auditor-1"), ("password", STRONG)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        api.app.get(&auditor, "/admin/clients").await.status(),
        StatusCode::FORBIDDEN
    );
    let clients = Clients::new(api.app.core.clone());
    let new = NewClient {
        client_id: ClientId::parse("sneaky").unwrap(),
        secret: ClientSecret::generate(),
        default_tier: "Basic".into(),
        max_identities: None,
    };
    assert!(clients.create_as(&admin_name("auditor-1"), new).is_err());
    assert!(
        clients
            .delete_as(
                &admin_name("auditor-1"),
                &ClientId::parse(CLIENT_ID).unwrap()
            )
            .is_err()
    );
    assert!(
        clients
            .exists(&ClientId::parse(CLIENT_ID).unwrap())
            .unwrap()
    );
}

#[test]
fn client_ids_secrets_and_tiers_are_checked() {
    assert!(ClientSecret::parse("short").is_err());
    let db = crate::common::fresh_database();
    let pool = db.pool(2);
    let core = backbone_admin::facade::Core::new(
        pool,
        std::sync::Arc::new(backbone_admin::clock::SystemClock),
        Default::default(),
    );
    let clients = Clients::new(core);
    let client = |id: &str, tier: &str| NewClient {
        client_id: ClientId::parse(id).unwrap(),
        secret: ClientSecret::generate(),
        default_tier: tier.into(),
        max_identities: None,
    };
    clients.create(client("one", "Basic")).unwrap();
    let taken = clients.create(client("one", "Basic")).unwrap_err();
    assert!(taken.to_string().contains("already exists"), "{taken}");
    let tier = clients.create(client("two", "Gold")).unwrap_err();
    assert!(tier.to_string().contains("tier"), "{tier}");
}
