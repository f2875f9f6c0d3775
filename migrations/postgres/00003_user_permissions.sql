-- +goose Up
-- Admin privilege areas granted to a user directly. A user with at least one
-- is a Secondary Admin. (Roles come with the privilege model.)
CREATE TABLE user_permissions (
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    permission      text NOT NULL,
    granted_at      timestamptz NOT NULL,
    granted_by_name text NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, permission)
);

-- +goose Down
DROP TABLE user_permissions;
