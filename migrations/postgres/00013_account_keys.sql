-- +goose Up
-- Every table of one customer's data carries the account's id, so the
-- store filters by it directly and PostgreSQL can one day be distributed
-- by account (Citus) with these rows beside their users. The column is
-- backfilled from the user (or the bulk job), then required; a session
-- has none until someone signs in on it. Indexes for customer queries
-- lead with it. tokens gets it once its rebuild settles (docs/design.md).
ALTER TABLE secrets ADD COLUMN account_id bigint REFERENCES accounts (id) ON DELETE CASCADE;
UPDATE secrets SET account_id = u.account_id FROM users u WHERE u.id = secrets.user_id;
ALTER TABLE secrets ALTER COLUMN account_id SET NOT NULL;
CREATE INDEX secrets_account_user_idx ON secrets (account_id, user_id);

ALTER TABLE sessions ADD COLUMN account_id bigint REFERENCES accounts (id) ON DELETE CASCADE;
UPDATE sessions SET account_id = u.account_id FROM users u WHERE u.id = sessions.user_id;
CREATE INDEX sessions_account_user_idx ON sessions (account_id, user_id);

ALTER TABLE license_acceptances ADD COLUMN account_id bigint REFERENCES accounts (id) ON DELETE CASCADE;
UPDATE license_acceptances SET account_id = u.account_id FROM users u WHERE u.id = license_acceptances.user_id;
ALTER TABLE license_acceptances ALTER COLUMN account_id SET NOT NULL;
CREATE INDEX license_acceptances_account_user_idx ON license_acceptances (account_id, user_id);

ALTER TABLE user_permissions ADD COLUMN account_id bigint REFERENCES accounts (id) ON DELETE CASCADE;
UPDATE user_permissions SET account_id = u.account_id FROM users u WHERE u.id = user_permissions.user_id;
ALTER TABLE user_permissions ALTER COLUMN account_id SET NOT NULL;
CREATE INDEX user_permissions_account_user_idx ON user_permissions (account_id, user_id);

ALTER TABLE user_roles ADD COLUMN account_id bigint REFERENCES accounts (id) ON DELETE CASCADE;
UPDATE user_roles SET account_id = u.account_id FROM users u WHERE u.id = user_roles.user_id;
ALTER TABLE user_roles ALTER COLUMN account_id SET NOT NULL;
CREATE INDEX user_roles_account_user_idx ON user_roles (account_id, user_id);

ALTER TABLE backup_codes ADD COLUMN account_id bigint REFERENCES accounts (id) ON DELETE CASCADE;
UPDATE backup_codes SET account_id = u.account_id FROM users u WHERE u.id = backup_codes.user_id;
ALTER TABLE backup_codes ALTER COLUMN account_id SET NOT NULL;
CREATE INDEX backup_codes_account_user_idx ON backup_codes (account_id, user_id, prefix);

ALTER TABLE bulk_job_results ADD COLUMN account_id bigint REFERENCES accounts (id) ON DELETE CASCADE;
UPDATE bulk_job_results SET account_id = j.account_id FROM bulk_jobs j WHERE j.id = bulk_job_results.job_id;
ALTER TABLE bulk_job_results ALTER COLUMN account_id SET NOT NULL;
CREATE INDEX bulk_job_results_account_job_idx ON bulk_job_results (account_id, job_id, user_id);

-- +goose Down
ALTER TABLE bulk_job_results DROP COLUMN account_id;
ALTER TABLE backup_codes DROP COLUMN account_id;
ALTER TABLE user_roles DROP COLUMN account_id;
ALTER TABLE user_permissions DROP COLUMN account_id;
ALTER TABLE license_acceptances DROP COLUMN account_id;
ALTER TABLE sessions DROP COLUMN account_id;
ALTER TABLE secrets DROP COLUMN account_id;
