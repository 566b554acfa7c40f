//! The audit log as admins read it: one process's entries, or an address's (by its hash,
//! so that it works after the identity is gone).

use diesel::prelude::*;

use super::FacadeResult;
use crate::domain::{DeletionProcess, DeletionProcessId, IdentityAddress};
use crate::facade::models::AuditEntry;
use crate::pseudonyms::audit_hash;
use crate::schema::identity_deletion_process_audit_log as audit_log;

use_case_type! {
    /// The audit log of deletion processes, by process or by address.
    audit_log => AuditLog
}

impl AuditLog<'_> {
    /// The audit entries of one process of this identity, oldest first.
    pub fn audit_log_of_process(
        &self,
        address: &IdentityAddress,
        id: &DeletionProcessId,
    ) -> FacadeResult<Vec<AuditEntry>> {
        let process = self.core.processes().process(address, id)?;
        self.audit_log_of(&process)
    }

    /// The audit entries of a process the caller has already read (scoped to its identity,
    /// e.g. with `processes().process`), oldest first: the process is not read again.
    pub fn audit_log_of(&self, process: &DeletionProcess) -> FacadeResult<Vec<AuditEntry>> {
        Ok(audit_log::table
            .filter(audit_log::process_id.eq(&process.id))
            .order((audit_log::created_at, audit_log::seq))
            .select(AuditEntry::as_select())
            .load(&mut *self.core.conn()?)?)
    }

    /// Every audit entry for an address, oldest first. Hashing costs tens of milliseconds:
    /// call it on the blocking pool.
    pub fn audit_log_by_address(&self, address: &IdentityAddress) -> FacadeResult<Vec<AuditEntry>> {
        let hash = audit_hash(address.as_str());
        Ok(audit_log::table
            .filter(audit_log::identity_address_hash.eq(hash))
            .order((audit_log::created_at, audit_log::seq))
            .select(AuditEntry::as_select())
            .load(&mut *self.core.conn()?)?)
    }
}
