-- Wrong answers a signed-in admin gave when a change asked for the current password or a
-- code again (change password, turn the second factor off). At 5 the session ends, so a
-- stolen session cannot guess the password without limit.
ALTER TABLE web_sessions
    ADD COLUMN failed_rechecks SMALLINT NOT NULL DEFAULT 0 CHECK (failed_rechecks >= 0);
