-- +goose Up
-- The users console searches name, username and email with "contains".
ALTER TABLE users ADD COLUMN search_text TEXT GENERATED ALWAYS AS (lower(display_name || ' ' || username || ' ' || email)) VIRTUAL;
-- Keyset pagination walks these in order; the id breaks ties.
CREATE INDEX users_account_name_idx ON users (account_id, lower(display_name), id);
CREATE INDEX users_account_username_idx ON users (account_id, username_key, id);
CREATE INDEX users_account_email_idx ON users (account_id, email_key, id);
CREATE INDEX user_permissions_user_idx ON user_permissions (user_id);
CREATE INDEX tokens_user_live_idx ON tokens (user_id) WHERE used_at IS NULL AND voided_at IS NULL;

-- +goose Down
DROP INDEX tokens_user_live_idx;
DROP INDEX user_permissions_user_idx;
DROP INDEX users_account_email_idx;
DROP INDEX users_account_username_idx;
DROP INDEX users_account_name_idx;
ALTER TABLE users DROP COLUMN search_text;
