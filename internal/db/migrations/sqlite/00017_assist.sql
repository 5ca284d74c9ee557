-- +goose Up
-- 三送三帮 (issue 12): registered poor households and their members, the
-- 两不愁三保障 snapshots, needs collected by assistance officers, members'
-- offers and pairings, pledges, assistance records, campaigns and sites.
-- Citizen ID numbers and phones of household members are sealed with
-- internal/secret (AES-GCM, associated data = the member row's id); the keyed
-- hash finds duplicates without opening them. Every table is keyed by
-- committee_id and its indexes lead with it.

-- The villages a committee's households may belong to (township → village):
-- the import refuses a village that is not listed.
CREATE TABLE assist_villages (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    township     TEXT NOT NULL,
    name         TEXT NOT NULL,
    code         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (committee_id, township, name)
);

CREATE TABLE assist_households (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    registry_id  TEXT NOT NULL,
    village_id   BIGINT NOT NULL REFERENCES assist_villages(id),
    head_name    TEXT NOT NULL,
    attribute    TEXT NOT NULL CHECK (attribute IN ('general','dibao','tekun')),
    cause_main   TEXT NOT NULL,
    cause_other1 TEXT NOT NULL DEFAULT '',
    cause_other2 TEXT NOT NULL DEFAULT '',
    income_fen   BIGINT NOT NULL DEFAULT 0,
    housing      TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('poor','lifted','relapsed','monitored')),
    lifted_year  INTEGER NOT NULL DEFAULT 0,
    gov_helper   TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (committee_id, registry_id)
);
CREATE INDEX assist_households_village ON assist_households(committee_id, village_id);

CREATE TABLE assist_household_members (
    id             INTEGER PRIMARY KEY,
    committee_id   BIGINT NOT NULL REFERENCES committees(id),
    household_id   BIGINT NOT NULL REFERENCES assist_households(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    gender         TEXT NOT NULL DEFAULT '',
    id_number_enc  BLOB,
    id_number_hash TEXT,
    id_masked      TEXT NOT NULL DEFAULT '',
    relation       TEXT NOT NULL DEFAULT '',
    health         TEXT NOT NULL DEFAULT 'healthy' CHECK (health IN ('healthy','chronic','serious','disabled')),
    labour         TEXT NOT NULL DEFAULT 'ordinary' CHECK (labour IN ('ordinary','skilled','weak','lost','none')),
    schooling      TEXT NOT NULL DEFAULT '',
    phone_enc      BLOB,
    sort           INTEGER NOT NULL DEFAULT 0,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX assist_household_members_household ON assist_household_members(committee_id, household_id);
CREATE UNIQUE INDEX assist_household_members_id_number ON assist_household_members(committee_id, id_number_hash);

-- 两不愁三保障 (+ safe water), one dated snapshot per check.
CREATE TABLE assist_snapshots (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    household_id BIGINT NOT NULL REFERENCES assist_households(id) ON DELETE CASCADE,
    taken_on     TEXT NOT NULL,
    food         BOOLEAN NOT NULL,
    clothing     BOOLEAN NOT NULL,
    schooling    BOOLEAN NOT NULL,
    medical      BOOLEAN NOT NULL,
    housing      BOOLEAN NOT NULL,
    water        BOOLEAN NOT NULL,
    notes        TEXT NOT NULL DEFAULT '',
    created_by   BIGINT REFERENCES users(id),
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (household_id, taken_on)
);
CREATE INDEX assist_snapshots_household ON assist_snapshots(committee_id, household_id, taken_on);

CREATE TABLE assist_needs (
    id                INTEGER PRIMARY KEY,
    committee_id      BIGINT NOT NULL REFERENCES committees(id),
    household_id      BIGINT NOT NULL REFERENCES assist_households(id),
    kind              TEXT NOT NULL CHECK (kind IN ('study','medical','housing','job','industry','info','tech','living','other')),
    description       TEXT NOT NULL,
    amount_fen        BIGINT NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
    urgency           INTEGER NOT NULL DEFAULT 2 CHECK (urgency BETWEEN 1 AND 3),
    collected_by      BIGINT REFERENCES users(id),
    collected_by_name TEXT NOT NULL DEFAULT '',
    collected_on      TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('OPEN','MATCHED','IN_PROGRESS','MET','CLOSED')),
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX assist_needs_state ON assist_needs(committee_id, state, urgency);
CREATE INDEX assist_needs_household ON assist_needs(committee_id, household_id);

-- What a member offers the programme (群众所需、政协可为、委员所能): the kinds of
-- need they can meet, the townships they can reach, how many households they can take.
CREATE TABLE assist_offers (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    membership_id BIGINT NOT NULL REFERENCES memberships(id),
    kinds         TEXT NOT NULL DEFAULT '',
    townships     TEXT NOT NULL DEFAULT '',
    capacity      INTEGER NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 0 AND 1000),
    notes         TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (committee_id, membership_id)
);

-- 结对: a member and a household, from a confirmed match (need_id) or set directly.
CREATE TABLE assist_pairings (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    household_id  BIGINT NOT NULL REFERENCES assist_households(id),
    membership_id BIGINT NOT NULL REFERENCES memberships(id),
    need_id       BIGINT REFERENCES assist_needs(id),
    state         TEXT NOT NULL CHECK (state IN ('ACTIVE','SUSPENDED','ENDED')),
    fit           INTEGER NOT NULL DEFAULT 0,
    starts_on     TEXT NOT NULL,
    ends_on       TEXT NOT NULL DEFAULT '',
    confirmed_by  BIGINT REFERENCES users(id),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX assist_pairings_member ON assist_pairings(committee_id, membership_id, state);
CREATE INDEX assist_pairings_household ON assist_pairings(committee_id, household_id, state);

-- A suggested match an officer rejected: not suggested again for that need.
CREATE TABLE assist_match_rejections (
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    need_id       BIGINT NOT NULL REFERENCES assist_needs(id) ON DELETE CASCADE,
    membership_id BIGINT NOT NULL REFERENCES memberships(id),
    rejected_by   BIGINT REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (need_id, membership_id)
);
CREATE INDEX assist_match_rejections_committee ON assist_match_rejections(committee_id, need_id);

-- 认捐 at a meeting, with its targets; delivered is reconciled from the records that cite it.
CREATE TABLE assist_pledges (
    id                  INTEGER PRIMARY KEY,
    committee_id        BIGINT NOT NULL REFERENCES committees(id),
    meeting             TEXT NOT NULL,
    pledged_on          TEXT NOT NULL,
    due_on              TEXT NOT NULL DEFAULT '',
    amount_fen          BIGINT NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
    households          INTEGER NOT NULL DEFAULT 0 CHECK (households >= 0),
    jobs                INTEGER NOT NULL DEFAULT 0 CHECK (jobs >= 0),
    industry_households INTEGER NOT NULL DEFAULT 0 CHECK (industry_households >= 0),
    notes               TEXT NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX assist_pledges_date ON assist_pledges(committee_id, pledged_on);

CREATE TABLE assist_pledge_members (
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    pledge_id     BIGINT NOT NULL REFERENCES assist_pledges(id) ON DELETE CASCADE,
    membership_id BIGINT NOT NULL REFERENCES memberships(id),
    PRIMARY KEY (pledge_id, membership_id)
);
CREATE INDEX assist_pledge_members_member ON assist_pledge_members(committee_id, membership_id);

CREATE TABLE assist_campaigns (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    name         TEXT NOT NULL,
    starts_on    TEXT NOT NULL,
    ends_on      TEXT NOT NULL,
    categories   TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (committee_id, name)
);

CREATE TABLE assist_campaign_targets (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    campaign_id  BIGINT NOT NULL REFERENCES assist_campaigns(id) ON DELETE CASCADE,
    category     TEXT NOT NULL DEFAULT '',
    figure_id    TEXT NOT NULL,
    target       BIGINT NOT NULL CHECK (target >= 0),
    UNIQUE (campaign_id, category, figure_id)
);
CREATE INDEX assist_campaign_targets_campaign ON assist_campaign_targets(committee_id, campaign_id);

-- 帮扶记录: one record counts once (figures, duty scores). Members through
-- assist_record_members; imported records stay marked until verified.
CREATE TABLE assist_records (
    id               INTEGER PRIMARY KEY,
    committee_id     BIGINT NOT NULL REFERENCES committees(id),
    household_id     BIGINT REFERENCES assist_households(id),
    need_id          BIGINT REFERENCES assist_needs(id),
    pledge_id        BIGINT REFERENCES assist_pledges(id),
    campaign_id      BIGINT REFERENCES assist_campaigns(id),
    kind             TEXT NOT NULL CHECK (kind IN ('cash','goods','info','tech','study','job','industry')),
    given_on         TEXT NOT NULL,
    amount_fen       BIGINT NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
    goods_items      INTEGER NOT NULL DEFAULT 0 CHECK (goods_items >= 0),
    goods_value_fen  BIGINT NOT NULL DEFAULT 0 CHECK (goods_value_fen >= 0),
    info_count       INTEGER NOT NULL DEFAULT 0 CHECK (info_count >= 0),
    sessions         INTEGER NOT NULL DEFAULT 0 CHECK (sessions >= 0),
    readings         INTEGER NOT NULL DEFAULT 0 CHECK (readings >= 0),
    students         INTEGER NOT NULL DEFAULT 0 CHECK (students >= 0),
    jobs             INTEGER NOT NULL DEFAULT 0 CHECK (jobs >= 0),
    description      TEXT NOT NULL DEFAULT '',
    evidence         TEXT NOT NULL DEFAULT '',
    imported         BOOLEAN NOT NULL DEFAULT FALSE,
    verified_by      BIGINT REFERENCES users(id),
    verified_by_name TEXT NOT NULL DEFAULT '',
    verified_at      TIMESTAMP,
    created_by       BIGINT REFERENCES users(id),
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX assist_records_date ON assist_records(committee_id, given_on, kind);
CREATE INDEX assist_records_household ON assist_records(committee_id, household_id);

CREATE TABLE assist_record_members (
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    record_id     BIGINT NOT NULL REFERENCES assist_records(id) ON DELETE CASCADE,
    membership_id BIGINT NOT NULL REFERENCES memberships(id),
    PRIMARY KEY (record_id, membership_id)
);
CREATE INDEX assist_record_members_member ON assist_record_members(committee_id, membership_id);

-- 示范点 and their projects (爱心超市, 扶贫工厂, 爱心书屋).
CREATE TABLE assist_sites (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    name         TEXT NOT NULL,
    village_id   BIGINT REFERENCES assist_villages(id),
    opened_on    TEXT NOT NULL,
    notes        TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (committee_id, name)
);

CREATE TABLE assist_site_projects (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    site_id      BIGINT NOT NULL REFERENCES assist_sites(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('supermarket','factory','library','other')),
    name         TEXT NOT NULL,
    donors       INTEGER NOT NULL DEFAULT 0 CHECK (donors >= 0),
    amount_fen   BIGINT NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX assist_site_projects_site ON assist_site_projects(committee_id, site_id);

-- 爱心超市: households earn points for conduct and exchange them for donated
-- goods. Items carry their price in points and their stock; every earning and
-- redemption is a move; a household's balance is the sum of its moves.
CREATE TABLE assist_market_items (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    project_id   BIGINT NOT NULL REFERENCES assist_site_projects(id),
    name         TEXT NOT NULL,
    points       INTEGER NOT NULL CHECK (points > 0),
    stock        INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (project_id, name)
);
CREATE INDEX assist_market_items_project ON assist_market_items(committee_id, project_id);

CREATE TABLE assist_market_moves (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    project_id   BIGINT NOT NULL REFERENCES assist_site_projects(id),
    household_id BIGINT NOT NULL REFERENCES assist_households(id),
    kind         TEXT NOT NULL CHECK (kind IN ('earn','redeem')),
    points       INTEGER NOT NULL CHECK (points > 0),
    item_id      BIGINT REFERENCES assist_market_items(id),
    quantity     INTEGER NOT NULL DEFAULT 0 CHECK (quantity >= 0),
    reason       TEXT NOT NULL DEFAULT '',
    moved_on     TEXT NOT NULL,
    created_by   BIGINT REFERENCES users(id),
    created_at   TIMESTAMP NOT NULL,
    CHECK ((kind = 'redeem') = (item_id IS NOT NULL))
);
CREATE INDEX assist_market_moves_household ON assist_market_moves(committee_id, project_id, household_id);

-- +goose Down
DROP TABLE assist_market_moves;
DROP TABLE assist_market_items;
DROP TABLE assist_site_projects;
DROP TABLE assist_sites;
DROP TABLE assist_record_members;
DROP TABLE assist_records;
DROP TABLE assist_campaign_targets;
DROP TABLE assist_campaigns;
DROP TABLE assist_pledge_members;
DROP TABLE assist_pledges;
DROP TABLE assist_pairings;
DROP TABLE assist_match_rejections;
DROP TABLE assist_offers;
DROP TABLE assist_needs;
DROP TABLE assist_snapshots;
DROP TABLE assist_household_members;
DROP TABLE assist_households;
DROP TABLE assist_villages;
