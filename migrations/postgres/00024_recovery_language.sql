-- +goose Up
-- The language a forgotten-password or forgotten-username request was made
-- in, so the email the worker writes later is in it when the user (or, for
-- a username reminder, the users of the address) chose none. '' for none.
ALTER TABLE recovery_requests ADD COLUMN language TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE recovery_requests DROP COLUMN language;
