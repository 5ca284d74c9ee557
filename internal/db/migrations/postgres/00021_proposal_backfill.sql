-- +goose Up
-- Past records (补录): a step the proposal office enters later carries its
-- real date in the timeline's "at" (and in every civil date of the workflow),
-- and who entered it and when in these columns; both are empty for a step
-- taken live.
ALTER TABLE proposal_events ADD COLUMN entered_by BIGINT;
ALTER TABLE proposal_events ADD COLUMN entered_by_name TEXT NOT NULL DEFAULT '';
ALTER TABLE proposal_events ADD COLUMN entered_at TIMESTAMPTZ;

-- Going live in one afternoon (the same batch, issue 8): accounts opened for
-- every member and unit at once carry a first password handed out once, which
-- must be changed at the first login.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE users DROP COLUMN must_change_password;
ALTER TABLE proposal_events DROP COLUMN entered_at;
ALTER TABLE proposal_events DROP COLUMN entered_by_name;
ALTER TABLE proposal_events DROP COLUMN entered_by;
