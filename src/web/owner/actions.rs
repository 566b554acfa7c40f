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
use crate::web::i18n::{Arg, Lang, key};
use crate::web::layout::Layout;

/// A page asking "are you sure?", with the consequence spelled out.
#[derive(Template, WebTemplate)]
#[template(path = "owner/confirm.html")]
pub struct ConfirmPage {
    layout: Layout,
    c: Confirmation,
}

/// What a confirmation page asks, and the form that confirms, in the owner's language.
struct Confirmation {
    heading: String,
    consequences: Vec<String>,
    action: String,
    hidden: Vec<(&'static str, String)>,
    confirm_label: String,
    /// Only what deletes data is red.
    destructive: bool,
    back_label: String,
}

impl Confirmation {
    fn page(self, visit: &Visit<OwnerUser>) -> ConfirmPage {
        ConfirmPage {
            layout: visit.layout(self.heading.clone()),
            c: self,
        }
    }
}

/// "… will be deleted on <date> (in N days) …" (message `lead`, which takes `$date` and
/// `$relative`) and what the owner can still do until then.
fn deletion_consequences(
    lead: &str,
    deleted: DateTime<Utc>,
    now: DateTime<Utc>,
    lang: Lang,
) -> Vec<String> {
    let deleted = date(deleted, now, lang);
    vec![
        lang.t_args(
            lead,
            &[
                ("date", Arg::from(deleted.text)),
                ("relative", Arg::from(deleted.relative)),
            ],
        ),
        lang.t("owner-confirm-until-then"),
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
        lang: Lang,
    ) -> Confirmation {
        let (heading, consequences, confirm_label, back_label) = match self {
            Self::Approve => (
                lang.t("owner-confirm-approve-heading"),
                deletion_consequences(
                    key("owner-confirm-approve-consequence"),
                    now + periods.grace.duration(),
                    now,
                    lang,
                ),
                lang.t("owner-confirm-approve-yes"),
                lang.t("owner-confirm-go-back"),
            ),
            Self::Reject => (
                lang.t("owner-confirm-reject-heading"),
                vec![lang.t("owner-confirm-reject-consequence")],
                lang.t("owner-confirm-reject-yes"),
                lang.t("owner-confirm-go-back"),
            ),
            Self::Cancel => (
                lang.t("owner-confirm-cancel-heading"),
                vec![
                    lang.t_args(
                        "owner-confirm-cancel-consequence",
                        &[("day", Arg::from(planned_day(process, lang)))],
                    ),
                    lang.t("owner-confirm-cancel-later"),
                ],
                lang.t("owner-confirm-cancel-yes"),
                lang.t("owner-confirm-cancel-no"),
            ),
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
    fn outcome(self, process: &DeletionProcess, lang: Lang) -> String {
        match self {
            Self::Approve => scheduled(key("owner-flash-approved"), process, lang),
            Self::Reject => lang.t("owner-flash-rejected"),
            Self::Cancel => lang.t("owner-flash-cancelled"),
        }
    }
}

/// The day a process's deletion is planned for ("24 December 2026").
fn planned_day(process: &DeletionProcess, lang: Lang) -> String {
    process
        .grace_period_ends_at
        .map(|at| day(at, lang))
        .unwrap_or_default()
}

/// The flash once a deletion is scheduled: message `what`, then when, and that it can
/// still be undone.
fn scheduled(what: &str, process: &DeletionProcess, lang: Lang) -> String {
    let when = lang.t_args(
        "owner-flash-scheduled",
        &[("day", Arg::from(planned_day(process, lang)))],
    );
    format!("{} {when}", lang.t(what))
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
    let confirmation = decision.confirmation(&process, visit.now, state.core.periods(), visit.lang);
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
    visit
        .session
        .success(decision.outcome(&process, visit.lang));
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
    let lang = visit.lang;
    let length = grace.unwrap_or(state.core.periods().grace).duration();
    let confirmation = Confirmation {
        heading: lang.t("owner-confirm-initiate-heading"),
        consequences: deletion_consequences(
            key("owner-confirm-initiate-consequence"),
            now + length,
            now,
            lang,
        ),
        action: "/me/deletion-processes".to_owned(),
        hidden: grace
            .map(|g| vec![("grace_period_days", g.days().to_string())])
            .unwrap_or_default(),
        confirm_label: lang.t("owner-confirm-initiate-yes"),
        destructive: true,
        back_label: lang.t("owner-confirm-initiate-no"),
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
        key("owner-flash-initiated"),
        &process,
        visit.lang,
    ));
    Ok(see_other("/me"))
}
