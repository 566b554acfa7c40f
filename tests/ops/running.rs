//! The real binary, started as an operator would start it: `backbone-admin serve` in a
//! directory of our choosing, with its environment, logging JSON to stderr.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

use crate::common::app::post_form_at;

/// Path of the binary under test.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_backbone-admin"))
}

/// A directory of its own under the system's temporary directory (short, so that a
/// PostgreSQL socket fits in it), removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(what: &str) -> Self {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("bbops-{what}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `serve`.
pub struct Running {
    child: Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<Vec<String>>>,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// `127.0.0.1:PORT` of the metrics listener, when on.
    pub metrics: Option<String>,
}

/// Starts `program serve` in `dir` with `env` (on top of: BIND and METRICS_BIND on free
/// ports, JSON logs, COOKIE_SECURE=false) and waits until it listens.
pub fn serve(program: &Path, dir: &Path, env: &[(&str, &str)]) -> Running {
    let mut command = Command::new(program);
    command
        .arg("serve")
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("DATA_DIR")
        .env("BIND", "127.0.0.1:0")
        .env("METRICS_BIND", "127.0.0.1:0")
        .env("LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .env("COOKIE_SECURE", "false")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("start the binary");
    let stdout = Arc::new(Mutex::new(String::new()));
    let stderr = Arc::new(Mutex::new(Vec::new()));
    let out = child.stdout.take().expect("stdout");
    let sink = Arc::clone(&stdout);
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let mut all = sink.lock().unwrap();
            all.push_str(&line);
            all.push('\n');
        }
    });
    let err = child.stderr.take().expect("stderr");
    let sink = Arc::clone(&stderr);
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    let mut running = Running {
        child,
        stdout,
        stderr,
        base: String::new(),
        metrics: None,
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    let wants_metrics = env
        .iter()
        .find(|(k, _)| *k == "METRICS_BIND")
        .is_none_or(|(_, v)| !v.is_empty());
    loop {
        if running.base.is_empty() {
            running.base = running
                .logged_address("serving")
                .map(|a| format!("http://{a}"))
                .unwrap_or_default();
        }
        if wants_metrics && running.metrics.is_none() {
            running.metrics = running.logged_address("metrics at /metrics");
        }
        if !running.base.is_empty() && (!wants_metrics || running.metrics.is_some()) {
            return running;
        }
        if let Some(status) = running.child.try_wait().expect("poll the binary") {
            panic!(
                "serve exited early ({status}):\n{}\n{}",
                running.stdout(),
                running.stderr_lines().join("\n")
            );
        }
        assert!(
            Instant::now() < deadline,
            "serve did not start listening:\n{}",
            running.stderr_lines().join("\n")
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Running {
    pub fn pid(&self) -> i32 {
        i32::try_from(self.child.id()).expect("pid")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn port(&self) -> u16 {
        self.base.rsplit(':').next().unwrap().parse().unwrap()
    }

    pub fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    pub fn stderr_lines(&self) -> Vec<String> {
        self.stderr.lock().unwrap().clone()
    }

    /// The log lines, each parsed as JSON (panics on a line that is not).
    pub fn json_lines(&self) -> Vec<Value> {
        self.stderr_lines()
            .iter()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("log line is not JSON ({e}): {line}"))
            })
            .collect()
    }

    fn logged_address(&self, message: &str) -> Option<String> {
        self.stderr_lines().iter().find_map(|line| {
            let value: Value = serde_json::from_str(line).ok()?;
            (value["fields"]["message"] == message)
                .then(|| value["fields"]["address"].as_str().map(str::to_owned))
                .flatten()
        })
    }

    /// Sends `signal` (e.g. `libc::SIGTERM`).
    pub fn signal(&self, signal: i32) {
        // SAFETY: kill(2) with the pid of our own child and a valid signal number.
        let rc = unsafe { libc::kill(self.pid(), signal) };
        assert_eq!(rc, 0, "kill failed");
    }

    /// Waits up to `limit` for the process to exit.
    pub fn wait_for_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("poll the binary") {
                // Let the reader threads take the last lines.
                std::thread::sleep(Duration::from_millis(100));
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM, then expects exit status 0 within `limit`.
    pub fn stop(&mut self, limit: Duration) {
        self.signal(libc::SIGTERM);
        let status = self.wait_for_exit(limit).unwrap_or_else(|| {
            panic!(
                "serve did not exit within {limit:?} of SIGTERM:\n{}",
                self.stderr_lines().join("\n")
            )
        });
        assert!(
            status.success(),
            "serve exited with {status}:\n{}",
            self.stderr_lines().join("\n")
        );
    }

    /// GETs a page with the browser's cookies.
    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.url(path)).send().await.expect("GET")
    }

    /// POSTs a form with the CSRF token of `form_page`.
    pub async fn post_form(
        &self,
        client: &Client,
        form_page: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        post_form_at(client, &self.base, form_page, path, fields).await
    }

    /// Signs in at `/admin/login` (who = admin) or `/login` (owner); expects the redirect.
    pub async fn sign_in(&self, client: &Client, login: &str, username: &str, password: &str) {
        let response = self
            .post_form(
                client,
                login,
                login,
                &[("username", username), ("password", password)],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "sign-in at {login} as {username} redirects"
        );
    }
}

impl Drop for Running {
    /// A test that failed half-way still stops the server gracefully (so that a cluster it
    /// started is stopped too), and kills it only if that does not work.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.signal(libc::SIGTERM);
            if self.wait_for_exit(Duration::from_secs(20)).is_none() {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
    }
}
