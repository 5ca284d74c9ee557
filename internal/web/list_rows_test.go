package web

import (
	"html/template"
	"slices"
	"strings"
	"testing"

	"lvzhi/internal/civil"
	"lvzhi/internal/i18n"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
)

// oldRows executes a template text (what a page used before its rows were
// written in Go) on data in lang, parsed as the pages are (translateStatic,
// funcs), with the extra definitions given.
func oldRows(t *testing.T, lang, src, defs string, data any) string {
	t.Helper()
	tp := template.Must(template.New("rows").Funcs(funcs(lang)).Parse(translateStatic(lang, defs+src)))
	var b strings.Builder
	if err := tp.Execute(&b, data); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// tricky is text with every character html/template escapes.
const tricky = `<b>"甲" & '乙' + 0x00` + "\x00"

// TestPropRowsHTML: the proposal table's rows written in Go are byte for
// byte what the "proptable" template's range wrote, for every state and
// theme, with and without number, body, units, due date, key, excellence and
// lateness, and text html/template escapes.
const propRowsTemplate = `{{range .}}<tr{{if .Overdue}} class="late"{{end}}>
<td data-label="{{t "pw.col.number"}}">{{if .Number}}{{.Number}}{{else}}<span class="muted">{{t "pw.no_number"}}</span>{{end}}</td>
<td data-label="{{t "pw.col.title"}}"><a href="/proposals/{{.ID}}">{{.Title}}</a>{{if .Key}} <span class="tag">{{t "pw.key"}}</span>{{end}}{{if .Excellent}} <span class="tag">{{t "pw.excellent"}}</span>{{end}}</td>
<td data-label="{{t "pw.col.state"}}">{{template "pstate" .State}}</td>
<td data-label="{{t "pw.col.proposer"}}">{{if .BodyName}}{{.BodyName}}{{else}}{{.FirstProposerName}}{{end}}</td>
<td data-label="{{t "pw.col.theme"}}">{{t (printf "pw.theme.%s" .Theme)}}</td>
<td data-label="{{t "pw.col.units"}}">{{join .Units (t "p.sep")}}</td>
<td data-label="{{t "pw.col.due_on"}}">{{.DueOn}}{{if .Overdue}} <span class="overdue">{{t "pw.overdue"}}</span>{{end}}</td>
</tr>{{end}}`

func TestPropRowsHTML(t *testing.T) {
	var items []proposal.Item
	for i, st := range proposal.AllStates {
		it := proposal.Item{ID: int64(1000 + i), State: st, Theme: proposal.Themes[i%len(proposal.Themes)], Title: tricky + string(st),
			FirstProposerName: "委员" + tricky, Overdue: i%3 == 0, Key: i%2 == 0, Excellent: i%4 == 1}
		if i%2 == 1 {
			it.Number, it.DueOn, it.Units = "2026-"+tricky, civil.Date{Year: 2026, Month: 3, Day: i + 1}, []string{"单位<一>", "单位&二"}
		}
		if i%5 == 2 {
			it.BodyName = "民盟" + tricky
		}
		items = append(items, it)
	}
	items = append(items, proposal.Item{ID: 7})
	for _, lang := range i18n.Langs {
		want := oldRows(t, lang, propRowsTemplate, `{{define "pstate"}}<span class="pstate s-{{.}}">{{t (printf "pw.state.%s" .)}}</span>{{end}}`, items)
		if got := string(propRowsHTML(lang, items)); got != want {
			t.Errorf("%s:\ngot  %s\nwant %s", lang, got, want)
		}
		if propRowsHTML(lang, nil) != "" {
			t.Errorf("%s: rows of no items", lang)
		}
	}
}

// TestIDOptions: idOptions writes what the templates' option ranges wrote,
// for every list type it takes, with the selected id and names to escape.
func TestIDOptions(t *testing.T) {
	const src = `{{range .L}}<option value="{{.ID}}" {{if eq .ID $.Sel}}selected{{end}}>{{.Name}}</option>{{end}}`
	lists := []any{
		[]org.Unit{{ID: 1, Name: tricky}, {ID: 22, Name: "单位"}},
		[]org.Session{{ID: 3, Name: "九届二次"}, {ID: 22, Name: tricky}},
		[]org.Term{{ID: 22, Name: "第九届" + tricky}},
		[]org.Sector{{ID: 5, Name: "界别<"}, {ID: 22, Name: ""}},
		[]org.Group{{ID: 9, Name: "组&"}},
		[]org.Unit{},
	}
	for _, l := range lists {
		for _, sel := range []int64{0, 22} {
			want := oldRows(t, "zh", src, "", map[string]any{"L": l, "Sel": sel})
			if got := string(idOptions(l, sel)); got != want {
				t.Errorf("%T %d:\ngot  %s\nwant %s", l, sel, got, want)
			}
		}
	}
}

// TestMemberRowsHTML: the member list's rows written in Go are what the
// template's range wrote, for every status, gender and affiliation, with and
// without positions, groups, job title and phone (one to percent-encode).
func TestMemberRowsHTML(t *testing.T) {
	const src = `{{range .}}<tr>
<td data-label="{{t "org.col.name"}}"><a href="/org/members/{{.ID}}">{{.Name}}</a>{{if .Standing}} <span class="tag">{{t "org.standing_tag"}}</span>{{end}}{{if ne .Status "active"}} <span class="tag">{{.StatusLabel}}</span>{{end}}</td>
<td data-label="{{t "org.col.gender"}}">{{if .Gender}}{{.GenderLabel}}{{end}}</td>
<td data-label="{{t "org.col.sector"}}">{{.SectorName}}</td>
<td data-label="{{t "org.col.affiliation"}}">{{if .Affiliation}}{{.AffiliationLabel}}{{end}}</td>
<td data-label="{{t "org.col.positions"}}">{{range $i, $p := .PositionLabels}}{{if $i}}{{t "p.sep"}}{{end}}{{$p}}{{end}}</td>
<td data-label="{{t "org.col.employer"}}">{{.Employer}}{{if .JobTitle}} {{.JobTitle}}{{end}}</td>
<td data-label="{{t "org.col.phone"}}">{{if .Phone}}<a href="tel:{{.Phone}}">{{.Phone}}</a>{{end}}</td>
<td data-label="{{t "org.col.groups"}}">{{range $i, $g := .Groups}}{{if $i}}{{t "p.sep"}}{{end}}{{$g.Name}}{{end}}</td>
</tr>{{end}}`
	var ms []org.Member
	for i, st := range org.Statuses {
		m := org.Member{ID: int64(i + 1), Name: "委员" + tricky, Gender: []string{"", "male", "female"}[i%3]}
		m.Status, m.SectorName, m.Standing = st, "界别"+tricky, i%2 == 0
		m.Affiliation = org.Affiliations[i%len(org.Affiliations)]
		if i%2 == 1 {
			m.Affiliation, m.Positions = "", org.Positions[:i%len(org.Positions)+1]
			m.Employer, m.JobTitle, m.Phone = "单位"+tricky, "主任<", "0571-8888 1234#"+tricky
			m.Groups = []org.GroupRole{{Name: "组<一>"}, {Name: "组&二"}}
		}
		ms = append(ms, m)
	}
	for _, lang := range i18n.Langs {
		rows := memberRows(lang, ms)
		want := oldRows(t, lang, src, "", rows)
		if got := string(memberRowsHTML(lang, rows)); got != want {
			t.Errorf("%s:\ngot  %s\nwant %s", lang, got, want)
		}
	}
}

// TestRecordRowsHTML: a figure's record rows written in Go are what the
// records template's range wrote, for links of this site (with characters the
// URL normalizer encodes), links with a scheme (filtered or kept by
// html/template) and cells without a link.
func TestRecordRowsHTML(t *testing.T) {
	const src = `{{range .}}<tr>
{{range .}}<td data-label="{{.Label}}">{{if .Link}}<a href="{{.Link}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}</td>{{end}}
</tr>{{end}}`
	rows := [][]recordCell{
		{{Label: "标题" + tricky, Text: tricky, Link: "/proposals/12?q=a b&x=中'\"<>"}, {Label: "单位", Text: "甲 & 乙"}},
		{{Label: "x", Text: "y", Link: "javascript:alert(1)"}, {Label: "x", Text: "y", Link: "https://example.org/a b"}},
		{{Label: "x", Text: "y", Link: "//evil.example/x"}, {Label: "", Text: ""}},
		{},
	}
	want := oldRows(t, "zh", src, "", rows)
	got, err := recordRowsHTML(rows)
	if err != nil || string(got) != want {
		t.Errorf("%v:\ngot  %s\nwant %s", err, got, want)
	}
}

// TestAuditRowsHTML: the audit log's rows written in Go are what the
// template's range wrote: system and named actors, entries with and without
// a record id (a kind to percent-encode), withheld values, before and/or after.
func TestAuditRowsHTML(t *testing.T) {
	const src = `{{range .Rows}}<tr>
  <td data-label="{{t "admin.audit.seq"}}">{{.Seq}}</td>
  <td data-label="{{t "admin.audit.at"}}">{{.When}}</td>
  <td data-label="{{t "admin.audit.actor"}}">{{if and (not .ActorUserID) (eq .ActorName "system")}}{{t "pw.actor.system"}}{{else}}{{.ActorName}}{{end}}</td>
  <td data-label="{{t "admin.audit.action"}}">{{.ActionLabel}}</td>
  <td data-label="{{t "admin.audit.object"}}">{{if .EntityID}}<a href="/admin/audit?entity={{.Entity}}&amp;entity_id={{.EntityID}}">{{.EntityLabel}} {{.EntityID}}</a>{{else}}{{.EntityLabel}}{{end}}</td>
  <td data-label="{{t "admin.audit.change"}}">{{if .Withheld}}<span class="muted">{{t "admin.audit.withheld"}}</span>{{else if or .Before .After}}<details><summary>JSON</summary>
    {{with .Before}}<p><b>{{t "admin.audit.before"}}</b></p><pre>{{.}}</pre>{{end}}
    {{with .After}}<p><b>{{t "admin.audit.after"}}</b></p><pre>{{.}}</pre>{{end}}</details>{{end}}</td>
</tr>{{end}}`
	var rows []auditRow
	for i := range 8 {
		r := auditRow{Seq: int64(100 + i), When: "2026-12-01 08:0" + string(rune('0'+i)), ActorName: []string{"system", "张三" + tricky}[i%2],
			ActionLabel: "更新" + tricky, Entity: []string{"proposal", "a b&c/中"}[i/4], EntityLabel: "提案<", Withheld: i == 5}
		r.ActorUserID = int64(i % 3)
		if i%2 == 0 {
			r.EntityID = int64(i * 7)
		}
		if i%4 != 3 {
			r.Before = []string{"", `{"a":"<b>"}`, `{"x":1}`}[i%3]
			r.After = []string{`{"t":"甲 & 乙"}`, "", `{"y":"'+'"}`}[i%3]
		}
		rows = append(rows, r)
	}
	for _, lang := range i18n.Langs {
		want := oldRows(t, lang, src, "", map[string]any{"Rows": rows})
		if got := string(auditRowsHTML(lang, rows)); got != want {
			t.Errorf("%s:\ngot  %s\nwant %s", lang, got, want)
		}
	}
}

// TestUnitRowsHTML: the unit list's rows written in Go are what the
// template's range wrote, for every kind, active or not, with and without a
// contact phone (one to percent-encode).
func TestUnitRowsHTML(t *testing.T) {
	const src = `{{range .Units}}<tr>
<td data-label="{{t "org.col.unit_name"}}"><a href="/org/units/{{.ID}}">{{.Name}}</a></td>
<td data-label="{{t "org.col.unit_kind"}}">{{t (printf "org.unit_kind.%s" .Kind)}}</td>
<td data-label="{{t "org.col.contact_name"}}">{{.ContactName}}</td>
<td data-label="{{t "org.col.contact_phone"}}">{{if .ContactPhone}}<a href="tel:{{.ContactPhone}}">{{.ContactPhone}}</a>{{end}}</td>
<td data-label="{{t "org.col.active"}}">{{if .Active}}{{t "org.yes"}}{{else}}{{t "org.no"}}{{end}}</td>
</tr>{{end}}`
	var us []org.Unit
	for i, k := range append(org.UnitKinds, "") {
		u := org.Unit{ID: int64(i + 1), Name: "单位" + tricky, Kind: k, ContactName: "联系人<", Active: i%2 == 0}
		if i%3 != 0 {
			u.ContactPhone = "0571 8888#" + tricky
		}
		us = append(us, u)
	}
	for _, lang := range i18n.Langs {
		want := oldRows(t, lang, src, "", map[string]any{"Units": us})
		if got := string(unitRowsHTML(lang, us)); got != want {
			t.Errorf("%s:\ngot  %s\nwant %s", lang, got, want)
		}
	}
}

// TestCodeOptions: codeOptions writes what the proposal list's state, theme
// and kind ranges wrote, with and without a selected code.
func TestCodeOptions(t *testing.T) {
	cases := []struct {
		src, prefix string
		list        any
		sels        []string
	}{
		{`{{range .L}}<option value="{{.}}" {{if eq (print .) $.Sel}}selected{{end}}>{{t (printf "pw.state.%s" .)}}</option>{{end}}`,
			"pw.state.", append(slices.Clone(proposal.AllStates), "a<b"), []string{"", string(proposal.Replied), "a<b"}},
		{`{{range .L}}<option value="{{.}}" {{if eq . $.Sel}}selected{{end}}>{{t (printf "pw.theme.%s" .)}}</option>{{end}}`,
			"pw.theme.", proposal.Themes, []string{"", string(proposal.Themes[1])}},
		{`{{range .L}}<option value="{{.}}" {{if eq . $.Sel}}selected{{end}}>{{t (printf "pw.kind.%s" .)}}</option>{{end}}`,
			"pw.kind.", []proposal.Kind{proposal.Joint, "x&y"}, []string{"", string(proposal.Joint)}},
	}
	for _, c := range cases {
		for _, lang := range i18n.Langs {
			for _, sel := range c.sels {
				var typed any = sel // the template compares like with like
				switch c.list.(type) {
				case []proposal.Theme:
					typed = proposal.Theme(sel)
				case []proposal.Kind:
					typed = proposal.Kind(sel)
				}
				want := oldRows(t, lang, c.src, "", map[string]any{"L": c.list, "Sel": typed})
				if got := string(codeOptions(lang, c.list, c.prefix, sel)); got != want {
					t.Errorf("%s %T %q:\ngot  %s\nwant %s", lang, c.list, sel, got, want)
				}
			}
		}
	}
}
