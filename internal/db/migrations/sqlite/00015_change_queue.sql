-- +goose Up
-- The platform's derived-data change queue (internal/changes): one row per
-- changed record (committee, entity, id) until every consumer of the entity
-- has refreshed its derived rows. It replaces proposal_dirty, which only the
-- proposal area could use and which every reader drained for every committee.
-- seq grows each time the record is marked again, so a change made while its
-- derived rows are being refreshed keeps it queued.
CREATE TABLE change_queue (
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    entity       TEXT NOT NULL,
    entity_id    BIGINT NOT NULL,
    seq          BIGINT NOT NULL DEFAULT 1,
    queued_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (committee_id, entity, entity_id)
);

INSERT INTO change_queue (committee_id, entity, entity_id, seq, queued_at)
    SELECT committee_id, 'proposal', proposal_id, 1, CURRENT_TIMESTAMP FROM proposal_dirty;

DROP TRIGGER proposals_dirty_insert;
DROP TRIGGER proposals_dirty_update;
DROP TABLE proposal_dirty;

-- Every write of a proposal marks it (what changes.Mark does in Go), so no
-- proposal use case can forget to; child rows change with the proposal's version.
-- +goose StatementBegin
CREATE TRIGGER proposals_queue_change_insert AFTER INSERT ON proposals BEGIN
    INSERT INTO change_queue (committee_id, entity, entity_id, seq, queued_at) VALUES (NEW.committee_id, 'proposal', NEW.id, 1, CURRENT_TIMESTAMP)
    ON CONFLICT (committee_id, entity, entity_id) DO UPDATE SET seq = change_queue.seq + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER proposals_queue_change_update AFTER UPDATE ON proposals BEGIN
    INSERT INTO change_queue (committee_id, entity, entity_id, seq, queued_at) VALUES (NEW.committee_id, 'proposal', NEW.id, 1, CURRENT_TIMESTAMP)
    ON CONFLICT (committee_id, entity, entity_id) DO UPDATE SET seq = change_queue.seq + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER proposals_queue_change_insert;
DROP TRIGGER proposals_queue_change_update;
CREATE TABLE proposal_dirty (
    proposal_id  BIGINT PRIMARY KEY,
    committee_id BIGINT NOT NULL,
    version      INTEGER NOT NULL
);
INSERT INTO proposal_dirty (proposal_id, committee_id, version)
    SELECT q.entity_id, q.committee_id, p.version FROM change_queue q JOIN proposals p ON p.id = q.entity_id WHERE q.entity = 'proposal';
DROP TABLE change_queue;
-- +goose StatementBegin
CREATE TRIGGER proposals_dirty_insert AFTER INSERT ON proposals BEGIN
    INSERT OR REPLACE INTO proposal_dirty (proposal_id, committee_id, version) VALUES (NEW.id, NEW.committee_id, NEW.version);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposals_dirty_update AFTER UPDATE ON proposals BEGIN
    INSERT OR REPLACE INTO proposal_dirty (proposal_id, committee_id, version) VALUES (NEW.id, NEW.committee_id, NEW.version);
END;
-- +goose StatementEnd
