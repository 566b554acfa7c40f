-- Floor of the admin identity page (GET /admin/identities/{address}, random identity): the
-- session, the identity, its devices and processes, as the app sends them.
-- units: 1
-- protocol: prepared
\set n random(1, :identities)
SELECT state FROM web_sessions WHERE id = 'bench-floor-admin-' || :client_id::text AND expires_at > now() LIMIT 1;
SELECT * FROM identities WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1;
SELECT id, username, created_at FROM devices WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) ORDER BY created_at, id;
SELECT * FROM identity_deletion_processes WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) ORDER BY created_at DESC, id DESC;
