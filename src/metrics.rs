//! Prometheus metrics, recorded with the `metrics` facade and exported by
//! `metrics-exporter-prometheus` on a listener of its own (`METRICS_BIND`).
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
use std::net::TcpListener;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use actix_web::dev::Server;
use actix_web::http::{Method, StatusCode};
use actix_web::{App, HttpResponse, HttpServer, web};
use metrics::{
    Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::db::{BoxError, DbPool};
use crate::domain::{IdentityStatus, ProcessStatus};
use crate::facade::stats::StatusCounts;

const HTTP_SECONDS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
const POOL_WAIT_SECONDS: &[f64] = &[
    0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 3.0, 5.0,
];
const JOB_SECONDS: &[f64] = &[0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0];

/// Installs the process-wide recorder (once; later calls return the same handle).
pub fn install() -> Result<PrometheusHandle, BoxError> {
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

fn describe() {
    describe_counter!(
        "http_requests_total",
        "HTTP requests answered, by route pattern, method and status"
    );
    describe_histogram!(
        "http_request_duration_seconds",
        Unit::Seconds,
        "Time from receiving a request to its response, by route pattern and method"
    );
    describe_gauge!(
        "db_pool_connections_in_use",
        "Database connections checked out of the pool"
    );
    describe_gauge!("db_pool_connections_idle", "Idle connections in the pool");
    describe_histogram!(
        "db_pool_wait_seconds",
        Unit::Seconds,
        "Time waited for a pooled database connection"
    );
    describe_counter!(
        "db_pool_checkout_timeouts_total",
        "Checkouts that gave up waiting for a connection (answered 503)"
    );
    describe_gauge!("deletion_processes", "Deletion processes by status");
    describe_gauge!("identities", "Identities by status");
    describe_gauge!(
        "deletions_failing",
        "Deletions whose last attempt failed and that wait for their retry"
    );
    describe_gauge!(
        "deletion_attempts_max",
        "Most failed attempts of any deletion still pending"
    );
    describe_counter!(
        "deletion_failures_total",
        "Failed attempts to delete an identity's data"
    );
    describe_counter!(
        "security_events_removed_total",
        "Security events removed after their retention period"
    );
    describe_counter!("job_runs_total", "Runs of each lifecycle job");
    describe_counter!(
        "job_items_total",
        "Items (processes, old security events) each lifecycle job handled"
    );
    describe_counter!(
        "job_failures_total",
        "Rows (or whole runs) each lifecycle job failed on"
    );
    describe_histogram!(
        "job_duration_seconds",
        Unit::Seconds,
        "Duration of each lifecycle job's run"
    );
    describe_gauge!(
        "jobs_last_success_timestamp_seconds",
        "Unix time when this instance last completed a run of all lifecycle jobs"
    );
    describe_gauge!(
        "jobs_interval_seconds",
        "Configured seconds between runs of the lifecycle jobs in this instance"
    );
    describe_counter!(
        "sign_in_attempts_total",
        "Sign-in attempts by who (admin, owner) and outcome"
    );
    describe_gauge!(
        "password_hash_queue_depth",
        "Password hashes waiting for or running on the hashing threads"
    );
    describe_gauge!(
        "readiness",
        "1 when the last database check (the status count) succeeded, else 0"
    );
    describe_gauge!("build_info", "Version of the running binary (always 1)");
}

/// Serves `GET /metrics` in the Prometheus text format on `listener`.
pub fn server(
    listener: TcpListener,
    handle: PrometheusHandle,
    pool: DbPool,
) -> std::io::Result<Server> {
    let state = web::Data::new((handle, pool));
    Ok(HttpServer::new(move || {
        App::new().app_data(state.clone()).route(
            "/metrics",
            web::get().to(|state: web::Data<(PrometheusHandle, DbPool)>| async move {
                let (handle, pool) = state.get_ref();
                pool_state(pool);
                gauge!("password_hash_queue_depth").set(crate::hashing::queue_depth() as f64);
                HttpResponse::Ok()
                    .content_type("text/plain; version=0.0.4; charset=utf-8")
                    .body(handle.render())
            }),
        )
    })
    .workers(1)
    .disable_signals()
    .shutdown_timeout(1)
    .listen(listener)?
    .run())
}

fn pool_state(pool: &DbPool) {
    let state = pool.state();
    gauge!("db_pool_connections_idle").set(f64::from(state.idle_connections));
    gauge!("db_pool_connections_in_use").set(f64::from(
        state.connections.saturating_sub(state.idle_connections),
    ));
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

/// Pool events: the time each checkout waited, and the checkouts that timed out.
#[derive(Debug, Clone, Copy)]
pub struct PoolEvents;

impl r2d2::HandleEvent for PoolEvents {
    fn handle_checkout(&self, event: r2d2::event::CheckoutEvent) {
        histogram!("db_pool_wait_seconds").record(event.duration().as_secs_f64());
    }

    fn handle_timeout(&self, event: r2d2::event::TimeoutEvent) {
        counter!("db_pool_checkout_timeouts_total").increment(1);
        histogram!("db_pool_wait_seconds").record(event.timeout().as_secs_f64());
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

/// Sets the status gauges from one count of the database (missing statuses are 0).
pub fn status_counts(counts: &StatusCounts) {
    for status in ProcessStatus::ALL {
        let n = counts.processes.get(status).copied().unwrap_or(0);
        gauge!("deletion_processes", "status" => status.as_str()).set(n as f64);
    }
    for status in IdentityStatus::ALL {
        let n = counts.identities.get(status).copied().unwrap_or(0);
        gauge!("identities", "status" => status.as_str()).set(n as f64);
    }
    gauge!("deletions_failing").set(counts.deletions_failing as f64);
    gauge!("deletion_attempts_max").set(f64::from(counts.deletion_attempts_max));
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
}
