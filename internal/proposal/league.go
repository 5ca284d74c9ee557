package proposal

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// The league table (单位办理情况): every handling unit of a committee with the
// assignment figures (figures.go, group "league") computed per unit — the same
// definitions and records as everywhere else. A unit sees the whole table
// (numbers only) with its own row marked, and the records of its own row.

// LeagueFigures are the columns of the league table, in order; the per-class
// columns (assignments.class.<code>) follow.
var LeagueFigures = []string{
	"assignments.all", "assignments.replied", "assignments.on_time", "assignments.face_to_face",
	"assignments.overdue", "assignments.solved", "assignments.satisfied",
}

// LeagueRow is one unit's row.
type LeagueRow struct {
	UnitID int64                  `json:"unit_id"`
	Unit   string                 `json:"unit"`
	Mine   bool                   `json:"mine"` // the reading unit's own row
	Values map[string]FigureValue `json:"values"`
	// Score is the unit's assessment (测评) in the filter's year, if any.
	Score    int  `json:"score,omitempty"`
	MaxScore int  `json:"max_score,omitempty"`
	Assessed bool `json:"assessed"`
}

// Get returns the row's figure id (zero value if absent).
func (r LeagueRow) Get(id string) FigureValue { return r.Values[id] }

// League is the league table of one committee for a filter.
type League struct {
	Filter  FigureFilter  `json:"filter"`
	Columns []string      `json:"columns"` // figure ids
	Classes []ResultClass `json:"classes"`
	Rows    []LeagueRow   `json:"rows"`
}

// League computes the league table: committee readers of figures, and units
// of the committee (who see their own row marked). Sorted by on-time reply
// rate, then satisfaction, then name.
func (s *Service) League(ctx context.Context, actor *auth.Actor, ff FigureFilter) (*League, error) {
	ff.UnitID, ff.Subtree = 0, false
	perm := PermFigures
	if actor != nil && !auth.Can(actor, PermFigures) && actor.UnitID != 0 && auth.Can(actor, PermHandle) {
		if ff.CommitteeID != actor.CommitteeID {
			return nil, apperr.ErrNotFound
		}
		perm = PermHandle
	}
	path, err := s.figureScope(ctx, actor, ff, perm)
	if err != nil {
		return nil, err
	}
	if _, err := s.CatchUp(ctx, ff.CommitteeID, ff.rollUp(path)); err != nil {
		return nil, err
	}
	lg := &League{Filter: ff}
	if lg.Classes, err = listClasses(ctx, s.DB, ff.CommitteeID); err != nil {
		return nil, err
	}
	lg.Columns = append(lg.Columns, LeagueFigures...)
	for _, c := range lg.Classes {
		lg.Columns = append(lg.Columns, unitClassPrefix+c.Code)
	}
	var defs []FigureDef
	for _, id := range lg.Columns {
		d, _ := FigureByID(id)
		defs = append(defs, d)
		// Denominators too, so each rate is complete.
		for d.Den != "" && !containsDef(defs, d.Den) {
			d, _ = FigureByID(d.Den)
			defs = append(defs, d)
		}
	}
	byUnit, err := s.cachedLeague(ctx, ff, path, defs)
	if err != nil {
		return nil, err
	}
	units, err := db.Query(ctx, s.DB, func(sc db.Scanner) (Option, error) {
		var o Option
		return o, sc.Scan(&o.ID, &o.Name)
	}, `SELECT id, name FROM units WHERE committee_id = $1 AND (active OR id IN (SELECT unit_id FROM proposal_unit_facts WHERE committee_id = $1))
		ORDER BY name, id`, ff.CommitteeID)
	if err != nil {
		return nil, err
	}
	scores, err := s.assessmentScores(ctx, ff)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		row := LeagueRow{UnitID: u.ID, Unit: u.Name, Mine: actor.UnitID == u.ID, Values: map[string]FigureValue{}}
		got := byUnit[u.ID]
		for _, d := range defs {
			v := FigureValue{Def: d.Def(), Value: got[d.ID]}
			if d.Den != "" {
				v.DenValue = got[d.Den]
			}
			row.Values[d.ID] = v
		}
		if sc, ok := scores[u.ID]; ok {
			row.Assessed, row.Score, row.MaxScore = true, sc[0], sc[1]
		}
		lg.Rows = append(lg.Rows, row)
	}
	sort.SliceStable(lg.Rows, func(i, j int) bool {
		a, b := lg.Rows[i], lg.Rows[j]
		ra, oka := a.Get("assignments.on_time").Rate()
		rb, okb := b.Get("assignments.on_time").Rate()
		if oka != okb {
			return oka
		}
		if ra != rb {
			return ra > rb
		}
		sa, _ := a.Get("assignments.satisfied").Rate()
		sb, _ := b.Get("assignments.satisfied").Rate()
		if sa != sb {
			return sa > sb
		}
		return a.Unit < b.Unit
	})
	return lg, nil
}

func containsDef(defs []FigureDef, id string) bool {
	for _, d := range defs {
		if d.ID == id {
			return true
		}
	}
	return false
}

// leagueValues computes the definitions grouped by unit: one query per subject.
func (s *Service) leagueValues(ctx context.Context, ff FigureFilter, path string, defs []FigureDef, today civil.Date) (map[int64]map[string]int64, error) {
	out := map[int64]map[string]int64{}
	for _, sub := range []Counted{CountsAssignments, CountsUnitEvaluations} {
		b := &db.Args{}
		var cols, ids []string
		for _, d := range defs {
			if d.Counts == sub {
				cols = append(cols, `COALESCE(SUM(CASE WHEN `+ff.predicate(b, d, path, today)+` THEN 1 ELSE 0 END), 0)`)
				ids = append(ids, d.ID)
			}
		}
		if len(cols) == 0 {
			continue
		}
		from, where := ff.subjectParts(b, sub, path, 0)
		rows, err := s.DB.QueryContext(ctx, `SELECT uf.unit_id, `+strings.Join(cols, ", ")+` FROM `+from+` WHERE `+where+
			` GROUP BY uf.unit_id`, *b...)
		if err != nil {
			return nil, fmt.Errorf("league %s: %w", sub, err)
		}
		for rows.Next() {
			var unit int64
			vals := make([]int64, len(cols))
			ptrs := []any{&unit}
			for i := range vals {
				ptrs = append(ptrs, &vals[i])
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			if out[unit] == nil {
				out[unit] = map[string]int64{}
			}
			for i, id := range ids {
				out[unit][id] = vals[i]
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// assessmentScores returns each unit's assessment [total, max] in the filter's year.
func (s *Service) assessmentScores(ctx context.Context, ff FigureFilter) (map[int64][2]int, error) {
	year, err := s.assessmentYear(ctx, ff)
	if err != nil || year == 0 {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT unit_id, total, max_total FROM proposal_assessments WHERE committee_id = $1 AND year = $2`,
		ff.CommitteeID, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][2]int{}
	for rows.Next() {
		var u int64
		var t, m int
		if err := rows.Scan(&u, &t, &m); err != nil {
			return nil, err
		}
		out[u] = [2]int{t, m}
	}
	return out, rows.Err()
}
