-- Deletion receipt checks (`/receipts/verify`) counted per client network in a fixed
-- one-minute window, so that nobody can try codes or addresses at speed. One row per
-- network that checked; the jobs remove rows whose window ended long ago.
CREATE TABLE receipt_checks (
    network           TEXT PRIMARY KEY CHECK (length(network) BETWEEN 1 AND 64),
    window_started_at TIMESTAMPTZ NOT NULL,
    checks            INTEGER NOT NULL CHECK (checks >= 0)
);
