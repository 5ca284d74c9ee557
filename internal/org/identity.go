package org

import (
	"context"
	"database/sql"
	"errors"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// A person may sit on several committees (a county member who is also on the
// city's committee). Each committee keeps its own people row and its own
// memberships; the rows of one person point to one identity (table
// identities), found by the keyed hash of the citizen ID number, which also
// holds the number sealed with the identity's id as associated data.
//
// Shared between the committees of one identity: the ID number, name, gender
// and birth date (gender and birth date follow from the number). Every people
// row carries a copy of them so each area reads its own committee's rows
// only; the org service keeps the copies equal (see syncShared). Owned by one
// committee and never shown to another: ethnicity, phone, email, employer,
// job title (the people row) and everything on the membership.

// sharedFields are the person fields every committee of one identity shares.
type sharedFields struct {
	Name      string `json:"name"`
	Gender    string `json:"gender" codes:"gender?"`
	BirthDate string `json:"birth_date"`
}

// holder is one committee's people row of an identity.
type holder struct {
	personID, committeeID int64
	shared                sharedFields
}

// identityOf returns the identity id of a hash, 0 when none.
func identityOf(ctx context.Context, q db.Querier, hash string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM identities WHERE id_number_hash = $1`, hash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// holders returns the people rows of an identity other than exceptPerson, in
// every committee (the one query that crosses committees: people_identity_all).
func holders(ctx context.Context, q db.Querier, identityID, exceptPerson int64) ([]holder, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, committee_id, name, gender, birth_date FROM people
		WHERE identity_id = $1 AND id <> $2 ORDER BY id`, identityID, exceptPerson)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []holder
	for rows.Next() {
		var h holder
		if err := rows.Scan(&h.personID, &h.committeeID, &h.shared.Name, &h.shared.Gender, &h.shared.BirthDate); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// attachCheck refuses to attach a person named name to the identity of hash
// when another committee holds that identity under another name: the name is
// shared, and an entry (or an import) must not silently rename a member of
// another committee. The name is corrected by editing the member, which
// changes it in every committee. The message names no one.
func attachCheck(ctx context.Context, q db.Querier, hash, name string, exceptPerson int64) ([]apperr.FieldError, error) {
	if hash == "" {
		return nil, nil
	}
	iid, err := identityOf(ctx, q, hash)
	if err != nil || iid == 0 {
		return nil, err
	}
	hs, err := holders(ctx, q, iid, exceptPerson)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		if h.shared.Name != name {
			return []apperr.FieldError{apperr.Field("name", "err.org.identity_name_differs")}, nil
		}
	}
	return nil, nil
}

// ensureIdentity returns the identity of an ID number, creating it (the
// number sealed with the new id) when no committee has registered it yet.
func (s *Service) ensureIdentity(ctx context.Context, tx *sql.Tx, hash, idNumber string) (int64, error) {
	id, err := identityOf(ctx, tx, hash)
	if err != nil || id != 0 {
		return id, err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO identities (id_number_hash, id_number_enc, created_at) VALUES ($1, $2, $3) RETURNING id`,
		hash, []byte{}, db.Now()).Scan(&id)
	if isUniqueViolation(err) { // registered at the same moment by another committee: retry the use case
		return 0, apperr.ErrConflict
	}
	if err != nil {
		return 0, err
	}
	sealed, err := s.Secret.Seal(idNumber, id)
	if err != nil {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE identities SET id_number_enc = $1 WHERE id = $2`, sealed, id)
	return id, err
}

// storedIDNumber opens the ID number of a person ("" when none is registered
// or no key is configured).
func (s *Service) storedIDNumber(ctx context.Context, q db.Querier, personID int64) (string, error) {
	iid, sealed, err := sealedIDNumber(ctx, q, personID)
	if err != nil || iid == 0 || s.Secret == nil {
		return "", err
	}
	return s.Secret.Open(sealed, iid)
}

// sealedIDNumber returns a person's identity id and sealed number (0 when none).
func sealedIDNumber(ctx context.Context, q db.Querier, personID int64) (int64, []byte, error) {
	var iid int64
	var sealed []byte
	err := q.QueryRowContext(ctx, `SELECT i.id, i.id_number_enc FROM people p JOIN identities i ON i.id = p.identity_id
		WHERE p.id = $1`, personID).Scan(&iid, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, nil
	}
	return iid, sealed, err
}

// syncShared copies the shared fields of a person onto the people rows of
// the same identity in the other committees, auditing each change in the
// committee whose row changed (entity "person", action "update_shared"), so
// every committee's chain shows who changed its copy.
func syncShared(ctx context.Context, tx *sql.Tx, actor *auth.Actor, personID int64, f sharedFields) error {
	iid, err := currentIdentity(ctx, tx, personID)
	if err != nil || iid == 0 {
		return err
	}
	hs, err := holders(ctx, tx, iid, personID)
	if err != nil {
		return err
	}
	for _, h := range hs {
		if h.shared == f {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE people SET name = $1, gender = $2, birth_date = $3, updated_at = $4
			WHERE id = $5 AND committee_id = $6`, f.Name, f.Gender, f.BirthDate, db.Now(), h.personID, h.committeeID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, actor, h.committeeID, "update_shared", "person", h.personID, h.shared, f); err != nil {
			return err
		}
	}
	return nil
}

// currentIdentity returns the identity a person points to (0 for none).
func currentIdentity(ctx context.Context, q db.Querier, personID int64) (int64, error) {
	var iid sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT identity_id FROM people WHERE id = $1`, personID).Scan(&iid)
	return iid.Int64, err
}

// relinkCheck applies attachCheck when an edit gives a person the ID number of
// another identity; keeping the same number needs no check (its name is
// changed everywhere instead).
func (s *Service) relinkCheck(ctx context.Context, q db.Querier, personID int64, hash, name string) ([]apperr.FieldError, error) {
	if hash == "" {
		return nil, nil
	}
	cur, err := currentIdentity(ctx, q, personID)
	if err != nil {
		return nil, err
	}
	iid, err := identityOf(ctx, q, hash)
	if err != nil || (iid != 0 && iid == cur) {
		return nil, err
	}
	return attachCheck(ctx, q, hash, name, personID)
}

// relink points a person at the identity of idNumber (created if new) and
// deletes the identity it leaves if no committee holds it any more, so no
// sealed number outlives every person that had it.
func (s *Service) relink(ctx context.Context, tx *sql.Tx, personID int64, hash, idNumber string) error {
	old, err := currentIdentity(ctx, tx, personID)
	if err != nil {
		return err
	}
	iid, err := s.ensureIdentity(ctx, tx, hash, idNumber)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE people SET identity_id = $1, id_number_mask = $2 WHERE id = $3`,
		iid, MaskIDNumber(idNumber), personID); err != nil {
		return err
	}
	if old == 0 || old == iid {
		return nil
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM identities WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM people WHERE identity_id = $1)`, old)
	return err
}
