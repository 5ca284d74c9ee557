package activity

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/changes"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Democratic appraisal (民主评议) of a unit with an anonymous ballot.
//
// Anonymity is a property of the schema, not of discipline: a vote adds one
// to a count per (appraisal, dimension, rating) in activity_ballot_tallies,
// which has no voter, no time and no row per ballot; that the member voted is
// a marker in activity_ballot_voted, which has no rating and no time. The
// audit log records that the member voted, never how. TestBallotAnonymous
// checks that no table row and no audit entry joins a voter to a rating.
//
// States: drafted → voting (OpenVoting) → closed (CloseVoting); the
// rectification list and re-inspection are recorded once closed.

// Ratings are the answers of a ballot, per dimension.
var Ratings = []string{"satisfied", "basic", "dissatisfied"}

// DefaultDimensions are the dimensions of a new appraisal unless staff name others.
var DefaultDimensions = []string{"工作作风", "办事效率", "服务质量"}

// Appraisal is one unit's appraisal.
type Appraisal struct {
	ID            int64    `json:"id"`
	CommitteeID   int64    `json:"committee_id"`
	ActivityID    int64    `json:"activity_id,omitempty"`
	UnitID        int64    `json:"unit_id"`
	UnitName      string   `json:"unit_name"`
	Year          int      `json:"year"`
	Dimensions    []string `json:"dimensions"`
	State         string   `json:"state"`
	Rectification string   `json:"rectification"`
	ReinspectedOn string   `json:"reinspected_on"`
	Version       int      `json:"version"`
	Voters        int      `json:"voters"`
	// Results holds, per dimension, the votes per rating (shown once closed).
	Results map[string]map[string]int `json:"results,omitempty"`
	// CanVote is whether the reader may vote now.
	CanVote bool `json:"can_vote"`
}

// AppraisalInput is a new appraisal.
type AppraisalInput struct {
	UnitID     int64    `json:"unit_id"`
	Year       int      `json:"year"`
	ActivityID int64    `json:"activity_id,omitempty"`
	Dimensions []string `json:"dimensions,omitempty"` // empty: DefaultDimensions
}

const dimSep = "|"

// AddAppraisal drafts an appraisal (staff).
func (s *Service) AddAppraisal(ctx context.Context, actor *auth.Actor, committeeID int64, in AppraisalInput) (*Appraisal, error) {
	var out *Appraisal
	err := s.write(ctx, actor, committeeID, PermManage, func(tx *sql.Tx) error {
		if len(in.Dimensions) == 0 {
			in.Dimensions = DefaultDimensions
		}
		var fs []apperr.FieldError
		var dims []string
		for _, d := range in.Dimensions {
			d = strings.TrimSpace(d)
			if d == "" || strings.Contains(d, dimSep) || utf8.RuneCountInString(d) > 20 || slices.Contains(dims, d) {
				fs = append(fs, apperr.Field("dimensions", "err.activity.bad_dimension"))
				break
			}
			dims = append(dims, d)
		}
		if len(dims) > 10 {
			fs = append(fs, apperr.Field("dimensions", "err.activity.bad_dimension"))
		}
		if in.Year < 1900 || in.Year > 9999 {
			fs = append(fs, outOfRange("year", 1900, 9999))
		}
		if !exists(ctx, tx, `SELECT COUNT(*) FROM units WHERE id = $1 AND committee_id = $2`, in.UnitID, committeeID) {
			fs = append(fs, apperr.Field("unit_id", "err.form.bad_choice"))
		}
		if in.ActivityID != 0 && !exists(ctx, tx, `SELECT COUNT(*) FROM activities WHERE id = $1 AND committee_id = $2 AND kind = 'appraisal'`, in.ActivityID, committeeID) {
			fs = append(fs, apperr.Field("activity_id", "err.form.bad_choice"))
		}
		if err := orInvalid(fs); err != nil {
			return err
		}
		now := db.Now()
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO activity_appraisals (committee_id, activity_id, unit_id, year, dimensions, state,
			version, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,'drafted',1,$6,$6) RETURNING id`,
			committeeID, nullID(in.ActivityID), in.UnitID, in.Year, strings.Join(dims, dimSep), now).Scan(&id); err != nil {
			return err
		}
		// Every count exists from the start, so a vote only ever updates rows.
		for _, d := range dims {
			for _, r := range Ratings {
				if _, err := tx.ExecContext(ctx, `INSERT INTO activity_ballot_tallies (committee_id, appraisal_id, dimension, rating, votes)
					VALUES ($1, $2, $3, $4, 0)`, committeeID, id, d, r); err != nil {
					return err
				}
			}
		}
		a, err := loadAppraisal(ctx, tx, id)
		if err != nil {
			return err
		}
		out = a
		return recordChange(ctx, tx, actor, committeeID, "activity.appraisal_create", "activity_appraisal", id, nil, in)
	})
	return out, err
}

func loadAppraisal(ctx context.Context, q db.Querier, id int64) (*Appraisal, error) {
	var a Appraisal
	var dims string
	err := q.QueryRowContext(ctx, `SELECT x.id, x.committee_id, COALESCE(x.activity_id, 0), x.unit_id, u.name, x.year, x.dimensions, x.state,
		x.rectification, x.reinspected_on, x.version,
		(SELECT COUNT(*) FROM activity_ballot_voted v WHERE v.committee_id = x.committee_id AND v.appraisal_id = x.id)
		FROM activity_appraisals x JOIN units u ON u.id = x.unit_id WHERE x.id = $1`, id).
		Scan(&a.ID, &a.CommitteeID, &a.ActivityID, &a.UnitID, &a.UnitName, &a.Year, &dims, &a.State, &a.Rectification,
			&a.ReinspectedOn, &a.Version, &a.Voters)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.ErrNotFound
	}
	a.Dimensions = strings.Split(dims, dimSep)
	return &a, err
}

// appraisalStep moves an appraisal from one state to the next (staff).
func (s *Service) appraisalStep(ctx context.Context, actor *auth.Actor, ref Ref, from, to, action string, fn func(tx *sql.Tx, a *Appraisal) error) (*Appraisal, error) {
	c, err := committeeOf(ctx, s.DB, "activity_appraisals", ref.ID)
	if err != nil {
		return nil, err
	}
	var out *Appraisal
	err = s.write(ctx, actor, c, PermManage, func(tx *sql.Tx) error {
		a, err := loadAppraisal(ctx, tx, ref.ID)
		if err != nil {
			return err
		}
		if ref.Version != 0 && ref.Version != a.Version {
			return apperr.ErrConflict
		}
		if a.State != from {
			return apperr.New(apperr.Conflict, "err.activity.appraisal_state."+a.State)
		}
		before := *a
		a.State = to
		if fn != nil {
			if err := fn(tx, a); err != nil {
				return err
			}
		}
		if err := db.ExecVersioned(ctx, tx, `UPDATE activity_appraisals SET state = $1, rectification = $2, reinspected_on = $3,
			version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6`,
			a.State, a.Rectification, a.ReinspectedOn, db.Now(), a.ID, a.Version); err != nil {
			return err
		}
		a.Version++
		out = a
		return recordChange(ctx, tx, actor, c, "activity."+action, "activity_appraisal", a.ID,
			map[string]any{"state": before.State, "rectification": before.Rectification, "reinspected_on": before.ReinspectedOn},
			map[string]any{"state": a.State, "rectification": a.Rectification, "reinspected_on": a.ReinspectedOn})
	})
	return out, err
}

// OpenVoting opens the ballot (staff).
func (s *Service) OpenVoting(ctx context.Context, actor *auth.Actor, ref Ref) (*Appraisal, error) {
	return s.appraisalStep(ctx, actor, ref, "drafted", "voting", "appraisal_open", nil)
}

// CloseVoting closes the ballot (staff); the results can then be read.
func (s *Service) CloseVoting(ctx context.Context, actor *auth.Actor, ref Ref) (*Appraisal, error) {
	return s.appraisalStep(ctx, actor, ref, "voting", "closed", "appraisal_close", nil)
}

// Rectify records the unit's rectification list and the re-inspection date
// of a closed appraisal (staff).
func (s *Service) Rectify(ctx context.Context, actor *auth.Actor, ref Ref, rectification string, reinspected string) (*Appraisal, error) {
	return s.appraisalStep(ctx, actor, ref, "closed", "closed", "appraisal_rectify", func(tx *sql.Tx, a *Appraisal) error {
		rectification, reinspected = strings.TrimSpace(rectification), strings.TrimSpace(reinspected)
		fs := checkText(nil, "rectification", rectification, 20000, true)
		if reinspected != "" {
			if _, err := parseDate(reinspected); err != nil {
				fs = append(fs, apperr.Field("reinspected_on", "err.form.bad_date"))
			}
		}
		if err := orInvalid(fs); err != nil {
			return err
		}
		a.Rectification, a.ReinspectedOn = rectification, reinspected
		return nil
	})
}

// Vote casts the acting member's anonymous ballot: one rating per dimension,
// once. Only serving members of the appraisal's committee vote, only while it
// is open.
func (s *Service) Vote(ctx context.Context, actor *auth.Actor, id int64, ratings map[string]string) error {
	c, err := committeeOf(ctx, s.DB, "activity_appraisals", id)
	if err != nil {
		return err
	}
	return s.write(ctx, actor, c, PermJoin, func(tx *sql.Tx) error {
		a, err := loadAppraisal(ctx, tx, id)
		if err != nil {
			return err
		}
		if a.State != "voting" {
			return apperr.New(apperr.Conflict, "err.activity.appraisal_state."+a.State)
		}
		ok, err := serving(ctx, tx, c, actor.PersonID)
		if err != nil {
			return err
		}
		if actor.PersonID == 0 || !ok {
			return apperr.New(apperr.Forbidden, "err.activity.not_serving")
		}
		var fs []apperr.FieldError
		for _, d := range a.Dimensions {
			if !slices.Contains(Ratings, ratings[d]) {
				fs = append(fs, apperr.Field(d, "err.form.bad_choice"))
			}
		}
		if len(ratings) != len(a.Dimensions) && len(fs) == 0 {
			fs = append(fs, apperr.Field("ratings", "err.form.bad_choice"))
		}
		if err := orInvalid(fs); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO activity_ballot_voted (committee_id, appraisal_id, person_id) VALUES ($1, $2, $3)
			ON CONFLICT (appraisal_id, person_id) DO NOTHING`, c, id, actor.PersonID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "err.activity.voted")
		}
		for _, d := range a.Dimensions {
			if _, err := tx.ExecContext(ctx, `UPDATE activity_ballot_tallies SET votes = votes + 1
				WHERE appraisal_id = $1 AND dimension = $2 AND rating = $3`, id, d, ratings[d]); err != nil {
				return err
			}
		}
		// That the member voted, never how.
		if err := audit.Record(ctx, tx, actor, c, "activity.vote", "activity_appraisal", id, nil, map[string]any{"voted": true}); err != nil {
			return err
		}
		return changes.Mark(ctx, tx, c, "activity_appraisal", id)
	})
}

// Appraisal returns an appraisal: its results once closed (committee
// readers), and whether the reader may vote now.
func (s *Service) Appraisal(ctx context.Context, actor *auth.Actor, id int64) (*Appraisal, error) {
	var out *Appraisal
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		a, err := loadAppraisal(ctx, tx, id)
		if err != nil {
			return err
		}
		sc, err := auth.LoadScope(ctx, tx, a.CommitteeID)
		if err != nil {
			return err
		}
		reader := auth.Authorize(actor, PermView, sc) == nil
		member := actor != nil && actor.PersonID != 0 && actor.CommitteeID == a.CommitteeID && auth.Can(actor, PermJoin)
		if !reader && !member {
			return apperr.ErrNotFound
		}
		if member && a.State == "voting" {
			ok, err := serving(ctx, tx, a.CommitteeID, actor.PersonID)
			if err != nil {
				return err
			}
			a.CanVote = ok && !exists(ctx, tx, `SELECT COUNT(*) FROM activity_ballot_voted WHERE appraisal_id = $1 AND person_id = $2`, id, actor.PersonID)
		}
		if reader && a.State == "closed" {
			a.Results = map[string]map[string]int{}
			rows, err := tx.QueryContext(ctx, `SELECT dimension, rating, votes FROM activity_ballot_tallies WHERE appraisal_id = $1`, id)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var d, r string
				var n int
				if err := rows.Scan(&d, &r, &n); err != nil {
					return err
				}
				if a.Results[d] == nil {
					a.Results[d] = map[string]int{}
				}
				a.Results[d][r] = n
			}
			if err := rows.Err(); err != nil {
				return err
			}
		}
		out = a
		return nil
	})
	return out, err
}

// parseDate checks a civil date written YYYY-MM-DD.
func parseDate(s string) (civil.Date, error) { return civil.Parse(s) }

// Appraisals lists a committee's appraisals, newest year first: every one for
// committee readers, the open ballots for a member (to vote).
func (s *Service) Appraisals(ctx context.Context, actor *auth.Actor, committeeID int64) ([]Appraisal, error) {
	var out []Appraisal
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		sc, err := auth.LoadScope(ctx, tx, committeeID)
		if err != nil {
			return err
		}
		reader := auth.Authorize(actor, PermView, sc) == nil
		member := actor != nil && actor.PersonID != 0 && actor.CommitteeID == committeeID && auth.Can(actor, PermJoin)
		if !reader && !member {
			return apperr.ErrNotFound
		}
		where := `x.committee_id = $1`
		if !reader {
			where += ` AND x.state = 'voting'`
		}
		ids, err := db.Column[int64](ctx, tx, `SELECT x.id FROM activity_appraisals x WHERE `+where+` ORDER BY x.year DESC, x.id DESC LIMIT 200`, committeeID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			a, err := loadAppraisal(ctx, tx, id)
			if err != nil {
				return err
			}
			out = append(out, *a)
		}
		return nil
	})
	return out, err
}
