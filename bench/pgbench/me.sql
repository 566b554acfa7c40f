-- Floor of the owner's /me page (64 signed-in owners, one identity per client): the
-- session (with the owner check, in one query), the identity, its open process and notices,
-- as the app sends them.
-- units: 1
-- protocol: prepared
\set n 1 + (:client_id * 15485863) % :identities
SELECT web_sessions.admin_username, web_sessions.identity_address, web_sessions.device_id, web_sessions.second_factor_due_by, web_sessions.signed_in_at, web_sessions.last_seen_at, identities.*, devices.username FROM web_sessions LEFT OUTER JOIN identities ON identities.address = web_sessions.identity_address LEFT OUTER JOIN devices ON devices.id = web_sessions.device_id WHERE web_sessions.id_hash = sha256(convert_to('bench-floor-owner-' || :client_id::text, 'UTF8')) LIMIT 1;
SELECT * FROM identities WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1;
SELECT * FROM identity_deletion_processes WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) AND status = ANY('{WaitingForApproval,Approved,Deleting}'::text[]) LIMIT 1;
SELECT * FROM notifications WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) ORDER BY created_at DESC, id DESC LIMIT 20;
