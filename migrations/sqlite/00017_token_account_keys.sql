-- +goose Up
-- Emailed links carry their account like the other per-account tables
-- (migration 13), now that their rebuild (migration 14) is done; SQLite's
-- ADD COLUMN cannot require a value without a default, so the store
-- always sets it. A user's own audit rows are found by indexes that lead
-- with the account.
ALTER TABLE tokens ADD COLUMN account_id INTEGER NOT NULL DEFAULT 0;
UPDATE tokens SET account_id = (SELECT u.account_id FROM users u WHERE u.id = tokens.user_id);
CREATE INDEX tokens_account_user_idx ON tokens (account_id, user_id, purpose, id);

CREATE INDEX audit_events_account_target_idx ON audit_events (account_id, target_id, id);
CREATE INDEX audit_events_account_support_idx ON audit_events (account_id, target_id, id) WHERE action LIKE 'support.%';
DROP INDEX audit_events_support_idx;
DROP INDEX audit_events_target_idx;

-- +goose Down
CREATE INDEX audit_events_target_idx ON audit_events (target_id, id);
CREATE INDEX audit_events_support_idx ON audit_events (target_id, id) WHERE action LIKE 'support.%';
DROP INDEX audit_events_account_support_idx;
DROP INDEX audit_events_account_target_idx;
DROP INDEX tokens_account_user_idx;
ALTER TABLE tokens DROP COLUMN account_id;
