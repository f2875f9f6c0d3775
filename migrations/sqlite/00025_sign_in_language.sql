-- +goose Up
-- The language a user's last sign-in was read in (their browser's or the
-- sign-in page switcher's), so emails others cause reach a user who chose
-- no language, in an account with no default, in the language they read
-- the portal in rather than in English. '' for none known.
ALTER TABLE users ADD COLUMN sign_in_language TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN sign_in_language;
