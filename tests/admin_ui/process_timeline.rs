//! The process page tells a process as a timeline: what happened (when, by whom) and what
//! comes next (when it is due), in English and German; the full field list is folded away.

use chrono::Duration;

use crate::common::app::*;
use crate::helpers::*;

/// The page's steps of one state (`done`, `next`, `upcoming`): what, then when and by whom.
fn steps(html: &str, state: &str) -> Vec<String> {
    texts(html, &format!("#timeline li.step-{state} .step-what"))
}

fn metas(html: &str, state: &str) -> Vec<String> {
    texts(html, &format!("#timeline li.step-{state} .step-meta"))
}

fn notes(html: &str) -> Vec<String> {
    texts(html, "#timeline .step-note")
}

/// A process support started for a new owner, and its page.
fn waiting_process(app: &TestApp, username: &str) -> (TestOwner, String) {
    let (owner, id) = started_process(app, username);
    let path = process_path(&owner.address, &id);
    (owner, path)
}

#[tokio::test]
async fn a_waiting_request_shows_the_reminders_sent_and_to_come_and_its_deadline() {
    let app = spawn_app();
    let (_, path) = waiting_process(&app, "timeline-wanda");
    // A day later the jobs send the first reminder.
    app.clock.advance(Duration::days(1) + Duration::minutes(1));
    app.core.jobs().run_jobs().expect("jobs");
    let client = admin_browser(&app).await;

    let (_, html) = app.get_html(&client, &path).await;
    assert_eq!(
        steps(&html, "done"),
        [
            "Done: Started by support",
            "Done: Reminder 1 of 3 to approve or reject"
        ]
    );
    let started = &metas(&html, "done")[0];
    assert!(started.contains("(1 day ago)"), "{started}");
    assert!(started.ends_with(&format!("Admin: {ADMIN}")), "{started}");
    assert_eq!(
        steps(&html, "next"),
        ["Reminder 2 of 3 to approve or reject Next"]
    );
    assert_eq!(
        metas(&html, "next").len(),
        1,
        "the next step has its due time"
    );
    assert_eq!(
        steps(&html, "upcoming"),
        [
            "Reminder 3 of 3 to approve or reject Upcoming",
            "End of the approval period Upcoming"
        ]
    );
    let deadline = &metas(&html, "upcoming")[1];
    assert!(deadline.contains("(in 5 days)"), "{deadline}");
    assert_eq!(
        notes(&html),
        ["Without the owner's answer by then, the process is cancelled automatically."]
    );
    // Nothing of the grace period yet; every field is still there, folded away.
    assert!(!html.contains("End of the grace period"));
    assert_eq!(texts(&html, "details > summary"), ["All fields"]);
    assert!(
        texts(&html, "details #process-fields dt").contains(&"Approval period ends".to_owned())
    );
    assert!(html.contains(r#"<ol class="timeline" id="timeline">"#));
}

#[tokio::test]
async fn an_approved_process_shows_who_approved_and_the_way_to_the_deletion() {
    let app = spawn_app();
    let client = admin_browser(&app).await;
    let (owner, id) = approved_process(&app, "timeline-alma");

    let (_, html) = app
        .get_html(&client, &process_path(&owner.address, &id))
        .await;
    assert_eq!(
        steps(&html, "done"),
        ["Done: Started by support", "Done: Approved by the owner"]
    );
    let approved = &metas(&html, "done")[1];
    assert!(
        approved.ends_with(&format!("Owner's device: {}", owner.device_id)),
        "{approved}"
    );
    assert_eq!(
        texts(&html, "#timeline .step-done .step-meta .mono.id"),
        [owner.device_id.to_string()],
        "device IDs never break"
    );
    assert_eq!(
        steps(&html, "next"),
        ["Reminder 1 of 3 before the deletion Next"]
    );
    assert_eq!(
        steps(&html, "upcoming"),
        [
            "Reminder 2 of 3 before the deletion Upcoming",
            "Reminder 3 of 3 before the deletion Upcoming",
            "End of the grace period Upcoming",
            "Start of the deletion Upcoming",
            "Deletion of the identity's data Upcoming"
        ]
    );
    assert!(metas(&html, "upcoming")[2].contains("(in 14 days)"));
    // The approval deadline can no longer matter: it is left out.
    assert!(!html.contains("End of the approval period"));
    assert_eq!(
        texts(&html, "a#cancel-deletion"),
        ["Cancel deletion process"]
    );
}

#[tokio::test]
async fn a_cancelled_process_shows_who_cancelled_it_and_when_it_is_removed() {
    let app = spawn_app();
    let (owner, id) = approved_process(&app, "timeline-carl");
    app.clock.advance(Duration::days(2));
    app.core
        .processes()
        .cancel_as_support(&owner.address, &id, &admin_username())
        .expect("cancelled");
    let client = admin_browser(&app).await;

    let (_, html) = app
        .get_html(&client, &process_path(&owner.address, &id))
        .await;
    assert_eq!(
        steps(&html, "done"),
        [
            "Done: Started by support",
            "Done: Approved by the owner",
            "Done: Cancelled by support"
        ]
    );
    assert!(metas(&html, "done")[2].ends_with(&format!("Admin: {ADMIN}")));
    assert_eq!(
        steps(&html, "next"),
        ["Removal of the finished process Next"]
    );
    assert!(metas(&html, "next")[0].contains("(in 30 days)"));
    assert!(texts(&html, "#timeline li.step-upcoming").is_empty());
    assert!(
        !html.contains("End of the grace period"),
        "no deletion any more"
    );
    assert!(texts(&html, "a#cancel-deletion").is_empty());
}

#[tokio::test]
async fn the_timeline_is_in_german_too() {
    let app = spawn_app();
    let client = german_admin_browser(&app).await;
    let (_, waiting) = waiting_process(&app, "zeitleiste-wanda");
    let (owner, id) = approved_process(&app, "zeitleiste-alma");
    let approved = process_path(&owner.address, &id);
    let (cancelled_owner, cancelled_id) = approved_process(&app, "zeitleiste-carl");
    app.core
        .processes()
        .cancel_as_support(&cancelled_owner.address, &cancelled_id, &admin_username())
        .expect("cancelled");

    let (_, html) = app.get_html(&client, &waiting).await;
    assert_eq!(
        texts(&html, "#timeline-heading"),
        ["Was geschehen ist und was als Nächstes kommt"]
    );
    assert_eq!(steps(&html, "done"), ["Erledigt: Vom Support gestartet"]);
    assert_eq!(
        steps(&html, "next"),
        ["Erinnerung 1 von 3: genehmigen oder ablehnen Als Nächstes"]
    );
    assert!(steps(&html, "upcoming").contains(&"Ende der Genehmigungsfrist Geplant".to_owned()));
    assert!(metas(&html, "next")[0].contains("(in 1 Tag)"), "{html}");
    assert_eq!(texts(&html, "details > summary"), ["Alle Felder"]);

    let (_, html) = app.get_html(&client, &approved).await;
    assert_eq!(steps(&html, "done")[1], "Erledigt: Vom Inhaber genehmigt");
    assert!(metas(&html, "done")[1].contains("Gerät des Inhabers:"));
    assert!(steps(&html, "upcoming").contains(&"Ende der Schonfrist Geplant".to_owned()));
    assert!(
        notes(&html).contains(
            &"Danach gibt es die Identität und diesen Prozess nicht mehr; das Prüfprotokoll behält seine Einträge."
                .to_owned()
        )
    );

    let cancelled = process_path(&cancelled_owner.address, &cancelled_id);
    let (_, html) = app.get_html(&client, &cancelled).await;
    assert_eq!(steps(&html, "done")[2], "Erledigt: Vom Support abgebrochen");
    assert_eq!(
        steps(&html, "next"),
        ["Entfernung des beendeten Prozesses Als Nächstes"]
    );
    assert!(metas(&html, "next")[0].contains("(in 30 Tagen)"));
}
