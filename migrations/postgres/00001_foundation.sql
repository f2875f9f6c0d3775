-- +goose Up
CREATE TABLE accounts (
    id                        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number                    char(8) NOT NULL UNIQUE CHECK (number ~ '^[0-9]{8}$'),
    name                      text NOT NULL,
    password_preset           text NOT NULL DEFAULT 'classic' CHECK (password_preset IN ('classic', 'nist')),
    integration_safe          boolean NOT NULL DEFAULT false,
    require_security_question boolean NOT NULL DEFAULT false,
    mfa_policy                text NOT NULL DEFAULT 'off' CHECK (mfa_policy IN ('off', 'optional', 'admins', 'everyone')),
    session_idle_minutes      integer CHECK (session_idle_minutes > 0),
    session_absolute_minutes  integer CHECK (session_absolute_minutes > 0),
    created_at                timestamptz NOT NULL,
    updated_at                timestamptz NOT NULL
);
CREATE INDEX accounts_name_idx ON accounts (lower(name));

CREATE TABLE users (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id           bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    username             text NOT NULL,
    username_key         text NOT NULL UNIQUE,
    email                text NOT NULL,
    email_key            text NOT NULL,
    display_name         text NOT NULL,
    status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'invited')),
    is_primary_admin     boolean NOT NULL DEFAULT false,
    password_hash        text NOT NULL DEFAULT '',
    password_changed_at  timestamptz,
    security_question    text NOT NULL DEFAULT '',
    security_answer_hash text NOT NULL DEFAULT '',
    mfa_enrolled_at      timestamptz,
    last_sign_in_at      timestamptz,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);
CREATE INDEX users_account_idx ON users (account_id, id);
CREATE INDEX users_email_key_idx ON users (email_key);
-- Exactly one Primary Admin per account is kept by the services; this index
-- makes a second one impossible even if two transactions race.
CREATE UNIQUE INDEX users_one_primary_admin_idx ON users (account_id) WHERE is_primary_admin;

CREATE TABLE secrets (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL CHECK (kind IN ('passphrase', 'totp_seed')),
    key_id     integer NOT NULL,
    nonce      bytea NOT NULL,
    ciphertext bytea NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (user_id, kind)
);
CREATE INDEX secrets_key_id_idx ON secrets (key_id);

CREATE TABLE sessions (
    id_hash              bytea PRIMARY KEY,
    user_id              bigint REFERENCES users (id) ON DELETE CASCADE,
    created_at           timestamptz NOT NULL,
    last_seen_at         timestamptz NOT NULL,
    idle_expires_at      timestamptz NOT NULL,
    absolute_expires_at  timestamptz NOT NULL,
    idle_timeout_seconds integer NOT NULL,
    ip                   text NOT NULL DEFAULT '',
    user_agent           text NOT NULL DEFAULT '',
    data                 text NOT NULL DEFAULT '{}',
    password_at          timestamptz,
    revoked_reason       text,
    revoked_at           timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expiry_idx ON sessions (idle_expires_at);

CREATE TABLE license_acceptances (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    version     text NOT NULL,
    accepted_at timestamptz NOT NULL,
    ip          text NOT NULL DEFAULT '',
    UNIQUE (user_id, version)
);

-- Audit rows copy names and keep no foreign keys, so history survives the
-- deletion of the people and accounts it mentions.
CREATE TABLE audit_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    account_id  bigint,
    actor_id    bigint,
    actor_name  text NOT NULL DEFAULT '',
    action      text NOT NULL,
    target_id   bigint,
    target_name text NOT NULL DEFAULT '',
    ip          text NOT NULL DEFAULT '',
    user_agent  text NOT NULL DEFAULT '',
    details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_account_idx ON audit_events (account_id, id);
CREATE INDEX audit_events_target_idx ON audit_events (target_id, id);

CREATE TABLE throttles (
    key          text PRIMARY KEY,
    window_start timestamptz NOT NULL,
    count        integer NOT NULL,
    locked_until timestamptz
);
CREATE INDEX throttles_window_idx ON throttles (window_start);

-- One row once first-run setup has finished; its primary key makes a second,
-- racing setup fail.
CREATE TABLE setup_state (
    id           integer PRIMARY KEY CHECK (id = 1),
    completed_at timestamptz NOT NULL
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
