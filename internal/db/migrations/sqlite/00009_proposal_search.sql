-- +goose Up
-- Derived proposal data (figures, full-text search), publication and unit assessment (测评).
--
-- Derived tables (proposal_facts, proposal_unit_facts, proposal_search) are
-- recomputed from the records by internal/proposal (figures_facts.go,
-- search_index.go); they are never edited by hand and so are not audited.
-- A trigger queues every inserted or updated proposal in proposal_dirty (its
-- version), and the derived rows are brought up to date from that queue before
-- any figure, list or search reads them, so they can never silently go stale.

CREATE TABLE proposal_dirty (
    proposal_id  BIGINT PRIMARY KEY,
    committee_id BIGINT NOT NULL,
    version      INTEGER NOT NULL
);

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

-- One row per proposal: what the figures count (see docs/FIGURES.md).
CREATE TABLE proposal_facts (
    proposal_id   BIGINT PRIMARY KEY REFERENCES proposals(id) ON DELETE CASCADE,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    session_id    BIGINT NOT NULL,
    year          INTEGER NOT NULL,
    theme         TEXT NOT NULL,
    kind          TEXT NOT NULL,
    category      TEXT NOT NULL,
    state         TEXT NOT NULL,
    converted_to  TEXT NOT NULL,
    received      BOOLEAN NOT NULL,
    registered    BOOLEAN NOT NULL,
    replied       BOOLEAN NOT NULL,
    on_time       BOOLEAN NOT NULL,
    face_to_face  BOOLEAN NOT NULL,
    result_class  TEXT NOT NULL,
    is_key        BOOLEAN NOT NULL,
    is_excellent  BOOLEAN NOT NULL,
    is_published  BOOLEAN NOT NULL,
    due_on        TEXT NOT NULL,
    version       INTEGER NOT NULL
);
CREATE INDEX proposal_facts_session ON proposal_facts(committee_id, session_id);
CREATE INDEX proposal_facts_year ON proposal_facts(committee_id, year);

-- One row per assignment: what the unit league table counts.
CREATE TABLE proposal_unit_facts (
    assignment_id BIGINT PRIMARY KEY REFERENCES proposal_assignments(id) ON DELETE CASCADE,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    proposal_id   BIGINT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    role          TEXT NOT NULL,
    state         TEXT NOT NULL,
    session_id    BIGINT NOT NULL,
    year          INTEGER NOT NULL,
    theme         TEXT NOT NULL,
    replying      BOOLEAN NOT NULL,
    replied       BOOLEAN NOT NULL,
    on_time       BOOLEAN NOT NULL,
    face_to_face  BOOLEAN NOT NULL,
    result_class  TEXT NOT NULL,
    due_on        TEXT NOT NULL
);
CREATE INDEX proposal_unit_facts_unit ON proposal_unit_facts(committee_id, unit_id, year);
CREATE INDEX proposal_unit_facts_session ON proposal_unit_facts(committee_id, session_id, unit_id);
CREATE INDEX proposal_unit_facts_proposal ON proposal_unit_facts(committee_id, proposal_id);

-- Segmented words (github.com/go-ego/gse) of title, texts and delivered replies,
-- plus marker words (zzc<committee> for the committee and each ancestor, zzy<year>,
-- zzpub when published) so one index lookup also scopes the search.
CREATE TABLE proposal_search (
    proposal_id  BIGINT PRIMARY KEY REFERENCES proposals(id) ON DELETE CASCADE,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    tokens       TEXT NOT NULL,
    text_hash    TEXT NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
-- SQLite: an FTS5 index over the tokens (external content, kept in step by triggers).
-- The unicode61 tokenizer splits on the spaces between the segmented words.
CREATE VIRTUAL TABLE proposal_fts USING fts5(tokens, content='proposal_search', content_rowid='proposal_id', tokenize='unicode61');

-- +goose StatementBegin
CREATE TRIGGER proposal_search_ai AFTER INSERT ON proposal_search BEGIN
    INSERT INTO proposal_fts (rowid, tokens) VALUES (NEW.proposal_id, NEW.tokens);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER proposal_search_ad AFTER DELETE ON proposal_search BEGIN
    INSERT INTO proposal_fts (proposal_fts, rowid, tokens) VALUES ('delete', OLD.proposal_id, OLD.tokens);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER proposal_search_au AFTER UPDATE ON proposal_search BEGIN
    INSERT INTO proposal_fts (proposal_fts, rowid, tokens) VALUES ('delete', OLD.proposal_id, OLD.tokens);
    INSERT INTO proposal_fts (rowid, tokens) VALUES (NEW.proposal_id, NEW.tokens);
END;
-- +goose StatementEnd

-- Publication (公开) of a replied proposal, with the proposer's consent.
CREATE TABLE proposal_publications (
    proposal_id   BIGINT PRIMARY KEY REFERENCES proposals(id) ON DELETE CASCADE,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    published_on  TEXT NOT NULL,
    published_by  BIGINT REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX proposal_publications_committee ON proposal_publications(committee_id, published_on);

-- Unit assessment (测评): a committee's score sheet and the office's scores per unit and year.
CREATE TABLE proposal_assess_items (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    name         TEXT NOT NULL,
    max_points   INTEGER NOT NULL CHECK (max_points BETWEEN 1 AND 1000),
    sort         INTEGER NOT NULL DEFAULT 0,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (committee_id, name)
);

CREATE TABLE proposal_assessments (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    year         INTEGER NOT NULL,
    unit_id      BIGINT NOT NULL REFERENCES units(id),
    total        INTEGER NOT NULL,
    max_total    INTEGER NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    assessed_by  BIGINT REFERENCES users(id),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (committee_id, year, unit_id)
);

CREATE TABLE proposal_assessment_scores (
    assessment_id BIGINT NOT NULL REFERENCES proposal_assessments(id) ON DELETE CASCADE,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    item_id       BIGINT NOT NULL REFERENCES proposal_assess_items(id),
    points        INTEGER NOT NULL CHECK (points >= 0),
    PRIMARY KEY (assessment_id, item_id)
);

-- Everything already in the database is queued once.
INSERT INTO proposal_dirty (proposal_id, committee_id, version) SELECT id, committee_id, version FROM proposals;

-- +goose Down
DROP TABLE proposal_assessment_scores;
DROP TABLE proposal_assessments;
DROP TABLE proposal_assess_items;
DROP TABLE proposal_publications;
DROP TABLE proposal_fts;
DROP TABLE proposal_search;
DROP TABLE proposal_unit_facts;
DROP TABLE proposal_facts;
DROP TRIGGER proposals_dirty_update;
DROP TRIGGER proposals_dirty_insert;
DROP TABLE proposal_dirty;
