-- Sign-in throttling state shared by every app instance, and the security-event log.

-- One row per failed sign-in (successes are not recorded; a success deletes its pair's
-- rows). Rows older than the longest window (an hour) are pruned as failures are recorded.
CREATE TABLE sign_in_failures (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             TIMESTAMPTZ NOT NULL,
    realm          TEXT NOT NULL CHECK (realm IN ('admin', 'owner')),
    -- Admins: the username. Owners: hex of the PBKDF2 hash of the device username, as in the
    -- audit log; never the clear text.
    username_key   TEXT NOT NULL CHECK (length(username_key) BETWEEN 1 AND 100),
    -- The client network as CIDR: IPv4 /32 or IPv6 /64.
    client_network TEXT NOT NULL CHECK (length(client_network) BETWEEN 4 AND 43),
    -- The known-browser cookie's random ID when the browser was known to the account.
    browser_id     TEXT CHECK (length(browser_id) BETWEEN 1 AND 64)
);

-- The counting queries of domain/accounts/throttle.rs, newest first.
CREATE INDEX sign_in_failures_pair_idx
    ON sign_in_failures (realm, username_key, client_network, at DESC);
CREATE INDEX sign_in_failures_network_idx
    ON sign_in_failures (realm, client_network, at DESC);
CREATE INDEX sign_in_failures_unknown_browser_idx
    ON sign_in_failures (realm, username_key, at DESC) WHERE browser_id IS NULL;
CREATE INDEX sign_in_failures_browser_idx
    ON sign_in_failures (realm, username_key, browser_id, at DESC) WHERE browser_id IS NOT NULL;
CREATE INDEX sign_in_failures_at_idx ON sign_in_failures (at);

-- Append-only record of sign-ins and account changes. No passwords, codes or tokens; owners
-- only as the hash of their device username.
CREATE TABLE security_events (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at     TIMESTAMPTZ NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN (
        'SignInSucceeded', 'SignInFailed', 'SignInThrottled', 'SecondFactorFailed',
        'SecondFactorEnrolled', 'SecondFactorTurnedOff', 'RecoveryCodeUsed', 'PasswordChanged',
        'PasswordReset', 'AccountCreated', 'AccountDisabled', 'AccountEnabled', 'RoleChanged',
        'SessionsEnded')),
    realm          TEXT NOT NULL CHECK (realm IN ('admin', 'owner')),
    -- The account the event is about (admin username or owner username hash, as above).
    account        TEXT NOT NULL CHECK (length(account) BETWEEN 1 AND 100),
    -- The admin who made the change, for account management (NULL: the account itself or
    -- nobody signed in).
    actor          TEXT CHECK (length(actor) BETWEEN 1 AND 100),
    client_network TEXT CHECK (length(client_network) BETWEEN 4 AND 43),
    user_agent     TEXT CHECK (length(user_agent) <= 200),
    details        JSONB NOT NULL DEFAULT '{}'::jsonb
);

-- Keyset pagination, newest first, unfiltered and by each filter.
CREATE INDEX security_events_created_idx ON security_events (created_at DESC, id DESC);
CREATE INDEX security_events_kind_idx ON security_events (kind, created_at DESC, id DESC);
CREATE INDEX security_events_account_idx
    ON security_events (realm, account, created_at DESC, id DESC);

CREATE FUNCTION security_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'security_events is append-only';
END;
$$;

CREATE TRIGGER security_events_append_only
    BEFORE UPDATE OR DELETE ON security_events
    FOR EACH ROW EXECUTE FUNCTION security_events_append_only();
