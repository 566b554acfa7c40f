//! Deletion processes: the admin list of all, and one identity's (its open one, the
//! approved one, one by ID, all of them). Reads are scoped to the identity given.

use diesel::prelude::*;

use super::page::{Page, ProcessCursor, fetch, newest_before, page_of};
use super::{FacadeError, FacadeResult};
use crate::domain::accounts::Role;
use crate::domain::{
    DeletionProcess, DeletionProcessId, DomainError, IdentityAddress, ProcessActions, ProcessStatus,
};
use crate::facade::IdentityDeletionProcessFacade;
use crate::schema::identity_deletion_processes as processes;

pub(super) fn load_open_process(
    conn: &mut PgConnection,
    address: &IdentityAddress,
) -> FacadeResult<Option<DeletionProcess>> {
    Ok(processes::table
        .filter(processes::identity_address.eq(address))
        .filter(processes::status.eq_any(ProcessStatus::OPEN))
        .select(DeletionProcess::as_select())
        .first(conn)
        .optional()?)
}

impl IdentityDeletionProcessFacade<'_> {
    /// The approved process of an identity (the "active" one).
    pub fn active_process(&self, address: &IdentityAddress) -> FacadeResult<DeletionProcess> {
        processes::table
            .filter(processes::identity_address.eq(address))
            .filter(processes::status.eq(ProcessStatus::Approved))
            .select(DeletionProcess::as_select())
            .first(&mut *self.core.conn()?)
            .optional()?
            .ok_or(FacadeError::Domain(DomainError::NoActiveProcess))
    }

    /// The open process of an identity (waiting, approved or deleting), if any.
    pub fn open_process(&self, address: &IdentityAddress) -> FacadeResult<Option<DeletionProcess>> {
        load_open_process(&mut *self.core.conn()?, address)
    }

    /// One process of this identity; another identity's ID is "not found".
    pub fn process(
        &self,
        address: &IdentityAddress,
        id: &DeletionProcessId,
    ) -> FacadeResult<DeletionProcess> {
        crate::facade::find_process(&mut *self.core.conn()?, address, id, false)
    }

    /// One process of this identity (as [`Self::process`]) and what an admin of `role` may
    /// do with it now.
    pub fn process_for_admin(
        &self,
        role: Role,
        address: &IdentityAddress,
        id: &DeletionProcessId,
    ) -> FacadeResult<(DeletionProcess, ProcessActions)> {
        let process = self.process(address, id)?;
        let actions = ProcessActions::for_admin(role, &process, self.core.now());
        Ok((process, actions))
    }

    /// All processes of an identity, newest first.
    pub fn processes_of(&self, address: &IdentityAddress) -> FacadeResult<Vec<DeletionProcess>> {
        Ok(processes::table
            .filter(processes::identity_address.eq(address))
            .order((processes::created_at.desc(), processes::id.desc()))
            .select(DeletionProcess::as_select())
            .load(&mut *self.core.conn()?)?)
    }

    /// Every process, newest first, optionally of one status.
    pub fn list_processes(
        &self,
        status: Option<ProcessStatus>,
        after: Option<&ProcessCursor>,
        limit: usize,
    ) -> FacadeResult<Page<DeletionProcess, ProcessCursor>> {
        load_process_page(&mut *self.core.conn()?, status, None, after, limit)
    }

    /// A page of one identity's processes, newest first (the owner's history).
    pub fn processes_page_of(
        &self,
        address: &IdentityAddress,
        after: Option<&ProcessCursor>,
        limit: usize,
    ) -> FacadeResult<Page<DeletionProcess, ProcessCursor>> {
        load_process_page(&mut *self.core.conn()?, None, Some(address), after, limit)
    }
}

/// A page of processes, newest first, optionally of one status and of one identity.
pub(super) fn load_process_page(
    conn: &mut PgConnection,
    status: Option<ProcessStatus>,
    identity: Option<&IdentityAddress>,
    after: Option<&ProcessCursor>,
    limit: usize,
) -> FacadeResult<Page<DeletionProcess, ProcessCursor>> {
    let mut query = processes::table
        .select(DeletionProcess::as_select())
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(processes::status.eq(status));
    }
    if let Some(address) = identity {
        query = query.filter(processes::identity_address.eq(address.clone()));
    }
    if let Some(cursor) = after {
        query = query.filter(newest_before(
            "identity_deletion_processes.created_at",
            "identity_deletion_processes.id",
            cursor.created_at,
            cursor.id.as_str(),
        ));
    }
    let rows = query
        .order((processes::created_at.desc(), processes::id.desc()))
        .limit(fetch(limit))
        .load(conn)?;
    Ok(page_of(rows, limit, |p| ProcessCursor {
        created_at: p.created_at,
        id: p.id.clone(),
    }))
}
