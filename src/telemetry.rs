//! Logging: `RUST_LOG` picks the level, else the caller's default.

use tracing_subscriber::EnvFilter;

/// The server's and the CLI's logging: `info` unless `RUST_LOG` says otherwise.
pub fn init() {
    init_with_default("info");
}

/// Logging with another default level (tests keep only errors unless `RUST_LOG` is set).
pub fn init_with_default(level: &str) {
    // The request logger reports refused requests (4xx) with their error, which can echo
    // what a person typed (an address): only server errors are worth a line.
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("{level},tracing_actix_web::middleware=error")));
    // A second call (tests) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
