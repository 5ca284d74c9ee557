-- +goose Up
-- The activity area, second part (issue 11): who was invited from outside the
-- committee, files of the outputs, and 社情民意 merged into one another.

-- Invited guests of an activity (邀请领导、单位): a government leader (name and
-- post) or a unit (unit_id; name is the unit's name when it was invited).
CREATE TABLE activity_guests (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    activity_id   BIGINT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('leader','unit')),
    name          TEXT NOT NULL,
    post          TEXT NOT NULL DEFAULT '',
    unit_id       BIGINT REFERENCES units(id),
    created_at    TIMESTAMP NOT NULL,
    CHECK ((kind = 'unit') = (unit_id IS NOT NULL))
);
CREATE INDEX activity_guests_activity ON activity_guests(committee_id, activity_id);

-- Files of an output (the 调研报告 or 协商意见 itself), kept in the database
-- like proposal attachments (10 MiB each) so a backup is one dump.
CREATE TABLE activity_output_files (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    output_id     BIGINT NOT NULL REFERENCES activity_outputs(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL CHECK (size >= 0 AND size <= 10485760),
    content       BLOB NOT NULL,
    uploaded_by   BIGINT REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX activity_output_files_output ON activity_output_files(committee_id, output_id);

-- 合并: an item merged into another keeps its row (its author still counts it)
-- and points to the item that carries it on (same committee, checked by the
-- service; no REFERENCES, so that SQLite can drop the column on the way down).
ALTER TABLE sqmy_items ADD COLUMN merged_into BIGINT;
CREATE INDEX sqmy_items_merged ON sqmy_items(committee_id, merged_into);

-- +goose Down
DROP INDEX sqmy_items_merged;
ALTER TABLE sqmy_items DROP COLUMN merged_into;
DROP TABLE activity_output_files;
DROP TABLE activity_guests;
