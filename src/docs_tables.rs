//! The tables of `docs/domain.md` that the code already knows (error codes, statuses,
//! actions, periods, audit message keys, roles and permissions, routes), rendered from the
//! code itself.
//!
//! In the document each table sits between `<!-- generated: NAME -->` and
//! `<!-- end generated -->`. `backbone-admin docs-tables` prints them, `--write` rewrites
//! those sections of the file, and `tests/docs_tables.rs` fails when the file differs from
//! what [`render`] gives.

use crate::domain::accounts::{AccountError, Permission, Role};
use crate::domain::{
    Action, DomainError, GraceLength, MessageKey, Periods, ProcessStatus, ReminderSchedule,
};
use crate::web::routes::ROUTES;

/// The document the tables live in, relative to the repository root.
pub const DOCUMENT: &str = "docs/domain.md";
/// The command that brings the document up to date.
pub const FIX_COMMAND: &str = "cargo run -- docs-tables --write";

const END_MARKER: &str = "<!-- end generated -->";

/// Every generated section: its name and its markdown (ending in a newline).
pub fn render() -> Vec<(&'static str, String)> {
    vec![
        ("statuses", statuses()),
        ("actions", actions()),
        ("periods", periods()),
        ("audit", audit_keys()),
        ("errors", errors()),
        ("roles", roles()),
        ("routes", routes()),
    ]
}

/// All sections, each under its marker, as `docs-tables` prints them.
pub fn render_all() -> String {
    render()
        .into_iter()
        .map(|(name, body)| format!("{}\n{body}{END_MARKER}\n", start_marker(name)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn start_marker(name: &str) -> String {
    format!("<!-- generated: {name} -->")
}

/// `document` with each generated section replaced by what the code renders now; an
/// error names a section whose markers are missing.
pub fn update(document: &str) -> Result<String, String> {
    render()
        .into_iter()
        .try_fold(document.to_owned(), |text, (name, body)| {
            replace_section(&text, name, &body)
        })
}

/// The names of the sections of `document` that differ from what the code renders (a
/// missing section counts as differing).
pub fn stale_sections(document: &str) -> Vec<&'static str> {
    render()
        .into_iter()
        .filter(|(name, body)| section(document, name) != Some(body.as_str()))
        .map(|(name, _)| name)
        .collect()
}

/// The text between the markers of section `name`.
fn section<'a>(document: &'a str, name: &str) -> Option<&'a str> {
    section_range(document, name).map(|range| &document[range])
}

/// Where the text between the markers of section `name` is.
fn section_range(document: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let start_marker = format!("{}\n", start_marker(name));
    let start = document.find(&start_marker)? + start_marker.len();
    let end = start + document[start..].find(END_MARKER)?;
    Some(start..end)
}

fn replace_section(document: &str, name: &str, body: &str) -> Result<String, String> {
    let range = section_range(document, name).ok_or_else(|| {
        format!(
            "{DOCUMENT} has no section `{}` … `{END_MARKER}`",
            start_marker(name)
        )
    })?;
    let mut text = document.to_owned();
    text.replace_range(range, body);
    Ok(text)
}

/// A markdown table; `|` inside a cell is escaped.
fn table(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> String {
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    let mut text = line(header.iter().map(|h| (*h).to_owned()).collect());
    text.push_str(&line(header.iter().map(|_| "---".to_owned()).collect()));
    for row in rows {
        text.push_str(&line(row.iter().map(|c| c.replace('|', "\\|")).collect()));
    }
    text
}

fn code(text: &str) -> String {
    format!("`{text}`")
}

fn statuses() -> String {
    table(
        &["status", "open"],
        ProcessStatus::ALL.iter().map(|status| {
            let open = if status.is_open() { "yes" } else { "no" };
            vec![code(status.as_str()), open.to_owned()]
        }),
    )
}

fn actions() -> String {
    table(
        &["action", "taken by"],
        Action::ALL.iter().map(|action| {
            vec![
                code(&format!("{action:?}")),
                format!("{:?}", action.actor()),
            ]
        }),
    )
}

fn periods() -> String {
    let days = |n: u16| format!("{n} days");
    let reminders = |schedule: ReminderSchedule| {
        let days = schedule.days_before_end().map(|d| d.to_string());
        format!("{} days before it ends", days.join(", "))
    };
    let setting = |name: &str| code(name);
    let grace_choice = format!(
        "{}; an owner starting a deletion picks {} to {} days",
        setting("GRACE_PERIOD_DAYS"),
        GraceLength::MIN_DAYS,
        GraceLength::MAX_DAYS
    );
    let rows: [[&str; 3]; 6] = [
        [
            "approval period",
            &days(Periods::DEFAULT_APPROVAL_DAYS),
            &setting("APPROVAL_PERIOD_DAYS"),
        ],
        [
            "approval reminders",
            &reminders(ReminderSchedule::APPROVAL),
            "fixed",
        ],
        [
            "grace period",
            &days(Periods::DEFAULT_GRACE_DAYS),
            &grace_choice,
        ],
        [
            "grace reminders",
            &reminders(ReminderSchedule::GRACE),
            "fixed",
        ],
        [
            "keeping rejected and cancelled processes",
            &days(Periods::DEFAULT_RETENTION_DAYS),
            &setting("RETENTION_DAYS"),
        ],
        [
            "keeping security events",
            &days(Periods::DEFAULT_SECURITY_EVENTS_RETENTION_DAYS),
            &setting("SECURITY_EVENTS_RETENTION_DAYS"),
        ],
    ];
    table(
        &["what", "default", "set by"],
        rows.map(|row| row.map(str::to_owned).to_vec()),
    )
}

fn audit_keys() -> String {
    table(
        &["message key"],
        MessageKey::ALL.iter().map(|key| vec![code(key.as_str())]),
    )
}

fn errors() -> String {
    let domain = DomainError::examples()
        .into_iter()
        .map(|e| (e.code(), e.http_status(), e.message()));
    let accounts = AccountError::examples()
        .into_iter()
        .map(|e| (e.code(), e.http_status(), e.message()));
    table(
        &["code", "HTTP", "message (with sample values)"],
        domain
            .chain(accounts)
            .map(|(c, status, message)| vec![code(c), status.to_string(), message]),
    )
}

fn roles() -> String {
    let mut header = vec!["permission"];
    header.extend(Role::ALL.iter().map(|role| role.as_str()));
    table(
        &header,
        Permission::ALL.into_iter().map(|permission| {
            let mut row = vec![permission.to_string()];
            row.extend(Role::ALL.iter().map(|role| {
                let mark = if role.may(permission) { "yes" } else { "no" };
                mark.to_owned()
            }));
            row
        }),
    )
}

fn routes() -> String {
    table(
        &["method", "path", "who", "for"],
        ROUTES.iter().map(|route| {
            vec![
                route.method.as_str().to_owned(),
                code(route.path),
                route.access.to_string(),
                route.purpose.to_owned(),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "intro\n<!-- generated: errors -->\nold\n<!-- end generated -->\nmiddle\n";

    #[test]
    fn a_section_is_found_and_replaced() {
        assert_eq!(section(SAMPLE, "errors"), Some("old\n"));
        assert_eq!(section(SAMPLE, "roles"), None);
        let replaced = replace_section(SAMPLE, "errors", "new\n").unwrap();
        assert_eq!(
            replaced,
            "intro\n<!-- generated: errors -->\nnew\n<!-- end generated -->\nmiddle\n"
        );
        assert!(replace_section(SAMPLE, "roles", "x").is_err());
    }

    #[test]
    fn the_rendered_sections_are_up_to_date_after_an_update() {
        let all = render_all();
        assert!(stale_sections(&all).is_empty());
        assert_eq!(update(&all).unwrap(), all);
        assert_eq!(stale_sections(SAMPLE).len(), render().len());
    }

    #[test]
    fn tables_escape_bars() {
        let text = table(&["a"], [vec!["x|y".to_owned()]]);
        assert_eq!(text, "| a |\n| --- |\n| x\\|y |\n");
    }
}
