-- +goose Up
-- Proposals (提案): the proposal, its signers, attachments and its timeline.
-- States and actions are defined in internal/proposal/workflow.go; the CHECKs
-- below only keep the columns to known codes.

CREATE TABLE proposals (
    id               INTEGER PRIMARY KEY,
    committee_id     BIGINT NOT NULL REFERENCES committees(id),
    session_id       BIGINT NOT NULL REFERENCES plenary_sessions(id),
    year             INTEGER NOT NULL,
    seq              INTEGER,
    number           TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL CHECK (kind IN ('individual','joint','body')),
    body_type        TEXT NOT NULL DEFAULT '' CHECK (body_type IN ('','party','people_org','special_committee','sector','member_group')),
    body_name        TEXT NOT NULL DEFAULT '',
    category         TEXT NOT NULL DEFAULT '' CHECK (category IN ('','plenary','regular')),
    theme            TEXT NOT NULL CHECK (theme IN ('economy','politics','culture','society','ecology')),
    title            TEXT NOT NULL,
    matter           TEXT NOT NULL DEFAULT '',
    analysis         TEXT NOT NULL DEFAULT '',
    suggestions      TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL,
    round            INTEGER NOT NULL DEFAULT 1,
    first_proposer_id BIGINT REFERENCES memberships(id),
    created_by       BIGINT REFERENCES users(id),
    entered_by       BIGINT REFERENCES users(id),
    merged_into      BIGINT REFERENCES proposals(id),
    decline_reason   TEXT NOT NULL DEFAULT '',
    review_note      TEXT NOT NULL DEFAULT '',
    converted_to     TEXT NOT NULL DEFAULT '' CHECK (converted_to IN ('','sqmy','opinion')),
    assign_mode      TEXT NOT NULL DEFAULT '' CHECK (assign_mode IN ('','single','joint','separate')),
    is_key           BOOLEAN NOT NULL DEFAULT FALSE,
    is_excellent     BOOLEAN NOT NULL DEFAULT FALSE,
    is_published     BOOLEAN NOT NULL DEFAULT FALSE,
    publish_consent  BOOLEAN NOT NULL DEFAULT FALSE,
    signing_deadline TEXT NOT NULL DEFAULT '',
    submitted_on     TEXT NOT NULL DEFAULT '',
    registered_on    TEXT NOT NULL DEFAULT '',
    assigned_on      TEXT NOT NULL DEFAULT '',
    due_on           TEXT NOT NULL DEFAULT '',
    replied_on       TEXT NOT NULL DEFAULT '',
    closed_on        TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    UNIQUE (committee_id, session_id, seq)
);
-- Committee-scoped lists: by session (the default view), by year, by theme, overdue, per proposer.
-- (committee_id, id) serves every list ordered newest first: without it PostgreSQL walks the
-- primary key backwards through all committees' rows (measured: 10-40 ms at 1 M rows).
CREATE INDEX proposals_committee ON proposals(committee_id, id);
CREATE INDEX proposals_session ON proposals(committee_id, session_id, state, id);
CREATE INDEX proposals_year ON proposals(committee_id, year, state, id);
CREATE INDEX proposals_theme ON proposals(committee_id, session_id, theme, id);
CREATE INDEX proposals_due ON proposals(committee_id, due_on, state);
CREATE INDEX proposals_proposer ON proposals(committee_id, first_proposer_id);
CREATE INDEX proposals_merged ON proposals(committee_id, merged_into);

CREATE TABLE proposal_signers (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    proposal_id   BIGINT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    membership_id BIGINT NOT NULL REFERENCES memberships(id),
    role          TEXT NOT NULL CHECK (role IN ('first','co')),
    status        TEXT NOT NULL CHECK (status IN ('invited','signed','declined','expired')),
    sort          INTEGER NOT NULL DEFAULT 0,
    invited_at    TIMESTAMP NOT NULL,
    responded_at  TIMESTAMP,
    UNIQUE (proposal_id, membership_id)
);
CREATE INDEX proposal_signers_member ON proposal_signers(committee_id, membership_id, proposal_id);

-- Attachments are kept in the database (bounded: 10 MiB each) so a backup is one dump.
CREATE TABLE proposal_attachments (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    proposal_id   BIGINT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL CHECK (size >= 0 AND size <= 10485760),
    content       BLOB NOT NULL,
    uploaded_by   BIGINT REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX proposal_attachments_proposal ON proposal_attachments(committee_id, proposal_id);

-- The timeline: every transition writes one row.
CREATE TABLE proposal_events (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    proposal_id   BIGINT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    assignment_id BIGINT,
    at            TIMESTAMP NOT NULL,
    actor_user_id BIGINT,
    actor_name    TEXT NOT NULL,
    action        TEXT NOT NULL,
    from_state    TEXT NOT NULL,
    to_state      TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX proposal_events_proposal ON proposal_events(committee_id, proposal_id, id);

-- Registration numbers are allocated per session by UPDATE … RETURNING on this row,
-- which serializes concurrent registrations on both engines.
CREATE TABLE proposal_counters (
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    session_id   BIGINT NOT NULL REFERENCES plenary_sessions(id),
    last         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (committee_id, session_id)
);

-- +goose Down
DROP TABLE proposal_counters;
DROP TABLE proposal_events;
DROP TABLE proposal_attachments;
DROP TABLE proposal_signers;
DROP TABLE proposals;
