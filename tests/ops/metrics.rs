//! A real Prometheus (Debian's `prometheus`) scrapes the app's `METRICS_BIND` while people
//! use it; its HTTP API then answers for what happened.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use backbone_admin::clock::SystemClock;
use backbone_admin::domain::{GraceLength, Periods};
use backbone_admin::facade::{Core, Owner};
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::Value;

use crate::common::app::browser;
use crate::common::fresh_database;
use crate::common::report::report;
use crate::common::{admin_name, device_name};
use crate::running::{TempDir, binary, serve};

struct Prometheus {
    child: Child,
    api: String,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start_prometheus(program: &std::path::Path, dir: &std::path::Path, target: &str) -> Prometheus {
    let config = dir.join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n\
             scrape_configs:\n  - job_name: backbone-admin\n    static_configs:\n      - targets: ['{target}']\n"
        ),
    )
    .unwrap();
    let port = free_port();
    let child = Command::new(program)
        .arg(format!("--config.file={}", config.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.join("data").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .arg("--log.level=warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start prometheus");
    Prometheus {
        child,
        api: format!("http://127.0.0.1:{port}/api/v1"),
    }
}

impl Prometheus {
    /// The samples of an instant query (empty while Prometheus is not up yet).
    async fn query(&self, expr: &str) -> Vec<Value> {
        let Ok(response) = reqwest::Client::new()
            .get(format!("{}/query", self.api))
            .query(&[("query", expr)])
            .send()
            .await
        else {
            return Vec::new();
        };
        let Ok(body) = response.json::<Value>().await else {
            return Vec::new();
        };
        body["data"]["result"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The single value of `expr`, waiting (up to a minute) until `ok` accepts it.
    async fn wait_for(&self, expr: &str, ok: impl Fn(f64) -> bool) -> f64 {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut last = Vec::new();
        while Instant::now() < deadline {
            last = self.query(expr).await;
            if let Some(value) = last
                .first()
                .and_then(|s| s["value"][1].as_str())
                .and_then(|v| v.parse::<f64>().ok())
                && ok(value)
            {
                return value;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        panic!("Prometheus never answered {expr} as expected; last answer: {last:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_real_prometheus_scrapes_the_app() {
    let Some(program) = crate::required_tool("prometheus", "prometheus") else {
        return;
    };
    let db = fresh_database();
    let core = Core::new(db.pool(2), Arc::new(SystemClock), Periods::default());
    core.accounts()
        .create_admin(&admin_name("metrics-admin"), "a long enough password")
        .unwrap();
    let created = core
        .identities()
        .create_identity(&device_name("metrics-owner"), "owner-password-1", "test")
        .unwrap();
    let other = core
        .identities()
        .create_identity(&device_name("metrics-owner-2"), "owner-password-2", "test")
        .unwrap();

    let dir = TempDir::new("prom");
    let mut app = serve(
        &binary(),
        dir.path(),
        &[("DATABASE_URL", &db.url), ("JOBS_INTERVAL_SECONDS", "1")],
    );
    let target = app.metrics.clone().expect("metrics listener");
    let prometheus = start_prometheus(&program, dir.path(), &target);

    // Page views, sign-ins (one failed), a transition.
    let admin = browser();
    app.sign_in(
        &admin,
        "/admin/login",
        "metrics-admin",
        "a long enough password",
    )
    .await;
    let identity_page = format!("/admin/identities/{}", created.address);
    for _ in 0..3 {
        assert_eq!(
            app.get(&admin, &identity_page).await.status(),
            StatusCode::OK
        );
    }
    let owner_client = browser();
    let wrong = app
        .post_form(
            &owner_client,
            "/login",
            "/login",
            &[
                ("username", "metrics-owner"),
                ("password", "wrong password"),
            ],
        )
        .await;
    assert_ne!(wrong.status(), StatusCode::SEE_OTHER);
    app.sign_in(&owner_client, "/login", "metrics-owner", "owner-password-1")
        .await;
    // The transition: the owner asks for deletion (approved at once).
    core.processes()
        .initiate(
            &Owner {
                address: other.address.clone(),
                device_id: other.device_id.clone(),
            },
            Some(GraceLength::parse("30").unwrap()),
        )
        .unwrap();
    let approved_in_db: i64 = {
        use backbone_admin::schema::identity_deletion_processes as p;
        p::table
            .filter(p::status.eq("Approved"))
            .count()
            .get_result(&mut db.connect())
            .unwrap()
    };
    assert_eq!(approved_in_db, 1);

    assert_eq!(prometheus.wait_for("up", |v| v == 1.0).await, 1.0);
    let route = r#"route="/admin/identities/{address}""#;
    let views = prometheus
        .wait_for(
            &format!(r#"sum(http_request_duration_seconds_count{{{route},method="GET"}})"#),
            |v| v >= 3.0,
        )
        .await;
    prometheus
        .wait_for(
            &format!(r#"sum(http_requests_total{{{route},method="GET",status="200"}})"#),
            |v| v >= 3.0,
        )
        .await;
    let approved = prometheus
        .wait_for(r#"deletion_processes{status="Approved"}"#, |v| {
            v == approved_in_db as f64
        })
        .await;
    prometheus
        .wait_for(r#"identities{status="ToBeDeleted"}"#, |v| v == 1.0)
        .await;
    let job_runs = prometheus
        .wait_for(
            r#"sum(job_runs_total{job_name="delete_identities"})"#,
            |v| v >= 2.0,
        )
        .await;
    prometheus
        .wait_for("jobs_last_success_timestamp_seconds", |v| v > 0.0)
        .await;
    prometheus
        .wait_for(
            r#"sign_in_attempts_total{who="owner",outcome="failure"}"#,
            |v| v >= 1.0,
        )
        .await;
    prometheus
        .wait_for(
            r#"sign_in_attempts_total{who="admin",outcome="success"}"#,
            |v| v >= 1.0,
        )
        .await;
    prometheus
        .wait_for("sum(db_pool_wait_seconds_count)", |v| v > 0.0)
        .await;
    prometheus
        .wait_for(
            "db_pool_connections_idle + db_pool_connections_in_use",
            |v| v >= 1.0,
        )
        .await;
    prometheus.wait_for("readiness", |v| v == 1.0).await;
    prometheus
        .wait_for(
            &format!(r#"build_info{{version="{}"}}"#, env!("CARGO_PKG_VERSION")),
            |v| v == 1.0,
        )
        .await;
    prometheus
        .wait_for("password_hash_queue_depth", |v| v == 0.0)
        .await;

    // No label anywhere holds a raw path, an address or a username.
    let series = prometheus.query(r#"{job="backbone-admin"}"#).await;
    assert!(series.len() > 20, "{series:?}");
    let secrets = [
        created.address.to_string(),
        other.address.to_string(),
        "did:".to_owned(),
        "metrics-owner".to_owned(),
        "metrics-admin".to_owned(),
        "127.0.0.1".to_owned(),
    ];
    for sample in &series {
        for (label, value) in sample["metric"].as_object().unwrap() {
            if label == "instance" {
                continue; // the scrape target, added by Prometheus
            }
            let value = value.as_str().unwrap();
            for secret in &secrets {
                assert!(
                    !value.contains(secret.as_str()),
                    "{label}={value} holds {secret}"
                );
            }
            if label == "route" {
                assert!(
                    value == "unmatched" || value.starts_with('/'),
                    "route label {value}"
                );
            }
        }
    }

    // Nothing was due: the jobs runs logged nothing at info level.
    app.stop(Duration::from_secs(30));
    for line in app.json_lines() {
        if line["fields"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("lifecycle jobs"))
        {
            assert_eq!(line["level"], "DEBUG", "{line}");
        }
    }
    report(
        "prometheus",
        &format!(
            "{} series scraped; identity page views {views}; Approved {approved}; delete job runs {job_runs}",
            series.len()
        ),
    );
}
