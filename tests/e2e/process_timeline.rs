//! The admin's process page as a timeline (done, next, upcoming), for a waiting, an
//! approved and a cancelled process, with the full field list folded away; at 1280 and
//! 390 px, each page checked with axe-core and html-validate.

use chrono::Duration;
use fantoccini::Locator;

use crate::browser::{self, NARROW, body_text, capture, screenshot_dir};
use backbone_admin::domain::DeletionProcessId;

use crate::common::app::{ADMIN, PASSWORD, TestApp, TestOwner, admin_username, spawn_app};
use crate::submit_sign_in;

/// A process support started for a new owner (approved by the owner if `approve`).
fn started(app: &TestApp, username: &str, approve: bool) -> (TestOwner, DeletionProcessId) {
    let owner = app.create_owner(username);
    let process = app
        .core
        .processes()
        .start_as_support(&owner.address, &admin_username())
        .expect("start");
    if approve {
        app.core
            .processes()
            .approve(&owner.owner(), &process.id)
            .expect("approve");
    }
    (owner, process.id)
}

fn page((owner, id): &(TestOwner, DeletionProcessId)) -> String {
    format!(
        "/admin/identities/{}/deletion-processes/{id}",
        owner.address
    )
}

/// A narrow screenshot of the whole page (`capture` takes the first screen only), to see
/// the timeline end to end at 390 px.
async fn narrow_full_length(b: &fantoccini::Client, name: &str) {
    b.set_window_size(NARROW.0, NARROW.1).await.expect("resize");
    let height = b
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .expect("height")
        .as_u64()
        .unwrap_or(2000) as u32;
    b.set_window_size(NARROW.0, height + 200)
        .await
        .expect("resize");
    let png = b.screenshot().await.expect("screenshot");
    std::fs::write(
        screenshot_dir().join(format!("{name}-narrow-full.png")),
        png,
    )
    .expect("write screenshot");
    b.set_window_size(browser::DESKTOP.0, browser::DESKTOP.1)
        .await
        .expect("resize back");
}

#[tokio::test]
async fn support_reads_a_process_as_a_timeline() {
    if !browser::available() {
        return;
    }
    let app = spawn_app();
    let waiting = started(&app, "timeline-waiting", false);
    let approved = started(&app, "timeline-approved", true);
    let cancelled = started(&app, "timeline-cancelled", true);
    // A day on: the first reminder went out; support cancels one approved process.
    app.clock.advance(Duration::days(1) + Duration::minutes(1));
    app.core.jobs().run_jobs().expect("jobs");
    app.core
        .processes()
        .cancel_as_support(&cancelled.0.address, &cancelled.1, &admin_username())
        .expect("cancel");

    let b = submit_sign_in(&app, "/admin/login", ADMIN, PASSWORD, "timeline-00-sign-in").await;
    for (path, shot, next) in [
        (&waiting, "timeline-01-waiting", "Reminder 2 of 3"),
        (&approved, "timeline-02-approved", "Reminder 1 of 3 before"),
        (
            &cancelled,
            "timeline-03-cancelled",
            "Removal of the finished",
        ),
    ] {
        b.goto(&app.url(&page(path))).await.expect(shot);
        let step = b
            .find(Locator::Css("#timeline .step-next"))
            .await
            .expect("a next step")
            .text()
            .await
            .expect("text");
        assert!(step.contains(next), "{shot}: {step}");
        capture(&b, shot).await;
        narrow_full_length(&b, shot).await;
    }

    // The full field list opens without JavaScript.
    b.goto(&app.url(&page(&waiting))).await.expect("waiting");
    let fields = b
        .find(Locator::Css("#process-fields"))
        .await
        .expect("fields");
    assert!(!fields.is_displayed().await.expect("shown?"), "folded away");
    b.find(Locator::Css("details.fields-fold > summary"))
        .await
        .expect("summary")
        .click()
        .await
        .expect("open");
    assert!(fields.is_displayed().await.expect("shown?"));
    assert!(body_text(&b).await.contains("Approval reminder 1 sent"));
    capture(&b, "timeline-04-all-fields").await;
    b.close().await.expect("close");
}
