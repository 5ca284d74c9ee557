package proposal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Unit assessment (承办单位测评): each committee keeps a score sheet (items with
// maximum points); the proposal office scores each unit once a year, and the
// total appears in the league table and the figure units.assessed.

// AssessItem is one item of the score sheet.
type AssessItem struct {
	ID        int64  `json:"id"` // 0 for a default item not yet saved
	Name      string `json:"name"`
	MaxPoints int    `json:"max_points"`
	Sort      int    `json:"sort"`
	Active    bool   `json:"active"`
	// Basis names the league figure the item's points are prefilled from
	// (AssessBases: on_time, face_to_face, solved, satisfied); "" for an item
	// the office scores by hand.
	Basis   string `json:"basis,omitempty"`
	Version int    `json:"version"`
}

// DefaultAssessItems are offered to a committee without a score sheet (100 points).
var DefaultAssessItems = []AssessItem{
	{Name: "领导重视、组织有力", MaxPoints: 10, Sort: 1, Active: true},
	{Name: "办前面商、沟通充分", MaxPoints: 20, Sort: 2, Active: true, Basis: "face_to_face"},
	{Name: "按时办复", MaxPoints: 20, Sort: 3, Active: true, Basis: "on_time"},
	{Name: "答复质量与落实情况", MaxPoints: 30, Sort: 4, Active: true, Basis: "solved"},
	{Name: "委员满意度", MaxPoints: 20, Sort: 5, Active: true, Basis: "satisfied"},
}

// MaxAssessItemName bounds an item's name, in characters.
const MaxAssessItemName = 50

func canReadAssessments(actor *auth.Actor) bool {
	return auth.Can(actor, PermFigures) || auth.Can(actor, PermAssess)
}

// AssessItems returns the actor's committee's score sheet (readers, the office
// and units, who are scored by it); a committee without one gets
// DefaultAssessItems (unsaved, id 0) to adopt with UseDefaultSheet.
func (s *Service) AssessItems(ctx context.Context, actor *auth.Actor) ([]AssessItem, bool, error) {
	if actor == nil {
		return nil, false, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if !canReadAssessments(actor) && !(actor.UnitID != 0 && auth.Can(actor, PermHandle)) {
		return nil, false, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	items, err := listAssessItems(ctx, s.DB, actor.CommitteeID)
	if err != nil || len(items) > 0 {
		return items, true, err
	}
	return DefaultAssessItems, false, nil
}

func listAssessItems(ctx context.Context, q db.Querier, committeeID int64) ([]AssessItem, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (AssessItem, error) {
		var it AssessItem
		return it, sc.Scan(&it.ID, &it.Name, &it.MaxPoints, &it.Sort, &it.Active, &it.Basis, &it.Version)
	}, `SELECT id, name, max_points, sort, active, basis, version FROM proposal_assess_items WHERE committee_id = $1 ORDER BY sort, id`, committeeID)
}

// UseDefaultSheet saves DefaultAssessItems as the committee's score sheet,
// if it has none (proposal office).
func (s *Service) UseDefaultSheet(ctx context.Context, actor *auth.Actor) error {
	if !auth.Can(actor, PermAssess) {
		return forbiddenOrAnon(actor)
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		items, err := listAssessItems(ctx, tx, actor.CommitteeID)
		if err != nil || len(items) > 0 {
			return err
		}
		for _, it := range DefaultAssessItems {
			if _, err := insertAssessItem(ctx, tx, actor, it); err != nil {
				return err
			}
		}
		return nil
	})
}

func forbiddenOrAnon(actor *auth.Actor) error {
	if actor == nil {
		return apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	return apperr.New(apperr.Forbidden, "err.forbidden")
}

func insertAssessItem(ctx context.Context, tx *sql.Tx, actor *auth.Actor, it AssessItem) (AssessItem, error) {
	now := db.Now()
	it.Version = 1
	err := tx.QueryRowContext(ctx, `INSERT INTO proposal_assess_items (committee_id, name, max_points, sort, active, basis, version, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,1,$7,$7) RETURNING id`, actor.CommitteeID, it.Name, it.MaxPoints, it.Sort, it.Active, it.Basis, now).Scan(&it.ID)
	if err != nil {
		return it, err
	}
	return it, audit.Record(ctx, tx, actor, actor.CommitteeID, "create", "proposal_assess_item", it.ID, nil, it)
}

// SaveAssessItem creates (ID 0) or updates (ID and the Version read) an item
// of the score sheet (proposal office). Items in use are deactivated, not deleted.
func (s *Service) SaveAssessItem(ctx context.Context, actor *auth.Actor, it AssessItem) (AssessItem, error) {
	if !auth.Can(actor, PermAssess) {
		return it, forbiddenOrAnon(actor)
	}
	it.Name = strings.TrimSpace(it.Name)
	var f []apperr.FieldError
	switch {
	case it.Name == "":
		f = append(f, apperr.Field("name", "err.required"))
	case utf8.RuneCountInString(it.Name) > MaxAssessItemName:
		f = append(f, apperr.Field("name", "err.proposal.too_long", map[string]any{"Max": MaxAssessItemName}))
	}
	if it.MaxPoints < 1 || it.MaxPoints > 1000 {
		f = append(f, apperr.Field("max_points", "err.proposal.out_of_range", map[string]any{"Min": 1, "Max": 1000}))
	}
	if _, ok := AssessBases[it.Basis]; !ok && it.Basis != "" {
		f = append(f, apperr.Field("basis", "err.proposal.bad_choice"))
	}
	if len(f) > 0 {
		return it, apperr.Fields(f...)
	}
	var out AssessItem
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		items, err := listAssessItems(ctx, tx, actor.CommitteeID)
		if err != nil {
			return err
		}
		var before *AssessItem
		for i := range items {
			if items[i].Name == it.Name && items[i].ID != it.ID {
				return apperr.Fields(apperr.Field("name", "err.figures.item_exists"))
			}
			if items[i].ID == it.ID {
				before = &items[i]
			}
		}
		if it.ID == 0 {
			out, err = insertAssessItem(ctx, tx, actor, it)
			return err
		}
		if before == nil {
			return apperr.ErrNotFound
		}
		err = db.ExecVersioned(ctx, tx, `UPDATE proposal_assess_items SET name = $1, max_points = $2, sort = $3, active = $4,
			basis = $9, version = version + 1, updated_at = $5 WHERE id = $6 AND committee_id = $7 AND version = $8`,
			it.Name, it.MaxPoints, it.Sort, it.Active, db.Now(), it.ID, actor.CommitteeID, it.Version, it.Basis)
		if err != nil {
			return err
		}
		it.Version++
		out = it
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "update", "proposal_assess_item", it.ID, before, it)
	})
	return out, err
}

// Assessment is one unit's assessment in a year.
type Assessment struct {
	ID       int64         `json:"id"`
	Year     int           `json:"year"`
	UnitID   int64         `json:"unit_id"`
	Unit     string        `json:"unit"`
	Total    int           `json:"total"`
	MaxTotal int           `json:"max_total"`
	Note     string        `json:"note,omitempty"`
	Points   map[int64]int `json:"points"` // by item id
	// Prefilled are the points the figures gave an item (absent: scored by
	// hand), Reasons the office's reasons for scoring otherwise.
	Prefilled map[int64]int    `json:"prefilled,omitempty"`
	Reasons   map[int64]string `json:"reasons,omitempty"`
	Version   int              `json:"version"`
}

// AssessmentInput is the office's scoring of one unit in one year.
type AssessmentInput struct {
	Year   int
	UnitID int64
	Points map[int64]int // item id → points, for every active item
	// Reasons: item id → why the points differ from the prefill (required then).
	Reasons map[int64]string
	Note    string
	Version int // the version read; 0 for a new assessment
}

// SaveAssessment records (or corrects) a unit's assessment for a year
// (proposal office). Every active item needs points between 0 and its maximum.
func (s *Service) SaveAssessment(ctx context.Context, actor *auth.Actor, in AssessmentInput) (*Assessment, error) {
	if !auth.Can(actor, PermAssess) {
		return nil, forbiddenOrAnon(actor)
	}
	in.Note = strings.TrimSpace(in.Note)
	// The figures' prefill, computed before the transaction (it catches up
	// the derived rows in its own); a unit not in the league has none.
	prefill, err := s.AssessmentPrefill(ctx, actor, in.Year, in.UnitID)
	if err != nil && apperr.CodeOf(err) != apperr.Invalid {
		return nil, err
	}
	var out *Assessment
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		items, err := listAssessItems(ctx, tx, actor.CommitteeID)
		if err != nil {
			return err
		}
		var f []apperr.FieldError
		if len(items) == 0 {
			return apperr.New(apperr.Conflict, "err.figures.no_score_sheet")
		}
		if in.Year < 2000 || in.Year > s.today().Year {
			f = append(f, apperr.Field("year", "err.proposal.bad_year"))
		}
		if ok, err := checkUnit(ctx, tx, actor.CommitteeID, in.UnitID); err != nil {
			return err
		} else if !ok {
			f = append(f, apperr.Field("unit", "err.proposal.unit_unknown"))
		}
		total, maxTotal := 0, 0
		points := map[int64]int{}
		for _, it := range items {
			if !it.Active {
				continue
			}
			p, ok := in.Points[it.ID]
			if !ok || p < 0 || p > it.MaxPoints {
				f = append(f, apperr.Field(fmt.Sprintf("points_%d", it.ID), "err.figures.points_range", map[string]any{"Item": it.Name, "Max": it.MaxPoints}))
				continue
			}
			points[it.ID] = p
			total += p
			maxTotal += it.MaxPoints
			if pf, ok := prefill[it.ID]; ok && pf.Points != p && strings.TrimSpace(in.Reasons[it.ID]) == "" {
				f = append(f, apperr.Field(fmt.Sprintf("reason_%d", it.ID), "err.figures.adjust_reason",
					map[string]any{"Item": it.Name, "Prefilled": pf.Points}))
			}
		}
		for id := range in.Points {
			if _, ok := points[id]; !ok && !hasItem(items, id) {
				f = append(f, apperr.Field(fmt.Sprintf("points_%d", id), "err.figures.no_such_item"))
			}
		}
		if len(f) > 0 {
			return apperr.Fields(f...)
		}
		before, err := loadAssessment(ctx, tx, actor.CommitteeID, in.Year, in.UnitID)
		if err != nil {
			return err
		}
		now := db.Now()
		a := &Assessment{Year: in.Year, UnitID: in.UnitID, Total: total, MaxTotal: maxTotal, Note: in.Note, Points: points}
		if before == nil {
			if in.Version != 0 {
				return apperr.ErrConflict
			}
			a.Version = 1
			if err := tx.QueryRowContext(ctx, `INSERT INTO proposal_assessments (committee_id, year, unit_id, total, max_total, note,
				assessed_by, version, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,1,$8,$8) RETURNING id`,
				actor.CommitteeID, in.Year, in.UnitID, total, maxTotal, in.Note, nullID(actor.UserID), now).Scan(&a.ID); err != nil {
				return err
			}
		} else {
			err := db.ExecVersioned(ctx, tx, `UPDATE proposal_assessments SET total = $1, max_total = $2, note = $3, assessed_by = $4,
				version = version + 1, updated_at = $5 WHERE id = $6 AND version = $7`,
				total, maxTotal, in.Note, nullID(actor.UserID), now, before.ID, in.Version)
			if err != nil {
				return err
			}
			a.ID, a.Version = before.ID, before.Version+1
			if _, err := tx.ExecContext(ctx, `DELETE FROM proposal_assessment_scores WHERE assessment_id = $1`, a.ID); err != nil {
				return err
			}
		}
		a.Prefilled, a.Reasons = map[int64]int{}, map[int64]string{}
		for id, p := range points {
			var pre any
			if pf, ok := prefill[id]; ok {
				pre, a.Prefilled[id] = pf.Points, pf.Points
			}
			reason := strings.TrimSpace(in.Reasons[id])
			if reason != "" {
				a.Reasons[id] = reason
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO proposal_assessment_scores (assessment_id, committee_id, item_id, points,
				prefilled, reason) VALUES ($1,$2,$3,$4,$5,$6)`, a.ID, actor.CommitteeID, id, p, pre, reason); err != nil {
				return err
			}
		}
		if err := tx.QueryRowContext(ctx, `SELECT name FROM units WHERE id = $1`, a.UnitID).Scan(&a.Unit); err != nil {
			return err
		}
		var b any
		if before != nil {
			b = before
		}
		out = a
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "proposal.assess", "proposal_assessment", a.ID, b, a)
	})
	return out, err
}

func hasItem(items []AssessItem, id int64) bool {
	for _, it := range items {
		if it.ID == id {
			return true
		}
	}
	return false
}

func loadAssessment(ctx context.Context, q db.Querier, committeeID int64, year int, unitID int64) (*Assessment, error) {
	var a Assessment
	err := q.QueryRowContext(ctx, `SELECT a.id, a.year, a.unit_id, u.name, a.total, a.max_total, a.note, a.version
		FROM proposal_assessments a JOIN units u ON u.id = a.unit_id WHERE a.committee_id = $1 AND a.year = $2 AND a.unit_id = $3`,
		committeeID, year, unitID).Scan(&a.ID, &a.Year, &a.UnitID, &a.Unit, &a.Total, &a.MaxTotal, &a.Note, &a.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a.Points, a.Prefilled, a.Reasons, err = assessmentScores(ctx, q, a.ID)
	return &a, err
}

// assessmentPoints returns an assessment's points by item.
func assessmentPoints(ctx context.Context, q db.Querier, id int64) (map[int64]int, error) {
	points, _, _, err := assessmentScores(ctx, q, id)
	return points, err
}

// assessmentScores returns an assessment's points, prefilled points and reasons by item.
func assessmentScores(ctx context.Context, q db.Querier, id int64) (points, prefilled map[int64]int, reasons map[int64]string, err error) {
	rows, err := q.QueryContext(ctx, `SELECT item_id, points, prefilled, reason FROM proposal_assessment_scores WHERE assessment_id = $1`, id)
	if err != nil {
		return nil, nil, nil, err
	}
	defer rows.Close()
	points, prefilled, reasons = map[int64]int{}, map[int64]int{}, map[int64]string{}
	for rows.Next() {
		var item int64
		var p int
		var pre sql.NullInt64
		var reason string
		if err := rows.Scan(&item, &p, &pre, &reason); err != nil {
			return nil, nil, nil, err
		}
		points[item] = p
		if pre.Valid {
			prefilled[item] = int(pre.Int64)
		}
		if reason != "" {
			reasons[item] = reason
		}
	}
	return points, prefilled, reasons, rows.Err()
}

// Assessments returns the assessments of the actor's committee in a year, best
// first: readers of figures and the office see every unit's, a unit its own.
func (s *Service) Assessments(ctx context.Context, actor *auth.Actor, year int) ([]Assessment, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	cond, args := `a.committee_id = $1 AND a.year = $2`, []any{actor.CommitteeID, year}
	switch {
	case canReadAssessments(actor):
	case actor.UnitID != 0 && auth.Can(actor, PermHandle):
		cond, args = cond+` AND a.unit_id = $3`, append(args, actor.UnitID)
	default:
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	out, err := db.Query(ctx, s.DB, func(sc db.Scanner) (Assessment, error) {
		var a Assessment
		return a, sc.Scan(&a.ID, &a.Year, &a.UnitID, &a.Unit, &a.Total, &a.MaxTotal, &a.Note, &a.Version)
	}, `SELECT a.id, a.year, a.unit_id, u.name, a.total, a.max_total, a.note, a.version FROM proposal_assessments a
		JOIN units u ON u.id = a.unit_id WHERE `+cond+` ORDER BY a.total DESC, u.name, a.id`, args...)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Points, out[i].Prefilled, out[i].Reasons, err = assessmentScores(ctx, s.DB, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}
