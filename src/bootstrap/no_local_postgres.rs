//! Stand-in for `crate::pg_local` in builds without the `local-postgres` feature (a
//! production build): there is no embedded cluster, so `DATABASE_URL` must be set.

use std::path::Path;

use crate::db::BoxError;

/// Never constructed: opening a database without `DATABASE_URL` fails before.
pub enum LocalCluster {}

impl LocalCluster {
    pub fn ensure_running(_data_dir: &Path) -> Result<LocalCluster, BoxError> {
        Err(
            "DATABASE_URL is not set, and this build has no embedded local PostgreSQL (it was \
             built without the `local-postgres` feature): set DATABASE_URL to a postgres:// URL"
                .into(),
        )
    }

    pub fn ensure_database(&self, _name: &str) -> Result<bool, BoxError> {
        match *self {}
    }

    pub fn database_url(&self, _dbname: &str) -> String {
        match *self {}
    }

    pub fn started_here(&self) -> bool {
        match *self {}
    }

    pub fn stop(&self) -> Result<(), BoxError> {
        match *self {}
    }
}
