//! The Consumer API's OAuth clients (administrators only): the list, creating a client
//! (its secret is generated and shown once), and deleting one after a confirmation. The
//! facade checks the role (`facade::clients`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{redirect_with_outcome, see_other};
use crate::domain::accounts::Permission;
use crate::domain::consumer::{ClientId, ClientSecret};
use crate::facade::clients::{ClientSummary, Clients, DEFAULT_TIER_NAME, NewClient};
use crate::web::auth::AsAdmin;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::error::{WebError, flash_refusal};
use crate::web::format::{DateView, date};
use crate::web::i18n::{Arg, key};
use crate::web::layout::Layout;
use crate::web::{BrowserCache, html_page};

const LIST: &str = "/admin/clients";

pub struct ClientRow {
    client_id: String,
    default_tier: String,
    max_identities: Option<i32>,
    identities: i64,
    created: DateView,
}

#[derive(Template)]
#[template(path = "admin/clients.html")]
pub struct ClientsPage {
    layout: Layout,
    rows: Vec<ClientRow>,
    default_tier: &'static str,
}

pub async fn list(admin: AsAdmin) -> Result<HttpResponse, WebError> {
    let (visit, clients) = admin
        .run(|core, admin| Clients::new(core.clone()).list_as(&admin.username))
        .await?;
    let rows = clients
        .into_iter()
        .map(|c: ClientSummary| ClientRow {
            client_id: c.client_id.to_string(),
            default_tier: c.default_tier,
            max_identities: c.max_identities,
            identities: c.identities,
            created: date(c.created_at, visit.now, visit.lang),
        })
        .collect();
    html_page(
        StatusCode::OK,
        BrowserCache::Allowed,
        ClientsPage {
            layout: visit.titled("clients-title"),
            rows,
            default_tier: DEFAULT_TIER_NAME,
        },
    )
}

#[derive(Deserialize)]
pub struct CreateForm {
    client_id: String,
    default_tier: String,
    /// Empty: no limit.
    max_identities: String,
}

#[derive(Template)]
#[template(path = "admin/client_secret_shown.html")]
pub struct SecretPage {
    layout: Layout,
    client_id: String,
    secret: String,
}

fn parse_limit(text: &str) -> Result<Option<i32>, WebError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i32>() {
        Ok(max) if max >= 0 => Ok(Some(max)),
        _ => Err(WebError::Invalid {
            key: key("clients-limit-invalid"),
            args: Vec::new(),
        }),
    }
}

/// Creates a client with a generated secret and shows the secret, once (never cached).
pub async fn create(
    admin: AsAdmin,
    CsrfForm(form): CsrfForm<CreateForm>,
) -> Result<HttpResponse, WebError> {
    let session = admin.session().clone();
    let secret = ClientSecret::generate();
    let shown = secret.as_str().to_owned();
    let parsed = ClientId::parse(form.client_id.trim())
        .map_err(WebError::from)
        .and_then(|id| Ok((id, parse_limit(&form.max_identities)?)));
    let (client_id, max_identities) = match parsed {
        Ok(parsed) => parsed,
        Err(error) => {
            flash_refusal(&session, error)?;
            return Ok(see_other(LIST));
        }
    };
    let new = NewClient {
        client_id: client_id.clone(),
        secret,
        default_tier: form.default_tier.trim().to_owned(),
        max_identities,
    };
    let outcome = admin
        .run(move |core, admin| Clients::new(core.clone()).create_as(&admin.username, new))
        .await;
    let visit = match outcome {
        Ok((visit, ())) => visit,
        Err(error) => {
            flash_refusal(&session, error)?;
            return Ok(see_other(LIST));
        }
    };
    session.success_t(
        "clients-created-flash",
        &[("client", Arg::from(client_id.to_string()))],
    );
    html_page(
        StatusCode::OK,
        BrowserCache::NoStore,
        SecretPage {
            layout: visit.titled("clients-created-title"),
            client_id: client_id.to_string(),
            secret: shown,
        },
    )
}

#[derive(Template)]
#[template(path = "admin/client_delete_confirm.html")]
pub struct ConfirmDeletePage {
    layout: Layout,
    client_id: String,
}

pub async fn confirm_delete(
    admin: AsAdmin,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let client_id = ClientId::parse(&path)?;
    let (visit, ()) = admin
        .run(move |core, admin| {
            core.accounts()
                .require_permission(&admin.username, Permission::ManageAccounts)?;
            if Clients::new(core.clone()).exists(&client_id)? {
                Ok(())
            } else {
                Err(crate::domain::DomainError::RecordNotFound("client").into())
            }
        })
        .await?;
    html_page(
        StatusCode::OK,
        BrowserCache::Allowed,
        ConfirmDeletePage {
            layout: visit.titled("clients-delete-title"),
            client_id: path.into_inner(),
        },
    )
}

pub async fn delete(
    admin: AsAdmin,
    path: web::Path<String>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    let client_id = ClientId::parse(&path)?;
    let session = admin.session().clone();
    let shown = client_id.to_string();
    let outcome = admin
        .run(move |core, admin| Clients::new(core.clone()).delete_as(&admin.username, &client_id))
        .await;
    let lang = session.lang();
    redirect_with_outcome(&session, LIST, outcome, |_| {
        lang.t_args("clients-deleted-flash", &[("client", Arg::from(shown))])
    })
}
