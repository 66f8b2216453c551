-- One schema for SQLite and PostgreSQL: only types both read the same way (TEXT, BIGINT, INTEGER,
-- DOUBLE PRECISION, BOOLEAN), times as epoch milliseconds.
-- Virtual keys: only the SHA-256 of a secret is kept; previous_hash works until previous_valid_until (rotation grace).
CREATE TABLE virtual_keys (
    id                   TEXT PRIMARY KEY,
    key_hash             TEXT NOT NULL UNIQUE,
    prefix               TEXT NOT NULL,
    previous_hash        TEXT,
    previous_valid_until BIGINT,
    name                 TEXT,
    team                 TEXT,
    user_name            TEXT,
    routes               TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    expires_at           BIGINT,
    revoked_at           BIGINT,
    rpm                  INTEGER,
    tpm                  INTEGER,
    max_concurrent       INTEGER,
    budget_usd           TEXT,
    budget_period        TEXT,
    priority             TEXT,
    updated_at           BIGINT NOT NULL
);
CREATE INDEX virtual_keys_previous_hash ON virtual_keys (previous_hash);

-- One row per request. row_id makes a replayed spool idempotent; times are epoch milliseconds, day is the UTC date.
CREATE TABLE usage_ledger (
    row_id            TEXT PRIMARY KEY,
    request_id        TEXT NOT NULL,
    at_ms             BIGINT NOT NULL,
    day               TEXT NOT NULL,
    key_id            TEXT,
    team              TEXT,
    user_name         TEXT,
    route             TEXT,
    provider          TEXT,
    model             TEXT,
    tier              INTEGER,
    status            TEXT NOT NULL,
    error_code        TEXT,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    cached_tokens     INTEGER NOT NULL,
    cost_nanos        BIGINT NOT NULL,
    latency_ms        DOUBLE PRECISION NOT NULL,
    ttft_ms           DOUBLE PRECISION,
    stream            BOOLEAN NOT NULL,
    metadata          TEXT
);
CREATE INDEX usage_ledger_at ON usage_ledger (at_ms);
CREATE INDEX usage_ledger_key ON usage_ledger (key_id, at_ms);

-- Append-only and hash-chained: hash = SHA-256(prev_hash, canonical content of the row).
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at_ms     BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT,
    detail    TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
