-- API keys of admin accounts (the Admin API's `X-API-KEY`). Only the SHA-256 of a key is
-- kept: a key is 40 random alphanumeric characters after its `bba_` tag (about 238 bits),
-- far beyond guessing, so a fast hash suffices and checking a key is one indexed lookup.
CREATE TABLE admin_api_keys (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username          TEXT NOT NULL REFERENCES admin_users (username) ON DELETE CASCADE,
    name              TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- The key's first characters, shown on the account page to tell keys apart.
    prefix            TEXT NOT NULL CHECK (length(prefix) BETWEEN 4 AND 16),
    key_hash          BYTEA NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created_at        TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL CHECK (expires_at > created_at),
    last_used_at      TIMESTAMPTZ,
    revoked_at        TIMESTAMPTZ,
    -- Who revoked it (the account itself or an administrator).
    revoked_by        TEXT CHECK (length(revoked_by) BETWEEN 1 AND 100),
    -- The per-key rate limit: requests counted in a fixed one-minute window. Updated with
    -- last_used_at by the statement that checks the key (no indexed column changes, so the
    -- update stays a cheap heap-only one).
    window_started_at TIMESTAMPTZ,
    window_requests   INTEGER NOT NULL DEFAULT 0 CHECK (window_requests >= 0)
);

-- The account page lists an account's keys, newest first.
CREATE INDEX admin_api_keys_username_idx ON admin_api_keys (username, created_at DESC, id DESC);

-- Three more kinds of security event: a key created, revoked, or refused (unknown, revoked,
-- expired, or its account disabled).
ALTER TABLE security_events DROP CONSTRAINT security_events_kind_check;
ALTER TABLE security_events ADD CONSTRAINT security_events_kind_check CHECK (kind IN (
        'SignInSucceeded', 'SignInFailed', 'SignInThrottled', 'SecondFactorFailed',
        'SecondFactorEnrolled', 'SecondFactorTurnedOff', 'RecoveryCodeUsed', 'PasswordChanged',
        'PasswordReset', 'AccountCreated', 'AccountDisabled', 'AccountEnabled', 'RoleChanged',
        'SessionsEnded', 'ApiKeyCreated', 'ApiKeyRevoked', 'ApiKeyRefused'));
