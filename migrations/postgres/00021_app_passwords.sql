-- +goose Up
-- App passwords: secrets the portal generates for integrations (CRM
-- plug-ins) that cannot do a second factor or a sign-in form. Only the
-- SHA-256 of the secret is kept: it is 80 random bits, so a fast digest is
-- enough, and a lookup by digest finds the row without comparing hashes
-- one by one. Rows stay after revocation, with the reason, for the owner's
-- list and the audit trail; they go with their user or account.
CREATE TABLE app_passwords (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id     bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name           text NOT NULL,
    digest         bytea NOT NULL UNIQUE,
    created_at     timestamptz NOT NULL,
    last_used_at   timestamptz,
    last_used_ip   text NOT NULL DEFAULT '',
    revoked_at     timestamptz,
    revoked_reason text NOT NULL DEFAULT ''
);
-- The owner's list, and revoking a user's live ones.
CREATE INDEX app_passwords_user_idx ON app_passwords (user_id, id);
-- Turning the account's setting off revokes its live ones.
CREATE INDEX app_passwords_account_live_idx ON app_passwords (account_id) WHERE revoked_at IS NULL;

-- The account's Security page can turn app passwords off; on by default.
ALTER TABLE accounts ADD COLUMN app_passwords_enabled boolean NOT NULL DEFAULT true;

-- +goose Down
ALTER TABLE accounts DROP COLUMN app_passwords_enabled;
DROP TABLE app_passwords;
