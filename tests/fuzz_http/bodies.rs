//! Bodies that are not the form a page expects, and bodies that trickle in (issue 17,
//! section 3): answered 415, 400 or 408 with the styled error page before any handler runs.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use backbone_admin::web::WebOptions;
use reqwest::Client;
use reqwest::cookie::CookieStore;

use crate::common::app::{
    TestApp, TestOwner, admin_username, browser_with_jar, csrf_token_in, spawn_app_with,
    test_options,
};
use crate::every_route;

/// The body-read deadline of these tests' apps.
const DEADLINE: Duration = Duration::from_secs(1);
/// How late a 408 may come on this shared, busy machine.
const SLACK: Duration = Duration::from_secs(4);

fn quick_deadline() -> WebOptions {
    WebOptions {
        body_read_timeout: DEADLINE,
        ..test_options()
    }
}

/// An owner signed in: the client, and its `Cookie` header for hand-written requests.
async fn signed_in(app: &TestApp, owner: &TestOwner) -> (Client, String) {
    let (client, jar) = browser_with_jar();
    let response = app.sign_in_owner(&client, owner).await;
    assert_eq!(response.status().as_u16(), 303, "owner signed in");
    let url = app.url("/").parse().expect("url");
    let cookie = jar.cookies(&url).expect("session cookie");
    (client, cookie.to_str().expect("ascii").to_owned())
}

fn assert_error_page(status: u16, html: &str, what: &str) {
    assert!(
        html.contains(&format!("<p class=\"status-code\">{status}</p>")),
        "{what}: the styled {status} page, got:\n{html}"
    );
}

#[tokio::test]
async fn an_owners_post_that_is_not_a_form_is_refused_before_its_handler() {
    let app = spawn_app_with(quick_deadline());
    let owner = app.create_owner("typed-owner");
    let (client, _) = signed_in(&app, &owner).await;
    let (_, page) = app.get_html(&client, "/me/deletion-processes/new").await;
    let token = csrf_token_in(&page);
    let form = format!("csrf_token={token}&grace_period_days=14");
    let json = format!("{{\"csrf_token\":\"{token}\",\"grace_period_days\":14}}");
    let multipart = format!(
        "--b\r\ncontent-disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n--b--\r\n"
    );
    let cases = [
        (Some("text/plain"), format!("{form}&note=a\0b"), 400),
        (Some("text/plain"), format!("{form}&note=a%00b"), 415),
        (Some("text/plain"), form.clone(), 415),
        (Some("application/json"), json.clone(), 415),
        (Some("application/json"), json.replace("14", "14\0"), 400),
        (Some("multipart/form-data; boundary=b"), multipart, 415),
        (None, form.clone(), 415),
        (None, format!("{form}&note=\u{1b}[31m"), 400),
    ];
    for (content_type, body, expected) in cases {
        let mut request = client.post(app.url("/me/deletion-processes")).body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.expect("POST");
        let status = response.status().as_u16();
        let html = response.text().await.expect("page");
        assert_eq!(status, expected, "{content_type:?}");
        assert_error_page(status, &html, &format!("{content_type:?}"));
    }
    let open = app
        .core
        .processes()
        .open_process(&owner.address)
        .expect("lookup");
    assert!(open.is_none(), "none of them started a deletion");

    // The same fields as the form they are: the deletion starts.
    let response = client
        .post(app.url("/me/deletion-processes"))
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        )
        .body(form)
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status().as_u16(), 303);
    assert!(
        app.core
            .processes()
            .open_process(&owner.address)
            .expect("lookup")
            .is_some()
    );
}

/// What a hand-written request got back.
struct Answer {
    status: u16,
    text: String,
    /// When the answer began to arrive, and how long after the request head.
    at: Instant,
    after: Duration,
    /// The server closed the connection after answering.
    closed: bool,
}

/// Sends `head` (which promises more body than will come), then `body` a byte every
/// `pause`, and reads the answer.
fn trickle(base: &str, head: &str, body: &[u8], pause: Duration) -> Answer {
    let mut stream = TcpStream::connect(base.trim_start_matches("http://")).expect("connect");
    stream
        .set_read_timeout(Some(DEADLINE + SLACK * 3))
        .expect("read timeout");
    stream.write_all(head.as_bytes()).expect("head");
    let started = Instant::now();
    let mut writer = stream.try_clone().expect("clone");
    let body = body.to_vec();
    let drip = std::thread::spawn(move || {
        for byte in body {
            if writer.write_all(&[byte]).is_err() {
                return;
            }
            std::thread::sleep(pause);
        }
    });
    let mut first = [0u8; 16 * 1024];
    let n = stream.read(&mut first).expect("an answer");
    let at = Instant::now();
    let mut rest = Vec::new();
    let closed = stream.read_to_end(&mut rest).is_ok();
    let _ = stream.shutdown(Shutdown::Both);
    drip.join().expect("drip");
    let text = String::from_utf8_lossy(&first[..n]).into_owned() + &String::from_utf8_lossy(&rest);
    Answer {
        status: text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0),
        text,
        at,
        after: at - started,
        closed,
    }
}

/// A request head whose body is framed by `Content-Length: 100` or, `chunked`, as chunks.
fn head(
    method: &str,
    path: &str,
    cookie: &str,
    content_type: Option<&str>,
    chunked: bool,
) -> String {
    let framing = if chunked {
        "transfer-encoding: chunked"
    } else {
        "content-length: 100"
    };
    let content_type = content_type
        .map(|t| format!("content-type: {t}\r\n"))
        .unwrap_or_default();
    format!(
        "{method} {path} HTTP/1.1\r\nhost: localhost\r\ncookie: {cookie}\r\n{content_type}{framing}\r\n\r\n"
    )
}

fn assert_cut_off(answer: &Answer, what: &str) {
    assert_eq!(answer.status, 408, "{what}: {}", answer.text);
    assert_error_page(408, &answer.text, what);
    assert!(
        answer.after >= DEADLINE - Duration::from_millis(50) && answer.after <= DEADLINE + SLACK,
        "{what}: answered after {:?}",
        answer.after
    );
    assert!(answer.closed, "{what}: connection closed after the 408");
}

#[tokio::test]
async fn a_body_that_trickles_in_is_cut_off_with_408_at_the_deadline() {
    let app = spawn_app_with(quick_deadline());
    let owner = app.create_owner("trickling-owner");
    let (_, cookie) = signed_in(&app, &owner).await;
    let form = Some("application/x-www-form-urlencoded");
    let cases = [
        (
            "a few bytes, then nothing",
            form,
            false,
            "csrf_token=",
            Duration::ZERO,
        ),
        (
            "a byte every 200 ms",
            form,
            false,
            "csrf_token=abcdefghij",
            Duration::from_millis(200),
        ),
        (
            "text/plain",
            Some("text/plain"),
            false,
            "hello",
            Duration::ZERO,
        ),
        (
            "chunks",
            form,
            true,
            "5\r\ncsrf_",
            Duration::from_millis(100),
        ),
    ];
    for (what, content_type, chunked, body, pause) in cases {
        let head = head(
            "POST",
            "/me/deletion-processes",
            &cookie,
            content_type,
            chunked,
        );
        let base = app.address.clone();
        let answer =
            tokio::task::spawn_blocking(move || trickle(&base, &head, body.as_bytes(), pause))
                .await
                .expect("trickle");
        assert_cut_off(&answer, what);
    }
    assert!(
        app.core
            .processes()
            .open_process(&owner.address)
            .expect("lookup")
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_bodies_on_every_route_hold_nothing_and_end_in_408() {
    let app = spawn_app_with(quick_deadline());
    let owner = app.create_owner("slow-owner");
    let process = app
        .core
        .processes()
        .start_as_support(&owner.address, &admin_username())
        .expect("start");
    let (client, cookie) = signed_in(&app, &owner).await;
    let types = [
        Some("application/x-www-form-urlencoded"),
        Some("text/plain"),
        Some("application/json"),
        None,
    ];
    let routes = every_route(owner.address.as_str(), process.id.as_str());
    let mut trickles = Vec::new();
    for (i, (path, post)) in routes.into_iter().enumerate() {
        let method = if post { "POST" } else { "GET" };
        let chunked = i % 2 == 1;
        let head = head(method, &path, &cookie, types[i % types.len()], chunked);
        let base = app.address.clone();
        let body: &[u8] = if chunked { b"3\r\nq=1" } else { b"q=1" };
        let what = format!(
            "{method} {path} {:?} chunked: {chunked}",
            types[i % types.len()]
        );
        let handle = std::thread::spawn(move || trickle(&base, &head, body, Duration::ZERO));
        trickles.push((what, handle));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let response = client.get(app.url("/me")).send().await.expect("GET /me");
    assert_eq!(response.status().as_u16(), 200);
    let answered = Instant::now();
    for (what, handle) in trickles {
        let answer = handle.join().expect("trickle");
        assert_cut_off(&answer, &what);
        assert!(
            answered < answer.at,
            "{what}: /me was answered while it waited"
        );
    }
}
