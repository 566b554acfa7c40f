//! The own-account page: the password policy on the page (Done-when 6) and second-factor
//! enrolment that needs a valid code (Done-when 5, the pages' side).

use backbone_admin::domain::accounts::Role;
use reqwest::StatusCode;

use crate::common::app::*;
use crate::common::stored_account;
use crate::{STRONG, admin_browser, browser_as, text_of, totp_code};

#[actix_web::test]
async fn weak_passwords_are_refused_with_a_reason_and_a_strong_one_is_accepted() {
    let app = spawn_app();
    let admin = admin_browser(&app).await;
    let page = "/admin/account/password";
    let with_username = format!("{ADMIN}2024");
    let refusals = [
        ("password", "at least 12"),
        ("admin-admin-admin", "too easy to guess"),
        (with_username.as_str(), "username"),
        ("x7#Lq9!vRt2", "at least 12"),
    ]
    .map(|(weak, reason)| (PASSWORD, weak, weak, reason));
    // A wrong current password and two different new ones are refused too.
    let others = [
        ("not my password", STRONG, STRONG, "current password"),
        (PASSWORD, STRONG, "something else entirely", "not the same"),
    ];
    for (current, new, repeat, reason) in refusals.into_iter().chain(others) {
        let response = app
            .post_form(
                &admin,
                page,
                page,
                &[("current", current), ("new", new), ("repeat", repeat)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{new}");
        let html = response.text().await.unwrap();
        let error = text_of(&html, "#password-error");
        assert!(error.contains(reason), "{new}: {error}");
        assert!(!html.contains(new) || new == "password", "not echoed");
    }
    let accepted = app
        .post_form(
            &admin,
            page,
            page,
            &[("current", PASSWORD), ("new", STRONG), ("repeat", STRONG)],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let flashes = crate::flashes(&app, &admin, &location(&accepted)).await;
    assert!(
        flashes.iter().any(|f| f.contains("password was changed")),
        "{flashes:?}"
    );
    assert!(crate::common::admin_password_is(&app.core, ADMIN, STRONG));
}

#[actix_web::test]
async fn enrolment_shows_the_uri_and_qr_code_and_turns_on_only_with_a_valid_code() {
    let app = spawn_app();
    let client = browser_as(&app, "enroller", Role::Auditor).await;
    let page = "/admin/account/second-factor";
    let (status, html) = app.get_html(&client, page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("is <strong>off</strong>"));
    let begun = app
        .post_form(&client, page, "/admin/account/second-factor/enrolment", &[])
        .await;
    assert_eq!(begun.status(), StatusCode::SEE_OTHER);
    let response = app.get(&client, page).await;
    assert_eq!(
        response.headers()["cache-control"].to_str().unwrap(),
        "no-store"
    );
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    let html = response.text().await.unwrap();
    let uri = text_of(&html, "#otpauth-uri");
    assert!(uri.starts_with("otpauth://totp/"), "{uri}");
    let grouped = text_of(&html, "#totp-secret");
    assert!(
        grouped
            .split(' ')
            .all(|group| (1..=4).contains(&group.len())),
        "in groups of four: {grouped}"
    );
    let secret = grouped.replace(' ', "");
    assert!(
        uri.contains(&format!("secret={secret}")),
        "{uri} / {secret}"
    );
    // The QR code is inline SVG made of shapes: nothing CSP would block (no script, no
    // style attribute or element, no external reference).
    let svg = &html[html.find("<svg").expect("inline svg")..html.find("</svg>").unwrap()];
    for forbidden in ["<script", "style", "href", "http:", "https:"] {
        assert!(
            !svg.contains(forbidden) || forbidden.starts_with("http") && svg.contains("w3.org"),
            "svg has {forbidden}"
        );
    }
    assert!(texts(&html, "script").is_empty(), "no JavaScript");

    // A wrong code keeps it off and shows the same enrolment again.
    let good = totp_code(&app, &secret);
    let wrong = if good == "000000" { "111111" } else { "000000" };
    let refused = app
        .post_form(
            &client,
            page,
            "/admin/account/second-factor/confirm",
            &[("code", wrong)],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let html = refused.text().await.unwrap();
    assert!(text_of(&html, "#code-error").contains("not correct"));
    assert_eq!(text_of(&html, "#totp-secret").replace(' ', ""), secret);
    assert!(!stored_account(&app.core, "enroller").second_factor);

    let accepted = app
        .post_form(
            &client,
            page,
            "/admin/account/second-factor/confirm",
            &[("code", &good)],
        )
        .await;
    assert_eq!(accepted.status(), StatusCode::OK);
    assert_eq!(
        accepted.headers()["cache-control"].to_str().unwrap(),
        "no-store"
    );
    let html = accepted.text().await.unwrap();
    let codes = texts(&html, "#recovery-codes li");
    assert_eq!(codes.len(), 10, "{codes:?}");
    // The same codes as a text file, without JavaScript or a second request.
    let document = scraper::Html::parse_document(&html);
    let link = document
        .select(&scraper::Selector::parse("#download-codes").unwrap())
        .next()
        .expect("download link");
    assert_eq!(link.value().attr("download"), Some("recovery-codes.txt"));
    let href = link.value().attr("href").unwrap();
    let file = href
        .strip_prefix("data:text/plain;charset=utf-8,")
        .expect("a data URL");
    for code in &codes {
        assert!(
            file.contains(&format!("%0A{}", code.trim())),
            "{code} in {file}"
        );
    }
    assert_eq!(
        texts(&html, ".flash")
            .join(" ")
            .matches("second factor is on")
            .count()
            + texts(&html, "main p")
                .join(" ")
                .matches("second factor is on")
                .count(),
        1,
        "said once"
    );
    let second_factor_on = || stored_account(&app.core, "enroller").second_factor;
    assert!(second_factor_on());
    // Shown once: the page now says it is on, without the codes or the key.
    let (_, html) = app.get_html(&client, page).await;
    assert!(html.contains("is <strong>on</strong>"));
    assert!(html.contains("10 unused recovery codes"));
    assert!(!html.contains(&codes[0]) && !html.contains(&secret));
    let (_, html) = app.get_html(&client, "/admin/account").await;
    assert!(text_of(&html, "dl.fields").contains("Second factor on"));

    // Turning it off asks for the password and a code: either one wrong keeps it on.
    for (password, code, why) in [
        (
            "not the password",
            codes[0].as_str(),
            "the current password is not correct",
        ),
        (crate::STRONG, "000000", "the code is not correct"),
    ] {
        let wrong = app
            .post_form(
                &client,
                "/admin/account/second-factor/off",
                "/admin/account/second-factor/off",
                &[("password", password), ("code", code)],
            )
            .await;
        assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
        let html = wrong.text().await.unwrap();
        assert!(html.to_lowercase().contains(why), "{why}: {html}");
        assert!(second_factor_on());
    }
    let off = app
        .post_form(
            &client,
            "/admin/account/second-factor/off",
            "/admin/account/second-factor/off",
            &[("password", crate::STRONG), ("code", codes[1].as_str())],
        )
        .await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);
    assert!(!second_factor_on());
}
