-- +goose Up
-- One machinery for every emailed or one-time link. Only the SHA-256 of the
-- token is kept; using a token is a conditional update, so it works once.
CREATE TABLE tokens (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id           INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose           TEXT NOT NULL CHECK (purpose IN ('reset', 'welcome', 'email_change', 'support_code')),
    sha256            BLOB NOT NULL UNIQUE,
    created_at        DATETIME NOT NULL,
    expires_at        DATETIME NOT NULL,
    used_at           DATETIME,
    voided_at         DATETIME,
    void_reason       TEXT NOT NULL DEFAULT '',
    requested_by_id   INTEGER,
    requested_by_name TEXT NOT NULL DEFAULT '',
    sent_at           DATETIME,
    new_email         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tokens_user_idx ON tokens (user_id, purpose, id);

-- Transactional outbox: a message is written in the same transaction as
-- what caused it; workers lease rows, send them and mark them sent.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    token_id        INTEGER REFERENCES tokens (id) ON DELETE SET NULL,
    created_at      DATETIME NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    lease_owner     TEXT NOT NULL DEFAULT '',
    sent_at         DATETIME,
    last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL;

-- Recovery requests (forgot password, forgot username) are queued as typed
-- and handled off the request path, so the page does the same work and
-- takes the same time whether or not the account exists.
CREATE TABLE recovery_requests (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL CHECK (kind IN ('password', 'username')),
    identifier TEXT NOT NULL,
    ip         TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE recovery_requests;
DROP TABLE outbox;
DROP TABLE tokens;
