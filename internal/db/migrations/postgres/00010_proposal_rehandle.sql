-- +goose Up
-- The time a unit has for the second round (再办理) after a 不满意 becomes a
-- per-committee setting (it was a constant of one month).
ALTER TABLE proposal_settings ADD COLUMN rehandle_months INTEGER NOT NULL DEFAULT 1 CHECK (rehandle_months BETWEEN 1 AND 6);

-- +goose Down
ALTER TABLE proposal_settings DROP COLUMN rehandle_months;
