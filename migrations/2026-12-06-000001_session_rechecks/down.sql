ALTER TABLE web_sessions DROP COLUMN failed_rechecks;
