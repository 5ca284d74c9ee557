package assist

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/proposal"
)

// Evidence of an assistance record: photos and documents kept with it, under
// the proposal attachments' rules (the one definition of what a file may
// be): accepted by what the bytes are (proposal.SniffType), whatever name or
// type the browser claimed, at most proposal.MaxAttachment each.

// MaxEvidence is the size cap of one file; MaxEvidenceFiles the files per record.
const (
	MaxEvidence      = proposal.MaxAttachment
	MaxEvidenceFiles = 10
)

// EvidenceFile is one file of a record's evidence (without its content).
type EvidenceFile struct {
	ID          int64     `json:"id"`
	RecordID    int64     `json:"record_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	CreatedAt   time.Time `json:"created_at"`
}

// mayAttach decides who may add or remove a record's evidence: officers of
// the record's committee at any time; a member named on the record while it
// is not yet verified (an officer verifies what the evidence shows).
func (s *Service) mayAttach(ctx context.Context, tx *sql.Tx, actor *auth.Actor, r Record) error {
	if r.CommitteeID != actor.CommitteeID {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	if auth.Can(actor, PermManage) {
		_, err := auth.CheckScope(ctx, tx, actor, PermManage, r.CommitteeID)
		return err
	}
	if !auth.Can(actor, PermRecord) || actor.PersonID == 0 {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	mid, err := membershipOf(ctx, tx, actor)
	if err != nil {
		return err
	}
	if !slices.Contains(r.Members, mid) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	if r.Verified {
		return apperr.New(apperr.Conflict, "err.assist.already_verified")
	}
	return nil
}

// AddEvidence stores a file with a record the actor may read and attach to,
// audited. The type is taken from the bytes; other kinds are refused.
func (s *Service) AddEvidence(ctx context.Context, actor *auth.Actor, recordID int64, name string, data []byte) (EvidenceFile, error) {
	var out EvidenceFile
	if name = strings.TrimSpace(name); name == "" {
		return out, apperr.Fields(apperr.Field("file", "err.assist.required"))
	}
	if len(data) > MaxEvidence {
		args := map[string]any{"MaxMiB": MaxEvidence >> 20}
		e := apperr.New(apperr.TooLarge, "err.proposal.attachment_too_large", args)
		e.Fields = []apperr.FieldError{apperr.Field("file", "err.proposal.attachment_too_large", args)}
		return out, e
	}
	ctype, ok := proposal.SniffType(data)
	if !ok || len(data) == 0 {
		return out, apperr.Fields(apperr.Field("file", "err.proposal.attachment_type"))
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := s.recordFor(ctx, tx, actor, recordID)
		if err != nil {
			return err
		}
		if err := s.mayAttach(ctx, tx, actor, r); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_record_files WHERE record_id = $1`, recordID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxEvidenceFiles {
			return apperr.Fields(apperr.Field("file", "err.proposal.too_many", map[string]any{"Max": MaxEvidenceFiles}))
		}
		out = EvidenceFile{RecordID: recordID, Name: name, ContentType: ctype, Size: int64(len(data)), CreatedAt: db.Now()}
		if err := tx.QueryRowContext(ctx, `INSERT INTO assist_record_files (committee_id, record_id, name, content_type, size, content,
			uploaded_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`, r.CommitteeID, recordID, name, ctype, out.Size, data,
			userRef(actor), out.CreatedAt).Scan(&out.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, r.CommitteeID, "attach", "assist_record_file", out.ID, nil, out)
	})
	return out, err
}

// RemoveEvidence deletes a file of a record (same rule as adding), audited.
func (s *Service) RemoveEvidence(ctx context.Context, actor *auth.Actor, recordID, fileID int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := s.recordFor(ctx, tx, actor, recordID)
		if err != nil {
			return err
		}
		f, err := evidenceFile(ctx, tx, recordID, fileID)
		if err != nil {
			return err
		}
		if err := s.mayAttach(ctx, tx, actor, r); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM assist_record_files WHERE id = $1`, fileID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, r.CommitteeID, "detach", "assist_record_file", fileID, f, nil)
	})
}

// Evidence lists a record's files for a reader of the record, and whether
// the reader may add or remove files now.
func (s *Service) Evidence(ctx context.Context, actor *auth.Actor, recordID int64) ([]EvidenceFile, bool, error) {
	var out []EvidenceFile
	var can bool
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		r, err := s.recordFor(ctx, tx, actor, recordID)
		if err != nil {
			return err
		}
		if err := s.mayAttach(ctx, tx, actor, r); err == nil {
			can = true
		} else if apperr.As(err) == nil {
			return err
		}
		out, err = db.Query(ctx, tx, scanEvidence, `SELECT id, record_id, name, content_type, size, created_at FROM assist_record_files
			WHERE record_id = $1 ORDER BY id`, recordID)
		return err
	})
	return out, can, err
}

// EvidenceContent returns a file of a record the actor may read.
func (s *Service) EvidenceContent(ctx context.Context, actor *auth.Actor, recordID, fileID int64) (EvidenceFile, []byte, error) {
	var f EvidenceFile
	var data []byte
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.recordFor(ctx, tx, actor, recordID); err != nil {
			return err
		}
		var err error
		if f, err = evidenceFile(ctx, tx, recordID, fileID); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT content FROM assist_record_files WHERE id = $1`, fileID).Scan(&data)
	})
	return f, data, err
}

func evidenceFile(ctx context.Context, q db.Querier, recordID, fileID int64) (EvidenceFile, error) {
	f, err := scanEvidence(q.QueryRowContext(ctx, `SELECT id, record_id, name, content_type, size, created_at FROM assist_record_files
		WHERE id = $1 AND record_id = $2`, fileID, recordID))
	if errors.Is(err, sql.ErrNoRows) {
		return f, apperr.ErrNotFound
	}
	return f, err
}

func scanEvidence(sc db.Scanner) (EvidenceFile, error) {
	var f EvidenceFile
	var at db.Time
	err := sc.Scan(&f.ID, &f.RecordID, &f.Name, &f.ContentType, &f.Size, &at)
	f.CreatedAt = at.Time
	return f, err
}
