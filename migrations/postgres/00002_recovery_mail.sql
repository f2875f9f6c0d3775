-- +goose Up
-- One machinery for every emailed or one-time link. Only the SHA-256 of the
-- token is kept; using a token is a conditional update, so it works once.
CREATE TABLE tokens (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id           bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose           text NOT NULL CHECK (purpose IN ('reset', 'welcome', 'email_change', 'support_code')),
    sha256            bytea NOT NULL UNIQUE,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    used_at           timestamptz,
    voided_at         timestamptz,
    void_reason       text NOT NULL DEFAULT '',
    requested_by_id   bigint,
    requested_by_name text NOT NULL DEFAULT '',
    sent_at           timestamptz,
    new_email         text NOT NULL DEFAULT ''
);
CREATE INDEX tokens_user_idx ON tokens (user_id, purpose, id);

-- Transactional outbox: a message is written in the same transaction as
-- what caused it; workers lease rows, send them and mark them sent.
CREATE TABLE outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    to_addr         text NOT NULL,
    subject         text NOT NULL,
    text_body       text NOT NULL,
    html_body       text NOT NULL,
    token_id        bigint REFERENCES tokens (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_owner     text NOT NULL DEFAULT '',
    sent_at         timestamptz,
    last_error      text NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX outbox_created_idx ON outbox (id DESC);

-- Recovery requests (forgot password, forgot username) are queued as typed
-- and handled off the request path, so the page does the same work and
-- takes the same time whether or not the account exists.
CREATE TABLE recovery_requests (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('password', 'username')),
    identifier text NOT NULL,
    ip         text NOT NULL DEFAULT '',
    user_agent text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE recovery_requests;
DROP TABLE outbox;
DROP TABLE tokens;
