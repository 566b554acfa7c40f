DROP INDEX audit_log_activity_idx;
DROP TABLE weekly_activity;
