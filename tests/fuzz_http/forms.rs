//! Every field of every form the app serves, empty and over-long, each sent with a valid
//! CSRF token (so that it reaches its handler): never a 5xx. The forms are found by
//! following the links of the pages from the start pages, signed out, as admin and as owner.

use std::collections::{BTreeSet, VecDeque};

use reqwest::{Client, Method};
use scraper::{ElementRef, Html, Selector};

use crate::common::admin_name;
use crate::common::app::{PASSWORD, TestApp, admin_username, browser, spawn_app};

const OVER_LONG: usize = 10_000;
/// Enough to reach every page kind; pagers and filters would go on for ever.
const MAX_PAGES: usize = 80;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Form {
    method: String,
    action: String,
    fields: Vec<(String, String)>,
}

fn select(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

/// A field's value as the browser would send it untouched.
fn default_value(field: ElementRef) -> String {
    if field.value().name() == "select" {
        let option = field
            .select(&select("option[selected]"))
            .chain(field.select(&select("option")))
            .next();
        return option
            .and_then(|o| o.value().attr("value"))
            .unwrap_or_default()
            .to_owned();
    }
    field.value().attr("value").unwrap_or_default().to_owned()
}

fn forms_in(html: &Html) -> Vec<Form> {
    html.select(&select("form"))
        .map(|form| Form {
            method: form.value().attr("method").unwrap_or("get").to_uppercase(),
            action: form.value().attr("action").unwrap_or_default().to_owned(),
            fields: form
                .select(&select("input[name], select[name], textarea[name]"))
                .map(|field| {
                    let name = field.value().attr("name").unwrap_or_default();
                    (name.to_owned(), default_value(field))
                })
                .collect(),
        })
        .collect()
}

fn links_in(html: &Html) -> Vec<String> {
    html.select(&select("a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .filter(|href| href.starts_with('/') && !href.starts_with("/static"))
        .map(str::to_owned)
        .collect()
}

/// Sends `form` with `fields` as a browser would.
async fn submit(app: &TestApp, client: &Client, form: &Form, fields: &[(String, String)]) -> u16 {
    let method = Method::from_bytes(form.method.as_bytes()).expect("method");
    let request = client.request(method.clone(), app.url(&form.action));
    let request = if method == Method::GET {
        request.query(fields)
    } else {
        request.form(fields)
    };
    request.send().await.expect("submit").status().as_u16()
}

/// The forms on the pages reachable from `start`; a GET form's default result is a page too.
async fn crawl(app: &TestApp, client: &Client, start: &[&str]) -> BTreeSet<Form> {
    let mut queue: VecDeque<String> = start.iter().map(|s| (*s).to_owned()).collect();
    let mut seen = BTreeSet::new();
    let mut forms = BTreeSet::new();
    while let Some(page) = queue.pop_front() {
        if seen.len() >= MAX_PAGES || !seen.insert(page.clone()) {
            continue;
        }
        let (status, text) = app.get_html(client, &page).await;
        assert!(status.as_u16() < 500, "GET {page}: {status}");
        let html = Html::parse_document(&text);
        queue.extend(links_in(&html));
        for form in forms_in(&html) {
            if form.method == "GET" {
                let query = serde_urlencoded::to_string(&form.fields).expect("query");
                queue.push_back(format!("{}?{query}", form.action));
            }
            forms.insert(form);
        }
    }
    forms
}

/// Each field of each form, empty and over-long, the others as they were; returns how many
/// were sent.
async fn fuzz_fields(app: &TestApp, client: &Client, forms: &BTreeSet<Form>) -> usize {
    let mut sent = 0;
    for form in forms {
        for i in 0..form.fields.len() {
            // ASCII: percent-encoded, longer text would pass the body limit (413).
            for value in [String::new(), "x".repeat(OVER_LONG)] {
                let mut fields = form.fields.clone();
                fields[i].1 = value;
                let status = submit(app, client, form, &fields).await;
                let (method, action, name) = (&form.method, &form.action, &fields[i].0);
                assert!(
                    status < 500,
                    "{method} {action} with {name} changed: {status}"
                );
                sent += 1;
            }
        }
    }
    sent
}

#[tokio::test]
async fn every_field_of_every_form_empty_or_over_long_is_never_a_server_error() {
    let app = spawn_app();
    let owner = app.create_owner("form-owner");
    app.core
        .processes()
        .start_as_support(&owner.address, &admin_username())
        .expect("start");
    app.core
        .accounts()
        .create_admin(&admin_name("second-admin"), PASSWORD)
        .expect("admin");

    let anonymous = browser();
    let admin = browser();
    app.sign_in_admin(&admin).await;
    let signed_in_owner = browser();
    app.sign_in_owner(&signed_in_owner, &owner).await;
    let address = owner.address.as_str();
    let identity = format!("/admin/identities/{address}");
    let clients = [
        (&anonymous, vec!["/login", "/admin/login"]),
        (
            &admin,
            vec![
                "/admin",
                identity.as_str(),
                "/admin/accounts",
                "/admin/account",
            ],
        ),
        (&signed_in_owner, vec!["/me"]),
    ];
    let (mut forms, mut sent) = (0, 0);
    for (client, start) in clients {
        let found = crawl(&app, client, &start).await;
        forms += found.len();
        sent += fuzz_fields(&app, client, &found).await;
    }
    assert!(forms >= 15, "found only {forms} forms");
    crate::common::report::report(
        "fuzz_http_forms",
        &format!(
            "{forms} forms, every field empty and {OVER_LONG} characters long: {sent} requests, no 5xx"
        ),
    );
}
