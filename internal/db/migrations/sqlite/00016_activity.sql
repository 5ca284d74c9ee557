-- +goose Up
-- Consultation, supervision and everyday duty (协商监督与日常履职, internal/activity):
-- activities and their attendance, outputs with leaders' instructions (批示) and
-- follow-up items (跟踪问效), 社情民意, speeches, study articles, publicity,
-- cultural-history volumes and the consultation plan. Kinds, states and actions
-- are defined in internal/activity (workflow.go); the CHECKs only keep columns to
-- known codes. Dates are civil 'YYYY-MM-DD' text; times of day 'HH:MM'.

-- Per-committee settings of the area (a committee without a row uses the defaults).
CREATE TABLE activity_settings (
    committee_id   BIGINT PRIMARY KEY REFERENCES committees(id),
    max_leaves     INTEGER NOT NULL DEFAULT 3 CHECK (max_leaves BETWEEN 0 AND 365),
    version        INTEGER NOT NULL DEFAULT 1,
    updated_at     TIMESTAMP NOT NULL
);

-- 年度协商计划: one row per item, drafted → reviewed (主席会议) → approved (党委).
CREATE TABLE activity_plan_items (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    year          INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    month         INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    due_on        TEXT NOT NULL,
    topic         TEXT NOT NULL,
    form          TEXT NOT NULL,
    group_id      BIGINT REFERENCES org_groups(id),
    state         TEXT NOT NULL CHECK (state IN ('drafted','reviewed','approved')),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX activity_plan_items_due ON activity_plan_items(committee_id, due_on);

CREATE TABLE activities (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    place         TEXT NOT NULL DEFAULT '',
    starts_on     TEXT NOT NULL,
    starts_at     TEXT NOT NULL DEFAULT '',
    ends_at       TEXT NOT NULL DEFAULT '',
    group_id      BIGINT REFERENCES org_groups(id),
    plan_item_id  BIGINT REFERENCES activity_plan_items(id),
    mandatory     BOOLEAN NOT NULL DEFAULT FALSE,
    capacity      INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    state         TEXT NOT NULL CHECK (state IN ('PLANNED','OPEN','HELD','CANCELLED')),
    checkin_code  TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    cancel_reason TEXT NOT NULL DEFAULT '',
    entered_later BOOLEAN NOT NULL DEFAULT FALSE,
    entered_by    BIGINT REFERENCES users(id),
    entered_at    TIMESTAMP,
    created_by    BIGINT REFERENCES users(id),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX activities_date ON activities(committee_id, starts_on, id);
CREATE INDEX activities_kind ON activities(committee_id, kind, starts_on);
CREATE INDEX activities_plan ON activities(committee_id, plan_item_id);

-- One member's part in one activity: invited (mandatory) or signed up, leave,
-- check-in and the recorded outcome, and a role (speaker, 执笔人).
CREATE TABLE activity_attendance (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    activity_id   BIGINT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    person_id     BIGINT NOT NULL REFERENCES people(id),
    status        TEXT NOT NULL CHECK (status IN ('registered','leave_requested','leave_approved','leave_refused','checked_in','attended','absent')),
    role          TEXT NOT NULL DEFAULT '' CHECK (role IN ('','speaker','drafter')),
    leave_reason  TEXT NOT NULL DEFAULT '',
    decided_by    BIGINT REFERENCES users(id),
    decided_at    TIMESTAMP,
    checked_in_at TIMESTAMP,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (activity_id, person_id)
);
CREATE INDEX activity_attendance_activity ON activity_attendance(committee_id, activity_id);
CREATE INDEX activity_attendance_person ON activity_attendance(committee_id, person_id, activity_id);

-- Outputs: 纪要, 建议案, 协商专报, 调研报告.
CREATE TABLE activity_outputs (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    activity_id   BIGINT REFERENCES activities(id),
    kind          TEXT NOT NULL CHECK (kind IN ('minutes','proposal_report','consult_report','research_report')),
    number        TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL,
    dated_on      TEXT NOT NULL,
    sent_to       TEXT NOT NULL DEFAULT '',
    to_party      BOOLEAN NOT NULL DEFAULT FALSE,
    entered_later BOOLEAN NOT NULL DEFAULT FALSE,
    entered_by    BIGINT REFERENCES users(id),
    entered_at    TIMESTAMP,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX activity_outputs_date ON activity_outputs(committee_id, dated_on, id);
CREATE INDEX activity_outputs_activity ON activity_outputs(committee_id, activity_id);

-- 社情民意: submitted → edited → adopted (at a level) or not adopted.
CREATE TABLE sqmy_items (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    title         TEXT NOT NULL,
    content       TEXT NOT NULL DEFAULT '',
    person_id     BIGINT REFERENCES people(id),
    group_id      BIGINT REFERENCES org_groups(id),
    submitted_on  TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('submitted','edited','adopted','not_adopted')),
    level         TEXT NOT NULL DEFAULT '' CHECK (level IN ('','county','city','province','national')),
    adopted_on    TEXT NOT NULL DEFAULT '',
    bulletin_issue TEXT NOT NULL DEFAULT '',
    proposal_id   BIGINT REFERENCES proposals(id),
    entered_later BOOLEAN NOT NULL DEFAULT FALSE,
    entered_by    BIGINT REFERENCES users(id),
    entered_at    TIMESTAMP,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX sqmy_items_date ON sqmy_items(committee_id, submitted_on, id);
CREATE INDEX sqmy_items_person ON sqmy_items(committee_id, person_id);
CREATE UNIQUE INDEX sqmy_items_proposal ON sqmy_items(committee_id, proposal_id);

-- Leaders' written instructions (批示) on an output or a 社情民意 item (exactly one).
CREATE TABLE activity_instructions (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    output_id     BIGINT REFERENCES activity_outputs(id) ON DELETE CASCADE,
    sqmy_id       BIGINT REFERENCES sqmy_items(id) ON DELETE CASCADE,
    leader        TEXT NOT NULL,
    content       TEXT NOT NULL DEFAULT '',
    given_on      TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    CHECK ((output_id IS NULL) <> (sqmy_id IS NULL))
);
CREATE INDEX activity_instructions_output ON activity_instructions(committee_id, output_id);
CREATE INDEX activity_instructions_sqmy ON activity_instructions(committee_id, sqmy_id);

-- 跟踪问效: follow-up items on an output, tracked to closure; reminded_on is
-- the day the overdue reminder went out (once, by the daily job).
CREATE TABLE activity_followups (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    output_id     BIGINT REFERENCES activity_outputs(id) ON DELETE CASCADE,
    matter        TEXT NOT NULL,
    unit_id       BIGINT REFERENCES units(id),
    due_on        TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open','closed')),
    feedback      TEXT NOT NULL DEFAULT '',
    closed_on     TEXT NOT NULL DEFAULT '',
    reminded_on   TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX activity_followups_due ON activity_followups(committee_id, due_on, status);
CREATE INDEX activity_followups_output ON activity_followups(committee_id, output_id);

-- 大会发言.
CREATE TABLE activity_speeches (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    person_id     BIGINT REFERENCES people(id),
    speaker       TEXT NOT NULL,
    title         TEXT NOT NULL,
    mode          TEXT NOT NULL CHECK (mode IN ('written','oral')),
    adopted       BOOLEAN NOT NULL DEFAULT FALSE,
    given_on      TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX activity_speeches_date ON activity_speeches(committee_id, given_on, id);

-- 学习专栏 theory articles: collected (征集), some published in a journal issue (刊发).
CREATE TABLE activity_articles (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    person_id     BIGINT REFERENCES people(id),
    author        TEXT NOT NULL,
    title         TEXT NOT NULL,
    collected_on  TEXT NOT NULL,
    published     BOOLEAN NOT NULL DEFAULT FALSE,
    journal_issue TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX activity_articles_date ON activity_articles(committee_id, collected_on, id);

-- Publicity: TV column episodes and news articles.
CREATE TABLE activity_publicity (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    kind          TEXT NOT NULL CHECK (kind IN ('tv','article')),
    title         TEXT NOT NULL,
    outlet        TEXT NOT NULL DEFAULT '',
    published_on  TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX activity_publicity_date ON activity_publicity(committee_id, published_on, id);

-- 文史资料 volumes (辑).
CREATE TABLE activity_culture_volumes (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    title         TEXT NOT NULL,
    volume_no     INTEGER NOT NULL CHECK (volume_no > 0),
    articles      INTEGER NOT NULL DEFAULT 0 CHECK (articles >= 0),
    compiled_on   TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX activity_culture_volumes_date ON activity_culture_volumes(committee_id, compiled_on, id);

-- A member's secret calendar-feed address (iCalendar): only the token's hash
-- is kept; it opens that member's own calendar and nothing else.
CREATE TABLE activity_feed_tokens (
    user_id       BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX activity_feed_tokens_committee ON activity_feed_tokens(committee_id, user_id);

-- 民主评议 of a unit: an anonymous ballot on configurable dimensions. Votes
-- are kept only as counts per (appraisal, dimension, rating): no row holds a
-- single ballot, so nothing can lead from a ballot back to its voter. Who has
-- voted is a separate marker (one per member, no time, no rating), which
-- stops a second vote.
CREATE TABLE activity_appraisals (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    activity_id   BIGINT REFERENCES activities(id),
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    year          INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    dimensions    TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('drafted','voting','closed')),
    rectification TEXT NOT NULL DEFAULT '',
    reinspected_on TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX activity_appraisals_year ON activity_appraisals(committee_id, year, unit_id);

CREATE TABLE activity_ballot_tallies (
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    appraisal_id  BIGINT NOT NULL REFERENCES activity_appraisals(id) ON DELETE CASCADE,
    dimension     TEXT NOT NULL,
    rating        TEXT NOT NULL CHECK (rating IN ('satisfied','basic','dissatisfied')),
    votes         INTEGER NOT NULL DEFAULT 0 CHECK (votes >= 0),
    PRIMARY KEY (appraisal_id, dimension, rating)
);
CREATE INDEX activity_ballot_tallies_committee ON activity_ballot_tallies(committee_id, appraisal_id);

CREATE TABLE activity_ballot_voted (
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    appraisal_id  BIGINT NOT NULL REFERENCES activity_appraisals(id) ON DELETE CASCADE,
    person_id     BIGINT NOT NULL REFERENCES people(id),
    PRIMARY KEY (appraisal_id, person_id)
);
CREATE INDEX activity_ballot_voted_committee ON activity_ballot_voted(committee_id, appraisal_id);

-- Recurring mechanisms (学习每两周, 计划每月, 通报每季度, 推进会每半年): a schedule
-- creates each occurrence as a PLANNED activity lead_days ahead (next_on is
-- the next occurrence not yet created) and reminds staff to prepare it.
CREATE TABLE activity_schedules (
    id            INTEGER PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees(id),
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    place         TEXT NOT NULL DEFAULT '',
    starts_at     TEXT NOT NULL DEFAULT '',
    mandatory     BOOLEAN NOT NULL DEFAULT FALSE,
    every_n       INTEGER NOT NULL CHECK (every_n BETWEEN 1 AND 52),
    unit          TEXT NOT NULL CHECK (unit IN ('week','month')),
    next_on       TEXT NOT NULL,
    until_on      TEXT NOT NULL DEFAULT '',
    lead_days     INTEGER NOT NULL DEFAULT 14 CHECK (lead_days BETWEEN 0 AND 90),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX activity_schedules_next ON activity_schedules(committee_id, active, next_on);

-- +goose Down
DROP TABLE activity_schedules;
DROP TABLE activity_ballot_voted;
DROP TABLE activity_ballot_tallies;
DROP TABLE activity_appraisals;
DROP TABLE activity_feed_tokens;
DROP TABLE activity_culture_volumes;
DROP TABLE activity_publicity;
DROP TABLE activity_articles;
DROP TABLE activity_speeches;
DROP TABLE activity_followups;
DROP TABLE activity_instructions;
DROP TABLE sqmy_items;
DROP TABLE activity_outputs;
DROP TABLE activity_attendance;
DROP TABLE activities;
DROP TABLE activity_plan_items;
DROP TABLE activity_settings;
