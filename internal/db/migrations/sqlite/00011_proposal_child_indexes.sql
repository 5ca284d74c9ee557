-- +goose Up
-- A proposal's page, its refresh and its use cases read its child rows by
-- proposal id alone (the proposal itself was loaded and scoped already). The
-- (committee_id, proposal_id) indexes cannot serve that on PostgreSQL 15: at
-- nation scale each such read was a sequential scan (the timeline 1.6 s over
-- 7.5 million events, replies and contacts ~0.2 s each). These indexes lead
-- with the proposal id.
CREATE INDEX proposal_events_by_proposal ON proposal_events(proposal_id, id);
CREATE INDEX proposal_replies_by_proposal ON proposal_replies(proposal_id, round, id);
CREATE INDEX proposal_contacts_by_proposal ON proposal_contacts(proposal_id);
CREATE INDEX proposal_attachments_by_proposal ON proposal_attachments(proposal_id);
CREATE INDEX proposal_supervision_by_proposal ON proposal_supervision(proposal_id);
CREATE INDEX proposal_follow_ups_by_proposal ON proposal_follow_ups(proposal_id);
CREATE INDEX proposal_unit_facts_by_proposal ON proposal_unit_facts(proposal_id);

-- +goose Down
DROP INDEX proposal_unit_facts_by_proposal;
DROP INDEX proposal_follow_ups_by_proposal;
DROP INDEX proposal_supervision_by_proposal;
DROP INDEX proposal_attachments_by_proposal;
DROP INDEX proposal_contacts_by_proposal;
DROP INDEX proposal_replies_by_proposal;
DROP INDEX proposal_events_by_proposal;
