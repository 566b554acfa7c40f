-- Floor of one owner initiate → cancel cycle (2 transitions), each client on its own
-- identity (n % 20 = 12, reserved by seed.sql): the SQL of the four requests the load
-- generator sends per cycle, as the app sends them (statement log of a BENCH_LOG_SQL=1 run):
-- POST initiate (session with the owner check, the transaction), GET /me (page SQL),
-- POST cancel, GET /me. Flash messages travel in the cookie and a session's last-seen time
-- is written at most once a minute: no session writes.
-- units: 2
-- protocol: prepared
\set n 20 * :client_id + 12
\set p random(1, 99999999999999)
SELECT web_sessions.admin_username, web_sessions.identity_address, web_sessions.device_id, web_sessions.second_factor_due_by, web_sessions.signed_in_at, web_sessions.last_seen_at, identities.*, devices.username FROM web_sessions LEFT OUTER JOIN identities ON identities.address = web_sessions.identity_address LEFT OUTER JOIN devices ON devices.id = web_sessions.device_id WHERE web_sessions.id_hash = sha256(convert_to('bench-floor-owner-' || :client_id::text, 'UTF8')) LIMIT 1;
BEGIN ISOLATION LEVEL READ COMMITTED;
SELECT * FROM identities WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1 FOR UPDATE;
SELECT EXISTS (SELECT 1 FROM identity_deletion_processes WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) AND status = ANY('{WaitingForApproval,Approved,Deleting}'::text[]));
INSERT INTO identity_deletion_processes (id, identity_address, status, created_at, approved_at, approved_by_device, grace_period_ends_at)
VALUES ('IDP' || lpad(:p::text, 17, '0'), concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)), 'Approved', now(), now(), 'DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17), now() + interval '14 days');
UPDATE identities SET status = 'ToBeDeleted', tier_id = 'TIR00000000000000001', tier_id_before_deletion = 'TIRBASIC000000000000', deletion_grace_period_ends_at = now() + interval '14 days' WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22));
SELECT id_hash FROM devices WHERE id = 'DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17) AND identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1;
INSERT INTO identity_deletion_process_audit_log (id, process_id, created_at, message_key, old_status, new_status, additional_data, identity_address_hash, device_id_hash, username_hashes)
VALUES ('IDA' || lpad((:p::bigint * 10 + 1)::text, 17, '0'), 'IDP' || lpad(:p::text, 17, '0'), now(), 'StartedByOwner', NULL, 'Approved', '{"gracePeriodDays": 14}', sha256(convert_to(concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)), 'UTF8')), sha256(convert_to('DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17), 'UTF8')), '{}');
COMMIT;
SELECT web_sessions.admin_username, web_sessions.identity_address, web_sessions.device_id, web_sessions.second_factor_due_by, web_sessions.signed_in_at, web_sessions.last_seen_at, identities.*, devices.username FROM web_sessions LEFT OUTER JOIN identities ON identities.address = web_sessions.identity_address LEFT OUTER JOIN devices ON devices.id = web_sessions.device_id WHERE web_sessions.id_hash = sha256(convert_to('bench-floor-owner-' || :client_id::text, 'UTF8')) LIMIT 1;
SELECT * FROM identities WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1;
SELECT * FROM identity_deletion_processes WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) AND status = ANY('{WaitingForApproval,Approved,Deleting}'::text[]) LIMIT 1;
SELECT * FROM notifications WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) ORDER BY created_at DESC, id DESC LIMIT 20;
SELECT web_sessions.admin_username, web_sessions.identity_address, web_sessions.device_id, web_sessions.second_factor_due_by, web_sessions.signed_in_at, web_sessions.last_seen_at, identities.*, devices.username FROM web_sessions LEFT OUTER JOIN identities ON identities.address = web_sessions.identity_address LEFT OUTER JOIN devices ON devices.id = web_sessions.device_id WHERE web_sessions.id_hash = sha256(convert_to('bench-floor-owner-' || :client_id::text, 'UTF8')) LIMIT 1;
BEGIN ISOLATION LEVEL READ COMMITTED;
SELECT * FROM identities WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1 FOR UPDATE;
SELECT * FROM identity_deletion_processes WHERE id = 'IDP' || lpad(:p::text, 17, '0') AND identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1 FOR UPDATE;
UPDATE identities SET status = 'Active', tier_id = 'TIRBASIC000000000000', tier_id_before_deletion = NULL, deletion_grace_period_ends_at = NULL WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22));
UPDATE identity_deletion_processes SET status = 'Cancelled', cancelled_at = now(), cancelled_by_device = 'DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17) WHERE id = 'IDP' || lpad(:p::text, 17, '0');
SELECT id_hash FROM devices WHERE id = 'DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17) AND identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1;
INSERT INTO identity_deletion_process_audit_log (id, process_id, created_at, message_key, old_status, new_status, additional_data, identity_address_hash, device_id_hash, username_hashes)
VALUES ('IDA' || lpad((:p::bigint * 10 + 3)::text, 17, '0'), 'IDP' || lpad(:p::text, 17, '0'), now(), 'CancelledByOwner', 'Approved', 'Cancelled', '{}', sha256(convert_to(concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)), 'UTF8')), sha256(convert_to('DVC' || left(encode(sha256(convert_to('d' || :n::text, 'UTF8')), 'hex'), 17), 'UTF8')), '{}');
COMMIT;
SELECT web_sessions.admin_username, web_sessions.identity_address, web_sessions.device_id, web_sessions.second_factor_due_by, web_sessions.signed_in_at, web_sessions.last_seen_at, identities.*, devices.username FROM web_sessions LEFT OUTER JOIN identities ON identities.address = web_sessions.identity_address LEFT OUTER JOIN devices ON devices.id = web_sessions.device_id WHERE web_sessions.id_hash = sha256(convert_to('bench-floor-owner-' || :client_id::text, 'UTF8')) LIMIT 1;
SELECT * FROM identities WHERE address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) LIMIT 1;
SELECT * FROM identity_deletion_processes WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) AND status = ANY('{WaitingForApproval,Approved,Deleting}'::text[]) LIMIT 1;
SELECT * FROM notifications WHERE identity_address = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || :n::text, 'UTF8')), 'hex'), 22)) ORDER BY created_at DESC, id DESC LIMIT 20;
