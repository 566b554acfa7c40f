-- Floor of the owner's /me page (64 signed-in owners, one identity per client): the
-- session, the owner check, the identity, its open process and notices, as the app sends them.
-- units: 1
-- protocol: prepared
\set n 1 + (:client_id * 15485863) % :identities
SELECT state FROM web_sessions WHERE id = 'bench-floor-owner-' || :client_id::text AND expires_at > now() LIMIT 1;
SELECT identities.* FROM identities INNER JOIN devices ON devices.identity_address = identities.address WHERE identities.address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) AND devices.id = 'DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17) LIMIT 1;
SELECT * FROM identities WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1;
SELECT * FROM identity_deletion_processes WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) AND status = ANY('{WaitingForApproval,Approved,Deleting}'::text[]) LIMIT 1;
SELECT * FROM notifications WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) ORDER BY created_at DESC, id DESC LIMIT 20;
