-- +goose Up
-- Organisation: optimistic locking on the editable org records, and indexes
-- that lead with committee_id for the member list's filters and search.

-- An ID number is unique within a committee. The same person sitting on a
-- county and a prefectural committee has one person record in each (each
-- committee owns its data); the keyed hash is the same in both, so roll-ups
-- can still recognise the person.
DROP INDEX people_id_number;
CREATE UNIQUE INDEX people_id_number ON people(committee_id, id_number_hash);
CREATE INDEX people_phone ON people(committee_id, phone);
-- The masked ID number (5303**********123X) shown in lists, so lists never decrypt.
ALTER TABLE people ADD COLUMN id_number_mask TEXT NOT NULL DEFAULT '';

ALTER TABLE terms ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE plenary_sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sectors ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE org_groups ADD COLUMN sort INTEGER NOT NULL DEFAULT 0;
ALTER TABLE org_groups ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE units ADD COLUMN updated_at TIMESTAMP;

CREATE INDEX memberships_term ON memberships(committee_id, term_id, id);
CREATE INDEX memberships_committee ON memberships(committee_id, id);
CREATE INDEX membership_groups_membership ON membership_groups(membership_id);
CREATE INDEX plenary_sessions_term ON plenary_sessions(committee_id, term_id);

-- +goose Down
DROP INDEX plenary_sessions_term;
DROP INDEX membership_groups_membership;
DROP INDEX memberships_committee;
DROP INDEX memberships_term;
ALTER TABLE units DROP COLUMN updated_at;
ALTER TABLE org_groups DROP COLUMN version;
ALTER TABLE org_groups DROP COLUMN sort;
ALTER TABLE sectors DROP COLUMN version;
ALTER TABLE plenary_sessions DROP COLUMN version;
ALTER TABLE terms DROP COLUMN version;
ALTER TABLE people DROP COLUMN id_number_mask;
DROP INDEX people_phone;
DROP INDEX people_id_number;
CREATE UNIQUE INDEX people_id_number ON people(id_number_hash);
