-- +goose Up
-- A standing-committee member's annual duty report (年度履职报告), written by
-- the member and attached to their record of the year (issue 13).
CREATE TABLE duty_reports (
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    membership_id BIGINT NOT NULL REFERENCES memberships(id),
    year          INTEGER NOT NULL,
    body          TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (committee_id, membership_id, year)
);

-- 三送三帮 pairings (结对) score in the duty ledger (Guangshui: pairing with a
-- household in difficulty 20), so every write of a pairing marks it in the
-- change queue (what changes.Mark does in Go), as proposals do: the assist
-- area's use cases and its seed need not know that duty reads them.
-- +goose StatementBegin
CREATE TRIGGER assist_pairings_queue_change_insert AFTER INSERT ON assist_pairings BEGIN
    INSERT INTO change_queue (committee_id, entity, entity_id, seq, queued_at) VALUES (NEW.committee_id, 'assist_pairing', NEW.id, 1, CURRENT_TIMESTAMP)
    ON CONFLICT (committee_id, entity, entity_id) DO UPDATE SET seq = change_queue.seq + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER assist_pairings_queue_change_update AFTER UPDATE ON assist_pairings BEGIN
    INSERT INTO change_queue (committee_id, entity, entity_id, seq, queued_at) VALUES (NEW.committee_id, 'assist_pairing', NEW.id, 1, CURRENT_TIMESTAMP)
    ON CONFLICT (committee_id, entity, entity_id) DO UPDATE SET seq = change_queue.seq + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER assist_pairings_queue_change_delete AFTER DELETE ON assist_pairings BEGIN
    INSERT INTO change_queue (committee_id, entity, entity_id, seq, queued_at) VALUES (OLD.committee_id, 'assist_pairing', OLD.id, 1, CURRENT_TIMESTAMP)
    ON CONFLICT (committee_id, entity, entity_id) DO UPDATE SET seq = change_queue.seq + 1;
END;
-- +goose StatementEnd

-- Pairings that existed before the trigger are marked once, so the ledger
-- scores them on its next catch-up.
INSERT INTO change_queue (committee_id, entity, entity_id, seq, queued_at)
    SELECT committee_id, 'assist_pairing', id, 1, CURRENT_TIMESTAMP FROM assist_pairings WHERE true
    ON CONFLICT (committee_id, entity, entity_id) DO UPDATE SET seq = change_queue.seq + 1;

-- +goose Down
DROP TRIGGER assist_pairings_queue_change_insert;
DROP TRIGGER assist_pairings_queue_change_update;
DROP TRIGGER assist_pairings_queue_change_delete;
DELETE FROM change_queue WHERE entity = 'assist_pairing';
DROP TABLE duty_reports;
