-- +goose Up
-- API tokens: named, per account, with a set of permissions. Only the
-- SHA-256 of the secret is kept (it is 32 random bytes, so a fast hash is
-- enough). The token acts as its owner within its own permissions; when
-- the owner is deleted owner_id becomes NULL and the token is paused until
-- the Primary Admin adopts it. Names are copied so the list still reads
-- after a deletion.
CREATE TABLE api_tokens (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id      bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name            text NOT NULL,
    sha256          bytea NOT NULL UNIQUE,
    permissions     text NOT NULL DEFAULT '',
    owner_id        bigint REFERENCES users (id) ON DELETE SET NULL,
    owner_name      text NOT NULL,
    created_by_id   bigint REFERENCES users (id) ON DELETE SET NULL,
    created_by_name text NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz,
    last_used_at    timestamptz,
    last_used_ip    text NOT NULL DEFAULT '',
    revoked_at      timestamptz,
    revoked_by_name text NOT NULL DEFAULT ''
);
CREATE INDEX api_tokens_account_idx ON api_tokens (account_id, id);
CREATE INDEX api_tokens_owner_idx ON api_tokens (owner_id);
CREATE INDEX api_tokens_created_by_idx ON api_tokens (created_by_id);
-- The audit log names a token by its name: two live tokens of an account
-- never share one.
CREATE UNIQUE INDEX api_tokens_live_name_idx ON api_tokens (account_id, lower(name)) WHERE revoked_at IS NULL;

-- The answers to POST requests sent with an Idempotency-Key, per token, so
-- a retried request gets the first answer instead of acting twice. A row
-- with status 0 is a request still being answered.
CREATE TABLE api_idempotency (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_id     bigint NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    key          text NOT NULL,
    request_hash bytea NOT NULL,
    status       integer NOT NULL DEFAULT 0,
    body         text NOT NULL DEFAULT '',
    location     text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    UNIQUE (token_id, key)
);
CREATE INDEX api_idempotency_created_idx ON api_idempotency (created_at);

-- +goose Down
DROP TABLE api_idempotency;
DROP TABLE api_tokens;
