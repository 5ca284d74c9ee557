-- +goose Up
-- Accounts: optimistic locking for users, and the indexes that keep the
-- per-request actor lookup and the admin pages to one indexed query each.
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX api_tokens_user ON api_tokens(committee_id, user_id);
CREATE INDEX login_sessions_expires ON login_sessions(expires_at);
CREATE INDEX login_attempts_at ON login_attempts(at);

-- +goose Down
DROP INDEX login_attempts_at;
DROP INDEX login_sessions_expires;
DROP INDEX api_tokens_user;
ALTER TABLE users DROP COLUMN version;
