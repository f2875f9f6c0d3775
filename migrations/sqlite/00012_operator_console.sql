-- +goose Up
-- The operator console lists the customer accounts by name, number or
-- creation, in either direction, all of them or those of one status, in
-- keyset pages: each order has an index that leads with what the query
-- filters by (kind, then status when one is chosen) and ends with the id
-- that breaks ties. (A name search scans: SQLite is the small install.)
CREATE INDEX accounts_kind_name_idx ON accounts (kind, lower(name), id);
CREATE INDEX accounts_kind_number_idx ON accounts (kind, number, id);
CREATE INDEX accounts_kind_created_idx ON accounts (kind, created_at, id);
CREATE INDEX accounts_kind_status_name_idx ON accounts (kind, status, lower(name), id);
CREATE INDEX accounts_kind_status_number_idx ON accounts (kind, status, number, id);
CREATE INDEX accounts_kind_status_created_idx ON accounts (kind, status, created_at, id);

-- +goose Down
DROP INDEX accounts_kind_status_created_idx;
DROP INDEX accounts_kind_status_number_idx;
DROP INDEX accounts_kind_status_name_idx;
DROP INDEX accounts_kind_created_idx;
DROP INDEX accounts_kind_number_idx;
DROP INDEX accounts_kind_name_idx;
