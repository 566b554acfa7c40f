DROP TABLE web_sessions;
DROP TABLE notifications;
DROP TABLE identity_deletion_process_audit_log;
DROP TABLE identity_deletion_processes;
DROP TABLE admin_users;
DROP TABLE devices;
DROP TABLE identities;
DROP TABLE tiers;
