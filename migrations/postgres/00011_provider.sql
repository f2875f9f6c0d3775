-- +goose Up
-- The provider serves many customer accounts. An account onboarded by an
-- operator is 'pending' until its Primary Admin accepts the invitation;
-- operators suspend and reactivate it, and a closed account waits for
-- purge_after before `accountportal accounts purge` removes it.
ALTER TABLE accounts ADD COLUMN status text NOT NULL DEFAULT 'active'
    CHECK (status IN ('pending', 'active', 'suspended', 'closed'));
ALTER TABLE accounts ADD COLUMN status_reason text NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN status_changed_at timestamptz;
ALTER TABLE accounts ADD COLUMN purge_after timestamptz;

-- +goose Down
ALTER TABLE accounts DROP COLUMN purge_after;
ALTER TABLE accounts DROP COLUMN status_changed_at;
ALTER TABLE accounts DROP COLUMN status_reason;
ALTER TABLE accounts DROP COLUMN status;
