-- +goose Up
-- Emailed links carry their account like the other per-account tables
-- (migration 13), now that their SQLite rebuild (migration 14) is done;
-- and a user's own audit rows are found by indexes that lead with the
-- account, so every index of customer queries does.
ALTER TABLE tokens ADD COLUMN account_id bigint REFERENCES accounts (id) ON DELETE CASCADE;
UPDATE tokens SET account_id = u.account_id FROM users u WHERE u.id = tokens.user_id;
ALTER TABLE tokens ALTER COLUMN account_id SET NOT NULL;
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
