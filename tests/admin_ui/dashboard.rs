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
