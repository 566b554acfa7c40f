-- Floor of the admin search page (GET /admin/identities?q=user#####): the session, then the
-- search, as the app sends them (statement log of a BENCH_LOG_SQL=1 run).
-- units: 1
-- protocol: prepared
-- (A username prefix is a range of the unique username index, which is in byte order, so
-- the cached generic plan scans just that range, in order, and stops after 51 rows.)
\set p random(0, :identities / 100 - 1)
SELECT web_sessions.admin_username, web_sessions.identity_address, web_sessions.device_id, web_sessions.second_factor_due_by, web_sessions.signed_in_at, web_sessions.last_seen_at, identities.*, devices.username FROM web_sessions LEFT OUTER JOIN identities ON identities.address = web_sessions.identity_address LEFT OUTER JOIN devices ON devices.id = web_sessions.device_id WHERE web_sessions.id_hash = sha256(convert_to('bench-floor-admin-' || :client_id::text, 'UTF8')) LIMIT 1;
SELECT identities.*, identity_deletion_processes.status, devices.username
FROM devices INNER JOIN (identities LEFT OUTER JOIN identity_deletion_processes
  ON identity_deletion_processes.identity_address = identities.address
 AND identity_deletion_processes.status = ANY('{WaitingForApproval,Approved,Deleting}'::text[]))
  ON devices.identity_address = identities.address
WHERE devices.username >= 'user' || lpad(:p::text, 5, '0')
  AND devices.username < 'user' || lpad(:p::text, 5, '0') || chr(1114111)
ORDER BY devices.username LIMIT 51;
