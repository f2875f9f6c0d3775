-- +goose Up
-- The reset wizard's security question is answered on the link's row: the
-- digest of the random key of the visit (the browser's opening of the
-- link) that answered it, and when. Completing the reset checks the row.
ALTER TABLE tokens ADD COLUMN answered_by BLOB;
ALTER TABLE tokens ADD COLUMN answered_at DATETIME;

-- +goose Down
ALTER TABLE tokens DROP COLUMN answered_at;
ALTER TABLE tokens DROP COLUMN answered_by;
