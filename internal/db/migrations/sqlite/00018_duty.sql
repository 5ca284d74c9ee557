-- +goose Up
-- Member duty records and scoring (履职档案与量化考核), internal/duty.
-- Points are integer hundredths of a point (1250 = 12.5 points) so that a
-- joint proposal's shares add up exactly.

-- A committee's scoring rules of one year. Each year has its own copy, so
-- editing next year's rules never rewrites last year's scores.
CREATE TABLE duty_rule_sets (
    id               INTEGER PRIMARY KEY,
    committee_id     BIGINT NOT NULL REFERENCES committees(id),
    year             INTEGER NOT NULL,
    preset           TEXT NOT NULL DEFAULT '',
    base_score       BIGINT NOT NULL DEFAULT 0,
    max_score        BIGINT NOT NULL DEFAULT 0,
    band_excellent   BIGINT NOT NULL DEFAULT 9000,
    band_good        BIGINT NOT NULL DEFAULT 8000,
    band_competent   BIGINT NOT NULL DEFAULT 6000,
    exit_absences    INTEGER NOT NULL DEFAULT 3,
    exit_incompetent INTEGER NOT NULL DEFAULT 2,
    closed           BOOLEAN NOT NULL DEFAULT FALSE,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    UNIQUE (committee_id, year)
);

-- Categories group items and carry the yearly cap (0: none).
CREATE TABLE duty_categories (
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    rule_set_id  BIGINT NOT NULL REFERENCES duty_rule_sets(id) ON DELETE CASCADE,
    code         TEXT NOT NULL,
    cap          BIGINT NOT NULL DEFAULT 0 CHECK (cap >= 0),
    sort         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (rule_set_id, code)
);
CREATE INDEX duty_categories_committee ON duty_categories(committee_id, rule_set_id);

-- What one event of an item earns, by variant (first proposer, co-signer,
-- attended, leave, absent …); negative points are deductions. A shared rule's
-- points per unit are split among everyone holding that variant of the event.
CREATE TABLE duty_rules (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    rule_set_id  BIGINT NOT NULL REFERENCES duty_rule_sets(id) ON DELETE CASCADE,
    category     TEXT NOT NULL,
    item         TEXT NOT NULL,
    variant      TEXT NOT NULL,
    points       BIGINT NOT NULL,
    unit         TEXT NOT NULL CHECK (unit IN ('time','item','article','halfday')),
    shared       BOOLEAN NOT NULL DEFAULT FALSE,
    sort         INTEGER NOT NULL DEFAULT 0,
    UNIQUE (rule_set_id, item, variant)
);
CREATE INDEX duty_rules_committee ON duty_rules(committee_id, rule_set_id);

-- Staff's manual adjustments (records: audited, cancelled rather than deleted).
CREATE TABLE duty_adjustments (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    membership_id BIGINT NOT NULL REFERENCES memberships(id),
    on_date       TEXT NOT NULL,
    points        BIGINT NOT NULL,
    reason        TEXT NOT NULL,
    appeal_id     BIGINT,
    cancelled     BOOLEAN NOT NULL DEFAULT FALSE,
    created_by    BIGINT REFERENCES users(id),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX duty_adjustments_member ON duty_adjustments(committee_id, membership_id);

-- The ledger (derived rows, never edited by hand): one row per posting, each
-- naming the record that earned it. A changed record's postings are reversed
-- (a negative row pointing at the original) and its new postings added, so
-- the sum of a member's rows is always what the records say.
CREATE TABLE duty_entries (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    year          INTEGER NOT NULL,
    membership_id BIGINT NOT NULL REFERENCES memberships(id),
    on_date       TEXT NOT NULL,
    category      TEXT NOT NULL,
    item          TEXT NOT NULL,
    variant       TEXT NOT NULL,
    quantity      INTEGER NOT NULL,
    shares        INTEGER NOT NULL,
    points        BIGINT NOT NULL,
    source_entity TEXT NOT NULL,
    source_id     BIGINT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('post','reversal')),
    reverses_id   BIGINT REFERENCES duty_entries(id),
    reversed      BOOLEAN NOT NULL DEFAULT FALSE,
    posted_at     TIMESTAMP NOT NULL
);
CREATE INDEX duty_entries_year ON duty_entries(committee_id, year, membership_id);
CREATE INDEX duty_entries_source ON duty_entries(committee_id, source_entity, source_id);
CREATE INDEX duty_entries_member ON duty_entries(committee_id, membership_id, id);

-- A member's appeal of one ledger entry, decided by staff.
CREATE TABLE duty_appeals (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    membership_id BIGINT NOT NULL REFERENCES memberships(id),
    entry_id      BIGINT NOT NULL REFERENCES duty_entries(id),
    reason        TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('open','upheld','rejected','withdrawn')),
    decision_note TEXT NOT NULL DEFAULT '',
    points        BIGINT NOT NULL DEFAULT 0,
    decided_by    BIGINT REFERENCES users(id),
    decided_at    TIMESTAMP,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX duty_appeals_committee ON duty_appeals(committee_id, state, id);
CREATE INDEX duty_appeals_member ON duty_appeals(committee_id, membership_id, id);

-- The annual assessment as staff confirmed it: the score and grade at
-- confirmation, and the action the rules proposed (or none) with its decision.
CREATE TABLE duty_assessments (
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    year          INTEGER NOT NULL,
    membership_id BIGINT NOT NULL REFERENCES memberships(id),
    score         BIGINT NOT NULL,
    grade         TEXT NOT NULL CHECK (grade IN ('excellent','good','competent','incompetent')),
    rank          INTEGER NOT NULL,
    action        TEXT NOT NULL DEFAULT '' CHECK (action IN ('','commend','remind','resign')),
    action_state  TEXT NOT NULL DEFAULT '' CHECK (action_state IN ('','confirmed','dismissed')),
    confirmed_by  BIGINT REFERENCES users(id),
    confirmed_at  TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (committee_id, year, membership_id)
);
CREATE INDEX duty_assessments_member ON duty_assessments(committee_id, membership_id);

-- Scores of years before the platform, imported from the committee's
-- spreadsheet and kept as imported (with the file and who imported it), so a
-- member's record and the term's exit rules see the whole term.
CREATE TABLE duty_imports (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    year         INTEGER NOT NULL,
    file_name    TEXT NOT NULL,
    row_count    INTEGER NOT NULL,
    imported_by  BIGINT REFERENCES users(id),
    imported_at  TIMESTAMP NOT NULL
);
CREATE INDEX duty_imports_committee ON duty_imports(committee_id, year);

CREATE TABLE duty_imported_scores (
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    year          INTEGER NOT NULL,
    membership_id BIGINT NOT NULL REFERENCES memberships(id),
    import_id     BIGINT NOT NULL REFERENCES duty_imports(id),
    score         BIGINT NOT NULL,
    grade         TEXT NOT NULL CHECK (grade IN ('excellent','good','competent','incompetent')),
    PRIMARY KEY (committee_id, year, membership_id)
);
CREATE INDEX duty_imported_scores_member ON duty_imported_scores(committee_id, membership_id);

-- +goose Down
DROP TABLE duty_imported_scores;
DROP TABLE duty_imports;
DROP TABLE duty_assessments;
DROP TABLE duty_appeals;
DROP TABLE duty_entries;
DROP TABLE duty_adjustments;
DROP TABLE duty_rules;
DROP TABLE duty_categories;
DROP TABLE duty_rule_sets;
