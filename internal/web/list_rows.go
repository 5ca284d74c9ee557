package web

import (
	"html/template"
	"strconv"
	"strings"

	"lvzhi/internal/i18n"
	"lvzhi/internal/proposal"
)

// Rows of the long lists written in Go. A template spends two reflective
// calls per action (the action and html/template's escaper) and a list row
// has a dozen or more: most of a list page's time. These functions write
// exactly the bytes the templates they replace wrote (the *_rows_test.go
// tests execute the old template text against them), escaping as
// html/template does in element text and quoted attributes (writeEscaped).

// propRowsHTML writes the rows (<tr>…</tr>) of the proposal table
// (partial "proptable") in lang.
func propRowsHTML(lang string, items []proposal.Item) template.HTML {
	if len(items) == 0 {
		return ""
	}
	l := func(key string) string { return escapeHTML(i18n.T(lang, key)) }
	colNumber, colTitle, colState, colProposer := l("pw.col.number"), l("pw.col.title"), l("pw.col.state"), l("pw.col.proposer")
	colTheme, colUnits, colDue := l("pw.col.theme"), l("pw.col.units"), l("pw.col.due_on")
	noNumber, key, excellent, overdue := l("pw.no_number"), l("pw.key"), l("pw.excellent"), l("pw.overdue")
	sep := i18n.T(lang, "p.sep")
	var b strings.Builder
	b.Grow(len(items) * 900)
	for _, it := range items {
		b.WriteString("<tr")
		if it.Overdue {
			b.WriteString(` class="late"`)
		}
		b.WriteString(">\n<td data-label=\"" + colNumber + `">`)
		if it.Number != "" {
			writeEscaped(&b, it.Number)
		} else {
			b.WriteString(`<span class="muted">` + noNumber + `</span>`)
		}
		b.WriteString("</td>\n<td data-label=\"" + colTitle + `"><a href="/proposals/` + strconv.FormatInt(it.ID, 10) + `">`)
		writeEscaped(&b, it.Title)
		b.WriteString(`</a>`)
		if it.Key {
			b.WriteString(` <span class="tag">` + key + `</span>`)
		}
		if it.Excellent {
			b.WriteString(` <span class="tag">` + excellent + `</span>`)
		}
		b.WriteString("</td>\n<td data-label=\"" + colState + `"><span class="pstate s-`)
		writeEscaped(&b, string(it.State))
		b.WriteString(`">`)
		writeEscaped(&b, i18n.T(lang, "pw.state."+string(it.State)))
		b.WriteString("</span></td>\n<td data-label=\"" + colProposer + `">`)
		if it.BodyName != "" {
			writeEscaped(&b, it.BodyName)
		} else {
			writeEscaped(&b, it.FirstProposerName)
		}
		b.WriteString("</td>\n<td data-label=\"" + colTheme + `">`)
		writeEscaped(&b, i18n.T(lang, "pw.theme."+string(it.Theme)))
		b.WriteString("</td>\n<td data-label=\"" + colUnits + `">`)
		writeEscaped(&b, strings.Join(it.Units, sep))
		b.WriteString("</td>\n<td data-label=\"" + colDue + `">`)
		writeEscaped(&b, it.DueOn.String())
		if it.Overdue {
			b.WriteString(` <span class="overdue">` + overdue + `</span>`)
		}
		b.WriteString("</td>\n</tr>")
	}
	return template.HTML(b.String())
}
