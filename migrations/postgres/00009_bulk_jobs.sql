-- +goose Up
-- A bulk action on users, recorded with its selection, actor and reason in
-- the transaction that accepts it, and worked in batches by any replica
-- through the job queue. cursor_id is the highest user id handled so far:
-- each batch moves it in the transaction that changes its users, so every
-- user is handled once however often a batch is retried.
CREATE TABLE bulk_jobs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    actor_id      bigint REFERENCES users (id) ON DELETE SET NULL,
    actor_name    text NOT NULL,
    action        text NOT NULL,
    reason        text NOT NULL,
    selection     text NOT NULL,
    ip            text NOT NULL DEFAULT '',
    user_agent    text NOT NULL DEFAULT '',
    status        text NOT NULL,
    failure       text NOT NULL DEFAULT '',
    cursor_id     bigint NOT NULL DEFAULT 0,
    total         bigint NOT NULL DEFAULT 0,
    done_count    bigint NOT NULL DEFAULT 0,
    skipped_count bigint NOT NULL DEFAULT 0,
    failed_count  bigint NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    finished_at   timestamptz
);
CREATE INDEX bulk_jobs_account_idx ON bulk_jobs (account_id, id DESC);

-- Each user's outcome of a bulk job, once: the key refuses a second.
-- Names are copied so a deleted user's outcome still reads.
CREATE TABLE bulk_job_results (
    job_id       bigint NOT NULL REFERENCES bulk_jobs (id) ON DELETE CASCADE,
    user_id      bigint NOT NULL,
    display_name text NOT NULL,
    username     text NOT NULL,
    outcome      text NOT NULL,
    why          text NOT NULL DEFAULT '',
    PRIMARY KEY (job_id, user_id)
);

-- +goose Down
DROP TABLE bulk_job_results;
DROP TABLE bulk_jobs;
