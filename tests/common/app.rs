//! A running app for HTTP tests: the real server on a random port, its own database,
//! a movable clock, and browser-like clients (cookies kept, redirects not followed).

use std::sync::Arc;

use backbone_admin::application::{Application, ApplicationSettings};
use backbone_admin::clock::ManualClock;
use backbone_admin::db::DbPool;
use backbone_admin::domain::accounts::Role;
use backbone_admin::domain::{AdminUsername, DeviceId, IdentityAddress, Periods};
use backbone_admin::facade::{Core, Owner};
use backbone_admin::web::WebOptions;
use chrono::Utc;
use reqwest::{Client, Response, StatusCode};

use super::{TestDatabase, fresh_database};

pub const ADMIN: &str = "support-admin";

/// [`ADMIN`] as the facade takes it.
pub fn admin_username() -> AdminUsername {
    AdminUsername::parse(ADMIN).expect("a valid username")
}
pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub address: String,
    pub db: TestDatabase,
    pub core: Core,
    pub clock: ManualClock,
}

/// A created identity and the credentials of its device.
#[derive(Debug, Clone)]
pub struct TestOwner {
    pub address: IdentityAddress,
    pub device_id: DeviceId,
    pub username: String,
    pub password: String,
}

impl TestOwner {
    pub fn owner(&self) -> Owner {
        Owner {
            address: self.address.clone(),
            device_id: self.device_id.clone(),
        }
    }
}

pub fn spawn_app() -> TestApp {
    spawn_app_with(test_options())
}

pub fn spawn_app_with(options: WebOptions) -> TestApp {
    spawn(options, |core| core)
}

/// [`spawn_app`] with a facade changed by `adjust` (another setting, e.g. a limit).
pub fn spawn_app_adjusted(adjust: Adjust) -> TestApp {
    spawn(test_options(), adjust)
}

/// Changes the facade a test app serves with.
pub type Adjust = fn(Core) -> Core;

fn spawn(options: WebOptions, adjust: Adjust) -> TestApp {
    let db = fresh_database();
    let clock = ManualClock::new(Utc::now());
    let (address, core) = serve_adjusted(db.pool(8), options, clock.clone(), adjust);
    TestApp {
        address,
        db,
        core,
        clock,
    }
}

/// The options `spawn_app` uses.
pub fn test_options() -> WebOptions {
    WebOptions {
        session_key: actix_web::cookie::Key::generate(),
        cookie_secure: false,
        trusted_proxies: Default::default(),
        second_factor: Default::default(),
        body_read_timeout: backbone_admin::web::body::ReadTimeout::default().0,
        did_domain: "localhost".to_owned(),
        platform_name: "Example Platform".to_owned(),
    }
}

/// Starts the real server on `pool` (with the admin [`ADMIN`] created); returns its base
/// URL, the facade and the clock. For tests whose database is not a [`TestDatabase`].
pub fn serve(pool: DbPool, options: WebOptions) -> (String, Core, ManualClock) {
    let clock = ManualClock::new(Utc::now());
    let (address, core) = serve_with_clock(pool, options, clock.clone());
    (address, core, clock)
}

/// Like [`serve`], on a clock of the caller's (several instances may share one).
pub fn serve_with_clock(pool: DbPool, options: WebOptions, clock: ManualClock) -> (String, Core) {
    serve_adjusted(pool, options, clock, |core| core)
}

fn serve_adjusted(
    pool: DbPool,
    options: WebOptions,
    clock: ManualClock,
    adjust: Adjust,
) -> (String, Core) {
    backbone_admin::telemetry::init_with_default("error");
    let core = adjust(Core::new(pool, Arc::new(clock.clone()), Periods::default()));
    let server_core = core.clone();
    let (port_sender, port) = std::sync::mpsc::channel();
    // The server gets its own thread and runtime, so a test may call the (blocking)
    // facade directly without stalling it.
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let settings = ApplicationSettings {
                bind: "127.0.0.1:0".to_owned(),
                web: options,
            };
            let app = Application::build(server_core, settings).expect("server starts");
            port_sender
                .send(app.port())
                .expect("the test waits for the port");
            app.run_until_stopped().await
        })
    });
    let port = port.recv().expect("the server's port");
    if !core
        .accounts()
        .admin_exists(&super::admin_name(ADMIN))
        .expect("admin lookup")
    {
        core.accounts()
            .create_admin(&super::admin_name(ADMIN), PASSWORD)
            .expect("admin created");
    }
    (format!("http://127.0.0.1:{port}"), core)
}

/// Creates an identity with one device signing in as `username`.
pub fn create_owner_with(core: &Core, username: &str) -> TestOwner {
    let password = format!("{username}-secret-pw");
    let created = core
        .identities()
        .create_identity(&super::device_name(username), &password, "test")
        .expect("identity created");
    TestOwner {
        address: created.address,
        device_id: created.device_id,
        username: username.to_owned(),
        password,
    }
}

/// A browser-like client: its own cookie jar, no redirect following.
pub fn browser() -> Client {
    browser_with_jar().0
}

/// [`browser`] and its cookie jar, for copying its cookies into a hand-written request.
pub fn browser_with_jar() -> (Client, Arc<reqwest::cookie::Jar>) {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let client = Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        // Below the server's keep-alive (5 s): a reused connection the server is closing
        // at that moment fails the request ("IncompleteMessage") instead of being retried.
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("client");
    (client, jar)
}

/// The `csrf_token` of the first form on a page.
pub fn csrf_token_in(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("input[name=csrf_token]").expect("selector");
    document
        .select(&selector)
        .next()
        .and_then(|input| input.value().attr("value"))
        .expect("page has a csrf_token field")
        .to_owned()
}

/// The texts of all elements matching `css` in a page.
pub fn texts(html: &str, css: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(css).expect("selector");
    document
        .select(&selector)
        .map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Where a list page's "Next page" link goes, if it has one.
pub fn next_page_link(html: &str) -> Option<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("nav.pager a[rel=next]").expect("selector");
    document
        .select(&selector)
        .next()
        .and_then(|link| link.value().attr("href"))
        .map(str::to_owned)
}

/// POSTs a form to the server at `base` (`http://host:port`) as the browser would: with the
/// CSRF token of the page `form_page`.
pub async fn post_form_at(
    client: &Client,
    base: &str,
    form_page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> Response {
    post_form_with_headers_at(client, base, form_page, path, fields, &[]).await
}

/// [`post_form_at`] with extra request headers on the POST (a proxy's `X-Forwarded-For`).
pub async fn post_form_with_headers_at(
    client: &Client,
    base: &str,
    form_page: &str,
    path: &str,
    fields: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> Response {
    let html = client
        .get(format!("{base}{form_page}"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let token = csrf_token_in(&html);
    let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    let mut request = client.post(format!("{base}{path}")).form(&all);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("POST")
}

pub fn location(response: &Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_html(&self, client: &Client, path: &str) -> (StatusCode, String) {
        let response = self.get(client, path).await;
        let status = response.status();
        (status, response.text().await.expect("body"))
    }

    /// POSTs a form as the browser would: with the CSRF token of the page `form_page`.
    pub async fn post_form(
        &self,
        client: &Client,
        form_page: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        post_form_at(client, &self.address, form_page, path, fields).await
    }

    /// POSTs without going through a page (to test missing or forged tokens).
    pub async fn post_raw(&self, client: &Client, path: &str, fields: &[(&str, &str)]) -> Response {
        client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("POST")
    }

    pub async fn sign_in_admin(&self, client: &Client) -> Response {
        let response = self
            .post_form(
                client,
                "/admin/login",
                "/admin/login",
                &[("username", ADMIN), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "admin sign-in redirects"
        );
        response
    }

    pub async fn sign_in_owner(&self, client: &Client, owner: &TestOwner) -> Response {
        self.post_form(
            client,
            "/login",
            "/login",
            &[
                ("username", owner.username.as_str()),
                ("password", owner.password.as_str()),
            ],
        )
        .await
    }

    pub fn create_owner(&self, username: &str) -> TestOwner {
        create_owner_with(&self.core, username)
    }
}

/// Chooses `lang` with the header's language switch of `page` (as the browser would) and
/// checks that the switch answered with its redirect back to `page`.
pub async fn choose_language(app: &TestApp, client: &Client, page: &str, lang: &str) {
    let response = app
        .post_form(client, page, "/language", &[("lang", lang), ("back", page)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "language switch");
    assert_eq!(location(&response), page);
}

/// A browser whose language cookie asks for German, signed in as the demo admin.
pub async fn german_admin_browser(app: &TestApp) -> Client {
    let (client, jar) = browser_with_jar();
    let url: reqwest::Url = app.url("/").parse().expect("url");
    jar.add_cookie_str("lang=de", &url);
    app.sign_in_admin(&client).await;
    client
}

// ----- one helper per principal --------------------------------------------------------

/// A passphrase the admin password policy accepts; the password of [`create_account`]'s accounts.
pub const STRONG: &str = "plinth gravel otter saxophone";

/// An admin account of `role` made as the command line does (no one-time password).
pub fn create_account(app: &TestApp, username: &str, role: Role) {
    app.core
        .accounts()
        .create_admin_with_role(&super::admin_name(username), role, STRONG)
        .expect("account created");
}

/// Signs the admin `username` in on `client` and checks that it worked.
pub async fn sign_in(app: &TestApp, client: &Client, username: &str, password: &str) {
    let response = app
        .post_form(
            client,
            "/admin/login",
            "/admin/login",
            &[("username", username), ("password", password)],
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{username} signs in"
    );
    let to = location(&response);
    assert!(
        !to.starts_with("/admin/login"),
        "{username} was refused: {to}"
    );
}

/// A browser signed in as the existing admin `username` (password [`STRONG`]).
pub async fn browser_of(app: &TestApp, username: &str) -> Client {
    let client = browser();
    sign_in(app, &client, username, STRONG).await;
    client
}

/// A browser signed in as a new admin account of `role`.
pub async fn browser_as(app: &TestApp, username: &str, role: Role) -> Client {
    create_account(app, username, role);
    browser_of(app, username).await
}

/// A browser signed in as `owner`, on its start page.
pub async fn owner_browser(app: &TestApp, owner: &TestOwner) -> Client {
    let client = browser();
    let response = app.sign_in_owner(&client, owner).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "owner sign-in succeeds"
    );
    assert_eq!(location(&response), "/me");
    client
}
