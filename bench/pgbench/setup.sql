-- Sessions for the floor scripts: copies of the newest real admin and owner sessions the
-- load generator left behind (their principal), one per pgbench client (:client_id 0…255),
-- named by the SHA-256 of 'bench-floor-<kind>-<k>' as the app names a row by its ID's hash,
-- so that reading a session costs what it costs the app.
DELETE FROM web_sessions
WHERE id_hash IN (SELECT sha256(convert_to('bench-floor-' || kind || '-' || k, 'UTF8'))
                  FROM generate_series(0, 255) AS k, (VALUES ('admin'), ('owner')) AS v(kind));
INSERT INTO web_sessions (id_hash, admin_username, identity_address, device_id,
                          signed_in_at, last_seen_at, expires_at)
SELECT sha256(convert_to('bench-floor-' || kind || '-' || k, 'UTF8')),
       s.admin_username, s.identity_address, s.device_id, now(), now(), now() + interval '12 hours'
FROM generate_series(0, 255) AS k, (VALUES ('admin'), ('owner')) AS v(kind),
     LATERAL (SELECT admin_username, identity_address, device_id FROM web_sessions
              WHERE (admin_username IS NOT NULL) = (kind = 'admin')
              ORDER BY signed_in_at DESC LIMIT 1) AS s;
