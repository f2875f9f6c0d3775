-- +goose Up
-- The phone company's support desk is kept apart from customers: its agents
-- are users of the one account of kind 'staff', which every customer-facing
-- search leaves out.
ALTER TABLE accounts ADD COLUMN kind text NOT NULL DEFAULT 'customer' CHECK (kind IN ('customer', 'staff'));
CREATE UNIQUE INDEX accounts_one_staff_idx ON accounts (kind) WHERE kind = 'staff';
CREATE INDEX audit_events_support_idx ON audit_events (target_id, id) WHERE action LIKE 'support.%';

-- +goose Down
DROP INDEX audit_events_support_idx;
DROP INDEX accounts_one_staff_idx;
ALTER TABLE accounts DROP COLUMN kind;
