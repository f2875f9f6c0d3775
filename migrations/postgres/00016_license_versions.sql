-- +goose Up
-- The license agreement lives here, not in the binary: operators publish
-- versions, each kept with its text so a user can read the version they
-- accepted. The current version is the latest whose effective_at has come.
-- A reference table: the same for every customer account.
CREATE TABLE license_versions (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version           text NOT NULL UNIQUE,
    title             text NOT NULL,
    body_markdown     text NOT NULL,
    effective_at      timestamptz NOT NULL,
    published_at      timestamptz NOT NULL,
    published_by_name text NOT NULL DEFAULT ''
);
CREATE INDEX license_versions_effective_idx ON license_versions (effective_at, id);

-- The version every existing acceptance names, with the text the binary
-- showed until now.
INSERT INTO license_versions (version, title, body_markdown, effective_at, published_at, published_by_name)
VALUES ('2026-01', 'Account Portal terms of use',
'This portal lets you manage your company''s account with us: your profile, the users of your account and, if you are an administrator, their privileges.

1. Keep your password and support passphrase to yourself. Our staff will never ask for your password.
2. Use the portal only for your company''s account and only within the privileges you have been given.
3. Actions you take are recorded in your account''s audit log with the time and the address they came from.
4. Tell your account administrator at once if you believe someone else has used your account.
5. We may update these terms; when we do, you will be asked to accept them again.
', '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00', 'Account Portal');

-- +goose Down
DROP TABLE license_versions;
