//! API keys on the account pages: an account creates keys on its own page (`/admin/account`),
//! sees and revokes them there; an administrator sees and revokes any account's keys on that
//! account's page (`/admin/accounts/{username}`, drawn by `accounts.rs` with [`rows`]). A new key is shown once, on the page
//! answering the POST, with `Cache-Control: no-store`; revoking asks for confirmation
//! first (a plain GET page, no JavaScript).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::accounts::{account_url, client_info};
use super::{redirect_with_outcome, see_other};
use crate::domain::AdminUsername;
use crate::domain::accounts::{ApiKeyLifetime, ApiKeyName};
use crate::facade::api_keys::ApiKey;
use crate::web::auth::AsAdmin;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::error::{WebError, flash_refusal};
use crate::web::format::{DateView, date, opt_date};
use crate::web::i18n::{Arg, Lang, key};
use crate::web::layout::Layout;
use crate::web::{BrowserCache, html_page};

const OWN: &str = "/admin/account";

/// The lifetimes the create form offers, in days (the command line takes any 1 to 365),
/// with the message key of each label (given the days as `$count`).
pub const LIFETIME_CHOICES: &[(u16, &str)] = &[
    (7, key("keys-lifetime-days")),
    (30, key("keys-lifetime-days")),
    (90, key("keys-lifetime-days")),
    (180, key("keys-lifetime-days")),
    (365, key("keys-lifetime-year")),
];

/// One key in a key table.
pub struct ApiKeyRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created: DateView,
    pub last_used: Option<DateView>,
    pub expires: DateView,
    /// "active", "expired" or "revoked".
    pub state: &'static str,
    /// The confirmation page of revoking it (live keys only).
    pub revoke_url: Option<String>,
}

impl ApiKeyRow {
    /// The message key of its state, as people read it.
    pub fn state_key(&self) -> &'static str {
        match self.state {
            "revoked" => key("keys-state-revoked"),
            "active" => key("keys-state-active"),
            _ => key("keys-state-expired"),
        }
    }
}

/// The rows of a key table; `page` is the page the keys are listed on (own or the
/// account's), under which their revoke pages are.
pub fn rows(keys: &[ApiKey], page: &str, now: DateTime<Utc>, lang: Lang) -> Vec<ApiKeyRow> {
    keys.iter()
        .map(|key| ApiKeyRow {
            id: key.id,
            name: key.name.clone(),
            prefix: key.prefix.clone(),
            created: date(key.created_at, now, lang),
            last_used: opt_date(key.last_used_at, now, lang),
            expires: date(key.expires_at, now, lang),
            state: if key.revoked_at.is_some() {
                "revoked"
            } else if key.is_live(now) {
                "active"
            } else {
                "expired"
            },
            revoke_url: key
                .is_live(now)
                .then(|| format!("{page}/api-keys/{}/revoke", key.id)),
        })
        .collect()
}

#[derive(Deserialize)]
pub struct CreateForm {
    name: String,
    expires_days: String,
}

#[derive(Template)]
#[template(path = "admin/api_key_shown.html")]
pub struct KeyShownPage {
    layout: Layout,
    name: String,
    key: String,
    expires: DateView,
}

/// Creates a key for the signed-in account and shows it, once.
pub async fn create(
    req: HttpRequest,
    admin: AsAdmin,
    CsrfForm(form): CsrfForm<CreateForm>,
) -> Result<HttpResponse, WebError> {
    let session = admin.session().clone();
    let client = client_info(&req);
    let outcome = admin
        .run(move |core, admin| {
            let name = ApiKeyName::parse(&form.name)?;
            let lifetime = ApiKeyLifetime::parse(&form.expires_days)?;
            core.api_keys()
                .create(&admin.username, &name, lifetime, &client)
        })
        .await;
    let (visit, created) = match outcome {
        Ok(done) => done,
        Err(error) => {
            flash_refusal(&session, error)?;
            return Ok(see_other(OWN));
        }
    };
    session.success_t(
        "keys-created-flash",
        &[("name", Arg::from(created.key.name.as_str()))],
    );
    html_page(
        StatusCode::OK,
        BrowserCache::NoStore,
        KeyShownPage {
            layout: visit.titled("keys-created-title"),
            expires: date(created.key.expires_at, visit.now, visit.lang),
            name: created.key.name,
            key: created.secret.expose().to_owned(),
        },
    )
}

#[derive(Template)]
#[template(path = "admin/api_key_revoke.html")]
pub struct RevokePage {
    layout: Layout,
    /// The account, when it is not the signed-in one.
    username: Option<AdminUsername>,
    name: String,
    prefix: String,
    action: String,
    back: String,
}

/// Where a key's pages are: the own account's, or another account's (administrators).
struct Whose {
    username: Option<AdminUsername>,
}

impl Whose {
    fn page(&self) -> String {
        self.username.as_deref().map_or(OWN.to_owned(), account_url)
    }
}

fn parse_key_id(raw: &str) -> Result<i64, WebError> {
    raw.parse()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(WebError::NotFound)
}

async fn confirm_revoke(admin: AsAdmin, whose: Whose, id: &str) -> Result<HttpResponse, WebError> {
    let id = parse_key_id(id)?;
    let username = whose.username.clone();
    let (visit, key) = admin
        .run(move |core, admin| {
            let owner = username.as_ref().unwrap_or(&admin.username);
            core.api_keys().get(&admin.username, owner, id)
        })
        .await?;
    let page = whose.page();
    html_page(
        StatusCode::OK,
        BrowserCache::Allowed,
        RevokePage {
            layout: visit.titled("keys-revoke-title"),
            username: whose.username,
            name: key.name,
            prefix: key.prefix,
            action: format!("{page}/api-keys/{id}/revoke"),
            back: page,
        },
    )
}

async fn revoke(
    req: HttpRequest,
    admin: AsAdmin,
    whose: Whose,
    id: &str,
) -> Result<HttpResponse, WebError> {
    let id = parse_key_id(id)?;
    let session = admin.session().clone();
    let client = client_info(&req);
    let username = whose.username.clone();
    let outcome = admin
        .run(move |core, admin| {
            let owner = username.as_ref().unwrap_or(&admin.username);
            core.api_keys().revoke(&admin.username, owner, id, &client)
        })
        .await;
    let lang = session.lang();
    redirect_with_outcome(&session, &whose.page(), outcome, |(_, revoked)| {
        lang.t_args(
            "keys-revoked-flash",
            &[
                ("name", Arg::from(revoked.name)),
                ("prefix", Arg::from(revoked.prefix)),
            ],
        )
    })
}

pub async fn confirm_revoke_own(
    admin: AsAdmin,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    confirm_revoke(admin, Whose { username: None }, &path).await
}

pub async fn revoke_own(
    req: HttpRequest,
    admin: AsAdmin,
    path: web::Path<String>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    revoke(req, admin, Whose { username: None }, &path).await
}

pub async fn confirm_revoke_of(
    admin: AsAdmin,
    path: web::Path<(AdminUsername, String)>,
) -> Result<HttpResponse, WebError> {
    let (username, id) = path.into_inner();
    confirm_revoke(
        admin,
        Whose {
            username: Some(username),
        },
        &id,
    )
    .await
}

pub async fn revoke_of(
    req: HttpRequest,
    admin: AsAdmin,
    path: web::Path<(AdminUsername, String)>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    let (username, id) = path.into_inner();
    revoke(
        req,
        admin,
        Whose {
            username: Some(username),
        },
        &id,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn key(revoked: bool, expires_in_days: i64, now: DateTime<Utc>) -> ApiKey {
        ApiKey {
            id: 7,
            username: AdminUsername::parse("ann").unwrap(),
            name: "tickets".into(),
            prefix: "bba_abcdef".into(),
            created_at: now - Duration::days(1),
            last_used_at: None,
            expires_at: now + Duration::days(expires_in_days),
            revoked_at: revoked.then_some(now),
        }
    }

    #[test]
    fn only_live_keys_offer_revoking() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let keys = [key(false, 3, now), key(true, 3, now), key(false, -1, now)];
        let rows = rows(&keys, OWN, now, Lang::En);
        let states: Vec<&str> = rows.iter().map(|r| r.state).collect();
        assert_eq!(states, ["active", "revoked", "expired"]);
        assert_eq!(
            rows[0].revoke_url.as_deref(),
            Some("/admin/account/api-keys/7/revoke")
        );
        assert!(rows[1].revoke_url.is_none() && rows[2].revoke_url.is_none());
    }

    #[test]
    fn key_ids_in_paths_are_positive_numbers() {
        assert_eq!(parse_key_id("12").unwrap(), 12);
        for bad in ["0", "-1", "x", "", "99999999999999999999"] {
            assert!(parse_key_id(bad).is_err(), "{bad}");
        }
    }
}
