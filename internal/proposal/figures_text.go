package proposal

import (
	"strings"

	"lvzhi/internal/figure"
	"lvzhi/internal/i18n"
)

// Label returns the figure's name in lang.
func (fs *FigureSet) Label(lang string, v FigureValue) string { return v.Name(lang) }

// FigureLabel names a figure in lang; classes label the per-class family.
func FigureLabel(lang, id string, classes []ResultClass) string {
	d, ok := FigureByID(id)
	if !ok {
		return id
	}
	fd := d.Def()
	if d.Param != "" && fd.Family != strings.TrimSuffix(themePrefix, ".") {
		fd.Label = classLabel(id, d.Param, classes)
	}
	return fd.Name(lang)
}

// Sentence is the report's summary sentence, e.g. 提案所提事项已解决和正在解决的达203件，
// 占总数的94.9%，面商率100.0%，满意率100.0%。
func (fs *FigureSet) Sentence(lang string) string {
	solved, face, sat := fs.Get("proposals.solved"), fs.Get("proposals.face_to_face"), fs.Get("proposals.satisfied")
	return i18n.T(lang, "figures.sentence", map[string]any{
		"Solved": solved.Value, "Registered": solved.DenValue, "SolvedPct": solved.Pct(),
		"FacePct": face.Pct(), "SatPct": sat.Pct(),
	})
}

// Text renders every figure as aligned text lines (id, label, value, share),
// then the sentence: what the golden files hold and the plain-text export.
func (fs *FigureSet) Text(lang string) string {
	return figure.Text(lang, fs.Values) + fs.Sentence(lang) + "\n"
}
