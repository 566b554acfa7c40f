-- Floor of the admin identity page (GET /admin/identities/{address}, random identity): the
-- session, the identity, its devices and processes, as the app sends them.
-- units: 1
-- protocol: prepared
\set n random(1, :identities)
SELECT web_sessions.admin_username, web_sessions.identity_address, web_sessions.device_id, web_sessions.second_factor_due_by, web_sessions.signed_in_at, web_sessions.last_seen_at, identities.*, devices.username FROM web_sessions LEFT OUTER JOIN identities ON identities.address = web_sessions.identity_address LEFT OUTER JOIN devices ON devices.id = web_sessions.device_id WHERE web_sessions.id_hash = sha256(convert_to('bench-floor-admin-' || :client_id::text, 'UTF8')) LIMIT 1;
SELECT * FROM identities WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1;
SELECT id, username, created_at FROM devices WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) ORDER BY created_at, id;
SELECT * FROM identity_deletion_processes WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) ORDER BY created_at DESC, id DESC;
