//! A request fuzzer over every route: random paths, methods, form bodies, bodies of other
//! content types, oversized bodies and malformed cookies, signed out and signed in (without
//! a valid CSRF token). The app must never answer 500 and must never change anything.
//!
//! `bodies`: bodies that are not forms, and bodies that trickle in; `forms`: every field of
//! every form empty and over-long, with a valid CSRF token; `documented_routes`: the URL
//! map of `docs/domain.md` is the server's.

#[path = "../common/mod.rs"]
mod common;

mod bodies;
mod documented_routes;
mod forms;

use std::collections::BTreeMap;

use crate::common::admin_name;
use common::app::{TestApp, browser, spawn_app};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use reqwest::{Client, Method};

const REQUESTS_PER_CLIENT: usize = 300;

/// Row counts of every table that holds state a request could change.
fn snapshot(app: &TestApp) -> Vec<i64> {
    let mut conn = app.db.connect();
    [
        "identities",
        "devices",
        "admin_users",
        "identity_deletion_processes",
        "identity_deletion_process_audit_log",
        "notifications",
    ]
    .iter()
    .map(|table| {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"))
            .get_result::<Count>(&mut conn)
            .expect("count")
            .n
    })
    .collect()
}

fn statuses(app: &TestApp) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        s: String,
    }
    diesel::sql_query(
        "SELECT id || status AS s FROM identity_deletion_processes \
         UNION ALL SELECT address || status || tier_id FROM identities ORDER BY 1",
    )
    .load::<Row>(&mut app.db.connect())
    .expect("statuses")
    .into_iter()
    .map(|r| r.s)
    .collect()
}

fn garbage(rng: &mut StdRng) -> String {
    let pieces = [
        "",
        "x",
        "..",
        "%00",
        "%2e%2e%2f",
        "did:e:localhost:dids:",
        "IDP",
        "IDPaaaaaaaaaaaaaaaaa",
        "DVC1",
        "<script>",
        "' OR 1=1 --",
        "ä€𝄞",
        "-1",
        "100000",
        "abc",
        "%",
        "?",
        "#",
        "//evil.example",
        "\\",
    ];
    let mut text = String::new();
    for _ in 0..rng.random_range(0..4) {
        text.push_str(pieces.choose(rng).expect("pieces"));
    }
    if rng.random_bool(0.05) {
        text.push_str(&"A".repeat(rng.random_range(100..3000)));
    }
    text
}

fn random_path(rng: &mut StdRng, address: &str, process: &str) -> String {
    let a = if rng.random_bool(0.6) {
        address.to_owned()
    } else {
        garbage(rng)
    };
    let p = if rng.random_bool(0.6) {
        process.to_owned()
    } else {
        garbage(rng)
    };
    let templates = [
        "/".to_owned(),
        "/login".to_owned(),
        "/logout".to_owned(),
        "/me".to_owned(),
        "/me/deletion-processes".to_owned(),
        format!("/me/deletion-processes/{p}"),
        format!("/me/deletion-processes/{p}/approve"),
        format!("/me/deletion-processes/{p}/reject"),
        format!("/me/deletion-processes/{p}/cancel"),
        "/admin".to_owned(),
        "/admin/login".to_owned(),
        "/admin/logout".to_owned(),
        format!(
            "/admin/identities?q={}&status={}&after={}",
            garbage(rng),
            garbage(rng),
            garbage(rng)
        ),
        format!("/admin/identities/{a}"),
        format!("/admin/identities/{a}/deletion-processes"),
        format!("/admin/identities/{a}/deletion-processes/new"),
        format!("/admin/identities/{a}/deletion-processes/{p}"),
        format!("/admin/identities/{a}/deletion-processes/{p}/cancel"),
        format!(
            "/admin/deletion-processes?status={}&after={}",
            garbage(rng),
            garbage(rng)
        ),
        format!("/admin/audit-logs?address={a}"),
        "/admin/accounts".to_owned(),
        format!("/admin/accounts/{}", garbage(rng)),
        format!(
            "/admin/accounts/{}/role?role={}",
            garbage(rng),
            garbage(rng)
        ),
        format!("/admin/accounts/{}/disable", garbage(rng)),
        format!("/admin/accounts/{}/enable", garbage(rng)),
        format!("/admin/accounts/{}/reset-password", garbage(rng)),
        "/admin/account".to_owned(),
        "/admin/account/password".to_owned(),
        "/admin/account/second-factor".to_owned(),
        "/admin/account/second-factor/enrolment".to_owned(),
        "/admin/account/second-factor/confirm".to_owned(),
        "/admin/account/second-factor/off".to_owned(),
        format!(
            "/admin/security-events?kind={}&realm={}&account={}&after={}",
            garbage(rng),
            garbage(rng),
            garbage(rng),
            garbage(rng)
        ),
        "/healthz".to_owned(),
        "/readyz".to_owned(),
        format!("/{}", garbage(rng)),
        format!("/static/{}", garbage(rng)),
    ];
    templates.choose(rng).expect("templates").clone()
}

/// Mostly forms (which reach the handlers), and all else a client might send.
const CONTENT_TYPES: [Option<&str>; 10] = [
    Some("application/x-www-form-urlencoded"),
    Some("application/x-www-form-urlencoded"),
    Some("application/x-www-form-urlencoded"),
    Some("application/x-www-form-urlencoded; charset=UTF-8"),
    Some("text/plain"),
    Some("application/json"),
    Some("multipart/form-data; boundary=x"),
    Some("application/x-www-form-urlencodedx"),
    Some(";;"),
    None,
];

fn random_body(rng: &mut StdRng) -> String {
    if rng.random_bool(0.05) {
        return "a=".to_owned() + &"b".repeat(64 * 1024);
    }
    let keys = [
        "csrf_token",
        "username",
        "password",
        "grace_period_days",
        "next",
        "confirm",
        "role",
        "current",
        "new",
        "repeat",
        "code",
        "q",
        "x",
    ];
    (0..rng.random_range(0..5))
        .map(|_| {
            let key = keys.choose(rng).expect("keys");
            let value: String = garbage(rng).bytes().map(|b| format!("%{b:02X}")).collect();
            format!("{key}={value}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

async fn fuzz(
    app: &TestApp,
    client: &Client,
    rng: &mut StdRng,
    address: &str,
    process: &str,
    tally: &mut BTreeMap<u16, usize>,
) {
    let methods = [
        Method::GET,
        Method::POST,
        Method::POST,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::HEAD,
    ];
    for _ in 0..REQUESTS_PER_CLIENT {
        let method = methods.choose(rng).expect("methods").clone();
        let path = random_path(rng, address, process);
        let mut request = client.request(method.clone(), app.url(&path));
        if rng.random_bool(0.7) {
            request = request.body(random_body(rng));
            if let Some(content_type) = CONTENT_TYPES.choose(rng).expect("types") {
                request = request.header("content-type", *content_type);
            }
        }
        if rng.random_bool(0.15) {
            request = request.header("cookie", format!("backbone_session={}", garbage(rng)));
        }
        let Ok(response) = request.send().await else {
            // An unparsable URL is refused by the client before it reaches the app.
            continue;
        };
        let status = response.status().as_u16();
        *tally.entry(status).or_default() += 1;
        assert!(status < 500, "{method} {path} answered {status}");
    }
}

#[tokio::test]
async fn random_requests_never_fail_and_never_change_anything() {
    let app = spawn_app();
    let owner = app.create_owner("fuzzed-owner");
    let process = app
        .core
        .processes()
        .start_as_support(&owner.address, &common::app::admin_username())
        .expect("start");
    let before = (snapshot(&app), statuses(&app));

    let anonymous = browser();
    let admin = browser();
    app.sign_in_admin(&admin).await;
    let signed_in_owner = browser();
    app.sign_in_owner(&signed_in_owner, &owner).await;

    let mut rng = StdRng::seed_from_u64(0x0bac_cb0e);
    let mut tally = BTreeMap::new();
    for client in [&anonymous, &admin, &signed_in_owner] {
        fuzz(
            &app,
            client,
            &mut rng,
            owner.address.as_str(),
            process.id.as_str(),
            &mut tally,
        )
        .await;
    }

    assert_eq!((snapshot(&app), statuses(&app)), before, "nothing changed");
    let total: usize = tally.values().sum();
    common::report::report(
        "fuzz_http",
        &format!(
            "{total} random requests (3 clients: signed out, admin, owner), by status: {tally:?}; no 5xx, nothing changed"
        ),
    );
    assert!(total >= REQUESTS_PER_CLIENT * 3 * 9 / 10);
}

/// Every route of the app, with real IDs in its path, and whether it takes a POST.
pub(crate) fn every_route(address: &str, process: &str) -> Vec<(String, bool)> {
    let identity = format!("/admin/identities/{address}");
    let admin_process = format!("{identity}/deletion-processes/{process}");
    let own = format!("/me/deletion-processes/{process}");
    let account = format!("/admin/accounts/{}", common::app::ADMIN);
    [
        ("/", false),
        ("/login", true),
        ("/logout", true),
        ("/me", false),
        ("/me/deletion-processes", true),
        ("/me/deletion-processes/new", false),
        (own.as_str(), false),
        (&format!("{own}/approve"), true),
        (&format!("{own}/reject"), true),
        (&format!("{own}/cancel"), true),
        ("/admin", false),
        ("/admin/login", true),
        ("/admin/login/second-factor", true),
        ("/admin/logout", true),
        ("/admin/identities", false),
        (identity.as_str(), false),
        (&format!("{identity}/deletion-processes/new"), false),
        (&format!("{identity}/deletion-processes"), true),
        (admin_process.as_str(), false),
        (&format!("{admin_process}/cancel"), true),
        ("/admin/deletion-processes", false),
        ("/admin/audit-logs", false),
        ("/admin/security-events", false),
        ("/admin/accounts", true),
        (account.as_str(), false),
        (&format!("{account}/role"), true),
        (&format!("{account}/disable"), true),
        (&format!("{account}/enable"), true),
        (&format!("{account}/reset-password"), true),
        ("/admin/account", false),
        ("/admin/account/password", true),
        ("/admin/account/second-factor", false),
        ("/admin/account/second-factor/enrolment", true),
        ("/admin/account/second-factor/confirm", true),
        ("/admin/account/second-factor/off", true),
        ("/healthz", false),
        ("/readyz", false),
        ("/static/app.css", false),
    ]
    .into_iter()
    .map(|(path, post)| (path.to_owned(), post))
    .collect()
}

/// Percent-encoded control characters (tab, CR and LF are ordinary input): C0, DEL, C1.
const CONTROLS: [&str; 8] = ["%00", "%01", "%08", "%0B", "%0C", "%1B", "%7F", "%C2%85"];

/// `path` with `control` inside its last segment.
fn in_last_segment(path: &str, control: &str) -> String {
    match path.rsplit_once('/') {
        Some((head, "")) => format!("{head}/x{control}"),
        Some((head, last)) => format!("{head}/{last}{control}x"),
        None => format!("{path}{control}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_characters_anywhere_in_every_route_are_400_with_no_error_logged() {
    use backbone_admin::clock::SystemClock;
    use backbone_admin::domain::Periods;
    use backbone_admin::facade::Core;
    use common::app::{ADMIN, PASSWORD, create_owner_with, csrf_token_in};
    use common::binary::ServeProcess;

    let db = common::fresh_database();
    let core = Core::new(
        db.pool(2),
        std::sync::Arc::new(SystemClock),
        Periods::default(),
    );
    core.accounts()
        .create_admin(&admin_name(ADMIN), PASSWORD)
        .expect("admin");
    let owner = create_owner_with(&core, "control-owner");
    let process = core
        .processes()
        .start_as_support(&owner.address, &common::app::admin_username())
        .expect("start");
    let server = ServeProcess::start(&db.url, "control-characters", &[]).await;
    let base = server.base.as_str();

    let sign_in = |path: &'static str, username: String, password: String| async move {
        let client = browser();
        let html = client
            .get(format!("{base}{path}"))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("page");
        let token = csrf_token_in(&html);
        let response = client
            .post(format!("{base}{path}"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("username", &username),
                ("password", &password),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(response.status().as_u16(), 303, "{path}");
        client
    };
    let admin = sign_in("/admin/login", ADMIN.into(), PASSWORD.into()).await;
    let signed_in_owner = sign_in("/login", owner.username.clone(), owner.password.clone()).await;
    let anonymous = browser();

    let mut sent = 0;
    for (path, post) in every_route(owner.address.as_str(), process.id.as_str()) {
        for control in CONTROLS {
            let mut requests = vec![
                (Method::GET, in_last_segment(&path, control), None),
                (Method::GET, format!("{path}?q=a{control}b"), None),
                (Method::GET, format!("{path}?a{control}=1"), None),
            ];
            if post {
                let body = format!("csrf_token=x&username=a{control}&password=b&next=%2Fme");
                requests.push((Method::POST, path.clone(), Some(body)));
                requests.push((Method::POST, in_last_segment(&path, control), None));
            }
            for (method, url, body) in requests {
                for client in [&anonymous, &admin, &signed_in_owner] {
                    let mut request = client.request(method.clone(), format!("{base}{url}"));
                    if let Some(body) = &body {
                        request = request
                            .header("content-type", "application/x-www-form-urlencoded")
                            .body(body.clone());
                    }
                    let response = request.send().await.expect("request");
                    assert_eq!(response.status().as_u16(), 400, "{method} {url} {body:?}");
                    sent += 1;
                }
            }
        }
    }
    let log = server.log_text();
    assert!(
        !log.lines().any(|line| line.contains("ERROR")),
        "no ERROR line in the server's log:\n{log}"
    );
    common::report::report(
        "fuzz_http",
        &format!(
            "{sent} requests with control characters in paths, queries and forms of every route: all 400, no ERROR logged"
        ),
    );
}
