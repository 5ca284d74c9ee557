-- +goose Up
-- Per-committee configuration of the proposal workflow, the working-day calendar
-- and the record of reminders already sent. A committee without rows uses the
-- defaults in internal/proposal/config.go.

CREATE TABLE proposal_settings (
    committee_id        BIGINT PRIMARY KEY REFERENCES committees(id),
    deadline_months     INTEGER NOT NULL DEFAULT 3 CHECK (deadline_months BETWEEN 1 AND 12),
    max_months          INTEGER NOT NULL DEFAULT 6 CHECK (max_months BETWEEN 1 AND 12),
    contact_workdays    INTEGER NOT NULL DEFAULT 15 CHECK (contact_workdays BETWEEN 1 AND 120),
    evaluation_workdays INTEGER NOT NULL DEFAULT 15 CHECK (evaluation_workdays BETWEEN 1 AND 120),
    return_workdays     INTEGER NOT NULL DEFAULT 7 CHECK (return_workdays BETWEEN 1 AND 60),
    signing_workdays    INTEGER NOT NULL DEFAULT 5 CHECK (signing_workdays BETWEEN 1 AND 60),
    remind_workdays     INTEGER NOT NULL DEFAULT 5 CHECK (remind_workdays BETWEEN 0 AND 60),
    version             INTEGER NOT NULL DEFAULT 1,
    updated_at          TIMESTAMP NOT NULL
);

-- 不予立案 reasons: the national ten plus local ones; the proposer always sees the label.
CREATE TABLE decline_reasons (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    code         TEXT NOT NULL,
    label_zh     TEXT NOT NULL,
    label_en     TEXT NOT NULL DEFAULT '',
    sort         INTEGER NOT NULL DEFAULT 0,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE (committee_id, code)
);

-- 答复类别: default A/B/C; solved marks the classes reported as 已解决和正在解决.
CREATE TABLE result_classes (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    code         TEXT NOT NULL,
    label_zh     TEXT NOT NULL,
    label_en     TEXT NOT NULL DEFAULT '',
    solved       BOOLEAN NOT NULL DEFAULT FALSE,
    follow_up    BOOLEAN NOT NULL DEFAULT FALSE,
    sort         INTEGER NOT NULL DEFAULT 0,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE (committee_id, code)
);

-- Working-day calendar overrides: holidays on weekdays, adjusted working days on weekends.
CREATE TABLE calendar_days (
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    day          TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('holiday','workday')),
    name         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (committee_id, day)
);

-- Reminders already sent, so the daily scan never sends the same one twice.
CREATE TABLE reminders_sent (
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    kind         TEXT NOT NULL,
    subject_id   BIGINT NOT NULL,
    mark         TEXT NOT NULL,
    sent_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (committee_id, kind, subject_id, mark)
);

-- +goose Down
DROP TABLE reminders_sent;
DROP TABLE calendar_days;
DROP TABLE result_classes;
DROP TABLE decline_reasons;
DROP TABLE proposal_settings;
