//! The invariants a database must satisfy whatever happened to the app (load, a database
//! outage, a crash): one place, used by the stress, outage and crash tests.
//!
//! - at most one open process (`WaitingForApproval`, `Approved`, `Deleting`) per identity;
//! - every process's audit entries, in the order they were written, form a path of the state
//!   machine from its start to its current status;
//! - every process has exactly the audit entries its fields imply, and the reverse (no
//!   transition was half-written);
//! - every identity's status, tier and grace end match its open process, and it has a device;
//! - every completed deletion left no identity behind and wrote its `DataDeleted` steps.

use std::collections::{BTreeMap, HashMap, HashSet};

use backbone_admin::domain::identity::QUEUED_FOR_DELETION_TIER;
use backbone_admin::domain::{
    DeletionProcess, DeletionProcessId, Identity, IdentityStatus, MessageKey, ProcessStatus,
};
use backbone_admin::facade::models::AuditEntry;
use backbone_admin::schema::{
    devices, identities, identity_deletion_process_audit_log as audit_log,
    identity_deletion_processes as processes,
};
use diesel::prelude::*;

/// What the check looked at, for the tests to print.
#[derive(Debug, Default)]
pub struct Checked {
    pub identities: usize,
    pub processes: usize,
    pub audit_entries: usize,
    pub processes_by_status: BTreeMap<&'static str, usize>,
    pub entries_by_key: BTreeMap<&'static str, usize>,
}

impl std::fmt::Display for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} identities, {} processes {:?}, {} audit entries {:?}",
            self.identities,
            self.processes,
            self.processes_by_status,
            self.audit_entries,
            self.entries_by_key
        )
    }
}

/// Checks every invariant; panics listing all violations found.
pub fn check_invariants(conn: &mut PgConnection) -> Checked {
    // One snapshot, so that jobs still running elsewhere cannot make it inconsistent.
    conn.build_transaction()
        .repeatable_read()
        .read_only()
        .run(|conn| Ok::<_, diesel::result::Error>(check_in_snapshot(conn)))
        .expect("read the database for the invariant check")
}

fn check_in_snapshot(conn: &mut PgConnection) -> Checked {
    let identities: Vec<Identity> = identities::table
        .select(Identity::as_select())
        .load(conn)
        .expect("identities");
    let processes: Vec<DeletionProcess> = processes::table
        .select(DeletionProcess::as_select())
        .load(conn)
        .expect("processes");
    let entries: Vec<AuditEntry> = audit_log::table
        .order(audit_log::seq)
        .select(AuditEntry::as_select())
        .load(conn)
        .expect("audit entries");
    let with_devices: HashSet<String> = devices::table
        .select(devices::identity_address)
        .distinct()
        .load::<String>(conn)
        .expect("devices")
        .into_iter()
        .collect();

    let mut violations = Vec::new();
    let mut checked = Checked {
        identities: identities.len(),
        processes: processes.len(),
        audit_entries: entries.len(),
        ..Checked::default()
    };
    for entry in &entries {
        *checked
            .entries_by_key
            .entry(entry.message_key.as_str())
            .or_default() += 1;
    }
    let mut by_process: HashMap<&DeletionProcessId, Vec<&AuditEntry>> = HashMap::new();
    for entry in &entries {
        if let Some(id) = &entry.process_id {
            by_process.entry(id).or_default().push(entry);
        }
    }

    let mut open: HashMap<&str, Vec<&DeletionProcess>> = HashMap::new();
    for process in &processes {
        *checked
            .processes_by_status
            .entry(process.status.as_str())
            .or_default() += 1;
        if is_open(process.status) {
            open.entry(process.identity_address.as_str())
                .or_default()
                .push(process);
        }
        let entries = by_process.remove(&process.id).unwrap_or_default();
        if let Err(why) = check_path(process, &entries) {
            violations.push(format!("process {}: {why}", process.id));
        }
        if let Err(why) = check_fields(process, &entries) {
            violations.push(format!("process {}: {why}", process.id));
        }
    }
    for id in by_process.keys() {
        violations.push(format!(
            "audit entries of process {id}, which does not exist"
        ));
    }

    for identity in &identities {
        let address = identity.address.as_str();
        let open = open.remove(address).unwrap_or_default();
        if open.len() > 1 {
            violations.push(format!("identity {address}: {} open processes", open.len()));
        }
        if let Err(why) = check_identity(identity, open.first().copied()) {
            violations.push(format!("identity {address}: {why}"));
        }
        if !with_devices.contains(address) {
            violations.push(format!("identity {address}: no device"));
        }
    }
    for address in open.keys() {
        violations.push(format!(
            "open process of identity {address}, which does not exist"
        ));
    }
    check_completed_deletions(&entries, &identities, &processes, &mut violations);

    assert!(
        violations.is_empty(),
        "{} invariant violations:\n{}",
        violations.len(),
        violations.join("\n")
    );
    checked
}

fn is_open(status: ProcessStatus) -> bool {
    matches!(
        status,
        ProcessStatus::WaitingForApproval | ProcessStatus::Approved | ProcessStatus::Deleting
    )
}

/// The state machine: from `status`, which entry leads where. Reminders keep the status.
fn next_status(status: ProcessStatus, key: MessageKey) -> Option<ProcessStatus> {
    use MessageKey::*;
    use ProcessStatus::*;
    match (status, key) {
        (
            WaitingForApproval,
            ApprovalReminder1Sent | ApprovalReminder2Sent | ApprovalReminder3Sent,
        ) => Some(WaitingForApproval),
        (WaitingForApproval, MessageKey::Approved) => Some(ProcessStatus::Approved),
        (WaitingForApproval, MessageKey::Rejected) => Some(ProcessStatus::Rejected),
        (WaitingForApproval, CancelledAutomatically) => Some(Cancelled),
        (
            ProcessStatus::Approved,
            GracePeriodReminder1Sent | GracePeriodReminder2Sent | GracePeriodReminder3Sent,
        ) => Some(ProcessStatus::Approved),
        (ProcessStatus::Approved, CancelledByOwner | CancelledBySupport) => Some(Cancelled),
        (ProcessStatus::Approved, DeletionStarted) => Some(Deleting),
        (Deleting, ErrorDuringDeletion) => Some(Deleting),
        _ => None,
    }
}

/// Reminder number of a reminder key (1..=3), and whether it is an approval reminder.
fn reminder(key: MessageKey) -> Option<(bool, u8)> {
    use MessageKey::*;
    match key {
        ApprovalReminder1Sent => Some((true, 1)),
        ApprovalReminder2Sent => Some((true, 2)),
        ApprovalReminder3Sent => Some((true, 3)),
        GracePeriodReminder1Sent => Some((false, 1)),
        GracePeriodReminder2Sent => Some((false, 2)),
        GracePeriodReminder3Sent => Some((false, 3)),
        _ => None,
    }
}

fn check_path(process: &DeletionProcess, entries: &[&AuditEntry]) -> Result<(), String> {
    let keys: Vec<&str> = entries.iter().map(|e| e.message_key.as_str()).collect();
    let Some((first, rest)) = entries.split_first() else {
        return Err("no audit entries".into());
    };
    let mut status = match first.message_key {
        MessageKey::StartedBySupport => ProcessStatus::WaitingForApproval,
        MessageKey::StartedByOwner => ProcessStatus::Approved,
        other => return Err(format!("starts with {other}: {keys:?}")),
    };
    if first.old_status.is_some() || first.new_status != Some(status) {
        return Err(format!("first entry's statuses are wrong: {keys:?}"));
    }
    // Reminders of one kind are sent in increasing order, each at most once.
    let mut last_reminder: HashMap<bool, u8> = HashMap::new();
    for entry in rest {
        let key = entry.message_key;
        let next = next_status(status, key)
            .ok_or_else(|| format!("{key} is not allowed in {status}: {keys:?}"))?;
        if entry.old_status != Some(status) || entry.new_status != Some(next) {
            return Err(format!(
                "{key} recorded {:?} → {:?}, expected {status} → {next}: {keys:?}",
                entry.old_status, entry.new_status
            ));
        }
        if let Some((approval, number)) = reminder(key) {
            let last = last_reminder.entry(approval).or_default();
            if number <= *last {
                return Err(format!("reminder {key} after reminder {last}: {keys:?}"));
            }
            *last = number;
        }
        status = next;
    }
    if status != process.status {
        return Err(format!(
            "entries end in {status}, the process is {}: {keys:?}",
            process.status
        ));
    }
    Ok(())
}

/// Fields set ⇔ the entries that set them exist.
fn check_fields(process: &DeletionProcess, entries: &[&AuditEntry]) -> Result<(), String> {
    use MessageKey::*;
    let has = |keys: &[MessageKey]| entries.iter().any(|e| keys.contains(&e.message_key));
    let by_support = has(&[StartedBySupport]);
    let pairs: [(&str, bool, bool); 15] = [
        (
            "started_by_admin",
            process.started_by_admin.is_some(),
            by_support,
        ),
        (
            "approval_period_ends_at",
            process.approval_period_ends_at.is_some(),
            by_support,
        ),
        (
            "approval_reminder1_sent_at",
            process.approval_reminder1_sent_at.is_some(),
            has(&[ApprovalReminder1Sent]),
        ),
        (
            "approval_reminder2_sent_at",
            process.approval_reminder2_sent_at.is_some(),
            has(&[ApprovalReminder2Sent]),
        ),
        (
            "approval_reminder3_sent_at",
            process.approval_reminder3_sent_at.is_some(),
            has(&[ApprovalReminder3Sent]),
        ),
        (
            "approved_at",
            process.approved_at.is_some(),
            has(&[Approved, StartedByOwner]),
        ),
        (
            "approved_by_device",
            process.approved_by_device.is_some(),
            has(&[Approved, StartedByOwner]),
        ),
        (
            "grace_period_ends_at",
            process.grace_period_ends_at.is_some(),
            has(&[Approved, StartedByOwner]),
        ),
        (
            "grace_period_reminder1_sent_at",
            process.grace_period_reminder1_sent_at.is_some(),
            has(&[GracePeriodReminder1Sent]),
        ),
        (
            "grace_period_reminder2_sent_at",
            process.grace_period_reminder2_sent_at.is_some(),
            has(&[GracePeriodReminder2Sent]),
        ),
        (
            "grace_period_reminder3_sent_at",
            process.grace_period_reminder3_sent_at.is_some(),
            has(&[GracePeriodReminder3Sent]),
        ),
        (
            "rejected_at",
            process.rejected_at.is_some() && process.rejected_by_device.is_some(),
            has(&[Rejected]),
        ),
        (
            "cancelled_at",
            process.cancelled_at.is_some(),
            has(&[CancelledByOwner, CancelledBySupport, CancelledAutomatically]),
        ),
        (
            "cancelled_by_device or cancelled_by_admin",
            process.cancelled_by_device.is_some() || process.cancelled_by_admin.is_some(),
            has(&[CancelledByOwner, CancelledBySupport]),
        ),
        (
            "deletion_started_at",
            process.deletion_started_at.is_some(),
            has(&[DeletionStarted]),
        ),
    ];
    let wrong: Vec<String> = pairs
        .iter()
        .filter(|(_, field, entry)| field != entry)
        .map(|(name, field, entry)| format!("{name} set: {field}, its entry written: {entry}"))
        .collect();
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}

/// Active ⇔ no open process or one waiting; ToBeDeleted ⇔ Approved; Deleting ⇔ Deleting.
fn check_identity(identity: &Identity, open: Option<&DeletionProcess>) -> Result<(), String> {
    let status = open.map(|p| p.status);
    let queued = identity.tier_id == QUEUED_FOR_DELETION_TIER;
    let remembered = identity.tier_id_before_deletion.is_some();
    let grace_end = identity.deletion_grace_period_ends_at;
    let fine = match (identity.status, status) {
        (IdentityStatus::Active, None | Some(ProcessStatus::WaitingForApproval)) => {
            !queued && !remembered && grace_end.is_none()
        }
        (IdentityStatus::ToBeDeleted, Some(ProcessStatus::Approved))
        | (IdentityStatus::Deleting, Some(ProcessStatus::Deleting)) => {
            queued && remembered && grace_end == open.and_then(|p| p.grace_period_ends_at)
        }
        _ => false,
    };
    if fine {
        Ok(())
    } else {
        Err(format!(
            "status {} (tier {}, tier before {:?}, grace end {grace_end:?}) with open process {:?}",
            identity.status,
            identity.tier_id,
            identity.tier_id_before_deletion,
            open.map(|p| (&p.id, p.status, p.grace_period_ends_at))
        ))
    }
}

/// A `DeletionCompleted` entry means the identity and its process are gone, and both
/// `DataDeleted` steps were written for that process.
fn check_completed_deletions(
    entries: &[AuditEntry],
    identities: &[Identity],
    processes: &[DeletionProcess],
    violations: &mut Vec<String>,
) {
    let process_of = |entry: &AuditEntry| {
        entry.additional_data["processId"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let mut data_deleted: HashMap<String, usize> = HashMap::new();
    for entry in entries {
        if entry.message_key == MessageKey::DataDeleted {
            *data_deleted.entry(process_of(entry)).or_default() += 1;
        }
    }
    let hashes: HashSet<&[u8]> = identities
        .iter()
        .map(|i| i.address_hash.as_slice())
        .collect();
    let ids: HashSet<&str> = processes.iter().map(|p| p.id.as_str()).collect();
    let mut completed = HashSet::new();
    for entry in entries {
        if entry.message_key != MessageKey::DeletionCompleted {
            continue;
        }
        let id = process_of(entry);
        if hashes.contains(entry.identity_address_hash.as_slice()) {
            violations.push(format!("deletion {id} completed, but its identity exists"));
        }
        if ids.contains(id.as_str()) {
            violations.push(format!("deletion {id} completed, but its process exists"));
        }
        if data_deleted.get(&id) != Some(&2) {
            violations.push(format!(
                "deletion {id} completed with {:?} DataDeleted entries, expected 2",
                data_deleted.get(&id)
            ));
        }
        if !completed.insert(id.clone()) {
            violations.push(format!("deletion {id} completed twice"));
        }
    }
    for id in data_deleted.keys() {
        if !completed.contains(id) {
            violations.push(format!("data of {id} deleted without DeletionCompleted"));
        }
    }
}
