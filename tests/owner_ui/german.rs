//! The owner's pages in German: chosen by the `lang` cookie or by `Accept-Language`.

use crate::common::app::*;
use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn an_owner_who_chose_german_reads_every_step_in_german() {
    let app = spawn();
    let owner = app.create_owner("anna");
    let process = started_by_support(&app, &owner);
    let (client, jar) = browser_with_jar();
    jar.add_cookie_str("lang=de", &app.url("/").parse().expect("url"));
    let response = app.sign_in_owner(&client, &owner).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let (status, html) = app.get_html(&client, "/me").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="de">"#), "{html}");
    assert_eq!(texts(&html, "h1"), ["Meine Identität"]);
    let lead = texts(&html, ".open-process .lead").join(" ");
    assert!(
        lead.contains("Der Support hat am")
            && lead.contains("die Löschung Ihrer Identität gestartet."),
        "{lead}"
    );
    assert!(
        lead.contains("Genehmigen oder lehnen Sie sie bis")
            && lead.contains("(in 7 Tagen) ab. Wenn Sie nichts tun, wird sie dann abgebrochen."),
        "{lead}"
    );
    let notices = texts(&html, ".notice-list li").join(" ");
    assert!(
        notices
            .contains("Der Support hat die Löschung Ihrer Identität gestartet. Bitte genehmigen"),
        "{notices}"
    );

    let path = decision_path(&process.id, "approve");
    let (status, html) = app.get_html(&client, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&html, "h1"), ["Löschung Ihrer Identität genehmigen?"]);
    let consequence = texts(&html, ".confirm .lead").join(" ");
    assert!(
        consequence
            .contains("(in 14 Tagen) gelöscht, sofern Sie die Löschung nicht vorher abbrechen."),
        "{consequence}"
    );

    let response = app.post_form(&client, &path, &path, &[]).await;
    let html = flash_on_me(
        &app,
        &client,
        response,
        "Sie haben die Löschung genehmigt. Ihre Identität wird am",
    )
    .await;
    let lead = texts(&html, ".open-process .lead").join(" ");
    assert!(
        lead.starts_with("Ihre Identität wird am") && lead.ends_with("(in 14 Tagen) gelöscht."),
        "{lead}"
    );
    // The words after a date keep their space (Fluent trims a message's leading blanks).
    assert!(html.contains("(in 14 Tagen)</span> gelöscht."), "{html}");

    let (_, html) = app
        .get_html(&client, &format!("/me/deletion-processes/{}", process.id))
        .await;
    let story = texts(&html, "dl.fields").join(" ");
    assert!(
        story.contains("Gestartet") && story.contains("vom Support"),
        "{story}"
    );
    assert!(
        story.contains(&format!("von Gerät {} (diesem Gerät)", owner.device_id)),
        "{story}"
    );

    let (status, html) = app
        .get_html(
            &client,
            &format!("/me/deletion-processes/{}/receipt", process.id),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&html, "h1"), ["Löschnachweis"]);
    assert!(html.contains("Support, von Ihnen genehmigt"), "{html}");
    let code = texts(&html, ".receipt-code code").join("");

    // Anyone checking the receipt with a German browser gets the answer in German.
    let anonymous = browser();
    let address = owner.address.to_string();
    let response = post_form_with_headers_at(
        &anonymous,
        &app.address,
        "/receipts/verify",
        "/receipts/verify",
        &[("code", code.trim()), ("address", address.as_str())],
        &[("Accept-Language", "de-AT, en;q=0.5")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("body");
    assert!(html.contains(r#"<html lang="de">"#), "{html}");
    let answer = texts(&html, "[aria-labelledby=answer-heading]").join(" ");
    assert!(
        answer.contains("Dieser Nachweis ist echt")
            && answer.contains("Der Löschprozess wurde genehmigt: Die Identität wird gelöscht"),
        "{answer}"
    );
}
