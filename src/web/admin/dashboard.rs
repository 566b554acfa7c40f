//! The dashboard: what needs attention today.

use askama::Template;
use askama_web::WebTemplate;

use super::activity_chart::ActivityChart;
use super::presentation::{AuditRow, ProcessRow};
use crate::domain::{IdentityStatus, ProcessStatus};
use crate::web::auth::AsAdmin;
use crate::web::error::WebError;
use crate::web::layout::Layout;

/// Rows in each of the dashboard's lists.
const LIST_LIMIT: i64 = 10;

#[derive(Template, WebTemplate)]
#[template(path = "admin/dashboard.html")]
pub struct DashboardPage {
    layout: Layout,
    process_counts: Vec<(ProcessStatus, i64)>,
    identity_counts: Vec<(IdentityStatus, i64)>,
    waiting: Vec<ProcessRow>,
    upcoming: Vec<ProcessRow>,
    recent: Vec<AuditRow>,
    chart: ActivityChart,
}

/// A count for every status, zero for those without rows.
fn counts<S: Copy + PartialEq>(all: &[S], found: &[(S, i64)]) -> Vec<(S, i64)> {
    all.iter()
        .map(|status| {
            (
                *status,
                found
                    .iter()
                    .find(|(s, _)| s == status)
                    .map_or(0, |(_, n)| *n),
            )
        })
        .collect()
}

pub async fn show(admin: AsAdmin) -> Result<DashboardPage, WebError> {
    let (visit, (dashboard, activity)) = admin
        .run(|core, _| {
            let statistics = core.statistics();
            Ok((
                statistics.dashboard(LIST_LIMIT)?,
                statistics.weekly_activity()?,
            ))
        })
        .await?;
    let now = visit.now;
    let lang = visit.lang;
    Ok(DashboardPage {
        layout: visit.titled("dashboard-title"),
        process_counts: counts(ProcessStatus::ALL, &dashboard.by_status.processes),
        identity_counts: counts(IdentityStatus::ALL, &dashboard.by_status.identities),
        waiting: ProcessRow::all(&dashboard.waiting_for_approval, now, lang),
        upcoming: ProcessRow::all(&dashboard.upcoming_deletions, now, lang),
        recent: AuditRow::all(&dashboard.recent_audit, now, lang),
        chart: ActivityChart::new(&activity, lang),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_counted() {
        let found = [(IdentityStatus::ToBeDeleted, 3)];
        assert_eq!(
            counts(IdentityStatus::ALL, &found),
            [
                (IdentityStatus::Active, 0),
                (IdentityStatus::ToBeDeleted, 3),
                (IdentityStatus::Deleting, 0)
            ]
        );
    }
}
