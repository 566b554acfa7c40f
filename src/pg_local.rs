//! Project-local PostgreSQL cluster (placeholder until the harness branch lands).
use std::path::Path;
pub struct LocalCluster;
impl LocalCluster {
    pub fn ensure_running(_: &Path) -> Result<Self, crate::db::BoxError> {
        Err("not yet".into())
    }
    pub fn ensure_database(&self, _: &str) -> Result<(), crate::db::BoxError> {
        Ok(())
    }
    pub fn database_url(&self, _: &str) -> String {
        String::new()
    }
    pub fn started_here(&self) -> bool {
        false
    }
    pub fn stop(&self) {}
}
