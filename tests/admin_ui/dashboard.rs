//! The dashboard and the process list.

use crate::common::app::*;
use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn dashboard_and_process_list_show_what_needs_attention() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let waiting = app.create_owner("judy");
    app.core
        .processes()
        .start_as_support(&waiting.address, &admin_username())
        .unwrap();
    let (approved, _) = approved_process(&app, "karl");

    let (status, html) = app.get_html(&client, "/admin").await;
    assert_eq!(status, StatusCode::OK);
    let counts = texts(&html, "#process-counts .stat");
    assert!(
        counts.contains(&"1 WaitingForApproval".to_owned()),
        "{counts:?}"
    );
    assert!(
        counts.contains(&"1 Approved".to_owned()) && counts.contains(&"0 Cancelled".to_owned())
    );
    let identities = texts(&html, "#identity-counts .stat");
    assert!(
        identities.contains(&"1 Active".to_owned())
            && identities.contains(&"1 ToBeDeleted".to_owned())
    );
    assert!(texts(&html, "#waiting tbody")[0].contains(waiting.address.as_str()));
    let upcoming = &texts(&html, "#upcoming tbody")[0];
    assert!(
        upcoming.contains(approved.address.as_str()) && upcoming.contains("(in 14 days)"),
        "{upcoming}"
    );
    assert!(!texts(&html, "#recent tbody tr").is_empty());

    let (_, html) = app
        .get_html(&client, "/admin/deletion-processes?status=Approved")
        .await;
    let rows = texts(&html, "#processes tbody tr");
    assert_eq!(rows.len(), 1);
    assert!(rows[0].contains(approved.address.as_str()));
    let (_, html) = app.get_html(&client, "/admin/deletion-processes").await;
    assert_eq!(texts(&html, "#processes tbody tr").len(), 2);
    let (status, _) = app
        .get_html(&client, "/admin/deletion-processes?status=approved")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// The week rows of the dashboard's chart table: (week, [started, approved, rejected,
/// cancelled, completed]).
fn chart_table(html: &str) -> Vec<(String, Vec<i64>)> {
    let document = scraper::Html::parse_document(html);
    let rows = scraper::Selector::parse("#activity tbody tr").unwrap();
    let cell = scraper::Selector::parse("th, td").unwrap();
    document
        .select(&rows)
        .map(|row| {
            let cells: Vec<String> = row
                .select(&cell)
                .map(|c| c.text().collect::<String>().trim().to_owned())
                .collect();
            let counts = cells[1..].iter().map(|n| n.parse().unwrap()).collect();
            (cells[0].clone(), counts)
        })
        .collect()
}

#[tokio::test]
async fn the_weekly_chart_counts_from_the_audit_log_and_keeps_settled_weeks() {
    use backbone_admin::domain::GraceLength;
    use chrono::{DateTime, Duration};
    use diesel::prelude::*;

    let app = spawn_app();
    // Wednesday 7 October 2026.
    app.clock.set(
        DateTime::parse_from_rfc3339("2026-10-07T10:00:00Z")
            .unwrap()
            .to_utc(),
    );
    let (ann, bob) = (app.create_owner("chart-ann"), app.create_owner("chart-bob"));
    let asked = app
        .core
        .processes()
        .start_as_support(&ann.address, &admin_username())
        .unwrap();
    // Six days later (within the approval period), in the next week.
    app.clock.advance(Duration::days(6));
    app.core
        .processes()
        .reject(&ann.owner(), &asked.id)
        .unwrap();
    let own = app
        .core
        .processes()
        .initiate(&bob.owner(), GraceLength::from_days(30))
        .unwrap();
    app.clock.advance(Duration::weeks(1));

    let client = admin_browser(&app).await;
    let (status, html) = app.get_html(&client, "/admin").await;
    assert_eq!(status, StatusCode::OK);
    let table = chart_table(&html);
    assert_eq!(table.len(), 12);
    assert_eq!(table[9], ("5 Oct".to_owned(), vec![1, 0, 0, 0, 0]));
    assert_eq!(
        table[10],
        ("12 Oct".to_owned(), vec![1, 1, 1, 0, 0]),
        "an owner's own start counts as approved"
    );
    assert_eq!(table[11], ("19 Oct".to_owned(), vec![0, 0, 0, 0, 0]));
    assert_eq!(texts(&html, "#activity svg rect").len(), 60);

    // The settled weeks were kept: one row per kind each, for all eleven.
    let kept: i64 = backbone_admin::schema::weekly_activity::table
        .count()
        .get_result(&mut app.db.connect())
        .unwrap();
    assert_eq!(kept, 11 * 5);
    // The open week is counted live, at most every 30 s.
    app.core.processes().cancel(&bob.owner(), &own.id).unwrap();
    let (_, html) = app.get_html(&client, "/admin").await;
    assert_eq!(
        chart_table(&html)[11].1,
        vec![0, 0, 0, 0, 0],
        "counted 0 s ago"
    );
    app.clock.advance(Duration::seconds(30));
    let (_, html) = app.get_html(&client, "/admin").await;
    assert_eq!(chart_table(&html)[11].1, vec![0, 0, 0, 1, 0]);
}

#[tokio::test]
async fn the_status_counts_are_at_most_30_seconds_old() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let count = |html: &str| texts(html, "#identity-counts .stat");
    let (_, html) = app.get_html(&client, "/admin").await;
    assert!(
        count(&html).contains(&"0 Active".to_owned()),
        "{:?}",
        count(&html)
    );
    app.create_owner("counted-later");
    let (_, html) = app.get_html(&client, "/admin").await;
    assert!(
        count(&html).contains(&"0 Active".to_owned()),
        "counted 0 s ago"
    );
    app.clock.advance(chrono::Duration::seconds(30));
    let (_, html) = app.get_html(&client, "/admin").await;
    assert!(
        count(&html).contains(&"1 Active".to_owned()),
        "{:?}",
        count(&html)
    );
}
