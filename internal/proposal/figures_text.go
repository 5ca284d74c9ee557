package proposal

import (
	"strings"

	"lvzhi/internal/figure"
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
// 占总数的94.9%，面商率100.0%，满意率100.0%, rendered by figure.Sentence from the
// figures it cites by id.
func (fs *FigureSet) Sentence(lang string) string {
	return figure.Sentence(lang, "figures.sentence", fs.Values)
}

// Text renders every figure as aligned text lines (id, label, value, share),
// then the sentence: what the golden files hold and the plain-text export.
func (fs *FigureSet) Text(lang string) string {
	return figure.Text(lang, fs.Values) + fs.Sentence(lang) + "\n"
}
