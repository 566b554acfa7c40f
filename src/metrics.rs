//! Prometheus metrics: the recorder (`metrics-exporter-prometheus`), the catalogue of
//! metrics, and helpers that record the app's events through the `metrics` facade.
//!
//! This module sits below every other: it imports nothing of the app. Lower layers record
//! through it or through the `metrics` macros directly (the pool, `db.rs`); the web layer
//! serves the scrape on its own listener (`METRICS_BIND`, `web/metrics.rs`) and refreshes the
//! gauges that need a read first: the pool's state and the hash queue on each scrape, the
//! status counts after each jobs pass (`serve.rs`).
//!
//! Labels never hold a raw path, an address or a username: requests are labelled with their
//! route pattern (`/admin/identities/{address}`), method and status.
//!
//! | metric | kind | labels |
//! |---|---|---|
//! | `http_requests_total` | counter | route, method, status |
//! | `http_request_duration_seconds` | histogram | route, method |
//! | `db_pool_connections_in_use`, `db_pool_connections_idle` | gauge | |
//! | `db_pool_wait_seconds` | histogram | |
//! | `db_pool_checkout_timeouts_total` | counter | |
//! | `deletion_processes`, `identities` | gauge | status |
//! | `deletions_failing`, `deletion_attempts_max` | gauge | |
//! | `deletion_failures_total` | counter | |
//! | `security_events_removed_total` | counter | |
//! | `job_runs_total`, `job_items_total`, `job_failures_total` | counter | job_name |
//! | `job_duration_seconds` | histogram | job_name |
//! | `jobs_last_success_timestamp_seconds`, `jobs_interval_seconds` | gauge | |
//! | `sign_in_attempts_total` | counter | who, outcome |
//! | `password_hash_queue_depth` | gauge | |
//! | `readiness` | gauge | |
//! | `build_info` | gauge | version |

use std::cell::Cell;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use actix_web::http::{Method, StatusCode};
use metrics::{Unit, counter, gauge, histogram};
use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder, PrometheusHandle};

const HTTP_SECONDS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
const POOL_WAIT_SECONDS: &[f64] = &[
    0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 3.0, 5.0,
];
const JOB_SECONDS: &[f64] = &[0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0];

/// Installs the process-wide recorder (once; later calls return the same handle).
pub fn install() -> Result<PrometheusHandle, BuildError> {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full("http_request_duration_seconds".into()),
            HTTP_SECONDS,
        )?
        .set_buckets_for_metric(
            Matcher::Full("db_pool_wait_seconds".into()),
            POOL_WAIT_SECONDS,
        )?
        .set_buckets_for_metric(Matcher::Full("job_duration_seconds".into()), JOB_SECONDS)?
        .install_recorder()?;
    describe();
    gauge!("build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
    Ok(HANDLE.get_or_init(|| handle).clone())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Counter,
    Gauge,
    /// Every histogram here measures seconds.
    Histogram,
}

/// Every metric with its description (the `# HELP` line of a scrape).
const CATALOGUE: &[(Kind, &str, &str)] = &[
    (
        Kind::Counter,
        "http_requests_total",
        "HTTP requests answered, by route pattern, method and status",
    ),
    (
        Kind::Histogram,
        "http_request_duration_seconds",
        "Time from receiving a request to its response, by route pattern and method",
    ),
    (
        Kind::Gauge,
        "db_pool_connections_in_use",
        "Database connections checked out of the pool",
    ),
    (
        Kind::Gauge,
        "db_pool_connections_idle",
        "Idle connections in the pool",
    ),
    (
        Kind::Histogram,
        "db_pool_wait_seconds",
        "Time waited for a pooled database connection",
    ),
    (
        Kind::Counter,
        "db_pool_checkout_timeouts_total",
        "Checkouts that gave up waiting for a connection (answered 503)",
    ),
    (
        Kind::Gauge,
        "deletion_processes",
        "Deletion processes by status",
    ),
    (Kind::Gauge, "identities", "Identities by status"),
    (
        Kind::Gauge,
        "deletions_failing",
        "Deletions whose last attempt failed and that wait for their retry",
    ),
    (
        Kind::Gauge,
        "deletion_attempts_max",
        "Most failed attempts of any deletion still pending",
    ),
    (
        Kind::Counter,
        "deletion_failures_total",
        "Failed attempts to delete an identity's data",
    ),
    (
        Kind::Counter,
        "security_events_removed_total",
        "Security events removed after their retention period",
    ),
    (
        Kind::Counter,
        "job_runs_total",
        "Runs of each lifecycle job",
    ),
    (
        Kind::Counter,
        "job_items_total",
        "Items (processes, old security events) each lifecycle job handled",
    ),
    (
        Kind::Counter,
        "job_failures_total",
        "Rows (or whole runs) each lifecycle job failed on",
    ),
    (
        Kind::Histogram,
        "job_duration_seconds",
        "Duration of each lifecycle job's run",
    ),
    (
        Kind::Gauge,
        "jobs_last_success_timestamp_seconds",
        "Unix time when this instance last completed a run of all lifecycle jobs",
    ),
    (
        Kind::Gauge,
        "jobs_interval_seconds",
        "Configured seconds between runs of the lifecycle jobs in this instance",
    ),
    (
        Kind::Counter,
        "sign_in_attempts_total",
        "Sign-in attempts by who (admin, owner) and outcome",
    ),
    (
        Kind::Gauge,
        "password_hash_queue_depth",
        "Password hashes waiting for or running on the hashing threads",
    ),
    (
        Kind::Gauge,
        "readiness",
        "1 when the last database check (the status count) succeeded, else 0",
    ),
    (
        Kind::Gauge,
        "build_info",
        "Version of the running binary (always 1)",
    ),
];

fn describe() {
    metrics::with_recorder(|recorder| {
        for &(kind, name, description) in CATALOGUE {
            let (name, description) = (name.into(), description.into());
            match kind {
                Kind::Counter => recorder.describe_counter(name, None, description),
                Kind::Gauge => recorder.describe_gauge(name, None, description),
                Kind::Histogram => {
                    recorder.describe_histogram(name, Some(Unit::Seconds), description)
                }
            }
        }
    });
}

/// Counts an answered request. `route` is the matched pattern (`None`: nothing matched).
pub fn http_request(route: Option<&str>, method: &Method, status: StatusCode, elapsed: Duration) {
    let route = route
        .filter(|r| !r.is_empty())
        .unwrap_or("unmatched")
        .to_owned();
    let method = method_label(method);
    counter!(
        "http_requests_total",
        "route" => route.clone(),
        "method" => method,
        "status" => status.as_str().to_owned()
    )
    .increment(1);
    histogram!("http_request_duration_seconds", "route" => route, "method" => method)
        .record(elapsed.as_secs_f64());
}

/// Methods outside the standard set share one label value, so a client cannot add series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// A sign-in attempt: `who` is `admin` or `owner`; `outcome` e.g. `success`, `failure`,
/// `throttled`.
pub fn sign_in(who: &'static str, outcome: &'static str) {
    counter!("sign_in_attempts_total", "who" => who, "outcome" => outcome).increment(1);
}

/// What a lifecycle job reports: how many processes it handled.
pub trait JobItems {
    fn items(&self) -> usize;
}

impl JobItems for usize {
    fn items(&self) -> usize {
        *self
    }
}

impl JobItems for (usize, usize) {
    /// (handled, failed)
    fn items(&self) -> usize {
        self.0
    }
}

thread_local! {
    static CURRENT_JOB: Cell<&'static str> = const { Cell::new("none") };
}

/// Runs one lifecycle job, counting its run, the processes it handled, a failure of the
/// whole run, and its duration.
pub fn job<T: JobItems, E>(name: &'static str, run: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    let started = Instant::now();
    let outer = CURRENT_JOB.with(|job| job.replace(name));
    let result = run();
    CURRENT_JOB.with(|job| job.set(outer));
    counter!("job_runs_total", "job_name" => name).increment(1);
    match &result {
        Ok(done) => counter!("job_items_total", "job_name" => name).increment(done.items() as u64),
        Err(_) => counter!("job_failures_total", "job_name" => name).increment(1),
    }
    histogram!("job_duration_seconds", "job_name" => name).record(started.elapsed().as_secs_f64());
    result
}

/// One row failed in the job running on this thread (the job goes on with the others).
pub fn job_row_failed() {
    let name = CURRENT_JOB.with(Cell::get);
    counter!("job_failures_total", "job_name" => name).increment(1);
}

/// A failed attempt to delete an identity's data.
pub fn deletion_failed() {
    counter!("deletion_failures_total").increment(1);
}

/// Security events removed after their retention period.
pub fn security_events_removed(count: usize) {
    counter!("security_events_removed_total").increment(count as u64);
}

/// A completed run of all jobs in this instance.
pub fn jobs_completed(interval: Duration) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    gauge!("jobs_last_success_timestamp_seconds").set(now.as_secs_f64());
    gauge!("jobs_interval_seconds").set(interval.as_secs_f64());
}

/// Whether the last database check succeeded (what `/readyz` reports).
pub fn readiness(ready: bool) {
    gauge!("readiness").set(if ready { 1.0 } else { 0.0 });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unusual_methods_share_a_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        let custom = Method::from_bytes(b"BREW").unwrap();
        assert_eq!(method_label(&custom), "other");
    }

    #[test]
    fn the_catalogue_describes_each_metric_once() {
        let mut names: Vec<&str> = CATALOGUE.iter().map(|(_, name, _)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CATALOGUE.len());
    }
}
