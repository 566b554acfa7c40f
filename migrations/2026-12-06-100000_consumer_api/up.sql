-- The Consumer API (docs/consumer-api.md): OAuth clients, registration challenges, bearer
-- tokens, sync runs and external events. Everything an identity owns here goes with it
-- (ON DELETE CASCADE), so the deletion job erases it in the identity's transaction.

CREATE TABLE oauth_clients (
    client_id      TEXT PRIMARY KEY CHECK (client_id ~ '^[A-Za-z0-9._-]{1,100}$'),
    -- SHA-256 of the secret: secrets are long random strings (at least 32 characters).
    secret_hash    BYTEA NOT NULL CHECK (octet_length(secret_hash) = 32),
    default_tier   TEXT NOT NULL REFERENCES tiers (id),
    max_identities INTEGER CHECK (max_identities >= 0),
    created_at     TIMESTAMPTZ NOT NULL
);

-- Counting a client's identities for its limit.
CREATE INDEX identities_client_id_idx ON identities (client_id);

CREATE TABLE challenges (
    id                TEXT PRIMARY KEY CHECK (id ~ '^CHL[A-Za-z0-9]{17}$'),
    created_at        TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL,
    -- Set when an authenticated device asked for it; anonymous (registration) otherwise.
    created_by        TEXT COLLATE "C" REFERENCES identities (address) ON DELETE CASCADE,
    created_by_device TEXT REFERENCES devices (id) ON DELETE CASCADE
);

CREATE INDEX challenges_expires_at_idx ON challenges (expires_at);

CREATE TABLE api_tokens (
    -- SHA-256 of the bearer token: the token is 32 random bytes, one hash finds it.
    token_hash       BYTEA PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    device_id        TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    identity_address TEXT COLLATE "C" NOT NULL REFERENCES identities (address) ON DELETE CASCADE,
    created_at       TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ NOT NULL
);

CREATE INDEX api_tokens_expires_at_idx ON api_tokens (expires_at);
CREATE INDEX api_tokens_device_idx ON api_tokens (device_id);
CREATE INDEX api_tokens_identity_idx ON api_tokens (identity_address);

CREATE TABLE sync_runs (
    id                     TEXT PRIMARY KEY CHECK (id ~ '^SYR[A-Za-z0-9]{17}$'),
    identity_address       TEXT COLLATE "C" NOT NULL REFERENCES identities (address) ON DELETE CASCADE,
    created_by_device      TEXT NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    run_type               TEXT NOT NULL CHECK (run_type IN ('ExternalEventSync', 'DatawalletVersionUpgrade')),
    run_index              BIGINT NOT NULL,
    created_at             TIMESTAMPTZ NOT NULL,
    expires_at             TIMESTAMPTZ NOT NULL,
    -- Running until finalized, or until a later start finds it expired.
    status                 TEXT NOT NULL DEFAULT 'Running'
        CHECK (status IN ('Running', 'Finalized', 'Expired')),
    finalized_at           TIMESTAMPTZ,
    event_count            INTEGER NOT NULL DEFAULT 0,
    new_datawallet_version INTEGER,
    UNIQUE (identity_address, run_index),
    CHECK ((status = 'Finalized') = (finalized_at IS NOT NULL))
);

-- One running sync run per identity, whatever the number of app instances.
CREATE UNIQUE INDEX sync_runs_one_running_per_identity
    ON sync_runs (identity_address) WHERE status = 'Running';
CREATE INDEX sync_runs_created_by_device_idx ON sync_runs (created_by_device);

CREATE TABLE external_events (
    id               TEXT PRIMARY KEY CHECK (id ~ '^EXT[A-Za-z0-9]{17}$'),
    identity_address TEXT COLLATE "C" NOT NULL REFERENCES identities (address) ON DELETE CASCADE,
    event_type       TEXT NOT NULL
        CHECK (event_type IN ('IdentityDeletionProcessStarted', 'IdentityDeletionProcessStatusChanged')),
    event_index      BIGINT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    payload          JSONB NOT NULL,
    -- The run delivering it now; null while it waits (again) for one.
    sync_run_id      TEXT REFERENCES sync_runs (id) ON DELETE SET NULL,
    sync_error_count INTEGER NOT NULL DEFAULT 0,
    synced_at        TIMESTAMPTZ,
    UNIQUE (identity_address, event_index)
);

-- The events still to deliver to an identity, in order.
CREATE INDEX external_events_unsynced_idx
    ON external_events (identity_address, event_index) WHERE synced_at IS NULL;
CREATE INDEX external_events_sync_run_idx ON external_events (sync_run_id) WHERE sync_run_id IS NOT NULL;

-- `IsDeleted` asks whether a device username's identity was deleted: the completed
-- deletions' entries keep the usernames' hashes.
CREATE INDEX audit_log_deleted_usernames_idx
    ON identity_deletion_process_audit_log USING gin (username_hashes)
    WHERE message_key = 'DeletionCompleted';
