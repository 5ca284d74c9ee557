-- +goose Up
-- In-app notifications (internal/notify). River's job tables are not here:
-- River migrates them itself (db.Migrate runs rivermigrate after goose).
-- The message is stored as an i18n key plus JSON arguments and translated
-- when shown, so each reader sees it in their own language.

CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    msg_key      TEXT NOT NULL,
    args_json    TEXT NOT NULL DEFAULT '{}',
    link         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    read_at      TIMESTAMP
);
CREATE INDEX notifications_user ON notifications(committee_id, user_id, id);
CREATE INDEX notifications_unread ON notifications(committee_id, user_id) WHERE read_at IS NULL;

-- +goose Down
DROP TABLE notifications;
