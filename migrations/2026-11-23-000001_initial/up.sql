-- Backbone Admin: identities, devices, tiers, deletion processes, audit log, outbox, admins, sessions.

CREATE TABLE tiers (
    id   TEXT PRIMARY KEY CHECK (id ~ '^TIR[A-Za-z0-9]{17}$'),
    name TEXT NOT NULL UNIQUE
);

INSERT INTO tiers (id, name) VALUES
    ('TIRBASIC000000000000', 'Basic'),
    ('TIR00000000000000001', 'Queued for Deletion');

CREATE TABLE identities (
    -- Byte order ("C"): prefix search is a range scan of the primary key, whatever the
    -- database's locale.
    address                       TEXT COLLATE "C" PRIMARY KEY
        CHECK (address ~ '^did:e:[a-z0-9]([a-z0-9.-]*[a-z0-9])?(%3[aA][0-9]+)?:dids:[0-9a-f]{22}$'),
    client_id                     TEXT NOT NULL,
    created_at                    TIMESTAMPTZ NOT NULL,
    status                        TEXT NOT NULL DEFAULT 'Active'
        CHECK (status IN ('Active', 'ToBeDeleted', 'Deleting')),
    tier_id                       TEXT NOT NULL REFERENCES tiers (id),
    tier_id_before_deletion       TEXT REFERENCES tiers (id),
    deletion_grace_period_ends_at TIMESTAMPTZ,
    -- PBKDF2 of the address, computed once at creation and copied into every audit entry.
    address_hash                  BYTEA NOT NULL CHECK (octet_length(address_hash) = 32),
    -- An identity that is being deleted remembers its tier and when its grace period ends.
    CHECK ((status = 'Active') = (deletion_grace_period_ends_at IS NULL)),
    CHECK ((status = 'Active') = (tier_id_before_deletion IS NULL))
);

-- Keyset pagination of the admin identity list (newest first) and its status filter.
CREATE INDEX identities_created_at_idx ON identities (created_at DESC, address DESC);
CREATE INDEX identities_status_created_at_idx ON identities (status, created_at DESC, address DESC);

CREATE TABLE devices (
    id               TEXT PRIMARY KEY CHECK (id ~ '^DVC[A-Za-z0-9]{17}$'),
    identity_address TEXT COLLATE "C" NOT NULL REFERENCES identities (address) ON DELETE CASCADE,
    -- Byte order, like identities.address: the unique index serves prefix search.
    username         TEXT COLLATE "C" NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 100),
    password_hash    TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at       TIMESTAMPTZ NOT NULL,
    id_hash          BYTEA NOT NULL CHECK (octet_length(id_hash) = 32),
    username_hash    BYTEA NOT NULL CHECK (octet_length(username_hash) = 32)
);

CREATE INDEX devices_identity_address_idx ON devices (identity_address);

CREATE TABLE admin_users (
    username      TEXT PRIMARY KEY CHECK (length(username) BETWEEN 1 AND 100),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE identity_deletion_processes (
    id                             TEXT PRIMARY KEY CHECK (id ~ '^IDP[A-Za-z0-9]{17}$'),
    identity_address               TEXT COLLATE "C" NOT NULL REFERENCES identities (address) ON DELETE CASCADE,
    status                         TEXT NOT NULL
        CHECK (status IN ('WaitingForApproval', 'Approved', 'Rejected', 'Cancelled', 'Deleting')),
    created_at                     TIMESTAMPTZ NOT NULL,
    started_by_admin               TEXT REFERENCES admin_users (username) ON UPDATE CASCADE ON DELETE SET NULL,
    approval_period_ends_at        TIMESTAMPTZ,
    approval_reminder1_sent_at     TIMESTAMPTZ,
    approval_reminder2_sent_at     TIMESTAMPTZ,
    approval_reminder3_sent_at     TIMESTAMPTZ,
    approved_at                    TIMESTAMPTZ,
    approved_by_device             TEXT,
    grace_period_ends_at           TIMESTAMPTZ,
    grace_period_reminder1_sent_at TIMESTAMPTZ,
    grace_period_reminder2_sent_at TIMESTAMPTZ,
    grace_period_reminder3_sent_at TIMESTAMPTZ,
    rejected_at                    TIMESTAMPTZ,
    rejected_by_device             TEXT,
    cancelled_at                   TIMESTAMPTZ,
    cancelled_by_device            TEXT,
    cancelled_by_admin             TEXT REFERENCES admin_users (username) ON UPDATE CASCADE ON DELETE SET NULL,
    deletion_started_at            TIMESTAMPTZ,
    -- The fields each status needs are present.
    CHECK (status <> 'WaitingForApproval' OR approval_period_ends_at IS NOT NULL),
    CHECK (status NOT IN ('Approved', 'Deleting') OR (approved_at IS NOT NULL AND grace_period_ends_at IS NOT NULL)),
    CHECK (status <> 'Rejected' OR rejected_at IS NOT NULL),
    CHECK (status <> 'Cancelled' OR cancelled_at IS NOT NULL),
    CHECK (status <> 'Deleting' OR deletion_started_at IS NOT NULL)
);

-- The invariant: at most one open process per identity, whatever the number of app instances.
CREATE UNIQUE INDEX identity_deletion_processes_one_open_per_identity
    ON identity_deletion_processes (identity_address)
    WHERE status IN ('WaitingForApproval', 'Approved', 'Deleting');

CREATE INDEX identity_deletion_processes_identity_idx
    ON identity_deletion_processes (identity_address, created_at DESC);
CREATE INDEX identity_deletion_processes_status_created_idx
    ON identity_deletion_processes (status, created_at DESC, id DESC);
CREATE INDEX identity_deletion_processes_created_idx
    ON identity_deletion_processes (created_at DESC, id DESC);
CREATE INDEX identity_deletion_processes_waiting_idx
    ON identity_deletion_processes (approval_period_ends_at) WHERE status = 'WaitingForApproval';
CREATE INDEX identity_deletion_processes_approved_idx
    ON identity_deletion_processes (grace_period_ends_at) WHERE status = 'Approved';
CREATE INDEX identity_deletion_processes_finished_idx
    ON identity_deletion_processes ((COALESCE(rejected_at, cancelled_at)))
    WHERE status IN ('Rejected', 'Cancelled');

CREATE TABLE identity_deletion_process_audit_log (
    id                    TEXT PRIMARY KEY CHECK (id ~ '^IDA[A-Za-z0-9]{17}$'),
    -- Entries outlive the process (housekeeping, deletion) and the identity.
    process_id            TEXT REFERENCES identity_deletion_processes (id) ON DELETE SET NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    message_key           TEXT NOT NULL CHECK (message_key IN (
        'StartedBySupport', 'StartedByOwner', 'Approved', 'Rejected', 'CancelledByOwner',
        'CancelledBySupport', 'CancelledAutomatically',
        'ApprovalReminder1Sent', 'ApprovalReminder2Sent', 'ApprovalReminder3Sent',
        'GracePeriodReminder1Sent', 'GracePeriodReminder2Sent', 'GracePeriodReminder3Sent',
        'DeletionStarted', 'DataDeleted', 'DeletionCompleted', 'ErrorDuringDeletion')),
    old_status            TEXT
        CHECK (old_status IN ('WaitingForApproval', 'Approved', 'Rejected', 'Cancelled', 'Deleting')),
    new_status            TEXT
        CHECK (new_status IN ('WaitingForApproval', 'Approved', 'Rejected', 'Cancelled', 'Deleting')),
    additional_data       JSONB NOT NULL DEFAULT '{}'::jsonb,
    -- Personal data only as PBKDF2 hashes, so the log may be kept after deletion.
    identity_address_hash BYTEA NOT NULL CHECK (octet_length(identity_address_hash) = 32),
    device_id_hash        BYTEA CHECK (octet_length(device_id_hash) = 32),
    username_hashes       BYTEA[] NOT NULL DEFAULT '{}',
    -- Insertion order: entries of one transaction share their created_at.
    seq                   BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
);

CREATE INDEX audit_log_address_hash_idx
    ON identity_deletion_process_audit_log (identity_address_hash, created_at, seq);
CREATE INDEX audit_log_process_idx
    ON identity_deletion_process_audit_log (process_id, created_at, seq);
CREATE INDEX audit_log_created_idx
    ON identity_deletion_process_audit_log (created_at DESC, seq DESC);

-- Notices to owners (there is no push service): the owner's page shows them.
CREATE TABLE notifications (
    id               BIGSERIAL PRIMARY KEY,
    identity_address TEXT COLLATE "C" NOT NULL REFERENCES identities (address) ON DELETE CASCADE,
    process_id       TEXT REFERENCES identity_deletion_processes (id) ON DELETE SET NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    kind             TEXT NOT NULL,
    payload          JSONB NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX notifications_identity_idx ON notifications (identity_address, created_at DESC, id DESC);
-- Removing a process sets its notices' process_id to null: find them without a scan.
CREATE INDEX notifications_process_idx ON notifications (process_id) WHERE process_id IS NOT NULL;

-- Server-side web sessions, so that signing out really ends a session on every instance.
CREATE TABLE web_sessions (
    id         TEXT PRIMARY KEY,
    state      JSONB NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX web_sessions_expires_idx ON web_sessions (expires_at);
