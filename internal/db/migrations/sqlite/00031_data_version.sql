-- +goose Up
-- A data version shared by every process on the database: it grows with every
-- write of a table the proposal figures are computed from, so a process may
-- keep computed figure values while it is unchanged (internal/proposal
-- figcache.go; db.DataVersion reads it). SQLite has one writer at a time and
-- row triggers only: each row written bumps it inside the writing
-- transaction. data_version_pending is PostgreSQL's (unused here, kept so
-- both schemas have the same tables).
CREATE TABLE data_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

CREATE TABLE data_version_pending (
    txid BIGINT PRIMARY KEY
);

-- The tables the cached figures read (TestFigureCacheTablesTriggered holds the list to the SQL).
-- +goose StatementBegin
CREATE TRIGGER committees_data_version_insert AFTER INSERT ON committees BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER committees_data_version_update AFTER UPDATE ON committees BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER committees_data_version_delete AFTER DELETE ON committees BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_data_version_insert AFTER INSERT ON memberships BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_data_version_update AFTER UPDATE ON memberships BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER memberships_data_version_delete AFTER DELETE ON memberships BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER plenary_sessions_data_version_insert AFTER INSERT ON plenary_sessions BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER plenary_sessions_data_version_update AFTER UPDATE ON plenary_sessions BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER plenary_sessions_data_version_delete AFTER DELETE ON plenary_sessions BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER result_classes_data_version_insert AFTER INSERT ON result_classes BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER result_classes_data_version_update AFTER UPDATE ON result_classes BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER result_classes_data_version_delete AFTER DELETE ON result_classes BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposal_facts_data_version_insert AFTER INSERT ON proposal_facts BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposal_facts_data_version_update AFTER UPDATE ON proposal_facts BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposal_facts_data_version_delete AFTER DELETE ON proposal_facts BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposal_unit_facts_data_version_insert AFTER INSERT ON proposal_unit_facts BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposal_unit_facts_data_version_update AFTER UPDATE ON proposal_unit_facts BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposal_unit_facts_data_version_delete AFTER DELETE ON proposal_unit_facts BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposal_evaluations_data_version_insert AFTER INSERT ON proposal_evaluations BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposal_evaluations_data_version_update AFTER UPDATE ON proposal_evaluations BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposal_evaluations_data_version_delete AFTER DELETE ON proposal_evaluations BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposal_signers_data_version_insert AFTER INSERT ON proposal_signers BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposal_signers_data_version_update AFTER UPDATE ON proposal_signers BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposal_signers_data_version_delete AFTER DELETE ON proposal_signers BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposal_assessments_data_version_insert AFTER INSERT ON proposal_assessments BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposal_assessments_data_version_update AFTER UPDATE ON proposal_assessments BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER proposal_assessments_data_version_delete AFTER DELETE ON proposal_assessments BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER committees_data_version_insert;
DROP TRIGGER committees_data_version_update;
DROP TRIGGER committees_data_version_delete;
DROP TRIGGER memberships_data_version_insert;
DROP TRIGGER memberships_data_version_update;
DROP TRIGGER memberships_data_version_delete;
DROP TRIGGER plenary_sessions_data_version_insert;
DROP TRIGGER plenary_sessions_data_version_update;
DROP TRIGGER plenary_sessions_data_version_delete;
DROP TRIGGER result_classes_data_version_insert;
DROP TRIGGER result_classes_data_version_update;
DROP TRIGGER result_classes_data_version_delete;
DROP TRIGGER proposal_facts_data_version_insert;
DROP TRIGGER proposal_facts_data_version_update;
DROP TRIGGER proposal_facts_data_version_delete;
DROP TRIGGER proposal_unit_facts_data_version_insert;
DROP TRIGGER proposal_unit_facts_data_version_update;
DROP TRIGGER proposal_unit_facts_data_version_delete;
DROP TRIGGER proposal_evaluations_data_version_insert;
DROP TRIGGER proposal_evaluations_data_version_update;
DROP TRIGGER proposal_evaluations_data_version_delete;
DROP TRIGGER proposal_signers_data_version_insert;
DROP TRIGGER proposal_signers_data_version_update;
DROP TRIGGER proposal_signers_data_version_delete;
DROP TRIGGER proposal_assessments_data_version_insert;
DROP TRIGGER proposal_assessments_data_version_update;
DROP TRIGGER proposal_assessments_data_version_delete;
DROP TABLE data_version_pending;
DROP TABLE data_version;
