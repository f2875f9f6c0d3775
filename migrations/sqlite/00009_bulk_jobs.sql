-- +goose Up
-- A bulk action on users, recorded with its selection, actor and reason in
-- the transaction that accepts it, and worked in batches by any replica
-- through the job queue. cursor_id is the highest user id handled so far:
-- each batch moves it in the transaction that changes its users, so every
-- user is handled once however often a batch is retried.
CREATE TABLE bulk_jobs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    actor_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_name    TEXT NOT NULL,
    action        TEXT NOT NULL,
    reason        TEXT NOT NULL,
    selection     TEXT NOT NULL,
    ip            TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL,
    failure       TEXT NOT NULL DEFAULT '',
    cursor_id     INTEGER NOT NULL DEFAULT 0,
    total         INTEGER NOT NULL DEFAULT 0,
    done_count    INTEGER NOT NULL DEFAULT 0,
    skipped_count INTEGER NOT NULL DEFAULT 0,
    failed_count  INTEGER NOT NULL DEFAULT 0,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    finished_at   DATETIME
);
CREATE INDEX bulk_jobs_account_idx ON bulk_jobs (account_id, id DESC);

-- Each user's outcome of a bulk job, once: the key refuses a second.
-- Names are copied so a deleted user's outcome still reads.
CREATE TABLE bulk_job_results (
    job_id       INTEGER NOT NULL REFERENCES bulk_jobs (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    display_name TEXT NOT NULL,
    username     TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    why          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job_id, user_id)
);

-- +goose Down
DROP TABLE bulk_job_results;
DROP TABLE bulk_jobs;
