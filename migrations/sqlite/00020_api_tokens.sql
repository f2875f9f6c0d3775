-- +goose Up
-- API tokens: see the PostgreSQL migration of the same number.
CREATE TABLE api_tokens (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    sha256          BLOB NOT NULL UNIQUE,
    permissions     TEXT NOT NULL DEFAULT '',
    owner_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    owner_name      TEXT NOT NULL,
    created_by_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_by_name TEXT NOT NULL,
    created_at      DATETIME NOT NULL,
    expires_at      DATETIME,
    last_used_at    DATETIME,
    last_used_ip    TEXT NOT NULL DEFAULT '',
    revoked_at      DATETIME,
    revoked_by_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX api_tokens_account_idx ON api_tokens (account_id, id);
CREATE INDEX api_tokens_owner_idx ON api_tokens (owner_id);
CREATE INDEX api_tokens_created_by_idx ON api_tokens (created_by_id);
CREATE UNIQUE INDEX api_tokens_live_name_idx ON api_tokens (account_id, lower(name)) WHERE revoked_at IS NULL;

-- The answers to POST requests sent with an Idempotency-Key, per token, so
-- a retried request gets the first answer instead of acting twice. A row
-- with status 0 is a request still being answered.
CREATE TABLE api_idempotency (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_id     INTEGER NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    request_hash BLOB NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0,
    body         TEXT NOT NULL DEFAULT '',
    location     TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    UNIQUE (token_id, key)
);
CREATE INDEX api_idempotency_created_idx ON api_idempotency (created_at);

-- +goose Down
DROP TABLE api_idempotency;
DROP TABLE api_tokens;
