-- Sessions hold who is signed in, not an opaque state blob. Anonymous visitors have no row
-- (their CSRF token and flash messages live in the encrypted cookie); a row exists only from
-- sign-in to sign-out or expiry. Its principal is a foreign key, so deleting an admin or an
-- identity (or a device) deletes its sessions in the same transaction.
DROP TABLE web_sessions;

CREATE TABLE web_sessions (
    -- SHA-256 of the random session ID, which only the encrypted cookie holds.
    id_hash              BYTEA PRIMARY KEY CHECK (octet_length(id_hash) = 32),
    admin_username       TEXT REFERENCES admin_users (username) ON UPDATE CASCADE ON DELETE CASCADE,
    identity_address     TEXT COLLATE "C" REFERENCES identities (address) ON DELETE CASCADE,
    device_id            TEXT REFERENCES devices (id) ON DELETE CASCADE,
    -- An admin who passed the password step but not yet the second factor, until then.
    second_factor_due_by TIMESTAMPTZ,
    signed_in_at         TIMESTAMPTZ NOT NULL,
    last_seen_at         TIMESTAMPTZ NOT NULL,
    -- The earlier of the idle and the absolute timeout; only for sweeping old rows.
    expires_at           TIMESTAMPTZ NOT NULL,
    -- Exactly one principal: an admin, or an owner (identity and device).
    CHECK ((admin_username IS NULL) = (identity_address IS NOT NULL)),
    CHECK ((identity_address IS NULL) = (device_id IS NULL)),
    CHECK (second_factor_due_by IS NULL OR admin_username IS NOT NULL)
);

CREATE INDEX web_sessions_admin_idx ON web_sessions (admin_username) WHERE admin_username IS NOT NULL;
CREATE INDEX web_sessions_identity_idx ON web_sessions (identity_address) WHERE identity_address IS NOT NULL;
CREATE INDEX web_sessions_device_idx ON web_sessions (device_id) WHERE device_id IS NOT NULL;
CREATE INDEX web_sessions_expires_idx ON web_sessions (expires_at);
