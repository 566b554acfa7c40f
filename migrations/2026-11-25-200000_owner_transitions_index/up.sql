-- The owners' hourly limit reads an owner's newest transitions (facade/owner_limit.rs): the
-- entries of the identity that name a device and a process. This index holds just those,
-- with their time, so the read is an index-only scan instead of one heap page per entry
-- (an identity's entries are spread over the log: 1,298 entries cost 1,230 page reads).
CREATE INDEX audit_log_owner_transitions_idx
    ON identity_deletion_process_audit_log (identity_address_hash, created_at)
    WHERE device_id_hash IS NOT NULL AND process_id IS NOT NULL;

-- The log only grows, so only insert-triggered vacuums mark its pages all-visible, which
-- index-only scans need; by default that waits for 20 % of the table in new rows.
ALTER TABLE identity_deletion_process_audit_log
    SET (autovacuum_vacuum_insert_scale_factor = 0.01);
