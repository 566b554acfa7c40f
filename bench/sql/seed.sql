-- Bulk seed for the benchmark: :identities identities with devices, bench admins, and a
-- realistic mix of deletion processes in every status with their audit entries and notices.
--
-- Run by bench/run.sh on a freshly migrated database:
--   psql -v ON_ERROR_STOP=1 -v identities=1000000 -v pw_hash='$argon2id$…' -f seed.sql
-- or, to grow a database this script seeded with 100,000 identities to 1,000,000 (the scale
-- sweep, bench/sweep.sh), adding only identities 100,001…1,000,000 with their rows:
--   psql … -v from=100000 -v identities=1000000 -v pw_hash='…' -f seed.sql
-- A grown database differs from one seeded at once only in the identities' and devices'
-- created_at of the earlier batches (each batch is spaced one minute per identity back from
-- the time it was seeded). bench_meta.seed records how many identities are seeded.
--
-- Everything is a pure function of the identity number n (1…:identities), so the load
-- generator and the pgbench scripts can name any identity without a lookup:
--   address   did:e:localhost:dids:<first 22 hex of sha256('i' || n)>
--   username  user<n, at least 7 digits>   (so a username prefix selects a known range)
--   device    DVC<first 17 hex of sha256('d' || n)>
-- The 32-byte hash columns hold sha256 values: the benchmark never looks them up, except
-- the audit search by address, which it does not drive.
--
-- Processes by n (every other n has none):
--   n % 100  = 1   WaitingForApproval (support), with a reminder and notices
--   n % 100  = 2   Approved after support's request          (identity ToBeDeleted)
--   n % 100  = 3   Approved, self-initiated                   (identity ToBeDeleted)
--   n % 1000 = 4   Deleting                                   (identity Deleting)
--   n % 20   = 5   Rejected (and for n % 40 = 5 an older CancelledByOwner one too)
--   n % 20   = 6   CancelledByOwner
--   n % 20   = 7   CancelledAutomatically after three reminders
--   n % 20   = 8   CancelledBySupport
--   n % 20 in (10, 11, 12, 13)   none: reserved for the transition scenarios and their
--                                pgbench floors, which must find them without an open process.

\set ON_ERROR_STOP on
\timing on
\if :{?from}
\else
\set from 0
\endif
SET synchronous_commit = off;
SET maintenance_work_mem = '256MB';
SET work_mem = '64MB';

BEGIN;

-- The admins: 'bench-admin-01' owns the seeded support actions; the load generator signs in
-- as bench-admin-01…64 (one session each, like 64 support staff). Same password as devices.
INSERT INTO admin_users (username, password_hash, created_at, role)
SELECT 'bench-admin-' || lpad(k::text, 2, '0'), :'pw_hash', now() - interval '400 days', 'support'
FROM generate_series(1, 64) AS k
ON CONFLICT (username) DO NOTHING;

CREATE TEMP TABLE bench_ids ON COMMIT DROP AS
SELECT n,
       'did:e:localhost:dids:' || left(encode(sha256(convert_to('i' || n, 'UTF8')), 'hex'), 22) AS address,
       'DVC' || left(encode(sha256(convert_to('d' || n, 'UTF8')), 'hex'), 17) AS device_id,
       -- lpad cuts longer strings: n = 10,000,000 keeps its 8 digits (as the load generator).
       'user' || lpad(n::text, greatest(7, length(n::text)), '0') AS username,
       now() - (:identities - n + 30) * interval '1 minute' AS created_at
FROM generate_series(:from + 1, :identities) AS n;
ALTER TABLE bench_ids ADD PRIMARY KEY (n);

-- The processes first (in a temp table), so identity status can follow from them.
CREATE TEMP TABLE bench_p (
    n int, id text, status text, created_at timestamptz, started_by_admin text,
    approval_period_ends_at timestamptz, approval_reminder1_sent_at timestamptz,
    approval_reminder2_sent_at timestamptz, approval_reminder3_sent_at timestamptz,
    approved_at timestamptz, approved_by_device text, grace_period_ends_at timestamptz,
    rejected_at timestamptz, rejected_by_device text, cancelled_at timestamptz,
    cancelled_by_device text, cancelled_by_admin text, deletion_started_at timestamptz,
    kind text
) ON COMMIT DROP;

WITH base AS (
    SELECT n, device_id,
           'IDP' || left(encode(sha256(convert_to('p' || n, 'UTF8')), 'hex'), 17) AS id,
           n % 100 AS c100, n % 20 AS c20, n % 1000 AS c1000
    FROM bench_ids
)
INSERT INTO bench_p
SELECT n, id, status, created_at, started_by_admin, approval_period_ends_at, r1, r2, r3,
       approved_at, approved_by_device, grace_period_ends_at, rejected_at, rejected_by_device,
       cancelled_at, cancelled_by_device, cancelled_by_admin, deletion_started_at, kind
FROM (
    -- Waiting: started 1–6 days ago, so the approval period (7 days) is still running.
    SELECT n, id, 'WaitingForApproval' AS status, t AS created_at, 'bench-admin-01' AS started_by_admin,
           t + interval '7 days' AS approval_period_ends_at,
           t + interval '1 day' AS r1, NULL::timestamptz AS r2, NULL::timestamptz AS r3,
           NULL::timestamptz AS approved_at, NULL AS approved_by_device, NULL::timestamptz AS grace_period_ends_at,
           NULL::timestamptz AS rejected_at, NULL AS rejected_by_device, NULL::timestamptz AS cancelled_at,
           NULL AS cancelled_by_device, NULL AS cancelled_by_admin, NULL::timestamptz AS deletion_started_at,
           'waiting' AS kind
    FROM base, LATERAL (SELECT now() - (n % 6 + 1) * interval '1 day' - interval '1 hour' AS t) x
    WHERE c100 = 1
    UNION ALL
    -- Approved by the owner a day after support's request; grace period still running.
    SELECT n, id, 'Approved', t, 'bench-admin-01', t + interval '7 days', NULL, NULL, NULL,
           t + interval '1 day', device_id, t + interval '15 days', NULL, NULL, NULL, NULL, NULL, NULL,
           'approved_support'
    FROM base, LATERAL (SELECT now() - (n % 10 + 2) * interval '1 day' AS t) x
    WHERE c100 = 2
    UNION ALL
    -- Self-initiated (approved at once).
    SELECT n, id, 'Approved', t, NULL, NULL, NULL, NULL, NULL,
           t, device_id, t + interval '14 days', NULL, NULL, NULL, NULL, NULL, NULL, 'approved_owner'
    FROM base, LATERAL (SELECT now() - (n % 10) * interval '1 day' - interval '1 hour' AS t) x
    WHERE c100 = 3
    UNION ALL
    -- Grace period over: deletion under way.
    SELECT n, id, 'Deleting', t, NULL, NULL, NULL, NULL, NULL,
           t, device_id, t + interval '14 days', NULL, NULL, NULL, NULL, NULL, t + interval '14 days', 'deleting'
    FROM base, LATERAL (SELECT now() - interval '15 days' AS t) x
    WHERE c1000 = 4
    UNION ALL
    SELECT n, id, 'Rejected', t, 'bench-admin-01', t + interval '7 days', NULL, NULL, NULL,
           NULL, NULL, NULL, t + interval '12 hours', device_id, NULL, NULL, NULL, NULL, 'rejected'
    FROM base, LATERAL (SELECT now() - (n % 25 + 1) * interval '1 day' AS t) x
    WHERE c20 = 5
    UNION ALL
    -- An older, cancelled self-initiated process of some identities that also have a rejection.
    SELECT n, 'IDP' || left(encode(sha256(convert_to('q' || n, 'UTF8')), 'hex'), 17), 'Cancelled', t, NULL,
           NULL, NULL, NULL, NULL, t, device_id, t + interval '14 days', NULL, NULL,
           t + interval '2 days', device_id, NULL, NULL, 'cancelled_owner'
    FROM base, LATERAL (SELECT now() - interval '29 days' AS t) x
    WHERE n % 40 = 5
    UNION ALL
    SELECT n, id, 'Cancelled', t, NULL, NULL, NULL, NULL, NULL,
           t, device_id, t + interval '14 days', NULL, NULL, t + interval '3 days', device_id, NULL, NULL,
           'cancelled_owner'
    FROM base, LATERAL (SELECT now() - (n % 25 + 4) * interval '1 day' AS t) x
    WHERE c20 = 6
    UNION ALL
    -- Unanswered: three approval reminders (6/4/2 days before the end), then cancelled.
    SELECT n, id, 'Cancelled', t, 'bench-admin-01', t + interval '7 days',
           t + interval '1 day', t + interval '3 days', t + interval '5 days',
           NULL, NULL, NULL, NULL, NULL, t + interval '7 days', NULL, NULL, NULL, 'cancelled_auto'
    FROM base, LATERAL (SELECT now() - (n % 20 + 8) * interval '1 day' AS t) x
    WHERE c20 = 7
    UNION ALL
    SELECT n, id, 'Cancelled', t, 'bench-admin-01', t + interval '7 days', NULL, NULL, NULL,
           t + interval '1 day', device_id, t + interval '15 days', NULL, NULL, t + interval '2 days', NULL,
           'bench-admin-01', NULL, 'cancelled_support'
    FROM base, LATERAL (SELECT now() - (n % 25 + 3) * interval '1 day' AS t) x
    WHERE c20 = 8
) p;

-- Identities: status, tier and grace end follow the open process, as the facade keeps them.
INSERT INTO identities (address, client_id, created_at, status, tier_id, tier_id_before_deletion,
                        deletion_grace_period_ends_at, address_hash)
SELECT i.address, 'bench-client-' || (i.n % 10), i.created_at,
       CASE o.status WHEN 'Approved' THEN 'ToBeDeleted' WHEN 'Deleting' THEN 'Deleting' ELSE 'Active' END,
       CASE WHEN o.status IN ('Approved', 'Deleting') THEN 'TIR00000000000000001' ELSE 'TIRBASIC000000000000' END,
       CASE WHEN o.status IN ('Approved', 'Deleting') THEN 'TIRBASIC000000000000' END,
       CASE WHEN o.status IN ('Approved', 'Deleting') THEN o.grace_period_ends_at END,
       sha256(convert_to(i.address, 'UTF8'))
FROM bench_ids i
LEFT JOIN bench_p o ON o.n = i.n AND o.status IN ('Approved', 'Deleting')
ORDER BY i.n;

-- One device per identity; every tenth identity has a second one.
INSERT INTO devices (id, identity_address, username, password_hash, created_at, id_hash, username_hash)
SELECT device_id, address, username, :'pw_hash', created_at,
       sha256(convert_to(device_id, 'UTF8')), sha256(convert_to(username, 'UTF8'))
FROM bench_ids
UNION ALL
SELECT d.id, address, username || '-tablet', :'pw_hash', created_at + interval '3 days',
       sha256(convert_to(d.id, 'UTF8')), sha256(convert_to(username || '-tablet', 'UTF8'))
FROM bench_ids, LATERAL (SELECT 'DVC' || left(encode(sha256(convert_to('e' || n, 'UTF8')), 'hex'), 17) AS id) d
WHERE n % 10 = 0;

INSERT INTO identity_deletion_processes (
    id, identity_address, status, created_at, started_by_admin, approval_period_ends_at,
    approval_reminder1_sent_at, approval_reminder2_sent_at, approval_reminder3_sent_at,
    approved_at, approved_by_device, grace_period_ends_at, rejected_at, rejected_by_device,
    cancelled_at, cancelled_by_device, cancelled_by_admin, deletion_started_at)
SELECT p.id, i.address, p.status, p.created_at, p.started_by_admin, p.approval_period_ends_at,
       p.approval_reminder1_sent_at, p.approval_reminder2_sent_at, p.approval_reminder3_sent_at,
       p.approved_at, p.approved_by_device, p.grace_period_ends_at, p.rejected_at, p.rejected_by_device,
       p.cancelled_at, p.cancelled_by_device, p.cancelled_by_admin, p.deletion_started_at
FROM bench_p p JOIN bench_ids i USING (n)
ORDER BY p.created_at;

-- The audit trail of each process: one entry per transition, in order.
INSERT INTO identity_deletion_process_audit_log (
    id, process_id, created_at, message_key, old_status, new_status,
    identity_address_hash, device_id_hash)
SELECT 'IDA' || left(encode(sha256(convert_to(p.id || '/' || e.step, 'UTF8')), 'hex'), 17),
       p.id, e.at, e.key, e.old_status, e.new_status,
       sha256(convert_to(i.address, 'UTF8')),
       CASE WHEN e.by_device THEN sha256(convert_to(i.device_id, 'UTF8')) END
FROM bench_p p
JOIN bench_ids i USING (n)
CROSS JOIN LATERAL (VALUES
    -- step, when, key, old, new, done by the owner's device?, applies to kinds
    (1, p.created_at, 'StartedBySupport', NULL, 'WaitingForApproval', false,
        p.kind IN ('waiting', 'approved_support', 'rejected', 'cancelled_auto', 'cancelled_support')),
    (1, p.created_at, 'StartedByOwner', NULL, 'Approved', true,
        p.kind IN ('approved_owner', 'deleting', 'cancelled_owner')),
    (2, p.approval_reminder1_sent_at, 'ApprovalReminder1Sent', 'WaitingForApproval', 'WaitingForApproval', false,
        p.approval_reminder1_sent_at IS NOT NULL),
    (3, p.approval_reminder2_sent_at, 'ApprovalReminder2Sent', 'WaitingForApproval', 'WaitingForApproval', false,
        p.approval_reminder2_sent_at IS NOT NULL),
    (4, p.approval_reminder3_sent_at, 'ApprovalReminder3Sent', 'WaitingForApproval', 'WaitingForApproval', false,
        p.approval_reminder3_sent_at IS NOT NULL),
    (5, p.approved_at, 'Approved', 'WaitingForApproval', 'Approved', true,
        p.kind IN ('approved_support', 'cancelled_support')),
    (6, p.rejected_at, 'Rejected', 'WaitingForApproval', 'Rejected', true, p.kind = 'rejected'),
    (6, p.cancelled_at, 'CancelledByOwner', 'Approved', 'Cancelled', true, p.kind = 'cancelled_owner'),
    (6, p.cancelled_at, 'CancelledAutomatically', 'WaitingForApproval', 'Cancelled', false, p.kind = 'cancelled_auto'),
    (6, p.cancelled_at, 'CancelledBySupport', 'Approved', 'Cancelled', false, p.kind = 'cancelled_support'),
    (6, p.deletion_started_at, 'DeletionStarted', 'Approved', 'Deleting', false, p.kind = 'deleting')
) AS e(step, at, key, old_status, new_status, by_device, applies)
WHERE e.applies
ORDER BY e.at;

-- Notices on the owners' pages: support's request and its reminder, support's cancellation.
INSERT INTO notifications (identity_address, process_id, created_at, kind, payload)
SELECT i.address, p.id, e.at, e.kind,
       jsonb_build_object('approvalPeriodEndsAt', p.approval_period_ends_at,
                          'gracePeriodEndsAt', p.grace_period_ends_at)
FROM bench_p p
JOIN bench_ids i USING (n)
CROSS JOIN LATERAL (VALUES
    (p.created_at, 'StartedBySupport', p.started_by_admin IS NOT NULL),
    (p.approval_reminder1_sent_at, 'ApprovalReminder1Sent', p.approval_reminder1_sent_at IS NOT NULL),
    (p.cancelled_at, 'CancelledBySupport', p.kind = 'cancelled_support')
) AS e(at, kind, applies)
WHERE e.applies
ORDER BY e.at;

-- How many identities are seeded, for growing the database later (bench/run.sh, BENCH_GROW).
CREATE SCHEMA IF NOT EXISTS bench_meta;
CREATE TABLE IF NOT EXISTS bench_meta.seed (identities int NOT NULL);
DELETE FROM bench_meta.seed;
INSERT INTO bench_meta.seed VALUES (:identities);

COMMIT;

VACUUM (ANALYZE) identities, devices, identity_deletion_processes,
    identity_deletion_process_audit_log, notifications, admin_users;

SELECT 'identities' AS "table", count(*) AS rows FROM identities
UNION ALL SELECT 'devices', count(*) FROM devices
UNION ALL SELECT 'processes ' || status, count(*) FROM identity_deletion_processes GROUP BY status
UNION ALL SELECT 'audit entries', count(*) FROM identity_deletion_process_audit_log
UNION ALL SELECT 'notifications', count(*) FROM notifications
ORDER BY 1;
