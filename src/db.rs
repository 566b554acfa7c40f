//! Connection pool and embedded migrations.

use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub type DbPool = Pool<ConnectionManager<PgConnection>>;
pub type DbConn = PooledConnection<ConnectionManager<PgConnection>>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Applies pending migrations; returns how many ran.
pub fn run_migrations(conn: &mut PgConnection) -> Result<usize, BoxError> {
    Ok(conn.run_pending_migrations(MIGRATIONS)?.len())
}

/// A bounded pool. Connections are checked before use so that after a database restart
/// stale ones are replaced instead of failing a request, and a request waits at most
/// `checkout_timeout` for a connection (then it gets a 503, never a hang).
pub fn build_pool(database_url: &str, max_size: u32, checkout_timeout: Duration) -> DbPool {
    Pool::builder()
        .max_size(max_size)
        .min_idle(Some(max_size.min(2)))
        .connection_timeout(checkout_timeout)
        .test_on_check_out(true)
        .event_handler(Box::new(crate::metrics::PoolEvents))
        .build_unchecked(ConnectionManager::new(database_url))
}
