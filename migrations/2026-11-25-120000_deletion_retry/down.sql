ALTER TABLE identity_deletion_processes
    DROP COLUMN next_deletion_attempt_at,
    DROP COLUMN deletion_attempts;
