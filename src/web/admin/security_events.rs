//! `/admin/security-events` (administrators and auditors): the security-event log, newest
//! first, keyset-paginated, filtered by kind and account. Owners appear only by the hash of
//! their device username; an owner filter hashes the typed username the same way. A user
//! agent is shown as browser and system (`web::user_agent`), the details as phrases
//! (`details`).

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;
use serde::Deserialize;

use crate::domain::accounts::{Permission, Realm, SecurityEventKind, UsernameKey};
use crate::facade::accounts::{SecurityEvent, SecurityEventCursor, SecurityEventFilter};
use crate::pseudonyms::audit_hash;
use crate::web::auth::AsAdmin;
use crate::web::error::WebError;
use crate::web::format::{DateView, date};
use crate::web::i18n::{Lang, key};
use crate::web::layout::Layout;
use crate::web::user_agent::UserAgentView;

mod details;

const PATH: &str = "/admin/security-events";
/// Events per page.
pub const PAGE_SIZE: i64 = 50;

#[derive(Deserialize)]
pub struct EventsQuery {
    #[serde(default)]
    kind: String,
    /// `admin` or `owner`: which kind of account `account` names.
    #[serde(default)]
    realm: String,
    #[serde(default)]
    account: String,
    after: Option<String>,
}

pub struct EventRow {
    at: DateView,
    kind: &'static str,
    /// A message key: what happened.
    what: &'static str,
    account: String,
    /// Owners are shown by their username's hash (abbreviated).
    owner: bool,
    actor: String,
    network: String,
    user_agent: Option<UserAgentView>,
    /// The details, each in words.
    details: Vec<String>,
}

impl EventRow {
    fn new(event: &SecurityEvent, now: chrono::DateTime<chrono::Utc>, lang: Lang) -> Self {
        let (account, owner) = match &event.account {
            UsernameKey::Admin(name) => (name.clone(), false),
            UsernameKey::Owner(key) if event.account.names_no_account() => (key.clone(), true),
            UsernameKey::Owner(hash) => (format!("{}…", &hash[..hash.len().min(12)]), true),
        };
        Self {
            at: date(event.created_at, now, lang),
            kind: event.kind.as_str(),
            what: kind_key(event.kind),
            account,
            owner,
            actor: event.actor.clone().unwrap_or_default(),
            network: event.client_network.clone().unwrap_or_default(),
            user_agent: UserAgentView::of(event.user_agent.as_deref(), lang),
            details: details::phrases(&event.details, lang),
        }
    }
}

/// The message saying what an event of `kind` is (the same words as
/// [`SecurityEventKind::describe`], in the visitor's language).
pub(super) fn kind_key(kind: SecurityEventKind) -> &'static str {
    match kind {
        SecurityEventKind::SignInSucceeded => key("events-kind-sign-in-succeeded"),
        SecurityEventKind::SignInFailed => key("events-kind-sign-in-failed"),
        SecurityEventKind::SignInThrottled => key("events-kind-sign-in-throttled"),
        SecurityEventKind::SecondFactorFailed => key("events-kind-second-factor-failed"),
        SecurityEventKind::SecondFactorEnrolled => key("events-kind-second-factor-enrolled"),
        SecurityEventKind::SecondFactorTurnedOff => key("events-kind-second-factor-turned-off"),
        SecurityEventKind::RecoveryCodeUsed => key("events-kind-recovery-code-used"),
        SecurityEventKind::PasswordChanged => key("events-kind-password-changed"),
        SecurityEventKind::PasswordReset => key("events-kind-password-reset"),
        SecurityEventKind::AccountCreated => key("events-kind-account-created"),
        SecurityEventKind::AccountDisabled => key("events-kind-account-disabled"),
        SecurityEventKind::AccountEnabled => key("events-kind-account-enabled"),
        SecurityEventKind::RoleChanged => key("events-kind-role-changed"),
        SecurityEventKind::SessionsEnded => key("events-kind-sessions-ended"),
        SecurityEventKind::ApiKeyCreated => key("events-kind-api-key-created"),
        SecurityEventKind::ApiKeyRevoked => key("events-kind-api-key-revoked"),
        SecurityEventKind::ApiKeyRefused => key("events-kind-api-key-refused"),
    }
}

pub struct KindOption {
    value: &'static str,
    /// A message key.
    label: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/security_events.html")]
pub struct SecurityEventsPage {
    layout: Layout,
    kinds: Vec<KindOption>,
    kind: String,
    realm: String,
    account: String,
    rows: Vec<EventRow>,
    first_url: String,
    next_url: Option<String>,
    is_first: bool,
}

fn url(filters: &[(&str, &str)], after: Option<&str>) -> String {
    let params: Vec<(&str, &str)> = filters
        .iter()
        .copied()
        .filter(|(_, value)| !value.is_empty())
        .chain(after.map(|a| ("after", a)))
        .collect();
    if params.is_empty() {
        PATH.to_owned()
    } else {
        format!(
            "{PATH}?{}",
            serde_urlencoded::to_string(params).unwrap_or_default()
        )
    }
}

/// The account typed into the filter: an admin's username, or an owner's device username
/// as the log keeps it (hashed).
fn account_filter(typed: &str, owner: bool) -> Option<UsernameKey> {
    match typed {
        "" => None,
        name if owner => Some(UsernameKey::owner_from_hash(&audit_hash(name))),
        name => Some(UsernameKey::admin(name)),
    }
}

/// A filter that is not valid: the error page says message `key`.
fn bad(key: &'static str) -> WebError {
    WebError::Invalid {
        key,
        args: Vec::new(),
    }
}

/// The kind chosen in the filter (none: every kind).
fn parse_kind(kind: &str) -> Result<Option<SecurityEventKind>, WebError> {
    match kind {
        "" => Ok(None),
        text => Ok(Some(
            SecurityEventKind::parse(text).ok_or_else(|| bad(key("events-bad-kind")))?,
        )),
    }
}

/// Where the page starts (none: the first page).
fn parse_cursor(after: Option<&str>) -> Result<Option<SecurityEventCursor>, WebError> {
    match after {
        None | Some("") => Ok(None),
        Some(text) => Ok(Some(
            SecurityEventCursor::parse(text).ok_or_else(|| bad(key("events-bad-page")))?,
        )),
    }
}

/// The kinds the filter offers.
fn kind_options() -> Vec<KindOption> {
    SecurityEventKind::ALL
        .iter()
        .map(|k| KindOption {
            value: k.as_str(),
            label: kind_key(*k),
        })
        .collect()
}

pub async fn list(
    admin: AsAdmin,
    query: web::Query<EventsQuery>,
) -> Result<SecurityEventsPage, WebError> {
    let EventsQuery {
        kind,
        realm,
        account,
        after,
    } = query.into_inner();
    let account = account.trim().to_owned();
    let kind_filter = parse_kind(&kind)?;
    let cursor = parse_cursor(after.as_deref())?;
    let (typed, owner) = (account.clone(), Realm::parse(&realm) == Some(Realm::Owner));
    // Inside `run`: an owner's username is hashed (100,000 PBKDF2 rounds) only once the
    // session is known to be an admin's.
    let (visit, page) = admin
        .run(move |core, admin| {
            core.accounts()
                .require_permission(&admin.username, Permission::ReadSecurityEvents)?;
            let filter = SecurityEventFilter {
                kind: kind_filter,
                account: account_filter(&typed, owner),
            };
            core.security_events()
                .list_security_events(&admin.username, &filter, cursor, PAGE_SIZE)
        })
        .await?;
    let realm = if realm == "owner" { "owner" } else { "admin" }.to_owned();
    let filters = [
        ("kind", kind.as_str()),
        (
            "realm",
            if account.is_empty() {
                ""
            } else {
                realm.as_str()
            },
        ),
        ("account", account.as_str()),
    ];
    Ok(SecurityEventsPage {
        kinds: kind_options(),
        rows: page
            .events
            .iter()
            .map(|e| EventRow::new(e, visit.now, visit.lang))
            .collect(),
        first_url: url(&filters, None),
        next_url: page.next.map(|c| url(&filters, Some(&c.to_param()))),
        is_first: cursor.is_none(),
        layout: visit.titled("events-title"),
        kind,
        realm,
        account,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_said_as_the_domain_describes_it() {
        for kind in SecurityEventKind::ALL {
            assert_eq!(Lang::En.t(kind_key(*kind)), kind.describe());
            assert_ne!(Lang::De.t(kind_key(*kind)), kind.describe());
        }
    }
}
