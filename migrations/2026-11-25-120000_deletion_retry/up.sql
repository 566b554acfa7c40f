-- Failing deletions back off: how many attempts to delete the identity's data have failed,
-- and when the next one is due (NULL: at the next jobs run).
ALTER TABLE identity_deletion_processes
    ADD COLUMN deletion_attempts INTEGER NOT NULL DEFAULT 0 CHECK (deletion_attempts >= 0),
    ADD COLUMN next_deletion_attempt_at TIMESTAMPTZ,
    ADD CHECK (status = 'Deleting' OR (deletion_attempts = 0 AND next_deletion_attempt_at IS NULL));
