//! `/receipts/verify`: anyone holding a deletion receipt's code and the identity address
//! it was made for learns whether the receipt is genuine and what became of the deletion.
//! Anonymous (no sign-in, no session row), counted per network (`facade::receipts`).

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::error::WebError;
use super::format::{DateView, date};
use super::i18n::{Lang, key};
use super::layout::Layout;
use super::session::TypedSession;
use super::sign_in::client_network;
use super::{AppState, BrowserCache, blocking, html_page};
use crate::facade::receipts::{ProcessOutcome, Verification};

pub const VERIFY: &str = "/receipts/verify";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource(VERIFY)
            .route(web::get().to(form))
            .route(web::post().to(check)),
    );
}

/// The answer, in words.
pub struct Answer {
    genuine: bool,
    process_id: String,
    outcome: String,
    at: Option<DateView>,
}

#[derive(Template)]
#[template(path = "receipts/verify.html")]
pub struct VerifyPage {
    layout: Layout,
    public_key: String,
    code: String,
    address: String,
    answer: Option<Answer>,
}

fn page(
    session: &TypedSession,
    state: &AppState,
    code: String,
    address: String,
    answer: Option<Answer>,
) -> Result<HttpResponse, WebError> {
    let page = VerifyPage {
        layout: Layout::titled(session, key("receipt-verify-title"), None),
        public_key: state.core.receipts().public_key().to_base64url(),
        code,
        address,
        answer,
    };
    // The address typed is personal data: the answer is not kept by the browser's cache.
    html_page(StatusCode::OK, BrowserCache::NoStore, page)
}

pub async fn form(
    session: TypedSession,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    page(&session, &state, String::new(), String::new(), None)
}

#[derive(Deserialize)]
pub struct CheckForm {
    code: String,
    address: String,
}

pub async fn check(
    req: HttpRequest,
    session: TypedSession,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<CheckForm>,
) -> Result<HttpResponse, WebError> {
    let network = client_network(&req, &state.trusted_proxies);
    let core = state.core.clone();
    let (code, address) = (form.code.clone(), form.address.clone());
    let verification = blocking(move || core.receipts().verify(&code, &address, &network)).await?;
    let now = state.core.now();
    page(
        &session,
        &state,
        form.code,
        form.address,
        Some(answer(verification, now, session.lang())),
    )
}

fn answer(verification: Verification, now: chrono::DateTime<chrono::Utc>, lang: Lang) -> Answer {
    let Verification::Genuine {
        process_id,
        outcome,
    } = verification
    else {
        return Answer {
            genuine: false,
            process_id: String::new(),
            outcome: String::new(),
            at: None,
        };
    };
    let (outcome, at) = match outcome {
        ProcessOutcome::WaitingForApproval => (key("receipt-outcome-waiting"), None),
        ProcessOutcome::Approved { deletion_due } => {
            (key("receipt-outcome-approved"), deletion_due)
        }
        ProcessOutcome::Rejected { at } => (key("receipt-outcome-rejected"), Some(at)),
        ProcessOutcome::Cancelled { at } => (key("receipt-outcome-cancelled"), Some(at)),
        ProcessOutcome::Deleting { since } => (key("receipt-outcome-deleting"), Some(since)),
        ProcessOutcome::Deleted { on } => (key("receipt-outcome-deleted"), Some(on)),
        ProcessOutcome::NoRecord => (key("receipt-outcome-no-record"), None),
    };
    Answer {
        genuine: true,
        process_id: process_id.to_string(),
        outcome: lang.t(outcome),
        at: at.map(|at| date(at, now, lang)),
    }
}
