-- Floor of one Consumer API registration: challenge → identity → token (one registration; 16 clients as the app side).
-- Written by hand (bench/README.md, "API scenarios") from the statements PostgreSQL logged
-- for one such unit with log_statement = 'all', in the order the app sent them; values
-- the app computes are SQL expressions of :client_id and :p (a random number per run of the
-- script). Left out, as in the generated scripts: connection set-up (SET …) and the pool's
-- `SELECT 1` checks.
-- units: 1
-- protocol: prepared
-- vars: none
\set p random(1, 99999999999999)
-- POST /api/v1/Challenges
INSERT INTO "challenges" ("id", "created_at", "expires_at", "created_by", "created_by_device") VALUES (('CHL' || lpad(:p::text, 17, '0')), now(), (now() + interval '10 minutes'), DEFAULT, DEFAULT);
-- POST /api/v1/Identities (after the client check: one argon2id hash in the app, not here)
SELECT "oauth_clients"."client_id", "oauth_clients"."secret_hash", "oauth_clients"."default_tier", "oauth_clients"."max_identities", "oauth_clients"."created_at" FROM "oauth_clients" WHERE ("oauth_clients"."client_id" = 'bench-api') LIMIT 1;
BEGIN TRANSACTION ISOLATION LEVEL READ COMMITTED;
SELECT "oauth_clients"."client_id", "oauth_clients"."secret_hash", "oauth_clients"."default_tier", "oauth_clients"."max_identities", "oauth_clients"."created_at" FROM "oauth_clients" WHERE ("oauth_clients"."client_id" = 'bench-api') LIMIT 1 FOR UPDATE;
DELETE FROM "challenges" WHERE ("challenges"."id" = ('CHL' || lpad(:p::text, 17, '0'))) RETURNING "challenges"."expires_at";
INSERT INTO "identities" ("address", "client_id", "created_at", "status", "tier_id", "tier_id_before_deletion", "deletion_grace_period_ends_at", "address_hash") VALUES (concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('r' || :p::text, 'UTF8')), 'hex'), 22)), 'bench-api', now(), 'Active', 'TIRBASIC000000000000', DEFAULT, DEFAULT, sha256(convert_to(concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('r' || :p::text, 'UTF8')), 'hex'), 22)), 'UTF8')));
INSERT INTO "devices" ("id", "identity_address", "username", "password_hash", "created_at", "id_hash", "username_hash") VALUES (('DVC' || lpad(:p::text, 17, '0')), concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('r' || :p::text, 'UTF8')), 'hex'), 22)), ('USR' || lpad(:p::text, 17, '0')), '$argon2id$v=19$m=19456,t=2,p=1$GTt4o9B/YAO4dmuJRi8UQg$woZSV8rG2Bq34fb+Qp6N3LdwV+KNpkAtX5B5I4E8dgM', now(), sha256(convert_to(('DVC' || lpad(:p::text, 17, '0')), 'UTF8')), sha256(convert_to(('USR' || lpad(:p::text, 17, '0')), 'UTF8')));
COMMIT;
-- POST /connect/token (the device password is checked with argon2id in the app, not here)
SELECT "oauth_clients"."client_id", "oauth_clients"."secret_hash", "oauth_clients"."default_tier", "oauth_clients"."max_identities", "oauth_clients"."created_at" FROM "oauth_clients" WHERE ("oauth_clients"."client_id" = 'bench-api') LIMIT 1;
SELECT "devices"."id", "devices"."identity_address", "devices"."password_hash", "devices"."username_hash" FROM "devices" WHERE ("devices"."username" = ('USR' || lpad(:p::text, 17, '0'))) LIMIT 1;
SELECT "sign_in_failures"."at" FROM "sign_in_failures" WHERE ((("sign_in_failures"."realm" = 'owner') AND ("sign_in_failures"."client_network" = ('10.77.' || :client_id::text || '.1/32'))) AND ("sign_in_failures"."at" > (now() - interval '15 minutes'))) ORDER BY "sign_in_failures"."at" DESC LIMIT 30;
SELECT "sign_in_failures"."at" FROM "sign_in_failures" WHERE (((("sign_in_failures"."realm" = 'owner') AND ("sign_in_failures"."username_key" = encode(sha256(convert_to(('USR' || lpad(:p::text, 17, '0')), 'UTF8')), 'hex'))) AND ("sign_in_failures"."client_network" = ('10.77.' || :client_id::text || '.1/32'))) AND ("sign_in_failures"."at" > (now() - interval '15 minutes'))) ORDER BY "sign_in_failures"."at" DESC LIMIT 16;
SELECT "sign_in_failures"."at" FROM "sign_in_failures" WHERE (((("sign_in_failures"."realm" = 'owner') AND ("sign_in_failures"."username_key" = encode(sha256(convert_to(('USR' || lpad(:p::text, 17, '0')), 'UTF8')), 'hex'))) AND ("sign_in_failures"."browser_id" IS NULL)) AND ("sign_in_failures"."at" > (now() - interval '60 minutes'))) ORDER BY "sign_in_failures"."at" DESC LIMIT 31;
BEGIN TRANSACTION ISOLATION LEVEL READ COMMITTED;
INSERT INTO "sign_in_failures" ("at", "realm", "username_key", "client_network", "browser_id") VALUES (now(), 'owner', encode(sha256(convert_to(('USR' || lpad(:p::text, 17, '0')), 'UTF8')), 'hex'), ('10.77.' || :client_id::text || '.1/32'), NULL) RETURNING "sign_in_failures"."id" AS failure_id \gset
DELETE FROM "sign_in_failures" WHERE ("sign_in_failures"."at" < (now() - interval '60 minutes'));
COMMIT;
SELECT "identities"."address", "identities"."client_id", "identities"."created_at", "identities"."status", "identities"."tier_id", "identities"."tier_id_before_deletion", "identities"."deletion_grace_period_ends_at", "identities"."address_hash" FROM ("identities" INNER JOIN "devices" ON ("devices"."identity_address" = "identities"."address")) WHERE (("identities"."address" = concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('r' || :p::text, 'UTF8')), 'hex'), 22))) AND ("devices"."id" = ('DVC' || lpad(:p::text, 17, '0')))) LIMIT 1;
BEGIN TRANSACTION ISOLATION LEVEL READ COMMITTED;
DELETE FROM "sign_in_failures" WHERE ("sign_in_failures"."id" = :failure_id);
COMMIT;
BEGIN TRANSACTION ISOLATION LEVEL READ COMMITTED;
DELETE FROM "sign_in_failures" WHERE ((("sign_in_failures"."realm" = 'owner') AND ("sign_in_failures"."username_key" = encode(sha256(convert_to(('USR' || lpad(:p::text, 17, '0')), 'UTF8')), 'hex'))) AND ("sign_in_failures"."client_network" = ('10.77.' || :client_id::text || '.1/32')));
INSERT INTO "security_events" ("created_at", "kind", "realm", "account", "actor", "client_network", "user_agent", "details") VALUES (now(), 'SignInSucceeded', 'owner', encode(sha256(convert_to(('USR' || lpad(:p::text, 17, '0')), 'UTF8')), 'hex'), DEFAULT, ('10.77.' || :client_id::text || '.1/32'), DEFAULT, '{"knownBrowser": false}');
COMMIT;
INSERT INTO "api_tokens" ("token_hash", "device_id", "identity_address", "created_at", "expires_at") VALUES (sha256(convert_to('bench-floor-api-token-' || :p::text, 'UTF8')), ('DVC' || lpad(:p::text, 17, '0')), concat_ws(':', 'did', 'e', 'localhost', 'dids', left(encode(sha256(convert_to('r' || :p::text, 'UTF8')), 'hex'), 22)), now(), (now() + interval '5 minutes'));
