-- +goose Up
CREATE TABLE accounts (
    id                        INTEGER PRIMARY KEY AUTOINCREMENT,
    number                    TEXT NOT NULL UNIQUE CHECK (length(number) = 8 AND number NOT GLOB '*[^0-9]*'),
    name                      TEXT NOT NULL,
    password_preset           TEXT NOT NULL DEFAULT 'classic' CHECK (password_preset IN ('classic', 'nist')),
    integration_safe          INTEGER NOT NULL DEFAULT 0 CHECK (integration_safe IN (0, 1)),
    require_security_question INTEGER NOT NULL DEFAULT 0 CHECK (require_security_question IN (0, 1)),
    mfa_policy                TEXT NOT NULL DEFAULT 'off' CHECK (mfa_policy IN ('off', 'optional', 'admins', 'everyone')),
    session_idle_minutes      INTEGER CHECK (session_idle_minutes > 0),
    session_absolute_minutes  INTEGER CHECK (session_absolute_minutes > 0),
    created_at                DATETIME NOT NULL,
    updated_at                DATETIME NOT NULL
);
CREATE INDEX accounts_name_idx ON accounts (name COLLATE NOCASE);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id           INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    username             TEXT NOT NULL,
    username_key         TEXT NOT NULL UNIQUE,
    email                TEXT NOT NULL,
    email_key            TEXT NOT NULL,
    display_name         TEXT NOT NULL,
    status               TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'invited')),
    is_primary_admin     INTEGER NOT NULL DEFAULT 0 CHECK (is_primary_admin IN (0, 1)),
    password_hash        TEXT NOT NULL DEFAULT '',
    password_changed_at  DATETIME,
    security_question    TEXT NOT NULL DEFAULT '',
    security_answer_hash TEXT NOT NULL DEFAULT '',
    mfa_enrolled_at      DATETIME,
    last_sign_in_at      DATETIME,
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL
);
CREATE INDEX users_account_idx ON users (account_id, id);
CREATE INDEX users_email_key_idx ON users (email_key);
-- Exactly one Primary Admin per account is kept by the services; this index
-- makes a second one impossible even if two transactions race.
CREATE UNIQUE INDEX users_one_primary_admin_idx ON users (account_id) WHERE is_primary_admin = 1;

CREATE TABLE secrets (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('passphrase', 'totp_seed')),
    key_id     INTEGER NOT NULL,
    nonce      BLOB NOT NULL,
    ciphertext BLOB NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (user_id, kind)
);
CREATE INDEX secrets_key_id_idx ON secrets (key_id);

CREATE TABLE sessions (
    id_hash              BLOB PRIMARY KEY,
    user_id              INTEGER REFERENCES users (id) ON DELETE CASCADE,
    created_at           DATETIME NOT NULL,
    last_seen_at         DATETIME NOT NULL,
    idle_expires_at      DATETIME NOT NULL,
    absolute_expires_at  DATETIME NOT NULL,
    idle_timeout_seconds INTEGER NOT NULL,
    ip                   TEXT NOT NULL DEFAULT '',
    user_agent           TEXT NOT NULL DEFAULT '',
    data                 TEXT NOT NULL DEFAULT '{}',
    password_at          DATETIME,
    revoked_reason       TEXT,
    revoked_at           DATETIME
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expiry_idx ON sessions (idle_expires_at);

CREATE TABLE license_acceptances (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version     TEXT NOT NULL,
    accepted_at DATETIME NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    UNIQUE (user_id, version)
);

-- Audit rows copy names and keep no foreign keys, so history survives the
-- deletion of the people and accounts it mentions.
CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          DATETIME NOT NULL,
    account_id  INTEGER,
    actor_id    INTEGER,
    actor_name  TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    target_id   INTEGER,
    target_name TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT '',
    details     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_account_idx ON audit_events (account_id, id);
CREATE INDEX audit_events_target_idx ON audit_events (target_id, id);

CREATE TABLE throttles (
    key          TEXT PRIMARY KEY,
    window_start DATETIME NOT NULL,
    count        INTEGER NOT NULL,
    locked_until DATETIME
);
CREATE INDEX throttles_window_idx ON throttles (window_start);

-- One row once first-run setup has finished; its primary key makes a second,
-- racing setup fail.
CREATE TABLE setup_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    completed_at DATETIME NOT NULL
);

-- +goose Down
DROP TABLE setup_state;
DROP TABLE throttles;
DROP TABLE audit_events;
DROP TABLE license_acceptances;
DROP TABLE sessions;
DROP TABLE secrets;
DROP TABLE users;
DROP TABLE accounts;
