-- +goose Up
-- A standing-committee member's annual duty report (年度履职报告), written by
-- the member and attached to their record of the year (issue 13).
CREATE TABLE duty_reports (
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    membership_id BIGINT NOT NULL REFERENCES memberships(id),
    year          INTEGER NOT NULL,
    body          TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (committee_id, membership_id, year)
);

-- 三送三帮 pairings (结对) score in the duty ledger (Guangshui: pairing with a
-- household in difficulty 20), so every write of a pairing marks it in the
-- change queue (what changes.Mark does in Go), as proposals do: the assist
-- area's use cases and its seed need not know that duty reads them.
-- +goose StatementBegin
CREATE FUNCTION assist_pairing_queue_change() RETURNS trigger AS $$
DECLARE
    r assist_pairings%ROWTYPE;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    INSERT INTO change_queue (committee_id, entity, entity_id, seq, queued_at) VALUES (r.committee_id, 'assist_pairing', r.id, 1, now())
    ON CONFLICT (committee_id, entity, entity_id) DO UPDATE SET seq = change_queue.seq + 1;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER assist_pairings_queue_change AFTER INSERT OR UPDATE OR DELETE ON assist_pairings
    FOR EACH ROW EXECUTE FUNCTION assist_pairing_queue_change();

-- Pairings that existed before the trigger are marked once, so the ledger
-- scores them on its next catch-up.
INSERT INTO change_queue (committee_id, entity, entity_id, seq, queued_at)
    SELECT committee_id, 'assist_pairing', id, 1, now() FROM assist_pairings
    ON CONFLICT (committee_id, entity, entity_id) DO UPDATE SET seq = change_queue.seq + 1;

-- +goose Down
DROP TRIGGER assist_pairings_queue_change ON assist_pairings;
DROP FUNCTION assist_pairing_queue_change();
DELETE FROM change_queue WHERE entity = 'assist_pairing';
DROP TABLE duty_reports;
