-- +goose Up
-- When an administrator reset the user's second factor: the user must set up
-- a new one at their next sign-in whatever the account's policy (except
-- off). Cleared when they enrol again.
ALTER TABLE users ADD COLUMN mfa_reset_at DATETIME;

-- The status a suspended user had before (active or invited), so that
-- reactivation gives each user back the state they were in.
ALTER TABLE users ADD COLUMN status_before_suspension TEXT;

-- The recipient's name, said in a shared body (mail_bodies) in place of
-- models.RecipientName, so a bulk notice greets each user by name.
ALTER TABLE outbox ADD COLUMN to_name TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE outbox DROP COLUMN to_name;
ALTER TABLE users DROP COLUMN status_before_suspension;
ALTER TABLE users DROP COLUMN mfa_reset_at;
