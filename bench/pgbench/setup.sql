-- Sessions for the floor scripts: copies of the newest real admin and owner sessions the
-- load generator left behind, one per pgbench client (:client_id 0…63), so that reading
-- and writing a session costs what it costs the app.
DELETE FROM web_sessions WHERE id LIKE 'bench-floor-%';
INSERT INTO web_sessions (id, state, expires_at)
SELECT 'bench-floor-' || kind || '-' || k,
       (SELECT state FROM web_sessions
        WHERE state->>'signed_in' LIKE '%"kind":"' || initcap(kind) || '"%'
        ORDER BY expires_at DESC LIMIT 1),
       now() + interval '12 hours'
FROM generate_series(0, 255) AS k, (VALUES ('admin'), ('owner')) AS v(kind);
