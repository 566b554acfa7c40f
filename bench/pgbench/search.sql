-- Floor of the admin search page (GET /admin/identities?q=user#####): the session, then the
-- search, as the app sends them (statement log of a BENCH_LOG_SQL=1 run). Not counted: the
-- pool's `SELECT 1` check on each checkout (the app's own overhead).
-- units: 1
-- protocol: extended
-- (extended, not prepared: a generic plan cannot use the prefix index for `LIKE $1`; with
-- `extended` PostgreSQL plans each search for its actual prefix, the best it can do.)
\set p random(0, :identities / 100 - 1)
SELECT state FROM web_sessions WHERE id = 'bench-floor-admin-' || :client_id::text AND expires_at > now() LIMIT 1;
SELECT identities.*, identity_deletion_processes.status
FROM identities LEFT OUTER JOIN identity_deletion_processes
  ON identity_deletion_processes.identity_address = identities.address
 AND identity_deletion_processes.status = ANY('{WaitingForApproval,Approved,Deleting}'::text[])
WHERE identities.address = ANY(SELECT devices.identity_address FROM devices
                               WHERE devices.username LIKE 'user' || lpad(:p::text, 5, '0') || '%')
ORDER BY identities.created_at DESC, identities.address DESC LIMIT 51;
