-- +goose Up
-- Migration 18 caps the pending list of PostgreSQL's trigram index on
-- users; SQLite has no such index. The version stays in step.
SELECT 1;

-- +goose Down
SELECT 1;
