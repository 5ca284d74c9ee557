package proposal

import (
	"fmt"
	"strings"

	"lvzhi/internal/i18n"
)

// Label returns the figure's name in lang.
func (fs *FigureSet) Label(lang string, v FigureValue) string {
	return FigureLabel(lang, v.ID, fs.Classes)
}

// FigureLabel names a figure in lang; classes label the per-class family.
func FigureLabel(lang, id string, classes []ResultClass) string {
	d, ok := FigureByID(id)
	if !ok {
		return id
	}
	switch {
	case strings.HasPrefix(id, themePrefix):
		return i18n.T(lang, "figures.family.theme", map[string]any{"Theme": i18n.T(lang, "proposal.theme."+d.Param)})
	case strings.HasPrefix(id, classPrefix), strings.HasPrefix(id, unitClassPrefix):
		label := d.Param
		for _, c := range classes {
			if c.Code == d.Param {
				label = c.Code + " " + c.Label(lang)
			}
		}
		key := "figures.family.class"
		if strings.HasPrefix(id, unitClassPrefix) {
			key = "figures.family.unit_class"
		}
		return i18n.T(lang, key, map[string]any{"Class": label})
	}
	return i18n.T(lang, "figures."+id)
}

// Sentence is the report's summary sentence, e.g. 提案所提事项已解决和正在解决的达203件，
// 占总数的94.9%，面商率100.0%，满意率100.0%。
func (fs *FigureSet) Sentence(lang string) string {
	solved, face, sat := fs.Get("proposals.solved"), fs.Get("proposals.face_to_face"), fs.Get("evaluations.satisfied")
	return i18n.T(lang, "figures.sentence", map[string]any{
		"Solved": solved.Value, "Registered": solved.DenValue, "SolvedPct": solved.Pct(),
		"FacePct": face.Pct(), "SatPct": sat.Pct(),
	})
}

// Text renders every figure as aligned text lines (id, label, value, share),
// then the sentence: what the golden files hold and the plain-text export.
func (fs *FigureSet) Text(lang string) string {
	var b strings.Builder
	for _, v := range fs.Values {
		line := fmt.Sprintf("%-30s %s = %d", v.ID, fs.Label(lang, v), v.Value)
		if v.HasRate() {
			line += fmt.Sprintf(" / %d (%s of %s)", v.DenValue, v.Pct(), v.Den)
		}
		b.WriteString(line + "\n")
	}
	b.WriteString(fs.Sentence(lang) + "\n")
	return b.String()
}
