//! Admin pages (support staff), all behind admin sign-in except the sign-in page.
//!
//! Every POST answers 303: to the page that shows the outcome as a flash message. A
//! refusal the admin can act on (a rule's 400 or 409, e.g. a conflict from a stale tab)
//! becomes an error flash on the page the admin came from (`web::error::flash_refusal`);
//! anything else (malformed or unknown address or ID, a role that may not, database down)
//! is a styled error page with its status. Confirmation pages refuse as their POST would:
//! with the error page of the refusal the facade's answer names.

mod accounts;
mod activity_chart;
mod api_guide;
mod api_keys;
mod audit;
mod clients;
mod dashboard;
mod identities;
mod login;
mod own_account;
mod presentation;
mod processes;
mod security_events;

use actix_web::{HttpResponse, web};

use super::error::{WebError, flash_refusal};
use super::see_other;
use super::session::TypedSession;
use crate::domain::{DeletionProcessId, DomainError, IdentityAddress};
use crate::facade::read::PageCursor;

/// Rows per page of the identity and process lists.
const PAGE_SIZE: usize = 50;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/admin")
            .route("", web::get().to(dashboard::show))
            .route("/login", web::get().to(login::form))
            .route("/login", web::post().to(login::submit))
            .route(
                "/login/second-factor",
                web::get().to(login::second_factor_form),
            )
            .route(
                "/login/second-factor",
                web::post().to(login::second_factor_submit),
            )
            .route("/logout", web::post().to(login::logout))
            .route("/identities", web::get().to(identities::list))
            .route("/identities/{address}", web::get().to(identities::show))
            // `new` before `{id}`: it is a page, not a process ID.
            .route(
                "/identities/{address}/deletion-processes/new",
                web::get().to(identities::confirm_start),
            )
            .route(
                "/identities/{address}/deletion-processes",
                web::post().to(identities::start),
            )
            .route(
                "/identities/{address}/deletion-processes/{id}",
                web::get().to(processes::show),
            )
            .route(
                "/identities/{address}/deletion-processes/{id}/cancel",
                web::get().to(processes::confirm_cancel),
            )
            .route(
                "/identities/{address}/deletion-processes/{id}/cancel",
                web::post().to(processes::cancel),
            )
            .route("/deletion-processes", web::get().to(processes::list))
            .route("/audit-logs", web::get().to(audit::lookup))
            .route("/api", web::get().to(api_guide::show))
            .configure(account_routes),
    );
}

/// The account pages (`accounts.rs`, administrators), the own-account pages
/// (`own_account.rs`, everyone) and the security-event log.
fn account_routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(managed_account_routes)
        .configure(own_account_routes)
        .route("/security-events", web::get().to(security_events::list));
}

/// Administrators managing the accounts.
fn managed_account_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/clients", web::get().to(clients::list))
        .route("/clients", web::post().to(clients::create))
        .route(
            "/clients/{client_id}/delete",
            web::get().to(clients::confirm_delete),
        )
        .route(
            "/clients/{client_id}/delete",
            web::post().to(clients::delete),
        )
        .route("/accounts", web::get().to(accounts::list))
        .route("/accounts", web::post().to(accounts::create))
        .route("/accounts/{username}", web::get().to(accounts::show))
        .route(
            "/accounts/{username}/api-keys/{key}/revoke",
            web::get().to(api_keys::confirm_revoke_of),
        )
        .route(
            "/accounts/{username}/api-keys/{key}/revoke",
            web::post().to(api_keys::revoke_of),
        )
        .route(
            "/accounts/{username}/role",
            web::get().to(accounts::confirm_role),
        )
        .route(
            "/accounts/{username}/role",
            web::post().to(accounts::change_role),
        )
        .route(
            "/accounts/{username}/disable",
            web::get().to(accounts::confirm_disable),
        )
        .route(
            "/accounts/{username}/disable",
            web::post().to(accounts::disable),
        )
        .route(
            "/accounts/{username}/enable",
            web::post().to(accounts::enable),
        )
        .route(
            "/accounts/{username}/reset-password",
            web::get().to(accounts::confirm_reset),
        )
        .route(
            "/accounts/{username}/reset-password",
            web::post().to(accounts::reset_password),
        );
}

/// Everyone's own account: password and second factor.
fn own_account_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/account", web::get().to(own_account::overview))
        .route("/account/api-keys", web::post().to(api_keys::create))
        .route(
            "/account/api-keys/{key}/revoke",
            web::get().to(api_keys::confirm_revoke_own),
        )
        .route(
            "/account/api-keys/{key}/revoke",
            web::post().to(api_keys::revoke_own),
        )
        .route(
            "/account/password",
            web::get().to(own_account::password_form),
        )
        .route(
            "/account/password",
            web::post().to(own_account::change_password),
        )
        .route(
            "/account/second-factor",
            web::get().to(own_account::second_factor),
        )
        .route(
            "/account/second-factor/enrolment",
            web::post().to(own_account::begin_enrolment),
        )
        .route(
            "/account/second-factor/confirm",
            web::post().to(own_account::confirm_enrolment),
        )
        .route(
            "/account/second-factor/off",
            web::get().to(own_account::confirm_turn_off),
        )
        .route(
            "/account/second-factor/off",
            web::post().to(own_account::turn_off),
        );
}

/// The address in a URL, or a 400 page saying what is wrong with it.
fn parse_address(raw: &str) -> Result<IdentityAddress, WebError> {
    Ok(IdentityAddress::parse_from_path(raw)?)
}

fn parse_process_id(raw: &str) -> Result<DeletionProcessId, WebError> {
    Ok(DeletionProcessId::parse(raw)?)
}

/// An optional query parameter; an empty one (a form's "any" choice) is none.
fn parse_optional<T>(
    raw: Option<&str>,
    parse: fn(&str) -> Result<T, DomainError>,
) -> Result<Option<T>, WebError> {
    Ok(raw.filter(|text| !text.is_empty()).map(parse).transpose()?)
}

fn parse_cursor<C: PageCursor>(after: Option<&str>) -> Result<Option<C>, WebError> {
    parse_optional(after, C::parse)
}

fn identity_url(address: &IdentityAddress) -> String {
    format!("/admin/identities/{address}")
}

fn process_url(address: &IdentityAddress, id: &DeletionProcessId) -> String {
    format!("/admin/identities/{address}/deletion-processes/{id}")
}

/// Links between the pages of a keyset-paginated list, keeping its filters.
pub struct Pager {
    pub first_url: String,
    pub next_url: Option<String>,
    pub is_first: bool,
}

impl Pager {
    fn new(
        path: &str,
        filters: &[(&str, &str)],
        is_first: bool,
        next: Option<&impl PageCursor>,
    ) -> Self {
        Self {
            first_url: list_url(path, filters, None),
            next_url: next.map(|cursor| list_url(path, filters, Some(&cursor.encode()))),
            is_first,
        }
    }
}

/// A list's URL with its filters (empty ones left out) and where the page starts.
fn list_url(path: &str, filters: &[(&str, &str)], after: Option<&str>) -> String {
    let params: Vec<(&str, &str)> = filters
        .iter()
        .copied()
        .filter(|(_, value)| !value.is_empty())
        .chain(after.map(|token| ("after", token)))
        .collect();
    if params.is_empty() {
        return path.to_owned();
    }
    format!(
        "{path}?{}",
        serde_urlencoded::to_string(params).unwrap_or_default()
    )
}

/// Redirects to `back` with the outcome of a POST as a flash: success text, or a refusal
/// the admin can act on ([`flash_refusal`]). Other errors are error pages.
fn redirect_with_outcome<T>(
    session: &TypedSession,
    back: &str,
    outcome: Result<T, WebError>,
    success: impl FnOnce(T) -> String,
) -> Result<HttpResponse, WebError> {
    match outcome {
        Ok(value) => session.success(success(value)),
        Err(error) => flash_refusal(session, error)?,
    }
    Ok(see_other(back))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facade::read::{IdentityCursor, ProcessCursor};
    use chrono::DateTime;

    #[test]
    fn pager_keeps_filters_and_drops_empty_ones() {
        let cursor = IdentityCursor::Newest {
            created_at: DateTime::from_timestamp_micros(1_000_000).unwrap(),
            address: IdentityAddress::parse("did:e:localhost:dids:0123456789abcdef012345").unwrap(),
        };
        let filters = [("q", "al ice"), ("status", "")];
        let pager = Pager::new("/admin/identities", &filters, true, Some(&cursor));
        assert_eq!(pager.first_url, "/admin/identities?q=al+ice");
        assert_eq!(
            pager.next_url.unwrap(),
            "/admin/identities?q=al+ice&after=1000000%7Edid%3Ae%3Alocalhost%3Adids%3A0123456789abcdef012345"
        );
        assert!(pager.is_first);
        let last = Pager::new(
            "/admin/identities",
            &[("status", "")],
            false,
            None::<&IdentityCursor>,
        );
        assert_eq!(
            (last.first_url.as_str(), last.next_url, last.is_first),
            ("/admin/identities", None, false)
        );
    }

    #[test]
    fn empty_filters_mean_any() {
        assert_eq!(parse_cursor::<ProcessCursor>(Some("")).unwrap(), None);
        assert!(matches!(
            parse_cursor::<ProcessCursor>(Some("nonsense")),
            Err(WebError::Domain(_))
        ));
    }
}
