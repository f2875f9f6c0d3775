-- +goose Up
-- App passwords: secrets the portal generates for integrations (CRM
-- plug-ins) that cannot do a second factor or a sign-in form. Only the
-- SHA-256 of the secret is kept (see the PostgreSQL migration).
CREATE TABLE app_passwords (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    digest         BLOB NOT NULL UNIQUE,
    created_at     DATETIME NOT NULL,
    last_used_at   DATETIME,
    last_used_ip   TEXT NOT NULL DEFAULT '',
    revoked_at     DATETIME,
    revoked_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX app_passwords_user_idx ON app_passwords (user_id, id);
CREATE INDEX app_passwords_account_live_idx ON app_passwords (account_id) WHERE revoked_at IS NULL;

-- The account's Security page can turn app passwords off; on by default.
ALTER TABLE accounts ADD COLUMN app_passwords_enabled BOOLEAN NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE accounts DROP COLUMN app_passwords_enabled;
DROP TABLE app_passwords;
