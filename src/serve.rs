//! `serve`: the web server, the metrics listener and the jobs loop, until SIGTERM or SIGINT
//! ends them gracefully (see [`crate::shutdown`]). The status gauges, which need a count
//! of the database, are refreshed here through the facade after each jobs pass.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::cookie::Key;
use actix_web::dev::{Server, ServerHandle};
use metrics::gauge;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::application::{Application, ApplicationSettings};
use crate::config::ServeSettings;
use crate::db::{BoxError, DbPool};
use crate::domain::{IdentityStatus, ProcessStatus};
use crate::facade::Core;
use crate::facade::stats::StatusCounts;
use crate::web::{WebOptions, build_metrics_server};

/// How often the status gauges are refreshed when this instance runs no jobs.
const GAUGE_REFRESH_WITHOUT_JOBS: Duration = Duration::from_secs(60);
/// How often histogram samples are folded in when nobody scrapes.
const METRICS_UPKEEP: Duration = Duration::from_secs(5);

/// Serves until SIGTERM or SIGINT, running the lifecycle jobs on an interval meanwhile.
/// `pool` is the facade's pool (its state is reported in the metrics).
pub async fn serve(
    core: Core,
    pool: DbPool,
    settings: ServeSettings,
    session_key: Key,
) -> Result<(), BoxError> {
    let mut signals = crate::shutdown::Signals::install()?;
    let app = Application::build(
        core.clone(),
        ApplicationSettings {
            bind: settings.bind.clone(),
            web: web_options(&settings, session_key),
        },
    )?;
    tracing::info!(address = %app.address(), "serving");
    let metrics = metrics_server(settings.metrics_bind.trim(), pool)?;
    let server = app.into_server();
    let every = Duration::from_secs(settings.jobs_interval_seconds);
    let (running, mut server) = Running::start(server, metrics, core, every);
    let signal = tokio::select! {
        signal = signals.recv() => signal,
        ended = &mut server => {
            // The server stopped on its own (it only does so on a fatal error).
            ended??;
            return Ok(());
        }
    };
    running
        .shut_down(signal, Duration::from_secs(settings.shutdown_grace_seconds))
        .await;
    Ok(())
}

/// What `serve` has started and stops on a signal.
struct Running {
    web: ServerHandle,
    metrics: Option<ServerHandle>,
    stop_jobs: watch::Sender<bool>,
    jobs: JoinHandle<()>,
}

impl Running {
    /// Spawns the web server, the metrics server and the jobs loop (which also refreshes
    /// the status gauges when metrics are on); returns the web server's task too.
    fn start(
        server: Server,
        metrics: Option<Server>,
        core: Core,
        every: Duration,
    ) -> (Self, JoinHandle<std::io::Result<()>>) {
        let web = server.handle();
        let server = actix_web::rt::spawn(server);
        let metrics = metrics.map(|metrics| {
            let handle = metrics.handle();
            actix_web::rt::spawn(metrics);
            handle
        });
        let (stop_jobs, stopped) = watch::channel(false);
        let jobs = actix_web::rt::spawn(run_jobs_periodically(
            core,
            every,
            metrics.is_some(),
            stopped,
        ));
        let running = Self {
            web,
            metrics,
            stop_jobs,
            jobs,
        };
        (running, server)
    }

    /// No new connections; the requests in flight and the jobs' current row may finish
    /// within `grace`; then the metrics listener stops.
    async fn shut_down(self, signal: &str, grace: Duration) {
        tracing::info!(
            signal,
            grace_seconds = grace.as_secs(),
            "shutting down: no new connections; finishing requests in flight and the current job row"
        );
        crate::shutdown::request();
        let _ = self.stop_jobs.send(true);
        let finished = tokio::time::timeout(grace, async {
            // Stops accepting at once, then waits for the requests in flight.
            self.web.stop(true).await;
            let _ = self.jobs.await;
        })
        .await;
        if let Some(handle) = self.metrics {
            handle.stop(false).await;
        }
        match finished {
            Ok(()) => tracing::info!("stopped"),
            Err(_) => tracing::warn!(
                grace_seconds = grace.as_secs(),
                "grace period over; requests still running were cut off"
            ),
        }
    }
}

/// The metrics server on `METRICS_BIND` (none when it is empty), with the recorder
/// installed and its upkeep running.
fn metrics_server(bind: &str, pool: DbPool) -> Result<Option<Server>, BoxError> {
    if bind.is_empty() {
        return Ok(None);
    }
    let handle = crate::metrics::install()?;
    let listener = TcpListener::bind(bind)
        .map_err(|e| format!("cannot listen on METRICS_BIND={bind}: {e}"))?;
    tracing::info!(address = %listener.local_addr()?, "metrics at /metrics");
    let upkeep = handle.clone();
    actix_web::rt::spawn(async move {
        let mut ticker = actix_web::rt::time::interval(METRICS_UPKEEP);
        loop {
            ticker.tick().await;
            upkeep.run_upkeep();
        }
    });
    Ok(Some(build_metrics_server(listener, handle, pool)?))
}

fn web_options(settings: &ServeSettings, session_key: Key) -> WebOptions {
    WebOptions {
        session_key,
        cookie_secure: settings.cookie_secure,
        trusted_proxies: settings.trusted_proxies.clone(),
        second_factor: settings.admin_2fa,
        body_read_timeout: Duration::from_secs(settings.body_read_timeout_seconds),
        did_domain: settings.did_domain.clone(),
        platform_name: settings.platform_name.clone(),
    }
}

/// Runs the jobs every `every` (not at all when it is zero) and, when metrics are on,
/// refreshes the status gauges after each run, until `stop` turns true. A run in progress
/// is not interrupted: it stops by itself after its current row (see `shutdown::requested`).
async fn run_jobs_periodically(
    core: Core,
    every: Duration,
    metrics: bool,
    mut stop: watch::Receiver<bool>,
) {
    let jobs = !every.is_zero();
    if !jobs && !metrics {
        return;
    }
    let mut ticker = actix_web::rt::time::interval(if jobs {
        every
    } else {
        GAUGE_REFRESH_WITHOUT_JOBS
    });
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = stop.changed() => return,
        }
        if jobs {
            run_jobs(&core, every).await;
        }
        if *stop.borrow() {
            return;
        }
        if metrics {
            refresh_status_gauges(&core).await;
        }
    }
}

/// One run of every lifecycle job; a failure is logged and retried at the next interval.
async fn run_jobs(core: &Core, every: Duration) {
    let runner = core.clone();
    match actix_web::web::block(move || runner.jobs().run_jobs()).await {
        Ok(Ok(report)) if report == Default::default() => {
            tracing::debug!(%report, "lifecycle jobs ran; nothing was due");
            crate::metrics::jobs_completed(every);
        }
        Ok(Ok(report)) => {
            tracing::info!(%report, "lifecycle jobs ran");
            crate::metrics::jobs_completed(every);
        }
        Ok(Err(error)) => {
            tracing::warn!(%error, "lifecycle jobs failed; retrying next interval")
        }
        Err(error) => tracing::warn!(%error, "lifecycle jobs could not run"),
    }
}

/// Counts the statuses in the database (through the facade) for the status gauges; whether
/// that worked is the `readiness` gauge.
async fn refresh_status_gauges(core: &Core) {
    let counter = core.clone();
    match actix_web::web::block(move || counter.statistics().status_counts()).await {
        Ok(Ok(counts)) => {
            record_status_counts(&counts);
            crate::metrics::readiness(true);
        }
        Ok(Err(error)) => {
            tracing::warn!(%error, "could not count statuses for metrics");
            crate::metrics::readiness(false);
        }
        Err(error) => tracing::warn!(%error, "could not count statuses for metrics"),
    }
}

/// Sets the status gauges from one count of the database (missing statuses are 0).
fn record_status_counts(counts: &StatusCounts) {
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
