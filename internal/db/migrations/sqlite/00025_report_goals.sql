-- +goose Up
-- A committee's goals of a year (年度目标): the target value of a registered
-- figure (proposals to register, research activities to hold …) in the
-- figure's own unit (fen for money), set by staff and leaders and shown on
-- the dashboard against the figure's live value.
CREATE TABLE report_goals (
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    year         INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 9999),
    figure_id    TEXT NOT NULL,
    target       BIGINT NOT NULL CHECK (target > 0),
    updated_at   TIMESTAMP NOT NULL,
    updated_by   BIGINT REFERENCES users(id),
    PRIMARY KEY (committee_id, year, figure_id)
);

-- +goose Down
DROP TABLE report_goals;
