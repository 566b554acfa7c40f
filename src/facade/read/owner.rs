//! The owner's home page: the identity, its open process and the latest notices.

use diesel::prelude::*;

use super::FacadeResult;
use super::identities::{Identities, load_identity};
use super::processes::load_open_process;
use crate::domain::{DeletionProcess, Identity, IdentityAddress};
use crate::facade::models::Notification;
use crate::schema::notifications;

/// An owner's identity, its open process and its latest notices.
#[derive(Debug, Clone)]
pub struct OwnerHome {
    pub identity: Identity,
    pub open_process: Option<DeletionProcess>,
    /// Newest first.
    pub notices: Vec<Notification>,
}

fn load_notifications(
    conn: &mut PgConnection,
    address: &IdentityAddress,
    limit: i64,
) -> FacadeResult<Vec<Notification>> {
    Ok(notifications::table
        .filter(notifications::identity_address.eq(address))
        .order((notifications::created_at.desc(), notifications::id.desc()))
        .limit(limit)
        .select(Notification::as_select())
        .load(conn)?)
}

impl Identities<'_> {
    /// What the owner's page shows, read over one connection.
    pub fn owner_home(&self, address: &IdentityAddress, notices: i64) -> FacadeResult<OwnerHome> {
        let mut conn = self.core.conn()?;
        Ok(OwnerHome {
            identity: load_identity(&mut conn, address)?,
            open_process: load_open_process(&mut conn, address)?,
            notices: load_notifications(&mut conn, address, notices)?,
        })
    }

    /// The owner's notices, newest first.
    pub fn notifications_of(
        &self,
        address: &IdentityAddress,
        limit: i64,
    ) -> FacadeResult<Vec<Notification>> {
        load_notifications(&mut *self.core.conn()?, address, limit)
    }
}
