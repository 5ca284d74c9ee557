-- +goose Up
-- The civil day (Asia/Shanghai) a unit handed its reply in for the office's
-- review: "on time" compares it with the due date, so the office's review time
-- does not count against the unit. Set from the service's today, like every
-- other civil date of the workflow; old rows take the day of submitted_at.
ALTER TABLE proposal_replies ADD COLUMN submitted_on TEXT NOT NULL DEFAULT '';
UPDATE proposal_replies SET submitted_on = date(submitted_at, '+8 hours') WHERE submitted_at IS NOT NULL;
INSERT INTO proposal_dirty (proposal_id, committee_id, version)
    SELECT DISTINCT r.proposal_id, r.committee_id, p.version FROM proposal_replies r JOIN proposals p ON p.id = r.proposal_id
    WHERE true ON CONFLICT DO NOTHING;

-- +goose Down
ALTER TABLE proposal_replies DROP COLUMN submitted_on;
