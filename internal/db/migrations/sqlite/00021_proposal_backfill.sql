-- +goose Up
-- Past records (补录): a step the proposal office enters later carries its
-- real date in the timeline's "at" (and in every civil date of the workflow),
-- and who entered it and when in these columns; both are empty for a step
-- taken live.
ALTER TABLE proposal_events ADD COLUMN entered_by BIGINT;
ALTER TABLE proposal_events ADD COLUMN entered_by_name TEXT NOT NULL DEFAULT '';
ALTER TABLE proposal_events ADD COLUMN entered_at TIMESTAMP;

-- Going live in one afternoon (the same batch, issue 8): accounts opened for
-- every member and unit at once carry a first password handed out once, which
-- must be changed at the first login.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

-- Unit assessment from the figures: an item of the score sheet may name the
-- league figure its points are prefilled from (basis); each score keeps the
-- prefilled points and the office's reason for changing them.
ALTER TABLE proposal_assess_items ADD COLUMN basis TEXT NOT NULL DEFAULT '';
ALTER TABLE proposal_assessment_scores ADD COLUMN prefilled INTEGER;
ALTER TABLE proposal_assessment_scores ADD COLUMN reason TEXT NOT NULL DEFAULT '';
UPDATE proposal_assess_items SET basis = 'face_to_face' WHERE name = '办前面商、沟通充分';
UPDATE proposal_assess_items SET basis = 'on_time' WHERE name = '按时办复';
UPDATE proposal_assess_items SET basis = 'solved' WHERE name = '答复质量与落实情况';
UPDATE proposal_assess_items SET basis = 'satisfied' WHERE name = '委员满意度';

-- +goose Down
ALTER TABLE proposal_assessment_scores DROP COLUMN reason;
ALTER TABLE proposal_assessment_scores DROP COLUMN prefilled;
ALTER TABLE proposal_assess_items DROP COLUMN basis;
ALTER TABLE users DROP COLUMN must_change_password;
ALTER TABLE proposal_events DROP COLUMN entered_at;
ALTER TABLE proposal_events DROP COLUMN entered_by_name;
ALTER TABLE proposal_events DROP COLUMN entered_by;
