DROP INDEX identity_deletion_processes_waiting_idx;
CREATE INDEX identity_deletion_processes_waiting_idx
    ON identity_deletion_processes (approval_period_ends_at) WHERE status = 'WaitingForApproval';
DROP INDEX identity_deletion_processes_approved_idx;
CREATE INDEX identity_deletion_processes_approved_idx
    ON identity_deletion_processes (grace_period_ends_at) WHERE status = 'Approved';
