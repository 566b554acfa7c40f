//! `serve`: the web server, the metrics listener and the jobs loop, until SIGTERM or SIGINT
//! ends them gracefully (see [`crate::shutdown`]).

use std::net::TcpListener;
use std::time::Duration;

use actix_web::cookie::Key;
use tokio::sync::watch;

use crate::config::ServeSettings;
use crate::db::{BoxError, DbPool};
use crate::facade::IdentityDeletionProcessFacade;
use crate::web::{WebOptions, build_server};

/// How often the status gauges are refreshed when this instance runs no jobs.
const GAUGE_REFRESH_WITHOUT_JOBS: Duration = Duration::from_secs(60);
/// How often histogram samples are folded in when nobody scrapes.
const METRICS_UPKEEP: Duration = Duration::from_secs(5);

/// Serves until SIGTERM or SIGINT, running the lifecycle jobs on an interval meanwhile.
/// `pool` is the facade's pool (its state is reported in the metrics).
pub async fn serve(
    facade: IdentityDeletionProcessFacade,
    pool: DbPool,
    settings: ServeSettings,
    session_key: Key,
) -> Result<(), BoxError> {
    let mut signals = crate::shutdown::Signals::install()?;
    let listener = TcpListener::bind(&settings.bind)?;
    tracing::info!(address = %listener.local_addr()?, "serving");
    let metrics = match settings.metrics_bind.trim() {
        "" => None,
        bind => {
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
            Some(crate::metrics::server(listener, handle, pool)?)
        }
    };
    let options = WebOptions {
        session_key,
        cookie_secure: settings.cookie_secure,
        trusted_proxies: settings.trusted_proxies.clone(),
        second_factor: settings.admin_2fa,
        body_read_timeout: Duration::from_secs(settings.body_read_timeout_seconds),
    };
    let server = build_server(listener, facade.clone(), options)?;
    let server_handle = server.handle();
    let mut server = actix_web::rt::spawn(server);
    let metrics_handle = metrics.as_ref().map(|m| m.handle());
    if let Some(metrics) = metrics {
        actix_web::rt::spawn(metrics);
    }
    let (stop_jobs, stopped) = watch::channel(false);
    let jobs = actix_web::rt::spawn(run_jobs_periodically(
        facade,
        Duration::from_secs(settings.jobs_interval_seconds),
        metrics_handle.is_some(),
        stopped,
    ));

    let signal = tokio::select! {
        signal = signals.recv() => signal,
        ended = &mut server => {
            // The server stopped on its own (it only does so on a fatal error).
            ended??;
            return Ok(());
        }
    };
    let grace = Duration::from_secs(settings.shutdown_grace_seconds);
    tracing::info!(
        signal,
        grace_seconds = grace.as_secs(),
        "shutting down: no new connections; finishing requests in flight and the current job row"
    );
    crate::shutdown::request();
    let _ = stop_jobs.send(true);
    let finished = tokio::time::timeout(grace, async {
        // Stops accepting at once, then waits for the requests in flight.
        server_handle.stop(true).await;
        let _ = jobs.await;
    })
    .await;
    if let Some(handle) = metrics_handle {
        handle.stop(false).await;
    }
    match finished {
        Ok(()) => tracing::info!("stopped"),
        Err(_) => tracing::warn!(
            grace_seconds = grace.as_secs(),
            "grace period over; requests still running were cut off"
        ),
    }
    Ok(())
}

/// Runs the jobs every `every` (not at all when it is zero) and, when metrics are on,
/// refreshes the status gauges after each run, until `stop` turns true. A run in progress
/// is not interrupted: it stops by itself after its current row (see `shutdown::requested`).
async fn run_jobs_periodically(
    facade: IdentityDeletionProcessFacade,
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
            let runner = facade.clone();
            match actix_web::web::block(move || runner.run_jobs()).await {
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
        if *stop.borrow() {
            return;
        }
        if metrics {
            let counter = facade.clone();
            match actix_web::web::block(move || counter.status_counts()).await {
                Ok(Ok(counts)) => {
                    crate::metrics::status_counts(&counts);
                    crate::metrics::readiness(true);
                }
                Ok(Err(error)) => {
                    tracing::warn!(%error, "could not count statuses for metrics");
                    crate::metrics::readiness(false);
                }
                Err(error) => tracing::warn!(%error, "could not count statuses for metrics"),
            }
        }
    }
}
