DROP INDEX audit_log_deleted_usernames_idx;
DROP TABLE external_events;
DROP TABLE sync_runs;
DROP TABLE api_tokens;
DROP TABLE challenges;
DROP INDEX identities_client_id_idx;
DROP TABLE oauth_clients;
