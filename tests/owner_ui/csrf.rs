//! Forms without the right CSRF token are refused.

use crate::helpers::*;
use backbone_admin::domain::ProcessStatus;
use reqwest::StatusCode;

#[tokio::test]
async fn forms_without_the_right_csrf_token_are_refused() {
    let app = spawn();
    let owner = app.create_owner("ivy");
    let process = started_by_support(&app, &owner);
    let client = owner_browser(&app, &owner).await;
    let approve = decision_path(&process.id, "approve");
    for fields in [vec![], vec![("csrf_token", "forged-token")]] {
        for path in [approve.as_str(), "/me/deletion-processes", "/logout"] {
            let response = app.post_raw(&client, path, &fields).await;
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "{path} {fields:?}"
            );
            assert!(
                response
                    .text()
                    .await
                    .unwrap()
                    .contains("did not come from this site")
            );
        }
    }
    assert_eq!(
        process_status(&app, &owner, &process.id),
        ProcessStatus::WaitingForApproval
    );
    assert_eq!(
        app.core
            .processes()
            .processes_of(&owner.address)
            .unwrap()
            .len(),
        1
    );
    let (status, _) = app.get_html(&client, "/me").await;
    assert_eq!(status, StatusCode::OK, "still signed in");
}
