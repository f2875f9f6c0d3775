-- +goose Up
-- An operator onboarding an account emails its Primary Admin an
-- invitation: a link of its own purpose, in the same ledger as the other
-- emailed links, which opens the steps of first-run setup.
--
-- SQLite cannot change a CHECK constraint in place, so the table is
-- rebuilt (SQLite's documented procedure, inside goose's transaction).
-- Dropping the old table sets outbox.token_id to NULL (ON DELETE SET
-- NULL), so the outbox's links to tokens are kept aside and put back.
CREATE TEMP TABLE outbox_token_links AS SELECT id, token_id FROM outbox WHERE token_id IS NOT NULL;
CREATE TABLE tokens_new (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id           INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose           TEXT NOT NULL CHECK (purpose IN ('reset', 'welcome', 'email_change', 'support_code', 'invitation')),
    sha256            BLOB NOT NULL UNIQUE,
    created_at        DATETIME NOT NULL,
    expires_at        DATETIME NOT NULL,
    used_at           DATETIME,
    voided_at         DATETIME,
    void_reason       TEXT NOT NULL DEFAULT '',
    requested_by_id   INTEGER,
    requested_by_name TEXT NOT NULL DEFAULT '',
    sent_at           DATETIME,
    new_email         TEXT NOT NULL DEFAULT '',
    answered_by       BLOB,
    answered_at       DATETIME
);
INSERT INTO tokens_new (id, user_id, purpose, sha256, created_at, expires_at, used_at, voided_at, void_reason,
    requested_by_id, requested_by_name, sent_at, new_email, answered_by, answered_at)
SELECT id, user_id, purpose, sha256, created_at, expires_at, used_at, voided_at, void_reason,
    requested_by_id, requested_by_name, sent_at, new_email, answered_by, answered_at FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_new RENAME TO tokens;
CREATE INDEX tokens_user_idx ON tokens (user_id, purpose, id);
CREATE INDEX tokens_user_live_idx ON tokens (user_id) WHERE used_at IS NULL AND voided_at IS NULL;
UPDATE outbox SET token_id = (SELECT l.token_id FROM outbox_token_links l WHERE l.id = outbox.id)
    WHERE id IN (SELECT id FROM outbox_token_links);
DROP TABLE outbox_token_links;

-- +goose Down
CREATE TEMP TABLE outbox_token_links AS SELECT id, token_id FROM outbox WHERE token_id IS NOT NULL;
DELETE FROM outbox_token_links WHERE token_id IN (SELECT id FROM tokens WHERE purpose = 'invitation');
CREATE TABLE tokens_old (
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
    new_email         TEXT NOT NULL DEFAULT '',
    answered_by       BLOB,
    answered_at       DATETIME
);
INSERT INTO tokens_old (id, user_id, purpose, sha256, created_at, expires_at, used_at, voided_at, void_reason,
    requested_by_id, requested_by_name, sent_at, new_email, answered_by, answered_at)
SELECT id, user_id, purpose, sha256, created_at, expires_at, used_at, voided_at, void_reason,
    requested_by_id, requested_by_name, sent_at, new_email, answered_by, answered_at FROM tokens WHERE purpose <> 'invitation';
DROP TABLE tokens;
ALTER TABLE tokens_old RENAME TO tokens;
CREATE INDEX tokens_user_idx ON tokens (user_id, purpose, id);
CREATE INDEX tokens_user_live_idx ON tokens (user_id) WHERE used_at IS NULL AND voided_at IS NULL;
UPDATE outbox SET token_id = (SELECT l.token_id FROM outbox_token_links l WHERE l.id = outbox.id)
    WHERE id IN (SELECT id FROM outbox_token_links);
DROP TABLE outbox_token_links;
