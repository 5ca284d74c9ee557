-- +goose Up
-- 三送三帮 (issue 12): evidence of an assistance record (photos, documents),
-- stored like proposal attachments: accepted by what the bytes are
-- (proposal.SniffType), at most 10 MiB each.
CREATE TABLE assist_record_files (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    record_id     BIGINT NOT NULL REFERENCES assist_records(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL CHECK (size >= 0 AND size <= 10485760),
    content       BLOB NOT NULL,
    uploaded_by   BIGINT REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX assist_record_files_record ON assist_record_files(committee_id, record_id);

-- +goose Down
DROP TABLE assist_record_files;
