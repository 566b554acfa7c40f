//! The platform's own client library against this server (issue 19): `tests/compat/run.js`
//! drives `@nmshd/transport` 6.60.5 (in-memory storage) through registration, tokens, sync
//! runs and deletion processes, against the real server on real PostgreSQL. What the run
//! needs from the back office (support starting a process, the admin page, the clock) it
//! asks of this harness over its standard input and output. Skipped with a note where Node
//! is missing, except in CI (`.ci/run` installs it).

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use backbone_admin::domain::consumer::{ClientId, ClientSecret};
use backbone_admin::domain::{DeletionProcessId, IdentityAddress};
use backbone_admin::facade::clients::{Clients, DEFAULT_TIER_NAME, NewClient};
use chrono::Duration;
use common::app::*;
use reqwest::Client;

const CLIENT_ID: &str = "compat-app";

fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/compat")
}

/// Whether Node and npm are here; in CI they must be.
fn node_available() -> bool {
    let works = |tool: &str| {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success())
    };
    let found = works("node") && works("npm");
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install nodejs and npm (.ci/run does)"
        );
        eprintln!("note: node/npm not installed; skipping the compat run");
    }
    found
}

/// `npm ci` from the committed lockfile, once per checkout.
fn install_packages(dir: &Path) {
    if dir.join("node_modules/@nmshd/transport").exists() {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .status()
        .expect("npm runs");
    assert!(status.success(), "npm ci in tests/compat");
}

/// The run in progress: its lines come in, answers go out.
struct Run {
    child: Child,
    input: ChildStdin,
    output: Option<BufReader<ChildStdout>>,
}

impl Run {
    fn start(base_url: &str, secret: &str) -> Self {
        let mut child = Command::new("node")
            .arg("run.js")
            .current_dir(project())
            .env("BASE_URL", base_url)
            .env("CLIENT_ID", CLIENT_ID)
            .env("CLIENT_SECRET", secret)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node starts");
        let input = child.stdin.take().expect("stdin");
        let output = Some(BufReader::new(child.stdout.take().expect("stdout")));
        Self {
            child,
            input,
            output,
        }
    }

    /// The next line, read off the async runtime; None at the end.
    async fn next_line(&mut self) -> Option<String> {
        let mut output = self.output.take().expect("one reader");
        let (output, line) = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            let read = output.read_line(&mut line).expect("read the run's output");
            (output, (read > 0).then_some(line))
        })
        .await
        .expect("reader");
        self.output = Some(output);
        line.map(|l| l.trim_end().to_owned())
    }

    fn answer(&mut self, answer: &str) {
        println!("   harness: {answer}");
        writeln!(self.input, "{answer}").expect("answer the run");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_platforms_client_library_works_against_this_server() {
    if !node_available() {
        return;
    }
    install_packages(&project());
    let app = spawn_app();
    let secret = ClientSecret::generate();
    let secret_text = secret.as_str().to_owned();
    Clients::new(app.core.clone())
        .create(NewClient {
            client_id: ClientId::parse(CLIENT_ID).unwrap(),
            secret,
            default_tier: DEFAULT_TIER_NAME.to_owned(),
            max_identities: None,
        })
        .expect("client created");
    let admin = browser();
    app.sign_in_admin(&admin).await;

    // The client derives addresses from the host name it reaches the server by.
    let base_url = app.address.replace("127.0.0.1", "localhost");
    let mut run = Run::start(&base_url, &secret_text);
    let mut transcript = Vec::new();
    while let Some(line) = run.next_line().await {
        println!("{line}");
        if let Some(request) = line.strip_prefix("@@ ") {
            let answer = handle(&app, &admin, request).await;
            run.answer(&answer);
        }
        transcript.push(line);
    }
    let status = run.child.wait().expect("node exits");
    assert!(
        status.success(),
        "the compat run failed (its output is above)"
    );
    assert_eq!(
        transcript.last().map(String::as_str),
        Some("compat run passed")
    );
    assert!(
        transcript
            .iter()
            .any(|l| l.contains("request: POST /connect/token")),
        "the run printed its requests"
    );
}

/// Does what the run asks; "ok <value>" or "fail <why>".
async fn handle(app: &TestApp, admin: &Client, request: &str) -> String {
    let words: Vec<&str> = request.split(' ').collect();
    let result = match words.as_slice() {
        ["identity", address, device] => stored_identity(app, address, device),
        ["start-process", address] => app
            .core
            .processes()
            .start_as_support(&parse_address(address), &admin_username())
            .map(|process| process.id.to_string())
            .map_err(|e| e.to_string()),
        ["admin-page-shows", address, id, status, device] => {
            admin_page_shows(app, admin, address, id, status, device).await
        }
        ["clock-before-grace-end", address, seconds] => {
            let open = app.core.processes().open_process(&parse_address(address));
            match open.ok().flatten().and_then(|p| p.grace_period_ends_at) {
                Some(end) => {
                    app.clock
                        .set(end - Duration::seconds(seconds.parse().unwrap()));
                    Ok(String::new())
                }
                None => Err("no approved process".to_owned()),
            }
        }
        ["advance-clock", seconds] => {
            app.clock
                .advance(Duration::seconds(seconds.parse().unwrap()));
            Ok(String::new())
        }
        _ => Err(format!("unknown request '{request}'")),
    };
    match result {
        Ok(value) => format!("ok {value}"),
        Err(why) => format!("fail {why}"),
    }
}

fn parse_address(text: &str) -> IdentityAddress {
    IdentityAddress::parse(text).expect("the run sends addresses")
}

/// The address as stored for that device, if the device is that identity's.
fn stored_identity(app: &TestApp, address: &str, device: &str) -> Result<String, String> {
    use backbone_admin::schema::devices;
    use diesel::prelude::*;
    let stored: Option<String> = devices::table
        .filter(devices::id.eq(device))
        .select(devices::identity_address)
        .first(&mut app.db.connect())
        .optional()
        .map_err(|e| e.to_string())?;
    match stored {
        Some(stored) if stored == address => Ok(stored),
        other => Err(format!("device {device} belongs to {other:?}")),
    }
}

/// The admin's process page shows `status`, decided by `device`.
async fn admin_page_shows(
    app: &TestApp,
    admin: &Client,
    address: &str,
    id: &str,
    status: &str,
    device: &str,
) -> Result<String, String> {
    let id = DeletionProcessId::parse(id).map_err(|e| e.to_string())?;
    let path = format!("/admin/identities/{address}/deletion-processes/{id}");
    let (code, html) = app.get_html(admin, &path).await;
    let label = format!("{status} by device");
    let fields: Vec<String> = texts(&html, "#process-fields dt, #process-fields dd");
    let decided_by = fields
        .iter()
        .position(|text| text == &label)
        .and_then(|i| fields.get(i + 1));
    let badge = texts(&html, "h1").join(" ");
    if code.is_success() && badge.contains(status) && decided_by.map(String::as_str) == Some(device)
    {
        Ok(String::new())
    } else {
        Err(format!(
            "the page ({code}) shows '{badge}' and {label}: {decided_by:?}"
        ))
    }
}
