-- +goose Up
-- A bulk job's outcomes were checked against two foreign keys, the job's
-- and the account's, each by a lookup of its own for every row: 200,000
-- lookups for a job of 100,000 users. One key on (job, account) checks
-- both at once, also refuses an outcome filed under another account than
-- its job's, and purging an account still removes them (through its jobs).
ALTER TABLE bulk_jobs ADD CONSTRAINT bulk_jobs_id_account_key UNIQUE (id, account_id);
ALTER TABLE bulk_job_results ADD CONSTRAINT bulk_job_results_job_account_fkey
    FOREIGN KEY (job_id, account_id) REFERENCES bulk_jobs (id, account_id) ON DELETE CASCADE;
ALTER TABLE bulk_job_results DROP CONSTRAINT bulk_job_results_job_id_fkey;
ALTER TABLE bulk_job_results DROP CONSTRAINT bulk_job_results_account_id_fkey;

-- A notice sent alike to many users keeps its text once, in mail_bodies,
-- and each recipient's outbox row points to it. The key on that pointer
-- was checked by a lookup per recipient: 35 of the 118 ms it took to queue
-- 5,000 of them. A shared body is written just before its rows, in their
-- transaction, and no statement changes or deletes one, so the pointer
-- cannot dangle. The key on the account stays: purging an account deletes
-- its mail through it.
ALTER TABLE outbox DROP CONSTRAINT outbox_body_id_fkey;

-- +goose Down
ALTER TABLE outbox ADD CONSTRAINT outbox_body_id_fkey FOREIGN KEY (body_id) REFERENCES mail_bodies (id);
ALTER TABLE bulk_job_results ADD CONSTRAINT bulk_job_results_account_id_fkey
    FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE;
ALTER TABLE bulk_job_results ADD CONSTRAINT bulk_job_results_job_id_fkey
    FOREIGN KEY (job_id) REFERENCES bulk_jobs (id) ON DELETE CASCADE;
ALTER TABLE bulk_job_results DROP CONSTRAINT bulk_job_results_job_account_fkey;
ALTER TABLE bulk_jobs DROP CONSTRAINT bulk_jobs_id_account_key;
