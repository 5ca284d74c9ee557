-- +goose Up
-- The liaison chain (联系制度): 党组成员 → 工作组长 → 党员委员 → 党外委员, visit campaigns
-- (党组书记走访常委, 党组成员走访委员) and every contact made along them.
-- People are referenced through their memberships, so a link belongs to one term.

CREATE TABLE liaison_links (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    term_id      BIGINT NOT NULL REFERENCES terms(id),
    level        TEXT NOT NULL CHECK (level IN ('leader_head','head_party','party_nonparty')),
    liaison_id   BIGINT NOT NULL REFERENCES memberships(id),
    member_id    BIGINT NOT NULL REFERENCES memberships(id),
    starts_on    TEXT NOT NULL,
    ends_on      TEXT NOT NULL DEFAULT '',
    per_year     INTEGER NOT NULL DEFAULT 2 CHECK (per_year BETWEEN 1 AND 52),
    notes        TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    CHECK (liaison_id <> member_id)
);
CREATE UNIQUE INDEX liaison_links_pair ON liaison_links(committee_id, liaison_id, member_id, starts_on);
CREATE INDEX liaison_links_term ON liaison_links(committee_id, term_id, level);
CREATE INDEX liaison_links_member ON liaison_links(committee_id, member_id);

CREATE TABLE liaison_campaigns (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    term_id      BIGINT NOT NULL REFERENCES terms(id),
    kind         TEXT NOT NULL CHECK (kind IN ('secretary_standing','leader_member','other')),
    name         TEXT NOT NULL,
    starts_on    TEXT NOT NULL,
    ends_on      TEXT NOT NULL,
    min_visits   INTEGER NOT NULL DEFAULT 1 CHECK (min_visits BETWEEN 1 AND 52),
    notes        TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    UNIQUE (committee_id, name)
);
CREATE INDEX liaison_campaigns_dates ON liaison_campaigns(committee_id, starts_on);

CREATE TABLE liaison_targets (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    campaign_id  BIGINT NOT NULL REFERENCES liaison_campaigns(id),
    visitor_id   BIGINT NOT NULL REFERENCES memberships(id),
    target_id    BIGINT NOT NULL REFERENCES memberships(id),
    created_at   TIMESTAMP NOT NULL,
    CHECK (visitor_id <> target_id),
    UNIQUE (campaign_id, visitor_id, target_id)
);
CREATE INDEX liaison_targets_campaign ON liaison_targets(committee_id, campaign_id);

-- A contact belongs to a link or to a campaign target, never both.
CREATE TABLE liaison_contacts (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    link_id      BIGINT REFERENCES liaison_links(id),
    target_id    BIGINT REFERENCES liaison_targets(id),
    contact_on   TEXT NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('meeting','phone','forum','visit','other')),
    notes        TEXT NOT NULL DEFAULT '',
    recorded_by  BIGINT REFERENCES users(id),
    recorded_by_name TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    CHECK ((link_id IS NULL) <> (target_id IS NULL))
);
CREATE INDEX liaison_contacts_link ON liaison_contacts(committee_id, link_id, contact_on);
CREATE INDEX liaison_contacts_target ON liaison_contacts(committee_id, target_id, contact_on);

-- +goose Down
DROP TABLE liaison_contacts;
DROP TABLE liaison_targets;
DROP TABLE liaison_campaigns;
DROP TABLE liaison_links;
