-- +goose Up
-- Roles: built-in ones (account_id NULL, with a stable key) and each
-- account's custom roles. A role's permissions are rows of role_permissions.
CREATE TABLE roles (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    key         TEXT UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    CHECK ((account_id IS NULL) = (key IS NOT NULL))
);
CREATE UNIQUE INDEX roles_name_idx ON roles (account_id, name COLLATE NOCASE) WHERE account_id IS NOT NULL;

CREATE TABLE role_permissions (
    role_id    INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    permission TEXT NOT NULL,
    PRIMARY KEY (role_id, permission)
);

-- A role with members cannot be deleted (RESTRICT); the service says how many.
CREATE TABLE user_roles (
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id          INTEGER NOT NULL REFERENCES roles (id) ON DELETE RESTRICT,
    assigned_at      DATETIME NOT NULL,
    assigned_by_name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role_idx ON user_roles (role_id, user_id);

-- When a user's privileges last changed: their sessions started before it
-- get a new ID at the next request.
ALTER TABLE users ADD COLUMN privileges_changed_at DATETIME;

-- Transfers of the Primary Admin role: at most one pending per account.
CREATE TABLE primary_transfers (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    from_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    to_user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    decided_at   DATETIME,
    outcome      TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'accepted', 'declined', 'cancelled'))
);
CREATE UNIQUE INDEX primary_transfers_pending_idx ON primary_transfers (account_id) WHERE decided_at IS NULL;

INSERT INTO roles (key, name, description, created_at, updated_at) VALUES
    ('company_admin', 'Company Admin', 'Every privilege of the account: users, roles, security settings, audit log, and every support area.', strftime('%Y-%m-%d %H:%M:%S+00:00', 'now'), strftime('%Y-%m-%d %H:%M:%S+00:00', 'now')),
    ('it_admin', 'IT Admin', 'Users, roles, security settings and the audit log; phone system and account information with the support desk.', strftime('%Y-%m-%d %H:%M:%S+00:00', 'now'), strftime('%Y-%m-%d %H:%M:%S+00:00', 'now')),
    ('billing_admin', 'Billing Admin', 'Billing inquiries, billing changes, billing information and account information with the support desk.', strftime('%Y-%m-%d %H:%M:%S+00:00', 'now'), strftime('%Y-%m-%d %H:%M:%S+00:00', 'now'));
INSERT INTO role_permissions (role_id, permission)
    SELECT r.id, p.column1 FROM roles r, (VALUES
        ('account.info'), ('phone.system'), ('billing.inquiries'), ('billing.changes'), ('billing.info'),
        ('users.manage'), ('roles.manage'), ('security.manage'), ('audit.view')) AS p
    WHERE r.key = 'company_admin';
INSERT INTO role_permissions (role_id, permission)
    SELECT r.id, p.column1 FROM roles r, (VALUES
        ('users.manage'), ('roles.manage'), ('security.manage'), ('audit.view'), ('phone.system'), ('account.info')) AS p
    WHERE r.key = 'it_admin';
INSERT INTO role_permissions (role_id, permission)
    SELECT r.id, p.column1 FROM roles r, (VALUES
        ('billing.inquiries'), ('billing.changes'), ('billing.info'), ('account.info')) AS p
    WHERE r.key = 'billing_admin';

-- +goose Down
DROP TABLE primary_transfers;
ALTER TABLE users DROP COLUMN privileges_changed_at;
DROP TABLE user_roles;
DROP TABLE role_permissions;
DROP TABLE roles;
