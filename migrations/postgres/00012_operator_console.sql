-- +goose Up
-- The operator console lists the customer accounts by name, number or
-- creation, in either direction, all of them or those of one status, in
-- keyset pages: each order has an index that leads with what the query
-- filters by (kind, then status when one is chosen) and ends with the id
-- that breaks ties, so the last page costs what the first does at
-- 100,000 accounts.
CREATE INDEX accounts_kind_name_idx ON accounts (kind, lower(name), id);
CREATE INDEX accounts_kind_number_idx ON accounts (kind, number, id);
CREATE INDEX accounts_kind_created_idx ON accounts (kind, created_at, id);
CREATE INDEX accounts_kind_status_name_idx ON accounts (kind, status, lower(name), id);
CREATE INDEX accounts_kind_status_number_idx ON accounts (kind, status, number, id);
CREATE INDEX accounts_kind_status_created_idx ON accounts (kind, status, created_at, id);
-- The search for part of a company name ("contains", as the users console
-- searches people), served by trigrams like users_search_trgm_idx.
CREATE INDEX accounts_name_trgm_idx ON accounts USING gin (lower(name) gin_trgm_ops);

-- +goose Down
DROP INDEX accounts_name_trgm_idx;
DROP INDEX accounts_kind_status_created_idx;
DROP INDEX accounts_kind_status_number_idx;
DROP INDEX accounts_kind_status_name_idx;
DROP INDEX accounts_kind_created_idx;
DROP INDEX accounts_kind_number_idx;
DROP INDEX accounts_kind_name_idx;
