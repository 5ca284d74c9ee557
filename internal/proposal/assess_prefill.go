package proposal

import (
	"context"

	"lvzhi/internal/auth"
)

// Unit assessment from the figures (测评预填): an item of the score sheet with
// a basis is prefilled from the unit's league figure of the year — its points
// are the item's maximum times the figure's rate, rounded — and the office
// may score otherwise only with a reason, which the assessment keeps.

// AssessBases maps an item's basis to the league figure (group "league",
// counted per unit) whose rate prefills it.
var AssessBases = map[string]string{
	"on_time":      "assignments.on_time",      // 按时办复: replies handed in by the due date / replies
	"face_to_face": "assignments.face_to_face", // 面商: replies preceded by a face-to-face contact / replies
	"solved":       "assignments.solved",       // 答复类别: replies in a solved class (A+B) / replies
	"satisfied":    "assignments.satisfied",    // 满意度: 满意 or 基本满意 evaluations / evaluations
}

// AssessBasisOrder lists the bases for forms.
var AssessBasisOrder = []string{"on_time", "face_to_face", "solved", "satisfied"}

// Prefill is the figures' suggestion for one item of one unit's assessment.
type Prefill struct {
	Basis  string `json:"basis"`
	Figure string `json:"figure"` // the league figure's id
	Value  int64  `json:"value"`  // the figure's value for the unit
	Den    int64  `json:"den"`    // its denominator
	Points int    `json:"points"` // max × value / den, rounded half up
}

// AssessmentPrefill returns the prefilled points of each active item with a
// basis, for a unit in a year, from the league table (the same figures and
// records as everywhere else). An item whose figure has nothing to divide by
// (no reply yet) has no prefill. Readers of the assessments only.
func (s *Service) AssessmentPrefill(ctx context.Context, actor *auth.Actor, year int, unitID int64) (map[int64]Prefill, error) {
	if !canReadAssessments(actor) {
		return nil, forbiddenOrAnon(actor)
	}
	items, err := listAssessItems(ctx, s.DB, actor.CommitteeID)
	if err != nil {
		return nil, err
	}
	lg, err := s.League(ctx, actor, FigureFilter{CommitteeID: actor.CommitteeID, Year: year})
	if err != nil {
		return nil, err
	}
	var row *LeagueRow
	for i := range lg.Rows {
		if lg.Rows[i].UnitID == unitID {
			row = &lg.Rows[i]
		}
	}
	if row == nil {
		return nil, invalid("unit", "err.proposal.unit_unknown")
	}
	out := map[int64]Prefill{}
	for _, it := range items {
		fig, ok := AssessBases[it.Basis]
		if !ok || !it.Active {
			continue
		}
		v := row.Get(fig)
		if v.DenValue <= 0 {
			continue
		}
		out[it.ID] = Prefill{Basis: it.Basis, Figure: fig, Value: v.Value, Den: v.DenValue,
			Points: int((int64(it.MaxPoints)*v.Value*2 + v.DenValue) / (2 * v.DenValue))}
	}
	return out, nil
}
