//! `GET /Identities` (numbered pages, stable while identities are added; `q` narrows by an
//! address or username prefix) and `GET /Identities/{address}`.

use backbone_admin::domain::accounts::Role;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::common::app::*;
use crate::{account_with_key, api};

async fn get(app: &TestApp, key: &str, path: &str) -> (StatusCode, Value) {
    let response = api(app, &browser(), Method::GET, path)
        .header("X-API-KEY", key)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn addresses(body: &Value) -> Vec<String> {
    body["result"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| i["address"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn identities_come_in_numbered_pages_that_new_ones_do_not_shift() {
    let app = spawn_app();
    let key = account_with_key(&app, "ida", Role::Auditor);
    let mut created = Vec::new();
    for i in 0..5 {
        created.push(
            app.create_owner(&format!("page-owner-{i}"))
                .address
                .to_string(),
        );
        app.clock.advance(chrono::Duration::seconds(1));
    }
    let (status, first) = get(&app, &key, "/Identities?PageNumber=1&PageSize=2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(addresses(&first), created[..2]);
    assert_eq!(
        first["pagination"],
        serde_json::json!({"pageNumber": 1, "pageSize": 2, "totalPages": 3, "totalRecords": 5})
    );
    let item = &first["result"][0];
    assert_eq!(item["clientId"], "test");
    assert_eq!(item["status"], "Active");
    assert_eq!(item["numberOfDevices"], 1);
    assert_eq!(item["tier"]["id"], "TIRBASIC000000000000");
    let created_at = item["createdAt"].as_str().unwrap();
    assert!(
        created_at.ends_with('Z') && created_at.len() == 24,
        "{created_at}"
    );

    // An identity added meanwhile lands on the last page; page 2 is what it was.
    app.create_owner("page-owner-late");
    let (_, second) = get(&app, &key, "/Identities?PageNumber=2&PageSize=2").await;
    assert_eq!(addresses(&second), created[2..4]);
    assert_eq!(second["pagination"]["totalRecords"], 6);
    let (_, beyond) = get(&app, &key, "/Identities?PageNumber=9&PageSize=2").await;
    assert_eq!(addresses(&beyond), Vec::<String>::new());

    let (_, by_name) = get(&app, &key, "/Identities?q=page-owner-3").await;
    assert_eq!(addresses(&by_name), [created[3].clone()]);
    let prefix = &created[1][..30];
    let (_, by_address) = get(&app, &key, &format!("/Identities?q={prefix}")).await;
    assert!(addresses(&by_address).contains(&created[1]));
    let (_, wildcard) = get(&app, &key, "/Identities?q=%25").await;
    assert_eq!(
        addresses(&wildcard),
        Vec::<String>::new(),
        "% is taken literally"
    );
}

#[tokio::test]
async fn page_parameters_out_of_range_are_400() {
    let app = spawn_app();
    let key = account_with_key(&app, "ivo", Role::Auditor);
    for (query, code) in [
        (
            "PageNumber=0",
            "error.platform.validation.invalidPropertyValue",
        ),
        (
            "PageSize=201",
            "error.platform.validation.invalidPropertyValue",
        ),
        (
            "PageSize=0",
            "error.platform.validation.invalidPropertyValue",
        ),
        ("PageNumber=-1", "error.platform.inputCannotBeParsed"),
        ("PageSize=ten", "error.platform.inputCannotBeParsed"),
    ] {
        let (status, body) = get(&app, &key, &format!("/Identities?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(body["error"]["code"], code, "{query}");
        let id = body["error"]["id"].as_str().unwrap();
        assert!(id.starts_with("ERR") && id.len() == 20);
    }
}

#[tokio::test]
async fn one_identity_with_its_devices() {
    let app = spawn_app();
    let key = account_with_key(&app, "ina", Role::Support);
    let owner = app.create_owner("device-owner");
    let (status, body) = get(&app, &key, &format!("/Identities/{}", owner.address)).await;
    assert_eq!(status, StatusCode::OK);
    let identity = &body["result"];
    assert_eq!(identity["address"], owner.address.to_string());
    assert_eq!(identity["deletionGracePeriodEndsAt"], Value::Null);
    assert_eq!(identity["devices"][0]["id"], owner.device_id.to_string());
    assert_eq!(identity["devices"][0]["username"], "device-owner");

    let unknown = "did:e:localhost:dids:0123456789abcdef012345";
    let (status, body) = get(&app, &key, &format!("/Identities/{unknown}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "error.platform.recordNotFound");
    let (status, body) = get(&app, &key, "/Identities/not-an-address").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "error.platform.validation.invalidId");
}
