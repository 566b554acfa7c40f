//! Read-side use cases, one module per page or audience: what pages, the API and the CLI
//! show. Every read of an owner's data is scoped to that owner's identity. Lists are
//! keyset-paginated with a typed cursor each (`page.rs`).

pub mod activity;
pub mod audit;
pub mod dashboard;
pub mod identities;
pub mod numbered;
pub mod owner;
pub mod page;
pub mod processes;

use diesel::prelude::*;

use super::{Core, FacadeError, FacadeResult};

pub use dashboard::Dashboard;
pub use identities::{IdentityDetails, IdentityFilter, IdentityRow};
pub use owner::OwnerHome;
pub use page::{IdentityCursor, Page, PageCursor, ProcessCursor};

impl Core {
    /// Is the database reachable (for `/readyz`)?
    pub fn ping(&self) -> FacadeResult<()> {
        diesel::sql_query("SELECT 1").execute(&mut *self.conn()?)?;
        Ok(())
    }
}
