//! Settings from flags or the environment, with defaults that work for local use.

use std::path::PathBuf;

use clap::Args;

use crate::domain::accounts::{ApiKeyLimit, TrustedProxies};
use crate::domain::owner_limit::OwnerLimit;
use crate::domain::{GraceLength, Periods};
use crate::telemetry::LogFormat;

/// Settings shared by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// PostgreSQL URL. Without it a project-local cluster under the data directory is
    /// started with the machine's PostgreSQL binaries (builds with the default
    /// `local-postgres` feature; without it, this is required).
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// Where the project-local cluster, the generated session key and the demo credentials
    /// live (relative paths are taken from the working directory).
    #[arg(long, env = "DATA_DIR", global = true, default_value = ".data")]
    pub data_dir: PathBuf,

    /// Connections in the database pool.
    #[arg(long, env = "POOL_SIZE", global = true, default_value_t = 16)]
    pub pool_size: u32,

    /// Days the owner has to approve a process support started.
    #[arg(long, env = "APPROVAL_PERIOD_DAYS", global = true,
          default_value_t = Periods::DEFAULT_APPROVAL_DAYS,
          value_parser = clap::value_parser!(u16).range(1..=365))]
    pub approval_period_days: u16,

    /// Days between approval and the actual deletion (within the bounds an owner may choose).
    #[arg(long, env = "GRACE_PERIOD_DAYS", global = true,
          default_value_t = Periods::DEFAULT_GRACE_DAYS,
          value_parser = clap::value_parser!(u16)
              .range(i64::from(GraceLength::MIN_DAYS)..=i64::from(GraceLength::MAX_DAYS)))]
    pub grace_period_days: u16,

    /// Days rejected and cancelled processes are kept after they ended.
    #[arg(long, env = "RETENTION_DAYS", global = true,
          default_value_t = Periods::DEFAULT_RETENTION_DAYS,
          value_parser = clap::value_parser!(u16).range(1..=3650))]
    pub retention_days: u16,

    /// Days security events are kept; older ones are removed by the jobs.
    #[arg(long, env = "SECURITY_EVENTS_RETENTION_DAYS", global = true,
          default_value_t = Periods::DEFAULT_SECURITY_EVENTS_RETENTION_DAYS,
          value_parser = clap::value_parser!(u16).range(1..=3650))]
    pub security_events_retention_days: u16,

    /// Transitions an identity's owner may make within any hour (initiate, approve, reject,
    /// cancel); the next one is answered with 429 until the oldest is an hour old.
    #[arg(long, env = "OWNER_TRANSITIONS_PER_HOUR", global = true,
          default_value_t = OwnerLimit::DEFAULT_PER_HOUR,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub owner_transitions_per_hour: u16,

    /// Admin API requests one key may make per minute; more are answered 429 with
    /// Retry-After until the minute is over.
    #[arg(long, env = "API_KEY_REQUESTS_PER_MINUTE", global = true,
          default_value_t = ApiKeyLimit::DEFAULT_PER_MINUTE,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub api_key_requests_per_minute: u32,

    /// Log lines as plain text or as one JSON object per line.
    #[arg(long, env = "LOG_FORMAT", global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// Settings of the web server (`serve`).
#[derive(Debug, Clone, Args)]
pub struct ServeSettings {
    /// Address to listen on.
    #[arg(long, env = "BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,

    /// Session cookie key, base64, at least 64 bytes. Without it a key is generated once
    /// and kept in the data directory, so sessions survive a restart.
    #[arg(long, env = "SESSION_KEY", hide_env_values = true)]
    pub session_key: Option<String>,

    /// The Ed25519 key deletion receipts are signed with: its 32-byte seed as 64 hex
    /// digits, the same for every instance. Without it a key is generated once and kept in
    /// the data directory.
    #[arg(long, env = "RECEIPT_SIGNING_KEY", hide_env_values = true)]
    pub receipt_signing_key: Option<String>,

    /// Mark cookies `Secure` (turn off only for plain-http local use).
    #[arg(long, env = "COOKIE_SECURE", default_value_t = true, action = clap::ArgAction::Set)]
    pub cookie_secure: bool,

    /// Seconds between runs of the lifecycle jobs (0 turns them off in this instance).
    #[arg(long, env = "JOBS_INTERVAL_SECONDS", default_value_t = 60)]
    pub jobs_interval_seconds: u64,

    /// Address of the Prometheus metrics listener (`GET /metrics`); empty turns it off.
    #[arg(long, env = "METRICS_BIND", default_value = "127.0.0.1:9184")]
    pub metrics_bind: String,

    /// On SIGTERM or SIGINT, seconds to let requests in flight finish before exiting.
    #[arg(long, env = "SHUTDOWN_GRACE_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(0..=crate::shutdown::MAX_GRACE_SECONDS))]
    pub shutdown_grace_seconds: u64,

    /// Reverse proxies (comma-separated CIDRs) whose X-Forwarded-For names the client; from
    /// any other peer the header is ignored. Empty: the peer address is the client.
    #[arg(long, env = "TRUSTED_PROXIES", default_value = "", value_parser = TrustedProxies::parse)]
    pub trusted_proxies: TrustedProxies,

    /// Password hashes that may wait or run at once; more sign-ins get 503 with Retry-After.
    #[arg(long, env = "HASH_QUEUE_LIMIT", default_value_t = 32,
          value_parser = clap::value_parser!(u16).range(1..=4096))]
    pub hash_queue_limit: u16,

    /// Seconds a request body may take to arrive; a slower one is cut off with 408.
    #[arg(long, env = "BODY_READ_TIMEOUT_SECONDS",
          default_value_t = crate::web::body::DEFAULT_READ_TIMEOUT_SECONDS,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub body_read_timeout_seconds: u64,

    /// The domain in the addresses of identities registered through the Consumer API: the
    /// host name the apps reach this server by (their client library derives the same
    /// address from it and checks ours).
    #[arg(long, env = "DID_DOMAIN", default_value = DEFAULT_DID_DOMAIN, value_parser = parse_did_domain)]
    pub did_domain: String,

    /// The platform's name, which identity owners know: their pages carry it instead of
    /// this back office's name.
    #[arg(long, env = "PLATFORM_NAME", default_value = crate::web::DEFAULT_PLATFORM_NAME,
          value_parser = parse_platform_name)]
    pub platform_name: String,

    /// Whether every admin account must use a second factor (TOTP).
    #[arg(long = "admin-2fa", env = "ADMIN_2FA", value_enum, default_value_t = SecondFactorPolicy::Optional)]
    pub admin_2fa: SecondFactorPolicy,
}

/// `DID_DOMAIN` unless set.
pub const DEFAULT_DID_DOMAIN: &str = "localhost";

/// A domain an identity address may have (lower-case host name, optional `%3A` port).
fn parse_platform_name(text: &str) -> Result<String, String> {
    let name = text.trim();
    if (1..=60).contains(&name.chars().count()) && !name.chars().any(char::is_control) {
        Ok(name.to_owned())
    } else {
        Err("use 1 to 60 characters, no control characters".to_owned())
    }
}

fn parse_did_domain(text: &str) -> Result<String, String> {
    crate::domain::IdentityAddress::parse(&format!("did:e:{text}:dids:{}", "0".repeat(22)))
        .map(|_| text.to_owned())
        .map_err(|_| "expected a lower-case host name such as localhost or id.example.org".into())
}

/// `ADMIN_2FA`: with `required`, an account without a second factor is taken from sign-in
/// straight to enrolment and can do nothing else until enrolled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SecondFactorPolicy {
    Required,
    #[default]
    Optional,
}

impl Settings {
    pub fn periods(&self) -> Periods {
        Periods::from_days(
            self.approval_period_days,
            self.grace_period_days,
            self.retention_days,
            self.security_events_retention_days,
        )
        .expect("clap keeps the grace period within GraceLength's bounds")
    }

    pub fn owner_limit(&self) -> OwnerLimit {
        OwnerLimit::new(self.owner_transitions_per_hour)
    }

    pub fn api_key_limit(&self) -> ApiKeyLimit {
        ApiKeyLimit::new(self.api_key_requests_per_minute)
    }
}
