package report

import (
	"context"
	"database/sql"
	"errors"

	"lvzhi/internal/apperr"
	"lvzhi/internal/db"
)

// The public site's reports, without login: a finalised report is the
// committee's published statement, so its frozen figures and its generated
// sentences are public. Nothing else is: not the staff's prose (free text
// that may name people), not drafts, and never the records behind a figure.

// PublicReport is a finalised report in the public list.
type PublicReport struct {
	ID        int64  `json:"id"`
	Committee string `json:"committee"`
	Year      int    `json:"year"`
	Title     string `json:"title"`
	FinalOn   string `json:"final_on"`
}

// PublicReports lists the finalised reports, of one committee (0: every
// committee), newest year first.
func (s *Service) PublicReports(ctx context.Context, committeeID int64) ([]PublicReport, error) {
	var a db.Args
	where := `r.state = 'final'`
	if committeeID != 0 {
		where += ` AND r.committee_id = ` + a.Add(committeeID)
	}
	var out []PublicReport
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = db.Query(ctx, tx, func(sc db.Scanner) (PublicReport, error) {
			var p PublicReport
			return p, sc.Scan(&p.ID, &p.Committee, &p.Year, &p.Title, &p.FinalOn)
		}, `SELECT r.id, c.name, r.year, r.title, r.final_on FROM reports r JOIN committees c ON c.id = r.committee_id
			WHERE `+where+` ORDER BY r.year DESC, c.code, r.id LIMIT 1000`, a...)
		return err
	})
	return out, err
}

// PublicDocument is a finalised report as the public reads it: its frozen
// sentences, without the staff's prose; a draft or unknown id is not found.
func (s *Service) PublicDocument(ctx context.Context, id int64, lang string) (*Document, error) {
	var r *Report
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		var cid int64
		err := tx.QueryRowContext(ctx, `SELECT committee_id FROM reports WHERE id = $1 AND state = 'final'`, id).Scan(&cid)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		r, err = load(ctx, tx, cid, id, "")
		return err
	})
	if err != nil {
		return nil, err
	}
	r.Texts = map[string]string{} // the prose is not published
	return s.build(ctx, nil, r, lang)
}
