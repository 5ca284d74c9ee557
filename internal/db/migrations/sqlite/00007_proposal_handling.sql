-- +goose Up
-- Handling of registered proposals: assignments to units (交办), contacts (办前面商),
-- replies and countersigns, evaluations, supervision of key proposals and follow-ups (回头看).

CREATE TABLE proposal_assignments (
    id               INTEGER PRIMARY KEY,
    committee_id     BIGINT NOT NULL REFERENCES committees(id),
    proposal_id      BIGINT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    unit_id          BIGINT NOT NULL REFERENCES units(id),
    role             TEXT NOT NULL CHECK (role IN ('sole','lead','co','separate')),
    state            TEXT NOT NULL,
    assigned_on      TEXT NOT NULL,
    due_on           TEXT NOT NULL,
    original_due_on  TEXT NOT NULL,
    extensions       INTEGER NOT NULL DEFAULT 0,
    extension_asked_on  TEXT NOT NULL DEFAULT '',
    extension_asked_due TEXT NOT NULL DEFAULT '',
    extension_reason TEXT NOT NULL DEFAULT '',
    accepted_at      TIMESTAMP,
    return_reason    TEXT NOT NULL DEFAULT '',
    return_requested_on TEXT NOT NULL DEFAULT '',
    return_requests  INTEGER NOT NULL DEFAULT 0,
    replied_on       TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    UNIQUE (proposal_id, unit_id)
);
-- A unit's own list (by sub-state and due date) and the deadline scan.
-- proposal_id last: a unit's list joins to proposals from the index alone.
CREATE INDEX proposal_assignments_unit ON proposal_assignments(committee_id, unit_id, state, due_on, proposal_id);
CREATE INDEX proposal_assignments_due ON proposal_assignments(committee_id, state, due_on);
CREATE INDEX proposal_assignments_proposal ON proposal_assignments(committee_id, proposal_id);

CREATE TABLE proposal_contacts (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    proposal_id   BIGINT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    assignment_id BIGINT NOT NULL REFERENCES proposal_assignments(id) ON DELETE CASCADE,
    round         INTEGER NOT NULL,
    contact_on    TEXT NOT NULL,
    method        TEXT NOT NULL CHECK (method IN ('face','meeting','phone','letter','other')),
    face_to_face  BOOLEAN NOT NULL,
    people        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    created_by    BIGINT REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX proposal_contacts_proposal ON proposal_contacts(committee_id, proposal_id);

CREATE TABLE proposal_replies (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    proposal_id   BIGINT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    assignment_id BIGINT NOT NULL REFERENCES proposal_assignments(id) ON DELETE CASCADE,
    round         INTEGER NOT NULL,
    result_class  TEXT NOT NULL,
    drafted_class TEXT NOT NULL,
    body          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('drafted','review','sent_back','delivered')),
    drafted_by    BIGINT REFERENCES users(id),
    drafted_at    TIMESTAMP NOT NULL,
    submitted_at  TIMESTAMP,
    reviewed_by   BIGINT REFERENCES users(id),
    review_note   TEXT NOT NULL DEFAULT '',
    delivered_on  TEXT NOT NULL DEFAULT '',
    delivered_at  TIMESTAMP,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (assignment_id, round)
);
CREATE INDEX proposal_replies_proposal ON proposal_replies(committee_id, proposal_id);
CREATE INDEX proposal_replies_class ON proposal_replies(committee_id, status, result_class);

CREATE TABLE proposal_countersigns (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    reply_id      BIGINT NOT NULL REFERENCES proposal_replies(id) ON DELETE CASCADE,
    assignment_id BIGINT NOT NULL REFERENCES proposal_assignments(id) ON DELETE CASCADE,
    opinion       TEXT NOT NULL DEFAULT '',
    user_id       BIGINT REFERENCES users(id),
    at            TIMESTAMP NOT NULL,
    UNIQUE (reply_id, assignment_id)
);
CREATE INDEX proposal_countersigns_reply ON proposal_countersigns(committee_id, reply_id);

CREATE TABLE proposal_evaluations (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    proposal_id   BIGINT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    membership_id BIGINT NOT NULL REFERENCES memberships(id),
    round         INTEGER NOT NULL,
    overall       TEXT NOT NULL CHECK (overall IN ('satisfied','basic','dissatisfied')),
    contact       TEXT NOT NULL CHECK (contact IN ('visited','not_needed','not_visited')),
    attitude      TEXT NOT NULL CHECK (attitude IN ('satisfied','basic','dissatisfied')),
    addressed     TEXT NOT NULL CHECK (addressed IN ('targeted','basic','not')),
    comment       TEXT NOT NULL DEFAULT '',
    user_id       BIGINT REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (proposal_id, membership_id, round)
);
CREATE INDEX proposal_evaluations_proposal ON proposal_evaluations(committee_id, proposal_id);

-- Key proposals (重点提案): supervising leaders (督办领导, user accounts) and activities.
CREATE TABLE proposal_supervisors (
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    proposal_id  BIGINT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (proposal_id, user_id)
);
CREATE INDEX proposal_supervisors_user ON proposal_supervisors(committee_id, user_id);

CREATE TABLE proposal_supervision (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    proposal_id  BIGINT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    activity_on  TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('inspection','meeting','research','instruction','other')),
    note         TEXT NOT NULL,
    created_by   BIGINT REFERENCES users(id),
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX proposal_supervision_proposal ON proposal_supervision(committee_id, proposal_id);

-- 回头看: B and C items revisited in a later year, with a second result class.
CREATE TABLE proposal_follow_ups (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    proposal_id   BIGINT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    assignment_id BIGINT NOT NULL REFERENCES proposal_assignments(id) ON DELETE CASCADE,
    year          INTEGER NOT NULL,
    result_class  TEXT NOT NULL,
    note          TEXT NOT NULL,
    created_by    BIGINT REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (assignment_id, year)
);
CREATE INDEX proposal_follow_ups_proposal ON proposal_follow_ups(committee_id, proposal_id);

-- +goose Down
DROP TABLE proposal_follow_ups;
DROP TABLE proposal_supervision;
DROP TABLE proposal_supervisors;
DROP TABLE proposal_evaluations;
DROP TABLE proposal_countersigns;
DROP TABLE proposal_replies;
DROP TABLE proposal_contacts;
DROP TABLE proposal_assignments;
