-- +goose Up
-- An operator onboarding an account emails its Primary Admin an
-- invitation: a link of its own purpose, in the same ledger as the other
-- emailed links, which opens the steps of first-run setup.
ALTER TABLE tokens DROP CONSTRAINT tokens_purpose_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_purpose_check
    CHECK (purpose IN ('reset', 'welcome', 'email_change', 'support_code', 'invitation'));

-- +goose Down
DELETE FROM tokens WHERE purpose = 'invitation';
ALTER TABLE tokens DROP CONSTRAINT tokens_purpose_check;
ALTER TABLE tokens ADD CONSTRAINT tokens_purpose_check
    CHECK (purpose IN ('reset', 'welcome', 'email_change', 'support_code'));
