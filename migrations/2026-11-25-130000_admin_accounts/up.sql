-- Admin accounts managed in the app: roles, enabling, one-time passwords, a TOTP second
-- factor and its recovery codes (SPEC section 6).

ALTER TABLE admin_users
    -- Accounts that existed before roles could do everything: they stay administrators.
    ADD COLUMN role TEXT NOT NULL DEFAULT 'administrator'
        CHECK (role IN ('auditor', 'support', 'administrator')),
    ADD COLUMN enabled BOOLEAN NOT NULL DEFAULT TRUE,
    -- Set for a generated one-time password: the account must choose its own at sign-in.
    ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN last_sign_in_at TIMESTAMPTZ,
    -- The shared TOTP secret (20 random bytes) once enrolment is confirmed; NULL = no second
    -- factor. Kept as plain bytes: see src/facade/accounts/second_factor.rs for why.
    ADD COLUMN totp_secret BYTEA CHECK (octet_length(totp_secret) BETWEEN 16 AND 64),
    -- An enrolment that was started but not yet confirmed with a correct code.
    ADD COLUMN totp_pending_secret BYTEA CHECK (octet_length(totp_pending_secret) BETWEEN 16 AND 64),
    -- The last 30-second step whose code was accepted: a code of that step or an earlier
    -- one is refused (no replay).
    ADD COLUMN totp_last_step BIGINT;

-- New accounts name their role.
ALTER TABLE admin_users ALTER COLUMN role DROP DEFAULT;

-- "The last enabled administrator" is counted on every role change and disabling.
CREATE INDEX admin_users_enabled_administrators_idx
    ON admin_users (username) WHERE role = 'administrator' AND enabled;

CREATE TABLE admin_recovery_codes (
    username   TEXT NOT NULL REFERENCES admin_users (username) ON UPDATE CASCADE ON DELETE CASCADE,
    -- SHA-256 of the account and the code (80 random bits; see domain/accounts/recovery.rs).
    code_hash  BYTEA NOT NULL CHECK (octet_length(code_hash) = 32),
    created_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    PRIMARY KEY (username, code_hash)
);
