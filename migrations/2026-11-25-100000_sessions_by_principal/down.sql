DROP TABLE web_sessions;

CREATE TABLE web_sessions (
    id         TEXT PRIMARY KEY,
    state      JSONB NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX web_sessions_expires_idx ON web_sessions (expires_at);
