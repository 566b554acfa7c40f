//! The real `backbone-admin serve` as a child process on a test database: for settings that
//! are process-wide (`HASH_QUEUE_LIMIT`) and for reading the server's own log.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server; killed (and its data directory removed) when dropped.
pub struct ServeProcess {
    child: Child,
    data_dir: PathBuf,
    /// `http://127.0.0.1:<port>`
    pub base: String,
    /// Where its standard error goes.
    pub log: PathBuf,
}

impl ServeProcess {
    /// Starts `serve` on `database_url` with `settings` (environment variables) added, and
    /// waits until `/readyz` answers 200.
    pub async fn start(database_url: &str, name: &str, settings: &[(&str, &str)]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let data_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("{name}-{}", std::process::id()));
        std::fs::create_dir_all(&data_dir).expect("data dir");
        let log = data_dir.join("stderr.log");
        let bind = format!("127.0.0.1:{port}");
        let defaults = [
            ("DATABASE_URL", database_url),
            ("BIND", bind.as_str()),
            ("COOKIE_SECURE", "false"),
            ("JOBS_INTERVAL_SECONDS", "0"),
            ("RUST_LOG", "info"),
        ];
        let child = Command::new(env!("CARGO_BIN_EXE_backbone-admin"))
            .arg("serve")
            .envs(defaults)
            .envs(settings.iter().copied())
            .env("DATA_DIR", &data_dir)
            .env_remove("SESSION_KEY")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("start the app");
        let server = Self {
            child,
            data_dir,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        let started = Instant::now();
        while reqwest::get(format!("{}/readyz", server.base))
            .await
            .map(|r| r.status().as_u16())
            .ok()
            != Some(200)
        {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the app did not start: {}",
                server.log_text()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server
    }

    /// What the server wrote to standard error so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}
