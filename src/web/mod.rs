//! The web layer: routes, middleware and the server. Handlers parse input into domain
//! types, check who is signed in, call the facade on the blocking pool, and render a page
//! or redirect with a flash message.

pub mod admin;
pub mod api;
pub mod assets;
pub mod auth;
pub mod body;
pub mod csrf;
pub mod error;
pub mod flash;
pub mod format;
mod health;
pub mod i18n;
mod input_hygiene;
mod language;
pub mod layout;
mod metrics;
pub mod owner;
mod receipts;
pub mod request_id;
mod request_log;
pub mod routes;
mod security;
pub mod session;
pub mod sign_in;
pub mod user_agent;

use std::net::TcpListener;
use std::path::Path;

use actix_session::SessionMiddleware;
use actix_session::config::{BrowserSession, CookieContentSecurity};
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use base64::Engine;
use tracing_actix_web::TracingLogger;

pub use self::metrics::build_metrics_server;
use crate::config::SecondFactorPolicy;
use crate::db::BoxError;
use crate::domain::accounts::{KnownBrowserKey, TrustedProxies};
use crate::facade::Core;
use error::WebError;

/// Largest request body accepted (forms are small); larger ones get a 413.
pub const BODY_LIMIT: usize = 16 * 1024;
const SESSION_COOKIE: &str = "backbone_session";
const BLOCKING_THREADS_PER_WORKER: usize = 8;

/// Shared by every handler.
pub struct AppState {
    pub core: Core,
    /// Whose `X-Forwarded-For` names the client (sign-in throttling, security events).
    pub trusted_proxies: TrustedProxies,
    /// Signs the known-browser cookies (derived from the session key).
    pub known_browsers: KnownBrowserKey,
    /// `ADMIN_2FA`.
    pub second_factor: SecondFactorPolicy,
    pub cookie_secure: bool,
    /// The Consumer API's registration, with `DID_DOMAIN`.
    pub registrations: crate::facade::registration::Registrations,
    /// `PLATFORM_NAME`.
    pub platform_name: std::sync::Arc<str>,
}

/// What the server needs besides the facade.
#[derive(Clone)]
pub struct WebOptions {
    pub session_key: Key,
    pub cookie_secure: bool,
    /// `TRUSTED_PROXIES`.
    pub trusted_proxies: TrustedProxies,
    /// `ADMIN_2FA`.
    pub second_factor: SecondFactorPolicy,
    /// `BODY_READ_TIMEOUT_SECONDS`.
    pub body_read_timeout: std::time::Duration,
    /// `DID_DOMAIN`: the domain of addresses registered through the Consumer API.
    pub did_domain: String,
    /// `PLATFORM_NAME`: what the owners' pages are called by.
    pub platform_name: String,
}

/// The name owners' pages carry when `PLATFORM_NAME` is not set.
pub const DEFAULT_PLATFORM_NAME: &str = "Backbone";

/// Runs blocking work (Diesel, through the facade) on the blocking pool, inside the
/// request's tracing span, mapping both failure layers. The one way handlers leave the
/// async executor; pages behind sign-in go through [`auth::SignedIn::run`], which uses it.
pub async fn blocking<T, E>(
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, WebError>
where
    T: Send + 'static,
    E: Into<WebError> + Send + 'static,
{
    let span = tracing::Span::current();
    web::block(move || span.in_scope(work))
        .await?
        .map_err(Into::into)
}

/// The answer to a successful POST (and to pages that send the browser on): a GET of
/// `location`.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}

/// Whether the browser may keep a page: not when it shows a secret (a one-time password,
/// recovery codes, a second-factor secret) or a form about one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrowserCache {
    Allowed,
    NoStore,
}

/// A page rendered from its template and answered with `status`.
pub fn html_page(
    status: actix_web::http::StatusCode,
    cache: BrowserCache,
    page: impl askama::Template,
) -> Result<HttpResponse, WebError> {
    let body = page
        .render()
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let mut response = HttpResponse::build(status);
    response.content_type("text/html; charset=utf-8");
    if cache == BrowserCache::NoStore {
        response.insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"));
    }
    Ok(response.body(body))
}

/// Builds the HTTP server on an already bound listener (tests bind port 0).
pub fn build_server(
    listener: TcpListener,
    core: Core,
    options: WebOptions,
) -> std::io::Result<Server> {
    // Computed once, here, rather than on the first sign-in of an unknown username.
    let _ = crate::passwords::dummy_password_hash();
    let state = app_state(core, &options);
    let server = HttpServer::new(move || {
        // The cookie holds the CSRF token, flashes and the session ID (`session.rs`); the
        // signed-in session itself is a row the facade keeps (`facade/sessions.rs`).
        let sessions =
            SessionMiddleware::builder(CookieSessionStore::default(), options.session_key.clone())
                .cookie_name(SESSION_COOKIE.to_owned())
                .cookie_secure(options.cookie_secure)
                .cookie_http_only(true)
                .cookie_same_site(SameSite::Strict)
                .cookie_content_security(CookieContentSecurity::Private)
                .session_lifecycle(BrowserSession::default())
                .build();
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(BODY_LIMIT))
            .app_data(web::FormConfig::default().limit(BODY_LIMIT))
            .app_data(body::ReadTimeout(options.body_read_timeout))
            .wrap(from_fn(input_hygiene::reject_control_characters))
            .wrap(ErrorHandlers::new().default_handler(error::style_plain_errors))
            .wrap(security::headers())
            .wrap(from_fn(request_id::respond))
            .wrap(TracingLogger::<request_log::RouteOnly>::new())
            // Probes and static files have no session.
            .service(health::healthz)
            .service(health::readyz)
            .configure(assets::routes)
            // The JSON doors: no session, no cookies (`api/mod.rs`).
            .configure(api::routes)
            .service(
                web::scope("")
                    .wrap(from_fn(layout::keep_frame_for_errors))
                    .wrap(from_fn(security::reject_cross_site))
                    .wrap(sessions)
                    .configure(admin::routes)
                    .configure(owner::routes)
                    .configure(receipts::routes)
                    .configure(language::routes)
                    .route("/", web::get().to(home))
                    .default_service(web::to(not_found)),
            )
    })
    // Blocking work is Diesel waiting on the pool; more threads than connections only add
    // memory (each thread keeps its own malloc arena).
    .worker_max_blocking_threads(BLOCKING_THREADS_PER_WORKER)
    // `serve` handles SIGTERM/SIGINT and the grace period itself (crate::serve).
    .disable_signals()
    .shutdown_timeout(crate::shutdown::MAX_GRACE_SECONDS)
    .listen(listener)?
    .run();
    Ok(server)
}

/// What every handler shares.
fn app_state(core: Core, options: &WebOptions) -> web::Data<AppState> {
    let registrations =
        crate::facade::registration::Registrations::new(core.clone(), &options.did_domain);
    web::Data::new(AppState {
        core,
        trusted_proxies: options.trusted_proxies.clone(),
        known_browsers: KnownBrowserKey::derive(options.session_key.master()),
        second_factor: options.second_factor,
        cookie_secure: options.cookie_secure,
        registrations,
        platform_name: options.platform_name.as_str().into(),
    })
}

async fn home() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", "/me"))
        .finish()
}

async fn not_found() -> Result<HttpResponse, WebError> {
    Err(WebError::NotFound)
}

/// The session key: from `SESSION_KEY` (base64, at least 64 bytes), or generated once and
/// kept in the data directory so sessions survive a restart.
pub fn session_key(configured: Option<&str>, data_dir: &Path) -> Result<Key, BoxError> {
    let engine = base64::engine::general_purpose::STANDARD;
    crate::key_files::configured_or_kept(
        configured,
        "SESSION_KEY (base64 of at least 64 bytes)",
        data_dir,
        "session-key",
        |text| {
            let bytes = engine.decode(text).ok()?;
            Key::try_from(bytes.as_slice()).ok()
        },
        || {
            let key = Key::generate();
            let text = engine.encode(key.master());
            (key, text)
        },
    )
}
