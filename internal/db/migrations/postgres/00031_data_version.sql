-- +goose Up
-- A data version shared by every process on the database: it grows with every
-- committed transaction that writes a table the proposal figures are computed
-- from, so a process may keep computed figure values while it is unchanged
-- (internal/proposal figcache.go; db.DataVersion reads it). A process-local
-- counter would miss CLI imports and other servers' writes.
--
-- The counter row is bumped once per transaction, at commit (a deferred
-- constraint trigger on data_version_pending), so it is visible together with
-- the data, and no transaction holds its lock while it still waits for others
-- (no deadlock through the one row). Statement triggers on the figure tables
-- mark the transaction (a transaction-local setting, one pending row).
CREATE TABLE data_version (
    id      BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

CREATE TABLE data_version_pending (
    txid BIGINT PRIMARY KEY
);

-- +goose StatementBegin
CREATE FUNCTION data_version_mark() RETURNS trigger AS $$
BEGIN
    IF current_setting('lvzhi.data_version_marked', true) IS DISTINCT FROM '1' THEN
        PERFORM set_config('lvzhi.data_version_marked', '1', true);
        INSERT INTO data_version_pending (txid) VALUES (txid_current()) ON CONFLICT (txid) DO NOTHING;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION data_version_bump() RETURNS trigger AS $$
BEGIN
    INSERT INTO data_version (id, version) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET version = data_version.version + 1;
    DELETE FROM data_version_pending WHERE txid = NEW.txid;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE CONSTRAINT TRIGGER data_version_pending_bump AFTER INSERT ON data_version_pending
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump();

-- The tables the cached figures read (TestFigureCacheTablesTriggered holds the list to the SQL).
CREATE TRIGGER committees_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON committees
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_mark();
CREATE TRIGGER memberships_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON memberships
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_mark();
CREATE TRIGGER plenary_sessions_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plenary_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_mark();
CREATE TRIGGER result_classes_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON result_classes
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_mark();
CREATE TRIGGER proposal_facts_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proposal_facts
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_mark();
CREATE TRIGGER proposal_unit_facts_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proposal_unit_facts
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_mark();
CREATE TRIGGER proposal_evaluations_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proposal_evaluations
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_mark();
CREATE TRIGGER proposal_signers_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proposal_signers
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_mark();
CREATE TRIGGER proposal_assessments_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proposal_assessments
    FOR EACH STATEMENT EXECUTE FUNCTION data_version_mark();

-- +goose Down
DROP TRIGGER committees_data_version ON committees;
DROP TRIGGER memberships_data_version ON memberships;
DROP TRIGGER plenary_sessions_data_version ON plenary_sessions;
DROP TRIGGER result_classes_data_version ON result_classes;
DROP TRIGGER proposal_facts_data_version ON proposal_facts;
DROP TRIGGER proposal_unit_facts_data_version ON proposal_unit_facts;
DROP TRIGGER proposal_evaluations_data_version ON proposal_evaluations;
DROP TRIGGER proposal_signers_data_version ON proposal_signers;
DROP TRIGGER proposal_assessments_data_version ON proposal_assessments;
DROP TRIGGER data_version_pending_bump ON data_version_pending;
DROP FUNCTION data_version_bump();
DROP FUNCTION data_version_mark();
DROP TABLE data_version_pending;
DROP TABLE data_version;
