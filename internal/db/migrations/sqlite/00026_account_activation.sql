-- +goose Up
-- Logins for everyone during the member and unit import (issue 8): an account
-- opened by an import has no password yet (password_hash '!', which never
-- matches) and one activation link, stored only as the SHA-256 of its secret,
-- that sets the first password once before it expires. Issuing new links
-- for an account revokes its older ones (revoked_at).
CREATE TABLE account_activations (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    used_at      TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX account_activations_user ON account_activations(committee_id, user_id);

-- +goose Down
DROP INDEX account_activations_user;
DROP TABLE account_activations;
