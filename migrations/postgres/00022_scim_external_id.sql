-- +goose Up
-- SCIM provisioning: the identity provider's own id for a user
-- (externalId, RFC 7643 section 3.1), which it filters by to find the
-- users it created. NULL when none was given; unique per account when set,
-- and the index serves `externalId eq "..."` filters.
ALTER TABLE users ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX users_account_external_id_idx ON users (account_id, external_id) WHERE external_id IS NOT NULL;

-- +goose Down
DROP INDEX users_account_external_id_idx;
ALTER TABLE users DROP COLUMN external_id;
