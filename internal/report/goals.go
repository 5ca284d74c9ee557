package report

import (
	"context"
	"database/sql"
	"slices"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/figure"
)

// Goals (年度目标): a committee sets, for a year, the target value of some of
// the annual report's figures (proposals to register, research activities to
// hold, yuan to donate …); the dashboard shows each against the figure's live
// value under the dashboard's filter, opening the records behind it. A target
// is in the figure's own unit (fen for money), like its value.

// MaxTarget bounds a target (a trillion: no committee counts more).
const MaxTarget = 1_000_000_000_000

// Goal is one goal and the figure's value now.
type Goal struct {
	Figure figure.Value  `json:"figure"`
	Target int64         `json:"target"`
	Filter figure.Filter `json:"-"` // the filter of the value (its records)
}

// Share is the value over the target (1 is met).
func (g Goal) Share() float64 { return float64(g.Figure.Value) / float64(g.Target) }

// GoalInput is one target to set.
type GoalInput struct {
	Figure string `json:"figure"`
	Target int64  `json:"target"`
}

// GoalFigures are the figures a goal may be set for: the annual report's
// registered figures. A goal is on the value (items, times, yuan), never on a
// share: a figure that is a share of another has its count as its value.
func (s *Service) GoalFigures() []figure.Def {
	ids, _ := s.reportFigures()
	out := make([]figure.Def, 0, len(ids))
	for _, id := range ids {
		if _, d, ok := s.Figures.Lookup(id); ok {
			out = append(out, d)
		}
	}
	return out
}

// Goals are the goals of the filter's committee for the filter's year (none
// for a period that is not a whole year), with the figures' values under f,
// in the report's order. Readers of the committee's figures (auth.ViewReports;
// a higher committee reads down) see them; a figure whose area the reader may
// not read, or that is no longer registered, is left out.
func (s *Service) Goals(ctx context.Context, actor *auth.Actor, f figure.Filter) ([]Goal, error) {
	targets := map[string]int64{}
	if err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, auth.ViewReports, f.CommitteeID); err != nil {
			return err
		}
		var err error
		targets, err = loadTargets(ctx, tx, f.CommitteeID, f.Year())
		return err
	}); err != nil || len(targets) == 0 {
		return nil, err
	}
	var ids []string
	for _, d := range s.GoalFigures() {
		if _, ok := targets[d.ID]; ok {
			ids = append(ids, d.ID)
		}
	}
	set, err := s.figuresOf(ctx, actor, f, ids)
	if err != nil {
		return nil, err
	}
	var out []Goal
	for _, id := range ids {
		if has(set, id) {
			out = append(out, Goal{Figure: set.Get(id), Target: targets[id], Filter: f})
		}
	}
	return out, nil
}

// Targets are the committee's targets of a year by figure, for the form
// (the actor's own committee; PermEdit).
func (s *Service) Targets(ctx context.Context, actor *auth.Actor, year int) (map[string]int64, error) {
	var out map[string]int64
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermEdit, actor.CommitteeID); err != nil {
			return err
		}
		var err error
		out, err = loadTargets(ctx, tx, actor.CommitteeID, year)
		return err
	})
	return out, err
}

func loadTargets(ctx context.Context, q db.Querier, committeeID int64, year int) (map[string]int64, error) {
	out := map[string]int64{}
	if year == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT figure_id, target FROM report_goals WHERE committee_id = $1 AND year = $2`, committeeID, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var t int64
		if err := rows.Scan(&id, &t); err != nil {
			return nil, err
		}
		out[id] = t
	}
	return out, rows.Err()
}

// SetGoals replaces the actor's committee's goals of a year with in (staff
// and leaders, PermEdit): a figure not in GoalFigures, a target out of
// 1..MaxTarget or a figure twice is a field error, and nothing is written.
func (s *Service) SetGoals(ctx context.Context, actor *auth.Actor, year int, in []GoalInput) ([]GoalInput, error) {
	var fs []apperr.FieldError
	if max := s.Today().Year + 1; year < 1949 || year > max {
		fs = append(fs, apperr.Field("year", "err.report.year_range", map[string]any{"Max": max}))
	}
	allowed := s.GoalFigures()
	seen := map[string]bool{}
	for _, g := range in {
		switch {
		case !slices.ContainsFunc(allowed, func(d figure.Def) bool { return d.ID == g.Figure }):
			fs = append(fs, apperr.Field(g.Figure, "err.report.no_goal_figure"))
		case seen[g.Figure]:
			fs = append(fs, apperr.Field(g.Figure, "err.report.goal_twice"))
		case g.Target < 1 || g.Target > MaxTarget:
			fs = append(fs, apperr.Field(g.Figure, "err.report.goal_range"))
		}
		seen[g.Figure] = true
	}
	if len(fs) > 0 {
		return nil, apperr.Fields(fs...)
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermEdit, actor.CommitteeID); err != nil {
			return err
		}
		before, err := loadTargets(ctx, tx, actor.CommitteeID, year)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM report_goals WHERE committee_id = $1 AND year = $2`, actor.CommitteeID, year); err != nil {
			return err
		}
		after := map[string]int64{}
		now := db.Now()
		for _, g := range in {
			if _, err := tx.ExecContext(ctx, `INSERT INTO report_goals (committee_id, year, figure_id, target, updated_at, updated_by)
				VALUES ($1, $2, $3, $4, $5, $6)`, actor.CommitteeID, year, g.Figure, g.Target, now, nullID(actor.UserID)); err != nil {
				return err
			}
			after[g.Figure] = g.Target
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "set_goals", "report_goals", int64(year),
			map[string]any{"year": year, "targets": before}, map[string]any{"year": year, "targets": after})
	})
	if err != nil {
		return nil, err
	}
	return in, nil
}
