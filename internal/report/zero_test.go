package report

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"lvzhi/internal/figure"
)

// zeroWritten finds a zero written as a figure: 0, 0%, 0.0% or 0万 standing
// alone (not a digit of 10, 2026 or 0.5).
var zeroWritten = regexp.MustCompile(`(^|[^0-9.])0(\.0)?(%|[^0-9.%]|$)`)

// TestNoZeroFigures: every sentence of the annual report and of the
// bulletins, in both languages, rendered with its figures zero one at a time,
// all but one, and all, writes no zero (it leaves the clause, or the
// sentence, out); with every figure set it writes them all.
func TestNoZeroFigures(t *testing.T) {
	var all []SentenceDef
	for _, sd := range Sections {
		all = append(all, sd.Sentences...)
	}
	for _, defs := range bulletinSections {
		for _, sd := range defs {
			all = append(all, sd.Sentences...)
		}
	}
	values := func(cites []string, zero func(i int) bool) []figure.Value {
		var vs []figure.Value
		for i, id := range cites {
			v := figure.Value{Def: figure.Def{ID: id, Unit: "item", Den: "base"}, Value: 7, DenValue: 10}
			if strings.Contains(id, "amount") || strings.Contains(id, "cash") || strings.Contains(id, "value") {
				v.Unit, v.Value = "fen", 70_000_000
			}
			if zero(i) {
				v.Value = 0
			}
			vs = append(vs, v)
		}
		return vs
	}
	for _, lang := range []string{"zh", "en"} {
		for _, st := range all {
			n := len(st.Cites)
			cases := map[string]func(int) bool{"none zero": func(int) bool { return false }, "all zero": func(int) bool { return true }}
			for k := range n {
				cases["only "+st.Cites[k]] = func(i int) bool { return i == k }
				cases["all but "+st.Cites[k]] = func(i int) bool { return i != k }
			}
			for name, zero := range cases {
				text, stated, ok := st.render(lang, "county", values(st.Cites, zero))
				if m := zeroWritten.FindString(text); m != "" {
					t.Errorf("%s %s, %s zero: writes %q in %q", lang, st.Key, name, m, text)
				}
				if name == "all zero" && ok && !slices.ContainsFunc(st.Clauses, func(c ClauseDef) bool { return c.Keep }) {
					t.Errorf("%s %s: written with every figure zero: %q", lang, st.Key, text)
				}
				if name == "none zero" {
					if !ok || len(stated) < n {
						t.Errorf("%s %s: with no zero it states %v of %v: %q", lang, st.Key, stated, st.Cites, text)
					}
					if strings.Contains(text, "{{") || strings.Contains(text, "<no value>") || strings.Contains(text, "  ") {
						t.Errorf("%s %s: %q", lang, st.Key, text)
					}
				}
			}
		}
	}
}
