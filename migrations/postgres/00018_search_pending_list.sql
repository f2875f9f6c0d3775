-- +goose Up
-- A search reads the whole of the trigram index's pending list (rows
-- inserted or renamed since it was last merged into the index) as well as
-- the index proper, and by default that list grows to 4 MB before it is
-- merged. After a million users were loaded it held 157 pages: 3 of the
-- 4.4 ms of a one-match search. Capped at 64 kB (the least allowed) it is
-- merged as it fills, and the same search reads 93 pages instead of 250.
-- Loading users in bulk costs a little more for it (20,000 rows: 1.1 to
-- 1.7 s against 1.0 s).
ALTER INDEX users_search_trgm_idx SET (gin_pending_list_limit = 64);

-- +goose Down
ALTER INDEX users_search_trgm_idx RESET (gin_pending_list_limit);
