-- +goose Up
-- The last TOTP time step accepted for the user: a code for that step or an
-- earlier one is a replay and is refused.
ALTER TABLE users ADD COLUMN totp_last_step bigint;

-- Backup codes: each single use, stored as an argon2id hash. The first
-- characters (prefix) are stored plainly to find the one hash to check.
CREATE TABLE backup_codes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    prefix     text NOT NULL,
    code_hash  text NOT NULL,
    created_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX backup_codes_user_idx ON backup_codes (user_id, prefix);

-- A message sent alike to many users (a bulk action's notice) keeps its
-- text once here; its outbox rows point to it.
CREATE TABLE mail_bodies (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    text_body  text NOT NULL,
    html_body  text NOT NULL,
    created_at timestamptz NOT NULL
);
ALTER TABLE outbox ADD COLUMN body_id bigint REFERENCES mail_bodies (id);
-- The primary key already walks messages newest first.
DROP INDEX outbox_created_idx;

-- +goose Down
CREATE INDEX outbox_created_idx ON outbox (id DESC);
ALTER TABLE outbox DROP COLUMN body_id;
DROP TABLE mail_bodies;
DROP TABLE backup_codes;
ALTER TABLE users DROP COLUMN totp_last_step;
