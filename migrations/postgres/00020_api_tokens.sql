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

-- +goose Down
DROP TABLE api_tokens;
