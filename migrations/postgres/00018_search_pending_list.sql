-- +goose Up
-- A search reads the whole of the trigram index's pending list (rows
-- inserted or renamed since it was last merged into the index) as well as
-- the index proper, and by default that list grows to 4 MB before it is
-- merged. After a million users were loaded it held 157 pages: 3 of the
-- 4.4 ms of a search that finds next to nothing ("elena.scott765434").
-- Capped at 64 kB (the least allowed) it is merged as it fills, and the
-- same search reads 93 pages instead of 250.
-- Loading many users in one statement pays for it, merging the list more
-- often: 300,000 rows took 12-14 s instead of 7.7 s, and the benchmark's
-- seed of a million 1 min 50 s instead of 1 min 10 s. The portal creates
-- users one at a time, where the merges are spread thin.
ALTER INDEX users_search_trgm_idx SET (gin_pending_list_limit = 64);

-- +goose Down
ALTER INDEX users_search_trgm_idx RESET (gin_pending_list_limit);
