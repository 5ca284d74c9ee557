-- +goose Up
-- Core tables: the committee tree, organisation basics, accounts and the audit log.
-- Every committee-owned table carries committee_id so it can be distributed by it.
-- Civil dates are TEXT 'YYYY-MM-DD' (Asia/Shanghai); instants are UTC timestamps.

CREATE TABLE committees (
    id          INTEGER PRIMARY KEY,
    parent_id   BIGINT REFERENCES committees(id),
    level       TEXT NOT NULL CHECK (level IN ('national','province','prefecture','county')),
    name        TEXT NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    path        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX committees_parent ON committees(parent_id);
CREATE INDEX committees_path ON committees(path);

CREATE TABLE terms (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    number       INTEGER NOT NULL,
    name         TEXT NOT NULL,
    starts_on    TEXT NOT NULL,
    ends_on      TEXT NOT NULL DEFAULT '',
    UNIQUE (committee_id, number)
);

CREATE TABLE plenary_sessions (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    term_id      BIGINT NOT NULL REFERENCES terms(id),
    number       INTEGER NOT NULL,
    name         TEXT NOT NULL,
    year         INTEGER NOT NULL,
    opens_on     TEXT NOT NULL,
    closes_on    TEXT NOT NULL,
    submit_from  TEXT NOT NULL,
    submit_to    TEXT NOT NULL,
    UNIQUE (committee_id, term_id, number)
);

CREATE TABLE sectors (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    name         TEXT NOT NULL,
    sort         INTEGER NOT NULL DEFAULT 0,
    UNIQUE (committee_id, name)
);

CREATE TABLE org_groups (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    kind         TEXT NOT NULL CHECK (kind IN ('special_committee','working_group','member_group')),
    name         TEXT NOT NULL,
    UNIQUE (committee_id, name)
);

CREATE TABLE people (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    name         TEXT NOT NULL,
    gender       TEXT NOT NULL DEFAULT '',
    birth_date   TEXT NOT NULL DEFAULT '',
    ethnicity    TEXT NOT NULL DEFAULT '',
    id_number_enc BLOB,
    id_number_hash TEXT,
    phone        TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    employer     TEXT NOT NULL DEFAULT '',
    job_title    TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX people_committee ON people(committee_id, id);
CREATE UNIQUE INDEX people_id_number ON people(id_number_hash);

CREATE TABLE memberships (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    person_id    BIGINT NOT NULL REFERENCES people(id),
    term_id      BIGINT NOT NULL REFERENCES terms(id),
    sector_id    BIGINT REFERENCES sectors(id),
    affiliation  TEXT NOT NULL DEFAULT '',
    positions    TEXT NOT NULL DEFAULT '',
    is_standing  BOOLEAN NOT NULL DEFAULT FALSE,
    is_party_member BOOLEAN NOT NULL DEFAULT FALSE,
    status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','resigned','removed','deceased')),
    skills       TEXT NOT NULL DEFAULT '',
    resources    TEXT NOT NULL DEFAULT '',
    joined_on    TEXT NOT NULL DEFAULT '',
    left_on      TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (committee_id, term_id, person_id)
);
CREATE INDEX memberships_sector ON memberships(committee_id, sector_id, id);
CREATE INDEX memberships_person ON memberships(person_id);

CREATE TABLE membership_groups (
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    membership_id BIGINT NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
    group_id      BIGINT NOT NULL REFERENCES org_groups(id),
    role          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (membership_id, group_id)
);
CREATE INDEX membership_groups_group ON membership_groups(committee_id, group_id);

CREATE TABLE units (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('party','government','congress','court','procuratorate','other')),
    contact_name  TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (committee_id, name)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    person_id     BIGINT REFERENCES people(id),
    unit_id       BIGINT REFERENCES units(id),
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    lang          TEXT NOT NULL DEFAULT 'zh',
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX users_committee ON users(committee_id, id);
CREATE INDEX users_person ON users(person_id);

CREATE TABLE user_roles (
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    role         TEXT NOT NULL CHECK (role IN ('admin','staff','proposal_office','member','unit','leader','assistance')),
    PRIMARY KEY (user_id, committee_id, role)
);

CREATE TABLE login_sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT '',
    ip           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX login_sessions_user ON login_sessions(user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);

CREATE TABLE login_attempts (
    id        INTEGER PRIMARY KEY,
    username  TEXT NOT NULL,
    ip        TEXT NOT NULL,
    at        TIMESTAMP NOT NULL,
    ok        BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts(username, at);
CREATE INDEX login_attempts_ip ON login_attempts(ip, at);

-- The audit log is one hash chain per committee; audit_head holds each chain's
-- newest entry, so deleting the last entry is detected too, and updating the
-- head row serializes concurrent writers of one committee.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    at            TIMESTAMP NOT NULL,
    actor_user_id BIGINT,
    actor_name    TEXT NOT NULL,
    action        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     BIGINT NOT NULL,
    before_json   TEXT NOT NULL,
    after_json    TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    UNIQUE (committee_id, seq)
);
CREATE INDEX audit_log_entity ON audit_log(committee_id, entity, entity_id);

CREATE TABLE audit_head (
    committee_id BIGINT PRIMARY KEY,
    seq          BIGINT NOT NULL,
    hash         TEXT NOT NULL
);

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE login_attempts;
DROP TABLE api_tokens;
DROP TABLE login_sessions;
DROP TABLE user_roles;
DROP TABLE users;
DROP TABLE units;
DROP TABLE membership_groups;
DROP TABLE memberships;
DROP TABLE people;
DROP TABLE org_groups;
DROP TABLE sectors;
DROP TABLE plenary_sessions;
DROP TABLE terms;
DROP TABLE committees;
