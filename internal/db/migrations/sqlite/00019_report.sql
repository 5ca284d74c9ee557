-- +goose Up
-- Reports (internal/report): a committee's annual work report (年度工作报告).
-- The staff's prose around the generated sentences lives in report_texts; the
-- generated figures stay live until the report is finalised, when their
-- values (report_figures) and the records each counted (report_figure_records)
-- are frozen with the date, so a finalised report reads the same for ever.

CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    kind         TEXT NOT NULL DEFAULT 'annual' CHECK (kind IN ('annual')),
    year         INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 9999),
    title        TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'final')),
    -- the sections shown when it was finalised (JSON list of section ids); '' while a draft
    sections     TEXT NOT NULL DEFAULT '',
    final_on     TEXT,
    final_at     TIMESTAMP,
    final_by     BIGINT REFERENCES users(id),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (committee_id, kind, year)
);

-- The staff's prose: one text before and one after each section's generated
-- sentences (section 'preamble' opens the report).
CREATE TABLE report_texts (
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    report_id    BIGINT NOT NULL REFERENCES reports(id),
    section      TEXT NOT NULL,
    place        TEXT NOT NULL CHECK (place IN ('before', 'after')),
    body         TEXT NOT NULL,
    PRIMARY KEY (committee_id, report_id, section, place)
);

-- A finalised report's figures, as they were on final_on.
CREATE TABLE report_figures (
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    report_id    BIGINT NOT NULL REFERENCES reports(id),
    figure_id    TEXT NOT NULL,
    position     INTEGER NOT NULL,
    area         TEXT NOT NULL,
    unit         TEXT NOT NULL,
    measure      TEXT NOT NULL,
    den          TEXT NOT NULL DEFAULT '',
    value        BIGINT NOT NULL,
    den_value    BIGINT NOT NULL DEFAULT 0,
    columns      TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (committee_id, report_id, figure_id)
);

-- The records each frozen figure counted: their ids, amounts, links and the
-- cells of the records page as they read when the report was finalised.
CREATE TABLE report_figure_records (
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    report_id    BIGINT NOT NULL REFERENCES reports(id),
    figure_id    TEXT NOT NULL,
    position     INTEGER NOT NULL,
    record_id    BIGINT NOT NULL,
    amount       BIGINT NOT NULL DEFAULT 0,
    link         TEXT NOT NULL DEFAULT '',
    cells        TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (committee_id, report_id, figure_id, position)
);

-- +goose Down
DROP TABLE report_figure_records;
DROP TABLE report_figures;
DROP TABLE report_texts;
DROP TABLE reports;
