package web

import (
	"html/template"
	"strings"
	"testing"

	"lvzhi/internal/figure"
	"lvzhi/internal/proposal"
)

// leagueCellsTemplate is the league row's cells as a template, as they were
// written before leagueCellsHTML.
const leagueCellsTemplate = `{{range $i, $c := .Cells}}<td data-label="{{index $.Heads $i}}">{{if $c.Link}}<a href="{{$c.Link}}">{{num $c.Value}}</a>{{else}}{{num $c.Value}}{{end}}{{if $c.HasRate}} <small class="muted">{{$c.Pct}}</small>{{end}}</td>{{end}}`

// TestLeagueCellsHTML: the cells rendered in Go are byte for byte what the
// template rendered, for heads and links with characters html/template
// escapes, values with digit grouping, shares with and without a denominator.
func TestLeagueCellsHTML(t *testing.T) {
	heads := []string{`收到 <提案> & "意见"`, "rate + share", "件数"}
	cells := []leagueCell{
		{FigureValue: figure.Value{Value: 1234567}, Link: "/proposals/figures/records?fig=a&unit=3&q=" + "x+y%2F%E4%B8%AD"},
		{FigureValue: figure.Value{Def: figure.Def{Den: "d"}, Value: 7, DenValue: 9}},
		{FigureValue: figure.Value{Def: figure.Def{Den: "d"}, Value: -1000, DenValue: 0}, Link: "/x?a='b' c\"<>{}|^`中"},
	}
	for _, lang := range []string{"zh", "en"} {
		tp := template.Must(template.New("c").Funcs(funcs(lang)).Parse(leagueCellsTemplate))
		var want strings.Builder
		if err := tp.Execute(&want, map[string]any{"Heads": heads, "Cells": cells}); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		esc := make([]string, len(heads))
		for i, h := range heads {
			esc[i] = escapeHTML(h)
		}
		writeLeagueCells(&b, lang, esc, cells)
		if got := b.String(); got != want.String() {
			t.Errorf("%s:\ngot  %s\nwant %s", lang, got, want.String())
		}
	}
	_ = proposal.LeagueFigures
}

// TestLeagueLinks: each cell's link is the one url.Values.Encode gives with
// the cell's figure set, and escapeHTML escapes as html/template does.
func TestLeagueLinks(t *testing.T) {
	lg := &proposal.League{Filter: proposal.FigureFilter{CommitteeID: 7, Year: 2018, Theme: "eco logy&x"},
		Columns: []string{"proposals.received", "units.class.a b", "z"},
		Rows:    []proposal.LeagueRow{{UnitID: 3, Unit: "甲"}, {UnitID: 11, Unit: "乙", Mine: true}}}
	for _, own := range []bool{false, true} {
		v := newLeagueView("zh", lg, own)
		for r, row := range v.Rows {
			for i, id := range lg.Columns {
				f := lg.Filter
				f.UnitID = lg.Rows[r].UnitID
				q := encodeFilter(f)
				q.Set("fig", id)
				want := "/proposals/figures/records?" + q.Encode()
				if own && !lg.Rows[r].Mine {
					want = ""
				}
				if got := row.Cells[i].Link; got != want {
					t.Errorf("row %d %s: %q, want %q", r, id, got, want)
				}
			}
		}
	}
	for _, s := range []string{"", "plain 中文", `<a href="x">'&'+` + "\x00", "+++", "&amp;"} {
		want := template.HTMLEscapeString(s)
		want = strings.ReplaceAll(want, "+", "&#43;")
		if got := escapeHTML(s); got != want {
			t.Errorf("escapeHTML(%q) = %q, want %q", s, got, want)
		}
	}
}
