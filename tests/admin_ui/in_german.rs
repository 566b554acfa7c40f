//! The dashboard, the process pages and the security-event log in German.

use crate::common::app::*;
use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn support_works_with_deletion_processes_in_german() {
    let app = spawn_app();
    let client = german_admin_browser(&app).await;
    let (approved, id) = approved_process(&app, "german-karl");
    let waiting = app.create_owner("german-judy");

    let (status, html) = app.get_html(&client, "/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="de">"#));
    assert!(
        html.contains("<title>Übersicht · Backbone Admin</title>"),
        "{html}"
    );
    assert!(html.contains("Warten auf die Genehmigung des Inhabers"));
    assert!(html.contains("Kein Prozess wartet auf Genehmigung."));
    assert!(texts(&html, "#upcoming tbody")[0].contains("(in 14 Tagen)"));
    assert!(texts(&html, "#recent .sentence").contains(
        &"Der Inhaber hat den Löschprozess genehmigt; die Schonfrist hat begonnen.".to_owned()
    ));
    assert!(texts(&html, "#activity th").contains(&"Woche ab".to_owned()));

    let process = process_path(&approved.address, &id);
    let (_, html) = app.get_html(&client, &process).await;
    assert_eq!(
        texts(&html, "a#cancel-deletion"),
        ["Löschprozess abbrechen"]
    );
    assert!(texts(&html, "#process-fields dt").contains(&"Schonfrist endet".to_owned()));
    let (_, html) = app.get_html(&client, &format!("{process}/cancel")).await;
    assert!(texts(&html, "h1")[0].ends_with(&format!("Löschprozess {id} abbrechen?")));
    let response = app
        .post_form(
            &client,
            &format!("{process}/cancel"),
            &format!("{process}/cancel"),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = app.get_html(&client, &process).await;
    assert_eq!(
        texts(&html, ".flash-success"),
        [format!(
            "Löschprozess {id} abgebrochen; die Identität ist wieder aktiv, und der Inhaber wurde benachrichtigt."
        )]
    );
    assert!(
        texts(&html, "#audit .sentence")
            .contains(&"Der Support hat den Löschprozess abgebrochen.".to_owned())
    );

    let identity = identity_path(&waiting.address);
    let confirm = format!("{identity}/deletion-processes/new");
    let (_, html) = app.get_html(&client, &confirm).await;
    assert!(
        texts(&html, ".lead")[0]
            .starts_with("Der Inhaber wird gebeten, den Löschprozess innerhalb von 7 Tagen"),
        "{html}"
    );
    app.post_form(
        &client,
        &confirm,
        &format!("{identity}/deletion-processes"),
        &[],
    )
    .await;
    let (_, html) = app.get_html(&client, &identity).await;
    let flash = &texts(&html, ".flash-success")[0];
    assert!(flash.starts_with("Löschprozess "), "{flash}");
    assert!(
        flash.contains("auf die Genehmigung des Inhabers"),
        "{flash}"
    );
    assert!(html.contains("0 von 3 zur Genehmigung, 0 von 3 in der Schonfrist"));

    let (_, html) = app.get_html(&client, "/admin/deletion-processes").await;
    assert_eq!(texts(&html, "h1"), ["Löschprozesse"]);
    let (_, html) = app
        .get_html(
            &client,
            &format!("/admin/audit-logs?address={}", approved.address),
        )
        .await;
    assert!(texts(&html, "#audit th").contains(&"Statusänderung".to_owned()));
    let (status, html) = app.get_html(&client, "/admin/security-events").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        texts(&html, "#events td").contains(&"Angemeldet".to_owned()),
        "{html}"
    );
    let (status, html) = app
        .get_html(&client, "/admin/security-events?kind=Nonsense")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("Der Filter nach Art ist ungültig; bitte wählen Sie erneut."));
}

#[tokio::test]
async fn a_refused_value_says_why_in_german() {
    let app = spawn_app();
    let client = german_admin_browser(&app).await;
    let (status, html) = app
        .get_html(&client, "/admin/audit-logs?address=did:e:nope")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        texts(&html, ".flash-error"),
        [
            "Ungültiger Wert für Identitätsadresse: „did:e:nope“ enthält keinen Teil „:dids:“; \
          eine Adresse sieht so aus: did:e:<Domain>:dids:<22 Hexadezimalzeichen in Kleinbuchstaben>"
        ]
    );
    let page = "/admin/account/password";
    let response = app
        .post_form(
            &client,
            page,
            page,
            &[("current", PASSWORD), ("new", "kurz"), ("repeat", "kurz")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Das Passwort wird nicht angenommen: verwenden Sie mindestens 12 Zeichen (dieses hat 4)."),
        "{html}"
    );
}
