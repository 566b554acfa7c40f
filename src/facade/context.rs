//! The context every use case shares: where its queries run (the pool, or one connection
//! for a whole request), the clock, the configured periods and limits. [`Core`] is cheap to
//! clone; each audience's use cases are a small type borrowing it (`core.processes()`,
//! `core.accounts()`, …), declared with `use_case_type!` next to their methods.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use std::sync::{Arc, Mutex, MutexGuard};

use super::FacadeResult;
use super::read::dashboard::StatusCounts;
use super::recent::Recent;
use crate::clock::SharedClock;
use crate::db::{DbConn, DbPool};
use crate::domain::Periods;
use crate::domain::accounts::ApiKeyLimit;
use crate::domain::activity::WeekCounts;
use crate::domain::owner_limit::OwnerLimit;
use crate::domain::receipt::ReceiptSigner;

/// The shared context of all use cases.
#[derive(Clone, Debug)]
pub struct Core {
    connections: Connections,
    clock: SharedClock,
    pub(super) periods: Periods,
    pub(super) owner_limit: OwnerLimit,
    pub(super) api_key_limit: ApiKeyLimit,
    pub(super) receipt_signer: Arc<ReceiptSigner>,
    /// The dashboard's counts that scan large tables, shared by an instance's requests.
    pub(super) dashboard_counts: Arc<DashboardCounts>,
}

/// What the dashboard counts at most every so often (`read::dashboard`, `read::activity`).
#[derive(Debug, Default)]
pub(super) struct DashboardCounts {
    pub(super) open_weeks: Recent<Vec<WeekCounts>>,
    pub(super) by_status: Recent<StatusCounts>,
}

/// Where the facade's queries run: on a connection from the pool each, or all on one
/// connection checked out for a request (see [`Core::on_one_connection`]).
#[derive(Clone)]
enum Connections {
    Pool(DbPool),
    One(Arc<Mutex<DbConn>>),
}

impl std::fmt::Debug for Connections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Pool(_) => "Pool",
            Self::One(_) => "One",
        })
    }
}

/// A connection the facade is using: its own from the pool, or the request's.
pub(crate) enum Conn<'a> {
    Pooled(DbConn),
    Shared(MutexGuard<'a, DbConn>),
}

impl std::ops::Deref for Conn<'_> {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        match self {
            Self::Pooled(conn) => conn,
            Self::Shared(conn) => conn,
        }
    }
}

impl std::ops::DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut PgConnection {
        match self {
            Self::Pooled(conn) => conn,
            Self::Shared(conn) => conn,
        }
    }
}

impl Core {
    pub fn new(pool: DbPool, clock: SharedClock, periods: Periods) -> Self {
        Self {
            connections: Connections::Pool(pool),
            clock,
            periods,
            owner_limit: OwnerLimit::default(),
            api_key_limit: ApiKeyLimit::default(),
            // A key of this process alone; `serve` sets the deployment's shared one.
            receipt_signer: Arc::new(ReceiptSigner::generate()),
            dashboard_counts: Arc::default(),
        }
    }

    /// The same facade signing deletion receipts with `signer` (`RECEIPT_SIGNING_KEY`).
    pub fn with_receipt_signer(self, signer: ReceiptSigner) -> Self {
        Self {
            receipt_signer: Arc::new(signer),
            ..self
        }
    }

    /// The same facade with another hourly limit for owners (`OWNER_TRANSITIONS_PER_HOUR`).
    pub fn with_owner_limit(self, owner_limit: OwnerLimit) -> Self {
        Self {
            owner_limit,
            ..self
        }
    }

    /// The same facade with another per-key limit of the Admin API
    /// (`API_KEY_REQUESTS_PER_MINUTE`).
    pub fn with_api_key_limit(self, api_key_limit: ApiKeyLimit) -> Self {
        Self {
            api_key_limit,
            ..self
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn periods(&self) -> Periods {
        self.periods
    }

    /// Runs `work` with a facade whose every query uses one connection, checked out once:
    /// a request's whole database work (its session, then its page) costs one checkout.
    /// Work that is already on one connection stays on it.
    pub fn on_one_connection<T>(
        &self,
        work: impl FnOnce(&Self) -> FacadeResult<T>,
    ) -> FacadeResult<T> {
        match &self.connections {
            Connections::One(_) => work(self),
            Connections::Pool(pool) => work(&Self {
                connections: Connections::One(Arc::new(Mutex::new(pool.get()?))),
                clock: self.clock.clone(),
                periods: self.periods,
                owner_limit: self.owner_limit,
                api_key_limit: self.api_key_limit,
                receipt_signer: self.receipt_signer.clone(),
                dashboard_counts: self.dashboard_counts.clone(),
            }),
        }
    }

    /// A connection for one use case. On a request's one connection, use cases run one
    /// after another, never one inside another (that is a bug, and panics here).
    pub(crate) fn conn(&self) -> FacadeResult<Conn<'_>> {
        Ok(match &self.connections {
            Connections::Pool(pool) => Conn::Pooled(pool.get()?),
            Connections::One(conn) => Conn::Shared(
                conn.try_lock()
                    .expect("the request's connection is already in use by another facade call"),
            ),
        })
    }

    /// Runs `work` in one READ COMMITTED transaction; the row locks it takes order writers.
    pub(super) fn transaction<T>(
        &self,
        work: impl FnOnce(&mut PgConnection) -> FacadeResult<T>,
    ) -> FacadeResult<T> {
        let mut conn = self.conn()?;
        conn.build_transaction().read_committed().run(work)
    }
}
