-- +goose Up
-- A person across committees (issue 6, item 8). One person may sit on several
-- committees (a county member who is also on the city's committee). Each
-- committee keeps its own people row (its copy of the shared fields and the
-- fields it entered) and its memberships, all keyed by committee_id; the rows
-- of one person point to one identity, found by the keyed hash of the citizen
-- ID number. The identity holds nothing readable without LVZHI_KEY: the hash
-- and the sealed number (AES-GCM, bound to the identity's id).
CREATE TABLE identities (
    id             INTEGER PRIMARY KEY,
    id_number_hash TEXT NOT NULL,
    id_number_enc  BLOB NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX identities_id_number ON identities(id_number_hash);

ALTER TABLE people ADD COLUMN identity_id BIGINT REFERENCES identities(id);

-- Existing numbers: one identity per hash, taking the id of the first people
-- row with that hash, so its sealed number (bound to that row's id) still opens.
-- (Hand-written twin: PostgreSQL also moves the identity sequence past these ids;
-- SQLite's INTEGER PRIMARY KEY continues after the largest id by itself.)
INSERT INTO identities (id, id_number_hash, id_number_enc, created_at)
SELECT p.id, p.id_number_hash, p.id_number_enc, p.created_at FROM people p
WHERE p.id_number_enc IS NOT NULL AND p.id = (SELECT MIN(q.id) FROM people q
    WHERE q.id_number_hash = p.id_number_hash AND q.id_number_enc IS NOT NULL);
UPDATE people SET identity_id = (SELECT i.id FROM identities i WHERE i.id_number_hash = people.id_number_hash)
WHERE id_number_hash IS NOT NULL;

DROP INDEX people_id_number;
ALTER TABLE people DROP COLUMN id_number_hash;
ALTER TABLE people DROP COLUMN id_number_enc;
-- An ID number is still unique within a committee.
CREATE UNIQUE INDEX people_identity ON people(committee_id, identity_id);
-- The rows of one identity in every committee, to keep the shared fields equal.
CREATE INDEX people_identity_all ON people(identity_id);

-- +goose Down
-- Lossy: a row whose id is not its identity's id gets the hash back but not
-- the sealed number (it was bound to the identity's id); re-enter or re-import it.
ALTER TABLE people ADD COLUMN id_number_enc BLOB;
ALTER TABLE people ADD COLUMN id_number_hash TEXT;
UPDATE people SET id_number_hash = (SELECT i.id_number_hash FROM identities i WHERE i.id = people.identity_id),
    id_number_enc = (SELECT i.id_number_enc FROM identities i WHERE i.id = people.identity_id AND i.id = people.id)
WHERE identity_id IS NOT NULL;
DROP INDEX people_identity_all;
DROP INDEX people_identity;
ALTER TABLE people DROP COLUMN identity_id;
DROP TABLE identities;
CREATE UNIQUE INDEX people_id_number ON people(committee_id, id_number_hash);
