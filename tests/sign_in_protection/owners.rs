//! Done-when 11 (owners): at most 10 transitions per identity per hour, and the history
//! pages through every process. (That the deletion job deletes the identity's sessions is
//! `tests/sessions.rs::deleting_an_identity_or_an_admin_deletes_their_sessions`.)

use backbone_admin::domain::{AdminUsername, DeletionProcessId, ProcessStatus};
use chrono::Duration;
use reqwest::{Client, StatusCode};
use std::collections::HashSet;

use crate::common::app::*;

fn admin() -> AdminUsername {
    AdminUsername::parse(ADMIN).unwrap()
}

fn open_process(app: &TestApp, owner: &TestOwner) -> DeletionProcessId {
    app.core
        .processes()
        .processes_of(&owner.address)
        .unwrap()
        .into_iter()
        .find(|p| p.status == ProcessStatus::Approved)
        .expect("an approved process")
        .id
}

#[tokio::test]
async fn the_eleventh_transition_within_an_hour_gets_a_429_page_saying_when() {
    let app = spawn_app();
    let owner = app.create_owner("busy-owner");
    let client = owner_browser(&app, &owner).await;
    let initiate = |client: &Client| {
        let client = client.clone();
        let app = &app;
        async move {
            app.post_form(&client, "/me", "/me/deletion-processes", &[])
                .await
        }
    };
    // Ten transitions: initiate (approved at once) and cancel, five times.
    for round in 0..5 {
        let response = initiate(&client).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "initiate {round}");
        let cancel = format!(
            "/me/deletion-processes/{}/cancel",
            open_process(&app, &owner)
        );
        let response = app.post_form(&client, "/me", &cancel, &[]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "cancel {round}");
        app.clock.advance(Duration::minutes(1));
    }
    let response = initiate(&client).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
    let html = response.text().await.unwrap();
    assert_eq!(texts(&html, "h1"), ["Too many attempts"]);
    let message = texts(&html, ".lead").join(" ");
    assert!(
        message.contains("10 changes") && message.contains("try again after"),
        "{message}"
    );
    assert!(
        app.core
            .processes()
            .open_process(&owner.address)
            .unwrap()
            .is_none(),
        "nothing changed"
    );
    // Support is not limited by the owner's count.
    let support = app
        .core
        .processes()
        .start_as_support(&owner.address, &admin())
        .expect("support may start");
    // An hour after the first transition, the owner may act again.
    app.clock.advance(Duration::minutes(56));
    let client = owner_browser(&app, &owner).await;
    let reject = format!("/me/deletion-processes/{}/reject", support.id);
    let response = app.post_form(&client, "/me", &reject, &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_history_pages_through_120_processes_with_nothing_missing_or_repeated() {
    let app = spawn_app();
    let owner = app.create_owner("long-history");
    let admin = admin();
    let mut created = HashSet::new();
    for _ in 0..120 {
        let process = app
            .core
            .processes()
            .start_as_support(&owner.address, &admin)
            .expect("started");
        app.core
            .processes()
            .reject(&owner.owner(), &process.id)
            .expect("rejected");
        created.insert(process.id.to_string());
        // Rejections count against the owner's hourly limit: at most 9 an hour here.
        app.clock.advance(Duration::minutes(7));
    }
    let client = owner_browser(&app, &owner).await;
    let mut seen = Vec::new();
    let mut page = "/me/deletion-processes".to_owned();
    let mut pages = 0;
    loop {
        let (status, html) = app.get_html(&client, &page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        pages += 1;
        let document = scraper::Html::parse_document(&html);
        let links = scraper::Selector::parse("td a[href^='/me/deletion-processes/']").unwrap();
        for link in document.select(&links) {
            let href = link.value().attr("href").unwrap();
            seen.push(href.rsplit('/').next().unwrap().to_owned());
        }
        match next_page_link(&html) {
            Some(next) => page = next,
            None => break,
        }
    }
    assert!(pages >= 2, "paginated ({pages} pages)");
    assert_eq!(seen.len(), 120, "nothing repeated");
    assert_eq!(seen.iter().cloned().collect::<HashSet<_>>(), created);
}
