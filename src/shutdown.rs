//! Graceful shutdown: on SIGTERM or SIGINT the server stops accepting connections, lets
//! requests in flight finish (up to `SHUTDOWN_GRACE_SECONDS`), and a running jobs pass
//! finishes the row it is on and stops (see [`requested`]). `serve` then returns, which stops
//! the project-local PostgreSQL when this process started it, and the process exits 0.

use std::sync::atomic::{AtomicBool, Ordering};

/// Longest grace period; the HTTP server waits at most this long for requests in flight
/// (`serve` cuts them off after `SHUTDOWN_GRACE_SECONDS`).
pub const MAX_GRACE_SECONDS: u64 = 3600;

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Whether shutdown has begun: the jobs check this between rows and stop early.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// Marks the start of shutdown for [`requested`].
pub fn request() {
    REQUESTED.store(true, Ordering::Relaxed);
}

/// SIGTERM and SIGINT, caught from the moment this is created (before the server says it
/// is serving, so that an early signal is not lost to the default action).
pub struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

impl Signals {
    pub fn install() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    /// Resolves with the signal's name when SIGTERM or SIGINT arrives.
    pub async fn recv(&mut self) -> &'static str {
        tokio::select! {
            _ = self.term.recv() => "SIGTERM",
            _ = self.int.recv() => "SIGINT",
        }
    }
}
