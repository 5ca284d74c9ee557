package duty

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// maxPoints bounds one rule's points and the bands (±10,000 points).
const maxPoints = 1_000_000

// loadRuleSet returns the committee's rules of a year, nil when it has none.
func loadRuleSet(ctx context.Context, q db.Querier, committeeID int64, year int) (*RuleSet, error) {
	rs := &RuleSet{CommitteeID: committeeID, Year: year}
	var upd db.Time
	err := q.QueryRowContext(ctx, `SELECT id, preset, base_score, max_score, band_excellent, band_good, band_competent,
		exit_absences, exit_incompetent, closed, version, updated_at FROM duty_rule_sets WHERE committee_id = $1 AND year = $2`,
		committeeID, year).Scan(&rs.ID, &rs.Preset, &rs.BaseScore, &rs.MaxScore, &rs.BandExcellent, &rs.BandGood,
		&rs.BandCompetent, &rs.ExitAbsences, &rs.ExitIncompetent, &rs.Closed, &rs.Version, &upd)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rs.UpdatedAt = upd.Time
	rs.Categories, err = db.Query(ctx, q, func(sc db.Scanner) (Category, error) {
		var c Category
		return c, sc.Scan(&c.Code, &c.Cap)
	}, `SELECT code, cap FROM duty_categories WHERE committee_id = $1 AND rule_set_id = $2 ORDER BY sort, code`, committeeID, rs.ID)
	if err != nil {
		return nil, err
	}
	rs.Rules, err = db.Query(ctx, q, func(sc db.Scanner) (Rule, error) {
		var r Rule
		return r, sc.Scan(&r.Category, &r.Item, &r.Variant, &r.Points, &r.Unit, &r.Shared)
	}, `SELECT category, item, variant, points, unit, shared FROM duty_rules WHERE committee_id = $1 AND rule_set_id = $2
		ORDER BY sort, id`, committeeID, rs.ID)
	return rs, err
}

// RuleSet returns the committee's rules of a year (members read them too).
func (s *Service) RuleSet(ctx context.Context, actor *auth.Actor, committeeID int64, year int) (*RuleSet, error) {
	var rs *RuleSet
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if err := checkReader(ctx, tx, actor, committeeID); err != nil {
			return err
		}
		var err error
		rs, err = loadRuleSet(ctx, tx, committeeID, year)
		if err == nil && rs == nil {
			err = apperr.ErrNotFound
		}
		return err
	})
	return rs, err
}

// Years lists the years the committee has rules for, newest first.
func (s *Service) Years(ctx context.Context, actor *auth.Actor, committeeID int64) ([]int, error) {
	var ys []int
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if err := checkReader(ctx, tx, actor, committeeID); err != nil {
			return err
		}
		var err error
		ys, err = db.Column[int](ctx, tx, `SELECT year FROM duty_rule_sets WHERE committee_id = $1 ORDER BY year DESC`, committeeID)
		return err
	})
	return ys, err
}

// checkReader lets staff and leaders (View) and members (Own, who see
// their own records only) into a committee's duty area.
func checkReader(ctx context.Context, q db.Querier, actor *auth.Actor, committeeID int64) error {
	err := checkScope(ctx, q, actor, View, committeeID)
	if apperr.CodeOf(err) == apperr.Forbidden && auth.Can(actor, Own) && actor.CommitteeID == committeeID {
		return nil
	}
	return err
}

// CopyPreset creates the committee's rules of a year from a preset.
func (s *Service) CopyPreset(ctx context.Context, actor *auth.Actor, committeeID int64, year int, preset string) (*RuleSet, error) {
	rs, ok := Preset(preset)
	if !ok {
		return nil, apperr.Fields(apperr.Field("preset", "err.form.bad_choice"))
	}
	return s.create(ctx, actor, committeeID, year, rs)
}

// CopyYear creates the committee's rules of a year from an earlier year's.
func (s *Service) CopyYear(ctx context.Context, actor *auth.Actor, committeeID int64, from, year int) (*RuleSet, error) {
	var src *RuleSet
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if err := checkScope(ctx, tx, actor, Manage, committeeID); err != nil {
			return err
		}
		var err error
		src, err = loadRuleSet(ctx, tx, committeeID, from)
		if err == nil && src == nil {
			err = apperr.Fields(apperr.Field("from", "err.duty.no_rules"))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.create(ctx, actor, committeeID, year, *src)
}

func (s *Service) create(ctx context.Context, actor *auth.Actor, committeeID int64, year int, rs RuleSet) (*RuleSet, error) {
	rs.CommitteeID, rs.Year, rs.Closed, rs.Version = committeeID, year, false, 1
	if err := validate(&rs); err != nil {
		return nil, err
	}
	var out *RuleSet
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkScope(ctx, tx, actor, Manage, committeeID); err != nil {
			return err
		}
		old, err := loadRuleSet(ctx, tx, committeeID, year)
		if err != nil {
			return err
		}
		if old != nil {
			return apperr.Fields(apperr.Field("year", "err.duty.rules_exist", map[string]any{"Year": year}))
		}
		now := db.Now()
		err = tx.QueryRowContext(ctx, `INSERT INTO duty_rule_sets (committee_id, year, preset, base_score, max_score,
			band_excellent, band_good, band_competent, exit_absences, exit_incompetent, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11) RETURNING id`, committeeID, year, rs.Preset, rs.BaseScore,
			rs.MaxScore, rs.BandExcellent, rs.BandGood, rs.BandCompetent, rs.ExitAbsences, rs.ExitIncompetent, now).Scan(&rs.ID)
		if err != nil {
			return err
		}
		if err := saveRules(ctx, tx, &rs); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, actor, committeeID, "create", "duty_rule_set", rs.ID, nil, rs); err != nil {
			return err
		}
		if _, err := sync(ctx, tx, committeeID, scope{year: year}); err != nil {
			return err
		}
		out, err = loadRuleSet(ctx, tx, committeeID, year)
		return err
	})
	return out, err
}

// UpdateRuleSet replaces the settings, categories and rules of a year not yet
// closed, and reposts that year's ledger under them (no other year changes).
func (s *Service) UpdateRuleSet(ctx context.Context, actor *auth.Actor, committeeID int64, in RuleSet) (*RuleSet, error) {
	in.CommitteeID = committeeID
	if err := validate(&in); err != nil {
		return nil, err
	}
	var out *RuleSet
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkScope(ctx, tx, actor, Manage, committeeID); err != nil {
			return err
		}
		old, err := loadRuleSet(ctx, tx, committeeID, in.Year)
		if err != nil {
			return err
		}
		if old == nil {
			return apperr.ErrNotFound
		}
		if old.Closed {
			return apperr.New(apperr.Conflict, "err.duty.year_closed", map[string]any{"Year": in.Year})
		}
		err = db.ExecVersioned(ctx, tx, `UPDATE duty_rule_sets SET base_score = $3, max_score = $4, band_excellent = $5,
			band_good = $6, band_competent = $7, exit_absences = $8, exit_incompetent = $9, updated_at = $10,
			version = version + 1 WHERE id = $1 AND version = $2`, old.ID, in.Version, in.BaseScore, in.MaxScore,
			in.BandExcellent, in.BandGood, in.BandCompetent, in.ExitAbsences, in.ExitIncompetent, db.Now())
		if err != nil {
			return err
		}
		in.ID, in.Preset = old.ID, old.Preset
		for _, t := range []string{"duty_categories", "duty_rules"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE committee_id = $1 AND rule_set_id = $2`, committeeID, old.ID); err != nil {
				return err
			}
		}
		if err := saveRules(ctx, tx, &in); err != nil {
			return err
		}
		if _, err := sync(ctx, tx, committeeID, scope{year: in.Year}); err != nil {
			return err
		}
		out, err = loadRuleSet(ctx, tx, committeeID, in.Year)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, committeeID, "update", "duty_rule_set", old.ID, old, out)
	})
	return out, err
}

func saveRules(ctx context.Context, tx *sql.Tx, rs *RuleSet) error {
	for i, c := range rs.Categories {
		if _, err := tx.ExecContext(ctx, `INSERT INTO duty_categories (committee_id, rule_set_id, code, cap, sort)
			VALUES ($1,$2,$3,$4,$5)`, rs.CommitteeID, rs.ID, c.Code, c.Cap, i); err != nil {
			return err
		}
	}
	for i, r := range rs.Rules {
		if _, err := tx.ExecContext(ctx, `INSERT INTO duty_rules (committee_id, rule_set_id, category, item, variant, points,
			unit, shared, sort) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`, rs.CommitteeID, rs.ID, r.Category, r.Item, r.Variant,
			r.Points, r.Unit, r.Shared, i); err != nil {
			return err
		}
	}
	return nil
}

// validate checks a rule set, naming every bad field: categories[i].code,
// rules[i].points and so on.
func validate(rs *RuleSet) error {
	var fs []apperr.FieldError
	bad := func(field, key string, args ...map[string]any) { fs = append(fs, apperr.Field(field, key, args...)) }
	if rs.Year < 2000 || rs.Year > 2100 {
		bad("year", "err.form.out_of_range", map[string]any{"Min": 2000, "Max": 2100})
	}
	inRange := func(field string, v, lo, hi int64) {
		if v < lo || v > hi {
			bad(field, "err.form.out_of_range", map[string]any{"Min": FormatPoints(lo), "Max": FormatPoints(hi)})
		}
	}
	inRange("base_score", rs.BaseScore, -maxPoints, maxPoints)
	inRange("max_score", rs.MaxScore, 0, maxPoints)
	inRange("band_competent", rs.BandCompetent, 0, maxPoints)
	inRange("band_good", rs.BandGood, 0, maxPoints)
	inRange("band_excellent", rs.BandExcellent, 0, maxPoints)
	if !(rs.BandCompetent <= rs.BandGood && rs.BandGood <= rs.BandExcellent) {
		bad("band_good", "err.duty.bands_order")
	}
	if rs.ExitAbsences < 0 || rs.ExitAbsences > 100 {
		bad("exit_absences", "err.form.out_of_range", map[string]any{"Min": 0, "Max": 100})
	}
	if rs.ExitIncompetent < 0 || rs.ExitIncompetent > 10 {
		bad("exit_incompetent", "err.form.out_of_range", map[string]any{"Min": 0, "Max": 10})
	}
	var cats []string
	for i, c := range rs.Categories {
		f := fmt.Sprintf("categories[%d].", i)
		switch {
		case !slices.Contains(Categories, c.Code):
			bad(f+"code", "err.form.bad_choice")
		case slices.Contains(cats, c.Code):
			bad(f+"code", "err.duty.duplicate")
		}
		cats = append(cats, c.Code)
		inRange(f+"cap", c.Cap, 0, maxPoints)
	}
	type key struct{ item, variant string }
	var seen []key
	for i, r := range rs.Rules {
		f := fmt.Sprintf("rules[%d].", i)
		if !slices.ContainsFunc(Items, func(it ItemDef) bool { return it.Code == r.Item }) {
			bad(f+"item", "err.form.bad_choice")
		}
		if !slices.Contains(Variants, r.Variant) {
			bad(f+"variant", "err.form.bad_choice")
		}
		if !slices.Contains(cats, r.Category) {
			bad(f+"category", "err.duty.no_category")
		}
		if !slices.Contains(Units, r.Unit) {
			bad(f+"unit", "err.form.bad_choice")
		}
		inRange(f+"points", r.Points, -maxPoints, maxPoints)
		if slices.Contains(seen, key{r.Item, r.Variant}) {
			bad(f+"variant", "err.duty.duplicate")
		}
		seen = append(seen, key{r.Item, r.Variant})
	}
	if len(fs) > 0 {
		return apperr.Fields(fs...)
	}
	return nil
}
