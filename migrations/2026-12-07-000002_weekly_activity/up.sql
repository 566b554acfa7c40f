-- The dashboard chart's counts of settled weeks (domain::activity): computed once from the
-- audit log the first time a week is shown after it ended, then read as they are. The
-- current week is always counted live. A week holds one row per kind, zeros included, so
-- that a week without activity is not counted again.
CREATE TABLE weekly_activity (
    week  TIMESTAMPTZ NOT NULL,
    kind  TEXT NOT NULL CHECK (kind IN ('Started', 'Approved', 'Rejected', 'Cancelled', 'Completed')),
    count BIGINT NOT NULL CHECK (count >= 0),
    PRIMARY KEY (week, kind)
);

-- Counting a week reads only the chart's message keys in that week.
CREATE INDEX audit_log_activity_idx ON identity_deletion_process_audit_log (created_at, message_key)
    WHERE message_key IN ('StartedBySupport', 'StartedByOwner', 'Approved', 'Rejected',
                          'CancelledByOwner', 'CancelledBySupport', 'CancelledAutomatically',
                          'DeletionCompleted');
