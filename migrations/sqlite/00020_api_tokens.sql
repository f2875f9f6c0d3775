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

-- +goose Down
DROP TABLE api_tokens;
