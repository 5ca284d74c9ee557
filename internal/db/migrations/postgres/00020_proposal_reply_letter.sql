-- +goose Up
-- A unit's reply carries its sealed reply letter (答复函, an uploaded file kept
-- with the proposal's attachments as kind 'reply_letter'), the leader who
-- signed it (签发领导) and a contact (联系人, phone). The proposer's own files
-- are kind 'file'.
ALTER TABLE proposal_attachments ADD COLUMN kind TEXT NOT NULL DEFAULT 'file' CHECK (kind IN ('file','reply_letter'));
ALTER TABLE proposal_replies ADD COLUMN letter_id BIGINT REFERENCES proposal_attachments(id) ON DELETE SET NULL;
ALTER TABLE proposal_replies ADD COLUMN signer TEXT NOT NULL DEFAULT '';
ALTER TABLE proposal_replies ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE proposal_replies ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE proposal_replies DROP COLUMN contact_phone;
ALTER TABLE proposal_replies DROP COLUMN contact_name;
ALTER TABLE proposal_replies DROP COLUMN signer;
ALTER TABLE proposal_replies DROP COLUMN letter_id;
ALTER TABLE proposal_attachments DROP COLUMN kind;
