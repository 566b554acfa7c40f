//! What an owner can do: initiate a deletion, approve or reject support's request, cancel
//! an approved deletion. Each action has a confirmation page (a plain GET, so it works
//! without JavaScript) that says the consequence, and a POST that does it through the
//! facade and redirects to `/me` with a flash saying what happened and what comes next.
//! A domain error (say, approving a request support already cancelled) is shown as the
//! styled error page with its message and status; nothing is changed then.

use actix_web::{HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::see_other;
use crate::domain::actions::check_no_open_process;
use crate::domain::{
    Action, DeletionProcess, DeletionProcessId, DomainError, GraceLength, Periods,
};
use crate::facade::{Core, FacadeResult, Owner};
use crate::web::AppState;
use crate::web::auth::{AsOwner, OwnerUser, Visit};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::error::WebError;
use crate::web::format::{date, day};
use crate::web::layout::Layout;

const UNTIL_THEN: &str = "Until then you can still use it and cancel the deletion on your identity page. \
                          After that date you can no longer sign in and its data is removed for good.";

/// A page asking "are you sure?", with the consequence spelled out.
#[derive(Template, WebTemplate)]
#[template(path = "owner/confirm.html")]
pub struct ConfirmPage {
    layout: Layout,
    c: Confirmation,
}

/// What a confirmation page asks, and the form that confirms.
struct Confirmation {
    heading: &'static str,
    consequences: Vec<String>,
    action: String,
    hidden: Vec<(&'static str, String)>,
    confirm_label: &'static str,
    /// Only what deletes data is red.
    destructive: bool,
    back_label: &'static str,
}

impl Confirmation {
    fn page(self, visit: &Visit<OwnerUser>) -> ConfirmPage {
        ConfirmPage {
            layout: visit.layout(self.heading),
            c: self,
        }
    }
}

/// "… will be deleted on <date> (in N days) …" and what the owner can still do until then.
fn deletion_consequences(
    lead: &str,
    deleted: DateTime<Utc>,
    now: DateTime<Utc>,
    tail: &str,
) -> Vec<String> {
    let deleted = date(deleted, now);
    vec![
        format!("{lead} {} ({}){tail}", deleted.text, deleted.relative),
        UNTIL_THEN.to_owned(),
    ]
}

/// The owner's answer to an open process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Approve,
    Reject,
    Cancel,
}

impl Decision {
    /// The last URL segment; anything else is not a page.
    fn parse(segment: &str) -> Result<Self, WebError> {
        match segment {
            "approve" => Ok(Self::Approve),
            "reject" => Ok(Self::Reject),
            "cancel" => Ok(Self::Cancel),
            _ => Err(WebError::NotFound),
        }
    }

    fn segment(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Reject => "reject",
            Self::Cancel => "cancel",
        }
    }

    /// The domain action this decision takes.
    fn action(self) -> Action {
        match self {
            Self::Approve => Action::Approve,
            Self::Reject => Action::Reject,
            Self::Cancel => Action::CancelByOwner,
        }
    }

    fn perform(
        self,
        core: &Core,
        owner: &Owner,
        id: &DeletionProcessId,
    ) -> FacadeResult<DeletionProcess> {
        match self {
            Self::Approve => core.processes().approve(owner, id),
            Self::Reject => core.processes().reject(owner, id),
            Self::Cancel => core.processes().cancel(owner, id),
        }
    }

    fn confirmation(
        self,
        process: &DeletionProcess,
        now: DateTime<Utc>,
        periods: Periods,
    ) -> Confirmation {
        let (heading, consequences, confirm_label, back_label) = match self {
            Self::Approve => (
                "Approve the deletion of your identity?",
                deletion_consequences(
                    "If you approve, your identity will be deleted on",
                    now + periods.grace.duration(),
                    now,
                    " unless you cancel the deletion before.",
                ),
                "Yes, approve the deletion",
                "No, go back",
            ),
            Self::Reject => (
                "Reject the deletion of your identity?",
                vec![
                    "If you reject, support's request is closed and your identity will not be deleted. \
                     It stays exactly as it is."
                        .to_owned(),
                ],
                "Yes, reject the deletion",
                "No, go back",
            ),
            Self::Cancel => {
                let planned = process.grace_period_ends_at.map(day).unwrap_or_default();
                (
                    "Cancel the deletion of your identity?",
                    vec![
                        format!(
                            "If you cancel, your identity will not be deleted on {planned}. It stays active as before."
                        ),
                        "You can start a new deletion later if you change your mind.".to_owned(),
                    ],
                    "Yes, cancel the deletion",
                    "No, keep the deletion",
                )
            }
        };
        Confirmation {
            heading,
            consequences,
            action: format!("/me/deletion-processes/{}/{}", process.id, self.segment()),
            hidden: Vec::new(),
            confirm_label,
            destructive: self == Self::Approve,
            back_label,
        }
    }

    /// The flash after the decision: what happened and what comes next.
    fn outcome(self, process: &DeletionProcess) -> String {
        match self {
            Self::Approve => scheduled("You approved the deletion.", process),
            Self::Reject => "You rejected the deletion. Your identity will not be deleted; \
                             nothing else needs to be done."
                .to_owned(),
            Self::Cancel => {
                "You cancelled the deletion. Your identity will not be deleted and stays active. \
                             You can start a new deletion at any time."
                    .to_owned()
            }
        }
    }
}

/// The flash once a deletion is scheduled: when, and that it can still be undone.
fn scheduled(what: &str, process: &DeletionProcess) -> String {
    format!(
        "{what} Your identity will be deleted on {}. Until then you can cancel the deletion on this page.",
        process.grace_period_ends_at.map(day).unwrap_or_default()
    )
}

fn parse_path(path: &(String, String)) -> Result<(DeletionProcessId, Decision), WebError> {
    let decision = Decision::parse(&path.1)?;
    Ok((DeletionProcessId::parse(&path.0)?, decision))
}

/// GET `/me/deletion-processes/{id}/{approve|reject|cancel}`.
pub async fn confirm_decision(
    owner: AsOwner,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<ConfirmPage, WebError> {
    let (id, decision) = parse_path(&path)?;
    let (visit, process) = owner
        .run(move |core, user| core.processes().process(&user.owner.address, &id))
        .await?;
    // The facade would refuse it; the confirmation page refuses it too, with the same
    // message, rather than ask about something that cannot be done.
    process.check(decision.action(), visit.now)?;
    let confirmation = decision.confirmation(&process, visit.now, state.core.periods());
    Ok(confirmation.page(&visit))
}

/// POST `/me/deletion-processes/{id}/{approve|reject|cancel}`.
pub async fn decide(
    owner: AsOwner,
    path: web::Path<(String, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    let (id, decision) = parse_path(&path)?;
    let (visit, process) = owner
        .run(move |core, user| decision.perform(core, &user.owner, &id))
        .await?;
    visit.session.success(decision.outcome(&process));
    Ok(see_other("/me"))
}

#[derive(Deserialize)]
pub struct GraceField {
    grace_period_days: Option<String>,
}

impl GraceField {
    /// Empty means "the usual length"; anything else must be a whole number of days in range.
    fn parse(&self) -> Result<Option<GraceLength>, DomainError> {
        match self.grace_period_days.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(days) => GraceLength::parse(days).map(Some),
        }
    }
}

/// GET `/me/deletion-processes/new?grace_period_days=`: the confirmation of "Delete my identity".
pub async fn confirm_initiate(
    owner: AsOwner,
    state: web::Data<AppState>,
    query: web::Query<GraceField>,
) -> Result<ConfirmPage, WebError> {
    let grace = query.parse()?;
    let (visit, open) = owner
        .run(|core, user| core.processes().open_process(&user.owner.address))
        .await?;
    check_no_open_process(open.is_some())?;
    let now = visit.now;
    let length = grace.unwrap_or(state.core.periods().grace).duration();
    let confirmation = Confirmation {
        heading: "Delete your identity?",
        consequences: deletion_consequences(
            "If you continue, your identity will be deleted on",
            now + length,
            now,
            ".",
        ),
        action: "/me/deletion-processes".to_owned(),
        hidden: grace
            .map(|g| vec![("grace_period_days", g.days().to_string())])
            .unwrap_or_default(),
        confirm_label: "Yes, delete my identity",
        destructive: true,
        back_label: "No, keep my identity",
    };
    Ok(confirmation.page(&visit))
}

/// POST `/me/deletion-processes`: the owner starts a deletion; it is approved at once.
pub async fn initiate(
    owner: AsOwner,
    CsrfForm(form): CsrfForm<GraceField>,
) -> Result<HttpResponse, WebError> {
    let grace = form.parse()?;
    let (visit, process) = owner
        .run(move |core, user| core.processes().initiate(&user.owner, grace))
        .await?;
    visit.session.success(scheduled(
        "The deletion of your identity has started.",
        &process,
    ));
    Ok(see_other("/me"))
}
