-- +goose Up
-- Mail to the users of a suspended or closed account stops, even mail
-- queued before the suspension: each message names the customer account
-- it is for (NULL for the provider's own notices and staff mail), and the
-- mail worker withholds, rather than sends, a due message whose account is
-- suspended or closed. withheld_at marks it so it is never tried again.
-- A purged account's messages go with it.
ALTER TABLE outbox ADD COLUMN account_id INTEGER REFERENCES accounts (id) ON DELETE CASCADE;
ALTER TABLE outbox ADD COLUMN withheld_at DATETIME;
CREATE INDEX outbox_account_idx ON outbox (account_id) WHERE account_id IS NOT NULL;

-- +goose Down
DROP INDEX outbox_account_idx;
ALTER TABLE outbox DROP COLUMN withheld_at;
ALTER TABLE outbox DROP COLUMN account_id;
