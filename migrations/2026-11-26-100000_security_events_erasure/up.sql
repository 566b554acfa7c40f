-- Security events may lose personal data, and nothing else (issue 17, section 4).
--
-- The log stays append-only for every other change. The trigger now lets exactly two row
-- operations through, each recognisable from the row alone, so a mistaken statement in the
-- app (an UPDATE of any other column, a DELETE without a bound) still raises:
--
-- 1. Erasure, when the deletion job deletes an identity: an UPDATE that sets client_network
--    and user_agent to NULL and leaves every other column as it was. The other columns are
--    compared as one JSON object, so a column added later is protected without editing
--    this function. The account hash, kind, time and details stay, like the audit log.
-- 2. Retention: a DELETE of a row created before the bound the retention job sets for its
--    own transaction (set_config('backbone.security_events_delete_before', <time>, true)).
--    The bound is set by the job, not computed here from now(), because the job's "now"
--    comes from the app's clock (tests and `jobs --now` move it). Without the setting (or
--    after the transaction, when PostgreSQL resets it to '') no row may be deleted, and
--    a newer row is refused even with it.
--
-- This guards against the app's own mistakes; whoever can run arbitrary SQL as the app's
-- role could drop the trigger anyway.
CREATE OR REPLACE FUNCTION security_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delete_before TIMESTAMPTZ;
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.client_network IS NULL
        AND NEW.user_agent IS NULL
        AND to_jsonb(NEW) - 'client_network' - 'user_agent'
            = to_jsonb(OLD) - 'client_network' - 'user_agent'
    THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        delete_before := NULLIF(
            current_setting('backbone.security_events_delete_before', true), '')::timestamptz;
        IF delete_before IS NOT NULL AND OLD.created_at < delete_before THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'security_events is append-only';
END;
$$;

-- The erasure finds an owner's events by (realm, account): security_events_account_idx.
-- The retention job finds old events by created_at: security_events_created_idx.
