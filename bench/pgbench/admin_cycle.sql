-- Floor of one admin start → owner approve → owner cancel cycle (3 transitions), each
-- client on its own identity (n % 20 = 13, reserved by seed.sql): the SQL of the seven
-- requests the load generator sends per cycle, as the app sends them: POST start (admin
-- session, transaction with the owner's notice, flash write), GET the identity page (flash
-- shown), GET /me (the owner finds the request), POST approve, GET /me, POST cancel, GET /me.
-- Not counted: the pool's `SELECT 1` on each checkout, and session writes on pages that
-- show no flash (the app's own overhead).
-- units: 3
-- protocol: prepared
\set n 20 * :client_id + 13
\set p random(1, 99999999999999)
SELECT state FROM web_sessions WHERE id = 'bench-floor-admin-' || :client_id::text AND expires_at > now() LIMIT 1;
BEGIN ISOLATION LEVEL READ COMMITTED;
SELECT * FROM identities WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1 FOR UPDATE;
SELECT EXISTS (SELECT 1 FROM identity_deletion_processes WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) AND status = ANY('{WaitingForApproval,Approved,Deleting}'::text[]));
INSERT INTO identity_deletion_processes (id, identity_address, status, created_at, started_by_admin, approval_period_ends_at)
VALUES ('IDP' || lpad(:p::text, 17, '0'), concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)), 'WaitingForApproval', now(), 'bench-admin-01', now() + interval '7 days');
INSERT INTO identity_deletion_process_audit_log (id, process_id, created_at, message_key, old_status, new_status, additional_data, identity_address_hash, device_id_hash, username_hashes)
VALUES ('IDA' || lpad((:p::bigint * 10 + 1)::text, 17, '0'), 'IDP' || lpad(:p::text, 17, '0'), now(), 'StartedBySupport', NULL, 'WaitingForApproval', '{}', sha256(convert_to(concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)), 'UTF8')), NULL, '{}');
INSERT INTO notifications (identity_address, process_id, created_at, kind, payload)
VALUES (concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)), 'IDP' || lpad(:p::text, 17, '0'), now(), 'StartedBySupport', jsonb_build_object('approvalPeriodEndsAt', now() + interval '7 days'));
COMMIT;
UPDATE web_sessions SET state = state, expires_at = now() + interval '12 hours' WHERE id = 'bench-floor-admin-' || :client_id::text;
SELECT state FROM web_sessions WHERE id = 'bench-floor-admin-' || :client_id::text AND expires_at > now() LIMIT 1;
SELECT * FROM identities WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1;
SELECT id, username, created_at FROM devices WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) ORDER BY created_at, id;
SELECT * FROM identity_deletion_processes WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) ORDER BY created_at DESC, id DESC;
UPDATE web_sessions SET state = state, expires_at = now() + interval '12 hours' WHERE id = 'bench-floor-admin-' || :client_id::text;
SELECT state FROM web_sessions WHERE id = 'bench-floor-owner-' || :client_id::text AND expires_at > now() LIMIT 1;
SELECT identities.* FROM identities INNER JOIN devices ON devices.identity_address = identities.address WHERE identities.address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) AND devices.id = 'DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17) LIMIT 1;
SELECT * FROM identities WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1;
SELECT * FROM identity_deletion_processes WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) AND status = ANY('{WaitingForApproval,Approved,Deleting}'::text[]) LIMIT 1;
SELECT * FROM notifications WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) ORDER BY created_at DESC, id DESC LIMIT 20;
SELECT state FROM web_sessions WHERE id = 'bench-floor-owner-' || :client_id::text AND expires_at > now() LIMIT 1;
SELECT identities.* FROM identities INNER JOIN devices ON devices.identity_address = identities.address WHERE identities.address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) AND devices.id = 'DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17) LIMIT 1;
BEGIN ISOLATION LEVEL READ COMMITTED;
SELECT * FROM identities WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1 FOR UPDATE;
SELECT * FROM identity_deletion_processes WHERE id = 'IDP' || lpad(:p::text, 17, '0') AND identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1 FOR UPDATE;
UPDATE identities SET status = 'ToBeDeleted', tier_id = 'TIR00000000000000001', tier_id_before_deletion = 'TIRBASIC000000000000', deletion_grace_period_ends_at = now() + interval '14 days' WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22));
UPDATE identity_deletion_processes SET status = 'Approved', approved_at = now(), approved_by_device = 'DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17), grace_period_ends_at = now() + interval '14 days' WHERE id = 'IDP' || lpad(:p::text, 17, '0');
SELECT id_hash FROM devices WHERE id = 'DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17) AND identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1;
INSERT INTO identity_deletion_process_audit_log (id, process_id, created_at, message_key, old_status, new_status, additional_data, identity_address_hash, device_id_hash, username_hashes)
VALUES ('IDA' || lpad((:p::bigint * 10 + 2)::text, 17, '0'), 'IDP' || lpad(:p::text, 17, '0'), now(), 'Approved', 'WaitingForApproval', 'Approved', '{}', sha256(convert_to(concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)), 'UTF8')), sha256(convert_to('DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17), 'UTF8')), '{}');
COMMIT;
UPDATE web_sessions SET state = state, expires_at = now() + interval '12 hours' WHERE id = 'bench-floor-owner-' || :client_id::text;
SELECT state FROM web_sessions WHERE id = 'bench-floor-owner-' || :client_id::text AND expires_at > now() LIMIT 1;
SELECT identities.* FROM identities INNER JOIN devices ON devices.identity_address = identities.address WHERE identities.address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) AND devices.id = 'DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17) LIMIT 1;
SELECT * FROM identities WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1;
SELECT * FROM identity_deletion_processes WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) AND status = ANY('{WaitingForApproval,Approved,Deleting}'::text[]) LIMIT 1;
SELECT * FROM notifications WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) ORDER BY created_at DESC, id DESC LIMIT 20;
UPDATE web_sessions SET state = state, expires_at = now() + interval '12 hours' WHERE id = 'bench-floor-owner-' || :client_id::text;
SELECT state FROM web_sessions WHERE id = 'bench-floor-owner-' || :client_id::text AND expires_at > now() LIMIT 1;
SELECT identities.* FROM identities INNER JOIN devices ON devices.identity_address = identities.address WHERE identities.address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) AND devices.id = 'DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17) LIMIT 1;
BEGIN ISOLATION LEVEL READ COMMITTED;
SELECT * FROM identities WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1 FOR UPDATE;
SELECT * FROM identity_deletion_processes WHERE id = 'IDP' || lpad(:p::text, 17, '0') AND identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1 FOR UPDATE;
UPDATE identities SET status = 'Active', tier_id = 'TIRBASIC000000000000', tier_id_before_deletion = NULL, deletion_grace_period_ends_at = NULL WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22));
UPDATE identity_deletion_processes SET status = 'Cancelled', cancelled_at = now(), cancelled_by_device = 'DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17) WHERE id = 'IDP' || lpad(:p::text, 17, '0');
SELECT id_hash FROM devices WHERE id = 'DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17) AND identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1;
INSERT INTO identity_deletion_process_audit_log (id, process_id, created_at, message_key, old_status, new_status, additional_data, identity_address_hash, device_id_hash, username_hashes)
VALUES ('IDA' || lpad((:p::bigint * 10 + 3)::text, 17, '0'), 'IDP' || lpad(:p::text, 17, '0'), now(), 'CancelledByOwner', 'Approved', 'Cancelled', '{}', sha256(convert_to(concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)), 'UTF8')), sha256(convert_to('DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17), 'UTF8')), '{}');
COMMIT;
UPDATE web_sessions SET state = state, expires_at = now() + interval '12 hours' WHERE id = 'bench-floor-owner-' || :client_id::text;
SELECT state FROM web_sessions WHERE id = 'bench-floor-owner-' || :client_id::text AND expires_at > now() LIMIT 1;
SELECT identities.* FROM identities INNER JOIN devices ON devices.identity_address = identities.address WHERE identities.address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) AND devices.id = 'DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17) LIMIT 1;
SELECT * FROM identities WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1;
SELECT * FROM identity_deletion_processes WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) AND status = ANY('{WaitingForApproval,Approved,Deleting}'::text[]) LIMIT 1;
SELECT * FROM notifications WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) ORDER BY created_at DESC, id DESC LIMIT 20;
UPDATE web_sessions SET state = state, expires_at = now() + interval '12 hours' WHERE id = 'bench-floor-owner-' || :client_id::text;
