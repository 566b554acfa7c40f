//! The route table of `docs/domain.md` (`web::routes::ROUTES`) is the server's URL map:
//! every listed route is registered (asked with real IDs, by someone allowed to use it,
//! the server never answers with the 404 of an unknown URL), and every route the fuzzer
//! covers is listed.

use backbone_admin::web::routes::{Access, Method as RouteMethod, ROUTES, Route};
use reqwest::{Client, Method};

use crate::common::admin_name;
use crate::common::app::{ADMIN, admin_username, browser, spawn_app};
use crate::every_route;

/// The route's pattern with real values in its segments.
fn concrete(route: &Route, address: &str, process: &str, key: &str) -> String {
    route
        .path
        .replace("{address}", address)
        .replace("{id}", process)
        .replace("{key}", key)
        .replace("{username}", ADMIN)
        .replace("{decision}", "cancel")
        .replace("{name}", "app.css")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_route_is_registered_and_every_route_is_documented() {
    let app = spawn_app();
    let owner = app.create_owner("documented-routes-owner");
    let process = app
        .core
        .processes()
        .start_as_support(&owner.address, &admin_username())
        .expect("start");
    // Approved, so that its receipt exists too.
    app.core
        .processes()
        .approve(&owner.owner(), &process.id)
        .expect("approve");
    let (address, id) = (owner.address.as_str(), process.id.as_str());
    let name = backbone_admin::domain::accounts::ApiKeyName::parse("routes").expect("name");
    let key = app
        .core
        .api_keys()
        .create_from_command_line(&admin_name(ADMIN), &name, Default::default())
        .expect("key")
        .key
        .id
        .to_string();
    let (anonymous, admin, signed_in_owner) = (browser(), browser(), browser());
    app.sign_in_admin(&admin).await;
    app.sign_in_owner(&signed_in_owner, &owner).await;

    for route in ROUTES {
        let client: &Client = match route.access {
            Access::Anyone => &anonymous,
            Access::Owner => &signed_in_owner,
            _ => &admin,
        };
        let method = match route.method {
            RouteMethod::Get => Method::GET,
            RouteMethod::Post => Method::POST,
        };
        let path = concrete(route, address, id, &key);
        let response = client
            .request(method.clone(), app.url(&path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(if method == Method::POST { "x=1" } else { "" })
            .send()
            .await
            .expect("request");
        assert_ne!(response.status().as_u16(), 404, "{method} {path}");
    }

    for (path, _) in every_route(address, id) {
        assert!(
            ROUTES.iter().any(|route| route.matches(&path)),
            "{path} is served but missing from web::routes::ROUTES"
        );
    }
}
