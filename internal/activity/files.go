package activity

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/proposal"
)

// Files of an output (the 调研报告 or 协商意见 document itself). They follow
// the proposal attachments' rules, by the same code: the type is what the
// bytes are (proposal.SniffType: PDF, office documents, images; anything else
// refused), at most proposal.MaxAttachment bytes each and MaxOutputFiles per
// output. Staff add and remove them; the committee's readers open them.

// MaxOutputFiles bounds the files of one output.
const MaxOutputFiles = 10

// File describes a stored file; its bytes come from OutputFileContent.
type File struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	ContentType string  `json:"content_type"`
	Size        int64   `json:"size"`
	CreatedAt   db.Time `json:"created_at"`
}

func listOutputFiles(ctx context.Context, q db.Querier, outputID int64) ([]File, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (File, error) {
		var f File
		err := sc.Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &f.CreatedAt)
		return f, err
	}, `SELECT id, name, content_type, size, created_at FROM activity_output_files WHERE output_id = $1 ORDER BY id`, outputID)
}

// CheckFile applies the attachment rules to an upload: a name, the size cap
// and an accepted type by content. It returns the type the bytes are.
func CheckFile(name string, data []byte) (string, error) {
	if strings.TrimSpace(name) == "" {
		return "", apperr.Fields(apperr.Field("file", "err.activity.required"))
	}
	if len(data) > proposal.MaxAttachment {
		args := map[string]any{"MaxMiB": proposal.MaxAttachment >> 20}
		e := apperr.New(apperr.TooLarge, "err.activity.file_too_large", args)
		e.Fields = []apperr.FieldError{apperr.Field("file", "err.activity.file_too_large", args)}
		return "", e
	}
	ct, ok := proposal.SniffType(data)
	if !ok {
		return "", apperr.Fields(apperr.Field("file", "err.activity.file_type"))
	}
	return ct, nil
}

// AddOutputFile stores a file with an output (staff of its committee).
func (s *Service) AddOutputFile(ctx context.Context, actor *auth.Actor, outputID int64, name string, data []byte) (*File, error) {
	name = strings.TrimSpace(name)
	ct, err := CheckFile(name, data)
	if err != nil {
		return nil, err
	}
	c, err := committeeOf(ctx, s.DB, "activity_outputs", outputID)
	if err != nil {
		return nil, err
	}
	var out *File
	err = s.write(ctx, actor, c, PermManage, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM activity_output_files WHERE output_id = $1`, outputID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxOutputFiles {
			return apperr.Fields(apperr.Field("file", "err.activity.too_many_files", map[string]any{"Max": MaxOutputFiles}))
		}
		f := File{Name: name, ContentType: ct, Size: int64(len(data)), CreatedAt: db.Time{Time: db.Now()}}
		if err := tx.QueryRowContext(ctx, `INSERT INTO activity_output_files (committee_id, output_id, name, content_type, size, content,
			uploaded_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
			c, outputID, f.Name, f.ContentType, f.Size, data, nullID(actor.UserID), f.CreatedAt).Scan(&f.ID); err != nil {
			return err
		}
		out = &f
		return recordChange(ctx, tx, actor, c, "activity.output_attach", EntityOutput, outputID, nil, f)
	})
	return out, err
}

// RemoveOutputFile deletes a file of an output (staff of its committee).
func (s *Service) RemoveOutputFile(ctx context.Context, actor *auth.Actor, outputID, fileID int64) error {
	c, err := committeeOf(ctx, s.DB, "activity_outputs", outputID)
	if err != nil {
		return err
	}
	return s.write(ctx, actor, c, PermManage, func(tx *sql.Tx) error {
		var f File
		err := tx.QueryRowContext(ctx, `SELECT id, name, content_type, size, created_at FROM activity_output_files WHERE id = $1 AND output_id = $2`,
			fileID, outputID).Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &f.CreatedAt)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM activity_output_files WHERE id = $1`, f.ID); err != nil {
			return err
		}
		return recordChange(ctx, tx, actor, c, "activity.output_detach", EntityOutput, outputID, f, nil)
	})
}

// OutputFileContent returns a file of an output the actor may read.
func (s *Service) OutputFileContent(ctx context.Context, actor *auth.Actor, outputID, fileID int64) (*File, []byte, error) {
	var f File
	var data []byte
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		c, err := committeeOf(ctx, tx, "activity_outputs", outputID)
		if err != nil {
			return err
		}
		if _, err := auth.CheckScope(ctx, tx, actor, PermView, c); err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT id, name, content_type, size, content, created_at FROM activity_output_files
			WHERE id = $1 AND output_id = $2`, fileID, outputID).Scan(&f.ID, &f.Name, &f.ContentType, &f.Size, &data, &f.CreatedAt)
		return errNoRows(err)
	})
	if err != nil {
		return nil, nil, err
	}
	return &f, data, nil
}
