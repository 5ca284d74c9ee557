package org

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Term is a 届 of a committee (usually five years).
type Term struct {
	ID          int64  `json:"id"`
	CommitteeID int64  `json:"committee_id"`
	Number      int    `json:"number"` // 9 for 第九届
	Name        string `json:"name"`   // "第九届"
	StartsOn    string `json:"starts_on"`
	EndsOn      string `json:"ends_on"`
	Version     int    `json:"version"`
}

// TermInput creates or edits a term; Name defaults to 第N届.
type TermInput struct {
	Number   int
	Name     string
	StartsOn string
	EndsOn   string
	Version  int // for updates
}

// Session is a plenary session (次会议) of a term, with the window in which
// proposals count as 大会提案 (submit_from..submit_to, inclusive).
type Session struct {
	ID          int64  `json:"id"`
	CommitteeID int64  `json:"committee_id"`
	TermID      int64  `json:"term_id"`
	Number      int    `json:"number"`
	Name        string `json:"name"` // "九届二次"
	Year        int    `json:"year"`
	OpensOn     string `json:"opens_on"`
	ClosesOn    string `json:"closes_on"`
	SubmitFrom  string `json:"submit_from"`
	SubmitTo    string `json:"submit_to"`
	Version     int    `json:"version"`
}

// SessionInput creates or edits a session; Name defaults to "<term>届<n>次" in Chinese numerals.
type SessionInput struct {
	TermID     int64
	Number     int
	Name       string
	Year       int
	OpensOn    string
	ClosesOn   string
	SubmitFrom string
	SubmitTo   string
	Version    int
}

var cnDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// ChineseNumber writes 1..99 in Chinese numerals (9 → 九, 12 → 十二, 20 → 二十).
func ChineseNumber(n int) string {
	switch {
	case n < 0 || n > 99:
		return ""
	case n < 10:
		return cnDigits[n]
	case n < 20:
		return "十" + strings.TrimPrefix(cnDigits[n%10], "零")
	default:
		s := cnDigits[n/10] + "十"
		if n%10 != 0 {
			s += cnDigits[n%10]
		}
		return s
	}
}

func (in *TermInput) validate() error {
	trim(&in.Name, &in.StartsOn, &in.EndsOn)
	if in.Name == "" && in.Number > 0 {
		in.Name = "第" + ChineseNumber(in.Number) + "届"
	}
	var fs []apperr.FieldError
	if in.Number < 1 || in.Number > 99 {
		fs = append(fs, apperr.Field("number", "err.org.number_invalid"))
	}
	fs = required(fs, "starts_on", in.StartsOn)
	for _, f := range [][2]string{{"starts_on", in.StartsOn}, {"ends_on", in.EndsOn}} {
		if !validDate(f[1]) {
			fs = append(fs, apperr.Field(f[0], "err.org.date_invalid"))
		}
	}
	if in.EndsOn != "" && in.StartsOn != "" && in.EndsOn < in.StartsOn {
		fs = append(fs, apperr.Field("ends_on", "err.org.ends_before_start"))
	}
	return fieldsErr(fs)
}

// CreateTerm adds a term to the actor's committee (admins).
func (s *Service) CreateTerm(ctx context.Context, actor *auth.Actor, committeeID int64, in TermInput) (Term, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ManageCommittee, committeeID); err != nil {
		return Term{}, err
	}
	if err := in.validate(); err != nil {
		return Term{}, err
	}
	t := Term{CommitteeID: committeeID, Number: in.Number, Name: in.Name, StartsOn: in.StartsOn, EndsOn: in.EndsOn, Version: 1}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO terms (committee_id, number, name, starts_on, ends_on) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
			committeeID, t.Number, t.Name, t.StartsOn, t.EndsOn).Scan(&t.ID)
		if isUniqueViolation(err) {
			return apperr.Fields(apperr.Field("number", "err.org.term_exists"))
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, committeeID, "create", "term", t.ID, nil, t)
	})
	return t, err
}

// UpdateTerm edits a term (optimistic locking on Version).
func (s *Service) UpdateTerm(ctx context.Context, actor *auth.Actor, committeeID, id int64, in TermInput) (Term, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ManageCommittee, committeeID); err != nil {
		return Term{}, err
	}
	if err := in.validate(); err != nil {
		return Term{}, err
	}
	var after Term
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := getTerm(ctx, tx, committeeID, id)
		if err != nil {
			return err
		}
		err = db.ExecVersioned(ctx, tx, `UPDATE terms SET number=$1, name=$2, starts_on=$3, ends_on=$4, version=version+1
			WHERE id=$5 AND committee_id=$6 AND version=$7`, in.Number, in.Name, in.StartsOn, in.EndsOn, id, committeeID, in.Version)
		if isUniqueViolation(err) {
			return apperr.Fields(apperr.Field("number", "err.org.term_exists"))
		}
		if err != nil {
			return err
		}
		after = Term{ID: id, CommitteeID: committeeID, Number: in.Number, Name: in.Name, StartsOn: in.StartsOn, EndsOn: in.EndsOn, Version: before.Version + 1}
		return audit.Record(ctx, tx, actor, committeeID, "update", "term", id, before, after)
	})
	return after, err
}

const termCols = `id, committee_id, number, name, starts_on, ends_on, version`

func scanTerm(sc interface{ Scan(...any) error }) (Term, error) {
	var t Term
	err := sc.Scan(&t.ID, &t.CommitteeID, &t.Number, &t.Name, &t.StartsOn, &t.EndsOn, &t.Version)
	return t, err
}

func getTerm(ctx context.Context, q db.Querier, committeeID, id int64) (Term, error) {
	t, err := scanTerm(q.QueryRowContext(ctx, `SELECT `+termCols+` FROM terms WHERE id = $1 AND committee_id = $2`, id, committeeID))
	if errors.Is(err, sql.ErrNoRows) {
		return t, apperr.ErrNotFound
	}
	return t, err
}

// Terms lists a committee's terms, newest first.
func (s *Service) Terms(ctx context.Context, actor *auth.Actor, committeeID int64) ([]Term, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ViewOrg, committeeID); err != nil {
		return nil, err
	}
	return listTerms(ctx, s.DB, committeeID)
}

func listTerms(ctx context.Context, q db.Querier, committeeID int64) ([]Term, error) {
	return db.Query(ctx, q, scanTerm, `SELECT `+termCols+` FROM terms WHERE committee_id = $1 ORDER BY number DESC`, committeeID)
}

// CurrentTerm returns the committee's newest term, or ErrNotFound when it has none.
// It needs no permission beyond seeing the committee (members' pages use it too).
func (s *Service) CurrentTerm(ctx context.Context, actor *auth.Actor, committeeID int64) (Term, error) {
	sc, err := auth.LoadScope(ctx, s.DB, committeeID)
	if err != nil {
		return Term{}, err
	}
	if !auth.Sees(actor, sc) {
		return Term{}, apperr.ErrNotFound
	}
	return currentTerm(ctx, s.DB, committeeID)
}

func currentTerm(ctx context.Context, q db.Querier, committeeID int64) (Term, error) {
	t, err := scanTerm(q.QueryRowContext(ctx, `SELECT `+termCols+` FROM terms WHERE committee_id = $1 ORDER BY number DESC LIMIT 1`, committeeID))
	if errors.Is(err, sql.ErrNoRows) {
		return t, apperr.ErrNotFound
	}
	return t, err
}

// currentTermSQL is a scalar subquery for the newest term id of the committee column col.
func currentTermSQL(col string) string {
	return `(SELECT t.id FROM terms t WHERE t.committee_id = ` + col + ` ORDER BY t.number DESC LIMIT 1)`
}

func (in *SessionInput) validate(term Term) error {
	trim(&in.Name, &in.OpensOn, &in.ClosesOn, &in.SubmitFrom, &in.SubmitTo)
	if in.Name == "" && in.Number > 0 {
		in.Name = ChineseNumber(term.Number) + "届" + ChineseNumber(in.Number) + "次"
	}
	var fs []apperr.FieldError
	if in.Number < 1 || in.Number > 99 {
		fs = append(fs, apperr.Field("number", "err.org.number_invalid"))
	}
	fs = required(fs, "opens_on", in.OpensOn, "closes_on", in.ClosesOn, "submit_from", in.SubmitFrom, "submit_to", in.SubmitTo)
	for _, f := range [][2]string{{"opens_on", in.OpensOn}, {"closes_on", in.ClosesOn}, {"submit_from", in.SubmitFrom}, {"submit_to", in.SubmitTo}} {
		if !validDate(f[1]) {
			fs = append(fs, apperr.Field(f[0], "err.org.date_invalid"))
		}
	}
	if len(fs) == 0 {
		if in.ClosesOn < in.OpensOn {
			fs = append(fs, apperr.Field("closes_on", "err.org.ends_before_start"))
		}
		if in.SubmitTo < in.SubmitFrom {
			fs = append(fs, apperr.Field("submit_to", "err.org.ends_before_start"))
		}
		if in.Year == 0 {
			in.Year = civil.MustParse(in.OpensOn).Year
		}
	}
	return fieldsErr(fs)
}

const sessionCols = `id, committee_id, term_id, number, name, year, opens_on, closes_on, submit_from, submit_to, version`

func scanSession(sc interface{ Scan(...any) error }) (Session, error) {
	var x Session
	err := sc.Scan(&x.ID, &x.CommitteeID, &x.TermID, &x.Number, &x.Name, &x.Year, &x.OpensOn, &x.ClosesOn, &x.SubmitFrom, &x.SubmitTo, &x.Version)
	return x, err
}

// CreateSession adds a plenary session to a term of the actor's committee (admins).
func (s *Service) CreateSession(ctx context.Context, actor *auth.Actor, committeeID int64, in SessionInput) (Session, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ManageCommittee, committeeID); err != nil {
		return Session{}, err
	}
	var x Session
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		term, err := getTerm(ctx, tx, committeeID, in.TermID)
		if errors.Is(err, apperr.ErrNotFound) {
			return apperr.Fields(apperr.Field("term_id", "err.org.term_unknown"))
		}
		if err != nil {
			return err
		}
		if err := in.validate(term); err != nil {
			return err
		}
		x = Session{CommitteeID: committeeID, TermID: term.ID, Number: in.Number, Name: in.Name, Year: in.Year,
			OpensOn: in.OpensOn, ClosesOn: in.ClosesOn, SubmitFrom: in.SubmitFrom, SubmitTo: in.SubmitTo, Version: 1}
		err = tx.QueryRowContext(ctx, `INSERT INTO plenary_sessions (committee_id, term_id, number, name, year, opens_on, closes_on, submit_from, submit_to)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`, committeeID, x.TermID, x.Number, x.Name, x.Year,
			x.OpensOn, x.ClosesOn, x.SubmitFrom, x.SubmitTo).Scan(&x.ID)
		if isUniqueViolation(err) {
			return apperr.Fields(apperr.Field("number", "err.org.session_exists"))
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, committeeID, "create", "session", x.ID, nil, x)
	})
	return x, err
}

// UpdateSession edits a session (optimistic locking on Version).
func (s *Service) UpdateSession(ctx context.Context, actor *auth.Actor, committeeID, id int64, in SessionInput) (Session, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ManageCommittee, committeeID); err != nil {
		return Session{}, err
	}
	var after Session
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := scanSession(tx.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM plenary_sessions WHERE id=$1 AND committee_id=$2`, id, committeeID))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		term, err := getTerm(ctx, tx, committeeID, before.TermID)
		if err != nil {
			return err
		}
		in.TermID = term.ID
		if err := in.validate(term); err != nil {
			return err
		}
		err = db.ExecVersioned(ctx, tx, `UPDATE plenary_sessions SET number=$1, name=$2, year=$3, opens_on=$4, closes_on=$5,
			submit_from=$6, submit_to=$7, version=version+1 WHERE id=$8 AND committee_id=$9 AND version=$10`,
			in.Number, in.Name, in.Year, in.OpensOn, in.ClosesOn, in.SubmitFrom, in.SubmitTo, id, committeeID, in.Version)
		if isUniqueViolation(err) {
			return apperr.Fields(apperr.Field("number", "err.org.session_exists"))
		}
		if err != nil {
			return err
		}
		after = Session{ID: id, CommitteeID: committeeID, TermID: term.ID, Number: in.Number, Name: in.Name, Year: in.Year,
			OpensOn: in.OpensOn, ClosesOn: in.ClosesOn, SubmitFrom: in.SubmitFrom, SubmitTo: in.SubmitTo, Version: before.Version + 1}
		return audit.Record(ctx, tx, actor, committeeID, "update", "session", id, before, after)
	})
	return after, err
}

// Sessions lists a committee's sessions (of one term, or all when termID is 0), newest first.
func (s *Service) Sessions(ctx context.Context, actor *auth.Actor, committeeID, termID int64) ([]Session, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ViewOrg, committeeID); err != nil {
		return nil, err
	}
	return db.Query(ctx, s.DB, scanSession, `SELECT `+sessionCols+` FROM plenary_sessions
		WHERE committee_id = $1 AND (CAST($2 AS BIGINT) = 0 OR term_id = $2) ORDER BY opens_on DESC`, committeeID, termID)
}

// SessionForDate returns the session whose submission window contains day, or
// (nil, nil) when there is none: a proposal submitted then is a 大会提案, otherwise 平时提案.
// It takes a Querier so the proposal workflow can call it inside its own transaction.
func SessionForDate(ctx context.Context, q db.Querier, committeeID int64, day civil.Date) (*Session, error) {
	d := day.String()
	x, err := scanSession(q.QueryRowContext(ctx, `SELECT `+sessionCols+` FROM plenary_sessions
		WHERE committee_id = $1 AND submit_from <= $2 AND submit_to >= $2 ORDER BY submit_from DESC LIMIT 1`, committeeID, d))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &x, nil
}
