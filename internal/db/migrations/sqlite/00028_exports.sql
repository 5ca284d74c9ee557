-- +goose Up
-- Background exports (issue 14, "exports at scale"): a large spreadsheet is
-- written by a job into this table, where any server of the deployment finds
-- it, and only the user who asked downloads it until it expires. The file is
-- stored whole (capped in size by package export) so no shared disk is needed.
CREATE TABLE exports (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    params       TEXT NOT NULL,
    lang         TEXT NOT NULL,
    status       TEXT NOT NULL,
    rows_done    BIGINT NOT NULL DEFAULT 0,
    rows_total   BIGINT NOT NULL DEFAULT 0,
    file_name    TEXT NOT NULL DEFAULT '',
    file         BLOB,
    error        TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX exports_user ON exports(user_id, id);
CREATE INDEX exports_expires ON exports(expires_at);

-- +goose Down
DROP INDEX exports_expires;
DROP INDEX exports_user;
DROP TABLE exports;
