//! Logging: `RUST_LOG` picks the level, else the caller's default; `LOG_FORMAT` picks plain
//! text or one JSON object per line. Lines written while a request is handled carry its
//! span (`request` with `request_id`, method, route and status).

use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines; the request's fields prefix the message.
    #[default]
    Text,
    /// One JSON object per line; the request's fields are in `spans`.
    Json,
}

/// The server's and the CLI's logging: `info` unless `RUST_LOG` says otherwise.
pub fn init(format: LogFormat) {
    init_with(format, "info");
}

/// Logging with another default level (tests keep only errors unless `RUST_LOG` is set).
pub fn init_with_default(level: &str) {
    init_with(LogFormat::Text, level);
}

fn init_with(format: LogFormat, level: &str) {
    // The request logger reports refused requests (4xx) with their error, which can echo
    // what a person typed (an address): only server errors are worth a line.
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("{level},tracing_actix_web::middleware=error")));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second call (tests) keeps the first subscriber.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .with_current_span(false)
            .with_span_list(true)
            .try_init(),
    };
}
