-- +goose Up
-- Migration 19 trims PostgreSQL's foreign key checks on bulk job outcomes
-- and shared mail. SQLite can only change a key by rebuilding its table,
-- and at its size the checks cost little; it keeps its keys. The version
-- stays in step.
SELECT 1;

-- +goose Down
SELECT 1;
