-- +goose Up
-- API tokens expire (issue 9): new tokens get an expiry (default 90 days, at
-- most a year, chosen at creation); tokens made before expiries existed get
-- one year from their creation. A token past it is refused like a revoked one.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
UPDATE api_tokens SET expires_at = created_at + INTERVAL '365 days';

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN expires_at;
