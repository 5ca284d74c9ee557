package report

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/i18n"
)

// Limits of the staff's input.
const (
	MaxTitle = 200
	MaxText  = 20000 // characters of one prose text
)

// visible is the one visibility rule of a report: the reader's own committee
// (a report of any other committee is not found), PermRead, and a draft only
// for those who edit (PermEdit).
func visible(a *auth.Actor, r *Report) bool {
	if a == nil || r.CommitteeID != a.CommitteeID || !auth.Can(a, PermRead) {
		return false
	}
	return r.State == Final || auth.Can(a, PermEdit)
}

// visibleSQL is visible as a condition over reports r, for lists.
func visibleSQL(a *auth.Actor, args *db.Args) string {
	cond := `r.committee_id = ` + args.Add(a.CommitteeID)
	if !auth.Can(a, PermEdit) {
		cond += ` AND r.state = 'final'`
	}
	return cond
}

// CreateInput is a new report.
type CreateInput struct {
	Year  int
	Title string // "" for the default title of the year
}

// Create starts the annual report of a year for the actor's committee.
func (s *Service) Create(ctx context.Context, actor *auth.Actor, in CreateInput) (*Report, error) {
	in.Title = strings.TrimSpace(in.Title)
	var fs []apperr.FieldError
	today := s.Today()
	if in.Year < 1949 || in.Year > today.Year {
		fs = append(fs, apperr.Field("year", "err.report.year_range", map[string]any{"Max": today.Year}))
	}
	if utf8.RuneCountInString(in.Title) > MaxTitle {
		fs = append(fs, apperr.Field("title", "err.report.too_long", map[string]any{"Max": MaxTitle}))
	}
	if len(fs) > 0 {
		return nil, apperr.Fields(fs...)
	}
	if in.Title == "" {
		in.Title = i18n.T("zh", "report.default_title", map[string]any{"Year": in.Year})
	}
	var out *Report
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermEdit, actor.CommitteeID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM reports WHERE committee_id = $1 AND kind = $2 AND year = $3`,
			actor.CommitteeID, KindAnnual, in.Year).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.Fields(apperr.Field("year", "err.report.year_exists", map[string]any{"Year": in.Year}))
		}
		now := db.Now()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO reports (committee_id, kind, year, title, state, created_at, updated_at)
			VALUES ($1, $2, $3, $4, 'draft', $5, $5) RETURNING id`, actor.CommitteeID, KindAnnual, in.Year, in.Title, now).Scan(&id); err != nil {
			return err
		}
		r, err := load(ctx, tx, actor.CommitteeID, id, "")
		if err != nil {
			return err
		}
		out = r
		return audit.Record(ctx, tx, actor, r.CommitteeID, "create", "report", r.ID, nil, auditView(r))
	})
	return out, err
}

// auditView is what the audit log keeps of a report.
func auditView(r *Report) map[string]any {
	return map[string]any{"year": r.Year, "title": r.Title, "state": r.State, "texts": r.Texts}
}

// List returns the reports of the actor's committee it may read, newest year first.
func (s *Service) List(ctx context.Context, actor *auth.Actor) ([]*Report, error) {
	var out []*Report
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermRead, actor.CommitteeID); err != nil {
			return err
		}
		var a db.Args
		var err error
		out, err = db.Query(ctx, tx, scanReport, `SELECT `+reportCols+` FROM reports r WHERE `+visibleSQL(actor, &a)+
			` ORDER BY r.year DESC, r.id DESC`, a...)
		return err
	})
	return out, err
}

// Get returns a report the actor may read (any other: not found).
func (s *Service) Get(ctx context.Context, actor *auth.Actor, id int64) (*Report, error) {
	var out *Report
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.get(ctx, tx, actor, id, "")
		return err
	})
	return out, err
}

// get loads a report and applies the visibility rule.
func (s *Service) get(ctx context.Context, q db.Querier, actor *auth.Actor, id int64, lock string) (*Report, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	r, err := load(ctx, q, actor.CommitteeID, id, lock)
	if err != nil {
		return nil, err
	}
	if !visible(actor, r) {
		return nil, apperr.ErrNotFound
	}
	return r, nil
}

// Can lists what the actor may do with the report now: "edit", "finalise".
func Can(actor *auth.Actor, r *Report) []string {
	if !visible(actor, r) || !auth.Can(actor, PermEdit) || r.IsFinal() {
		return nil
	}
	return []string{"edit", "finalise"}
}

// editable loads the report for a change: visible, PermEdit, a draft at the
// version the editor read (0 skips the check).
func (s *Service) editable(ctx context.Context, tx *sql.Tx, actor *auth.Actor, id int64, version int) (*Report, error) {
	r, err := s.get(ctx, tx, actor, id, s.DB.ForUpdate())
	if err != nil {
		return nil, err
	}
	if _, err := auth.CheckScope(ctx, tx, actor, PermEdit, r.CommitteeID); err != nil {
		return nil, err
	}
	if r.IsFinal() {
		return nil, apperr.New(apperr.Conflict, "err.report.final")
	}
	if version != 0 && version != r.Version {
		return nil, apperr.ErrConflict
	}
	return r, nil
}

// TextsInput is the staff's prose: TextKey(section, place) → text; a key
// absent keeps its text, an empty text removes it.
type TextsInput struct {
	Version int
	Title   string // "" keeps the title
	Texts   map[string]string
}

// validTextKey reports whether key names a place of prose.
func validTextKey(key string) bool {
	section, place, ok := strings.Cut(key, "/")
	if !ok || (place != Before && place != After) {
		return false
	}
	if section == Preamble {
		return place == Before
	}
	_, ok = SectionByID(section)
	return ok
}

// SaveTexts writes the staff's prose of a draft.
func (s *Service) SaveTexts(ctx context.Context, actor *auth.Actor, id int64, in TextsInput) (*Report, error) {
	in.Title = strings.TrimSpace(in.Title)
	var fs []apperr.FieldError
	if utf8.RuneCountInString(in.Title) > MaxTitle {
		fs = append(fs, apperr.Field("title", "err.report.too_long", map[string]any{"Max": MaxTitle}))
	}
	for k, v := range in.Texts {
		switch {
		case !validTextKey(k):
			fs = append(fs, apperr.Field(k, "err.report.no_such_text"))
		case utf8.RuneCountInString(v) > MaxText:
			fs = append(fs, apperr.Field(k, "err.report.too_long", map[string]any{"Max": MaxText}))
		}
	}
	if len(fs) > 0 {
		return nil, apperr.Fields(fs...)
	}
	var out *Report
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := s.editable(ctx, tx, actor, id, in.Version)
		if err != nil {
			return err
		}
		before := auditView(r)
		for k, v := range in.Texts {
			section, place, _ := strings.Cut(k, "/")
			v = strings.TrimSpace(strings.ReplaceAll(v, "\r\n", "\n"))
			if _, err := tx.ExecContext(ctx, `DELETE FROM report_texts WHERE committee_id = $1 AND report_id = $2
				AND section = $3 AND place = $4`, r.CommitteeID, r.ID, section, place); err != nil {
				return err
			}
			if v == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO report_texts (committee_id, report_id, section, place, body)
				VALUES ($1, $2, $3, $4, $5)`, r.CommitteeID, r.ID, section, place, v); err != nil {
				return err
			}
		}
		title := r.Title
		if in.Title != "" {
			title = in.Title
		}
		if err := db.ExecVersioned(ctx, tx, `UPDATE reports SET title = $1, updated_at = $2, version = version + 1
			WHERE id = $3 AND version = $4`, title, db.Now(), r.ID, r.Version); err != nil {
			return err
		}
		if out, err = load(ctx, tx, r.CommitteeID, r.ID, ""); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, r.CommitteeID, "update_texts", "report", r.ID, before, auditView(out))
	})
	return out, err
}

// Finalise freezes a draft: its figures' values, the date and the records
// each counted. The figures are computed before the write transaction (the
// areas' sources read and refresh their derived rows in their own
// transactions); the write checks the report is still the draft at the
// version read, so a concurrent edit is a conflict rather than lost.
func (s *Service) Finalise(ctx context.Context, actor *auth.Actor, id int64, version int) (*Report, error) {
	r, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !auth.Can(actor, PermEdit) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	if r.IsFinal() {
		return nil, apperr.New(apperr.Conflict, "err.report.final")
	}
	if version == 0 {
		version = r.Version
	}
	doc, err := s.build(ctx, actor, r, "zh")
	if err != nil {
		return nil, err
	}
	snap, err := s.collect(ctx, actor, r, doc)
	if err != nil {
		return nil, err
	}
	var out *Report
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := s.editable(ctx, tx, actor, id, version)
		if err != nil {
			return err
		}
		if err := writeSnapshot(ctx, tx, cur, snap); err != nil {
			return err
		}
		sections, err := json.Marshal(doc.SectionIDs())
		if err != nil {
			return err
		}
		now := db.Now()
		if err := db.ExecVersioned(ctx, tx, `UPDATE reports SET state = 'final', sections = $1, final_on = $2, final_at = $3,
			final_by = $4, updated_at = $3, version = version + 1 WHERE id = $5 AND version = $6`,
			string(sections), s.Today().String(), now, nullID(actor.UserID), cur.ID, cur.Version); err != nil {
			return err
		}
		if out, err = load(ctx, tx, cur.CommitteeID, cur.ID, ""); err != nil {
			return err
		}
		values := map[string]int64{}
		for _, f := range snap.Figures {
			values[f.ID] = f.Value.Value
		}
		return audit.Record(ctx, tx, actor, cur.CommitteeID, "finalise", "report", cur.ID, auditView(cur),
			map[string]any{"state": out.State, "final_on": out.FinalOn, "sections": out.Sections, "figures": values})
	})
	return out, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
