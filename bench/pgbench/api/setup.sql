-- Rows the api phase's floors authenticate with (bench/run.sh runs this with
-- `-v clients=N -v admin=<the api admin>` before the load): a bearer token for the owner of
-- each floor client's identity (n = 20 * client_id + 12 for api_initiate_cancel, + 13 for
-- api_admin_cycle, the web floors' classes), and an API key per client. The scripts find
-- them by hash as the app finds a presented token or key.
INSERT INTO api_tokens (token_hash, device_id, identity_address, created_at, expires_at)
SELECT sha256(convert_to('bench-floor-api-' || n::text, 'UTF8')),
       'DVC' || left(encode(sha256(convert_to('d' || n::text, 'UTF8')), 'hex'), 17),
       concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('i' || n::text, 'UTF8')), 'hex'), 22)),
       now(), now() + interval '1 day'
FROM generate_series(0, :clients - 1) AS c, LATERAL (VALUES (20 * c + 12), (20 * c + 13)) AS x(n)
ON CONFLICT (token_hash) DO UPDATE SET expires_at = excluded.expires_at;

INSERT INTO admin_api_keys (username, name, prefix, key_hash, created_at, expires_at)
SELECT :'admin', 'bench floor ' || c, 'bba_floor', sha256(convert_to('bench-floor-api-key-' || c::text, 'UTF8')),
       now(), now() + interval '1 day'
FROM generate_series(0, :clients - 1) AS c
ON CONFLICT (key_hash) DO UPDATE SET expires_at = excluded.expires_at, revoked_at = NULL;
