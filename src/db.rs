//! Connection pool and embedded migrations.
//!
//! Checking a connection out costs no round trip while the app is busy. A connection in
//! use is not tested with `SELECT 1` before each use; instead every connection watches its
//! own queries, and one that lost its server is discarded:
//! - the query that meets the loss fails (its request answers 503), and the connection is
//!   then reported broken to the pool, which closes it instead of taking it back;
//! - connections that were idle in the pool meanwhile are likely dead too (a database
//!   restart kills them all): every connection opened before the latest loss was seen is
//!   refused at checkout, without a round trip, and replaced by a fresh one;
//! - a connection unused for longer than [`QUIET`] is tested before use, so that after a
//!   quiet spell (a database restarted at night) no request meets a dead connection.
//!
//! The pool reports itself in the metrics (`db_pool_*`) through the `metrics` macros.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::{Connection, Instrumentation, InstrumentationEvent};
use diesel::pg::PgConnection;
use diesel::r2d2::{Builder, ConnectionManager, ManageConnection, Pool, PooledConnection};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub type DbPool = Pool<PgManager>;
pub type DbConn = PooledConnection<PgManager>;

/// A connection unused for longer than this is tested before use (no busy pool waits so long
/// between two uses of its most recently returned connection).
pub const QUIET: Duration = Duration::from_secs(1);

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Applies pending migrations; returns how many ran.
pub fn run_migrations(conn: &mut PgConnection) -> Result<usize, BoxError> {
    Ok(conn.run_pending_migrations(MIGRATIONS)?.len())
}

/// A bounded pool. A request waits at most `checkout_timeout` for a connection (then it
/// gets a 503, never a hang). Dead connections are recognised as the module says.
pub fn build_pool(database_url: &str, max_size: u32, checkout_timeout: Duration) -> DbPool {
    pool_builder(max_size, checkout_timeout).build_unchecked(PgManager::new(database_url))
}

/// The settings of [`build_pool`], for callers that add to them (tests count checkouts).
pub fn pool_builder(max_size: u32, checkout_timeout: Duration) -> Builder<PgManager> {
    Pool::builder()
        .max_size(max_size)
        .min_idle(Some(max_size.min(2)))
        .connection_timeout(checkout_timeout)
        // The "test" is `PgManager::is_valid`: a flag and a counter, a query only after QUIET.
        .test_on_check_out(true)
        .event_handler(Box::new(PoolEvents))
}

/// Pool events, recorded through the `metrics` macros: the time each checkout waited, and
/// the checkouts that timed out.
#[derive(Debug, Clone, Copy)]
pub struct PoolEvents;

impl r2d2::HandleEvent for PoolEvents {
    fn handle_checkout(&self, event: r2d2::event::CheckoutEvent) {
        ::metrics::histogram!("db_pool_wait_seconds").record(event.duration().as_secs_f64());
    }

    fn handle_timeout(&self, event: r2d2::event::TimeoutEvent) {
        ::metrics::counter!("db_pool_checkout_timeouts_total").increment(1);
        ::metrics::histogram!("db_pool_wait_seconds").record(event.timeout().as_secs_f64());
    }
}

/// The pool's connections in use and idle, as gauges (set before each scrape).
pub fn record_pool_state(pool: &DbPool) {
    let state = pool.state();
    ::metrics::gauge!("db_pool_connections_idle").set(f64::from(state.idle_connections));
    ::metrics::gauge!("db_pool_connections_in_use").set(f64::from(
        state.connections.saturating_sub(state.idle_connections),
    ));
}

/// Whether a query error means the connection to the server is gone (server stopped or
/// restarted, network cut) rather than a problem of the query.
pub fn is_lost_connection(error: &DieselError) -> bool {
    match error {
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => true,
        DieselError::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            is_connection_failure(info.message())
        }
        _ => false,
    }
}

/// libpq reports a lost server as an unclassified error; recognise it by its wording.
fn is_connection_failure(message: &str) -> bool {
    const SIGNS: [&str; 11] = [
        "server closed the connection",
        "terminating connection",
        "no connection to the server",
        "could not connect",
        "connection to server",
        "the database system is shutting down",
        "the database system is starting up",
        "could not receive data from server",
        "could not send data to server",
        "SSL SYSCALL error",
        "Connection reset",
    ];
    SIGNS.iter().any(|sign| message.contains(sign))
}

/// Opens PostgreSQL connections for the pool and tells it which ones are dead.
#[derive(Debug)]
pub struct PgManager {
    inner: ConnectionManager<PgConnection>,
    /// How many times a connection of this pool has seen the server go away.
    losses: Arc<AtomicU64>,
}

impl PgManager {
    pub fn new(database_url: &str) -> Self {
        Self {
            inner: ConnectionManager::new(database_url),
            losses: Arc::new(AtomicU64::new(0)),
        }
    }
}

/// Rides along in each connection (as its Diesel instrumentation) and notes a lost server.
struct Watch {
    /// The pool's loss count when this connection was opened.
    opened_after: u64,
    lost: bool,
    last_used: Instant,
    losses: Arc<AtomicU64>,
}

impl Instrumentation for Watch {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::FinishQuery { error, .. } = event {
            self.last_used = Instant::now();
            if let Some(error) = error
                && !self.lost
                && is_lost_connection(error)
            {
                self.lost = true;
                self.losses.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

impl PgManager {
    /// What the connection's own queries say about it, without a round trip.
    fn health(&self, conn: &mut PgConnection) -> Health {
        let losses = self.losses.load(Ordering::Relaxed);
        match conn.instrumentation().downcast_ref::<Watch>() {
            Some(watch) if watch.lost || watch.opened_after < losses => Health::Dead,
            Some(watch) if watch.last_used.elapsed() <= QUIET => Health::Busy,
            Some(_) => Health::Quiet,
            None => Health::Dead,
        }
    }
}

enum Health {
    /// Lost its server, or opened before the server was last seen to go away.
    Dead,
    /// Used moments ago: as good as tested.
    Busy,
    /// Unused for a while: test it.
    Quiet,
}

impl ManageConnection for PgManager {
    type Connection = PgConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<PgConnection, Self::Error> {
        let opened_after = self.losses.load(Ordering::Relaxed);
        let mut conn = self.inner.connect()?;
        conn.set_instrumentation(Watch {
            opened_after,
            lost: false,
            last_used: Instant::now(),
            losses: self.losses.clone(),
        });
        Ok(conn)
    }

    /// Runs at checkout: what the connection's own queries have shown; a query only for a
    /// connection that has been quiet.
    fn is_valid(&self, conn: &mut PgConnection) -> Result<(), Self::Error> {
        match self.health(conn) {
            Health::Busy => Ok(()),
            Health::Quiet => self.inner.is_valid(conn),
            Health::Dead => Err(diesel::r2d2::Error::QueryError(
                DieselError::BrokenTransactionManager,
            )),
        }
    }

    /// Runs when a connection is given back: a dead one is closed, not kept.
    fn has_broken(&self, conn: &mut PgConnection) -> bool {
        self.inner.has_broken(conn) || matches!(self.health(conn), Health::Dead)
    }
}
