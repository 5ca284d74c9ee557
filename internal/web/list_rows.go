package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"lvzhi/internal/i18n"
	"lvzhi/internal/org"
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

// idOptions writes the <option>s of a select of records by id, the one whose
// id is selected marked: what
//
//	{{range .}}<option value="{{.ID}}" {{if eq .ID $sel}}selected{{end}}>{{.Name}}</option>{{end}}
//
// wrote. list is a slice of org.Unit, org.Session, org.Term, org.Sector or org.Group.
func idOptions(list any, selected int64) template.HTML {
	var b strings.Builder
	opt := func(id int64, name string) {
		b.WriteString(`<option value="` + strconv.FormatInt(id, 10) + `" `)
		if id == selected {
			b.WriteString("selected")
		}
		b.WriteString(">")
		writeEscaped(&b, name)
		b.WriteString("</option>")
	}
	switch l := list.(type) {
	case []org.Unit:
		for _, x := range l {
			opt(x.ID, x.Name)
		}
	case []org.Session:
		for _, x := range l {
			opt(x.ID, x.Name)
		}
	case []org.Term:
		for _, x := range l {
			opt(x.ID, x.Name)
		}
	case []org.Sector:
		for _, x := range l {
			opt(x.ID, x.Name)
		}
	case []org.Group:
		for _, x := range l {
			opt(x.ID, x.Name)
		}
	default:
		panic(fmt.Sprintf("idOptions: %T", list))
	}
	return template.HTML(b.String())
}

// memberRowsHTML writes the rows of the member list (org/members.html).
func memberRowsHTML(lang string, rows []memberRow) template.HTML {
	if len(rows) == 0 {
		return ""
	}
	l := func(key string) string { return escapeHTML(i18n.T(lang, key)) }
	colName, colGender, colSector, colAffiliation := l("org.col.name"), l("org.col.gender"), l("org.col.sector"), l("org.col.affiliation")
	colPositions, colEmployer, colPhone, colGroups := l("org.col.positions"), l("org.col.employer"), l("org.col.phone"), l("org.col.groups")
	standing, sep := l("org.standing_tag"), l("p.sep")
	var b strings.Builder
	b.Grow(len(rows) * 700)
	for _, r := range rows {
		b.WriteString("<tr>\n<td data-label=\"" + colName + `"><a href="/org/members/` + strconv.FormatInt(r.ID, 10) + `">`)
		writeEscaped(&b, r.Name)
		b.WriteString("</a>")
		if r.Standing {
			b.WriteString(` <span class="tag">` + standing + `</span>`)
		}
		if r.Status != "active" {
			b.WriteString(` <span class="tag">`)
			writeEscaped(&b, r.StatusLabel)
			b.WriteString(`</span>`)
		}
		b.WriteString("</td>\n<td data-label=\"" + colGender + `">`)
		if r.Gender != "" {
			writeEscaped(&b, r.GenderLabel)
		}
		b.WriteString("</td>\n<td data-label=\"" + colSector + `">`)
		writeEscaped(&b, r.SectorName)
		b.WriteString("</td>\n<td data-label=\"" + colAffiliation + `">`)
		if r.Affiliation != "" {
			writeEscaped(&b, r.AffiliationLabel)
		}
		b.WriteString("</td>\n<td data-label=\"" + colPositions + `">`)
		for i, p := range r.PositionLabels {
			if i > 0 {
				b.WriteString(sep)
			}
			writeEscaped(&b, p)
		}
		b.WriteString("</td>\n<td data-label=\"" + colEmployer + `">`)
		writeEscaped(&b, r.Employer)
		if r.JobTitle != "" {
			b.WriteString(" ")
			writeEscaped(&b, r.JobTitle)
		}
		b.WriteString("</td>\n<td data-label=\"" + colPhone + `">`)
		if r.Phone != "" {
			b.WriteString(`<a href="tel:`)
			writeEscaped(&b, normalizeURL(r.Phone))
			b.WriteString(`">`)
			writeEscaped(&b, r.Phone)
			b.WriteString(`</a>`)
		}
		b.WriteString("</td>\n<td data-label=\"" + colGroups + `">`)
		for i, g := range r.Groups {
			if i > 0 {
				b.WriteString(sep)
			}
			writeEscaped(&b, g.Name)
		}
		b.WriteString("</td>\n</tr>")
	}
	return template.HTML(b.String())
}

// recordCellTemplate is a record's cell as the records page wrote it; cells
// whose link is not a path of this site are still written by it (html/template
// filters unsafe schemes), the others by recordRowsHTML.
var recordCellTemplate = template.Must(template.New("cell").Parse(
	`<td data-label="{{.Label}}">{{if .Link}}<a href="{{.Link}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}</td>`))

// recordRowsHTML writes the rows of a figure's records (figures/records.html).
func recordRowsHTML(rows [][]recordCell) (template.HTML, error) {
	var b strings.Builder
	for _, row := range rows {
		b.WriteString("<tr>\n")
		for _, c := range row {
			if c.Link != "" && (!strings.HasPrefix(c.Link, "/") || strings.HasPrefix(c.Link, "//")) {
				if err := recordCellTemplate.Execute(&b, c); err != nil {
					return "", err
				}
				continue
			}
			b.WriteString(`<td data-label="`)
			writeEscaped(&b, c.Label)
			b.WriteString(`">`)
			if c.Link != "" {
				b.WriteString(`<a href="`)
				writeEscaped(&b, normalizeURL(c.Link))
				b.WriteString(`">`)
				writeEscaped(&b, c.Text)
				b.WriteString(`</a>`)
			} else {
				writeEscaped(&b, c.Text)
			}
			b.WriteString(`</td>`)
		}
		b.WriteString("\n</tr>")
	}
	return template.HTML(b.String()), nil
}

// auditRowsHTML writes the rows of the audit log (admin/audit.html).
func auditRowsHTML(lang string, rows []auditRow) template.HTML {
	if len(rows) == 0 {
		return ""
	}
	l := func(key string) string { return escapeHTML(i18n.T(lang, key)) }
	colSeq, colAt, colActor, colAction := l("admin.audit.seq"), l("admin.audit.at"), l("admin.audit.actor"), l("admin.audit.action")
	colObject, colChange, system, withheld := l("admin.audit.object"), l("admin.audit.change"), l("pw.actor.system"), l("admin.audit.withheld")
	before, after := l("admin.audit.before"), l("admin.audit.after")
	var b strings.Builder
	b.Grow(len(rows) * 800)
	for _, r := range rows {
		b.WriteString("<tr>\n  <td data-label=\"" + colSeq + `">` + strconv.FormatInt(r.Seq, 10) + "</td>\n  <td data-label=\"" + colAt + `">`)
		writeEscaped(&b, r.When)
		b.WriteString("</td>\n  <td data-label=\"" + colActor + `">`)
		if r.ActorUserID == 0 && r.ActorName == "system" {
			b.WriteString(system)
		} else {
			writeEscaped(&b, r.ActorName)
		}
		b.WriteString("</td>\n  <td data-label=\"" + colAction + `">`)
		writeEscaped(&b, r.ActionLabel)
		b.WriteString("</td>\n  <td data-label=\"" + colObject + `">`)
		if r.EntityID != 0 {
			id := strconv.FormatInt(r.EntityID, 10)
			b.WriteString(`<a href="/admin/audit?entity=` + queryEscape(r.Entity) + `&amp;entity_id=` + id + `">`)
			writeEscaped(&b, r.EntityLabel)
			b.WriteString(" " + id + "</a>")
		} else {
			writeEscaped(&b, r.EntityLabel)
		}
		b.WriteString("</td>\n  <td data-label=\"" + colChange + `">`)
		switch {
		case r.Withheld:
			b.WriteString(`<span class="muted">` + withheld + `</span>`)
		case r.Before != "" || r.After != "":
			b.WriteString("<details><summary>JSON</summary>\n    ")
			if r.Before != "" {
				b.WriteString("<p><b>" + before + "</b></p><pre>")
				writeEscaped(&b, r.Before)
				b.WriteString("</pre>")
			}
			b.WriteString("\n    ")
			if r.After != "" {
				b.WriteString("<p><b>" + after + "</b></p><pre>")
				writeEscaped(&b, r.After)
				b.WriteString("</pre>")
			}
			b.WriteString("</details>")
		}
		b.WriteString("</td>\n</tr>")
	}
	return template.HTML(b.String())
}

// queryEscape percent-encodes s as html/template does a value inside a URL's
// query: everything but letters, digits and "-._~".
func queryEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02x", c)
		}
	}
	return b.String()
}

// unitRowsHTML writes the rows of the unit list (org/units.html).
func unitRowsHTML(lang string, units []org.Unit) template.HTML {
	if len(units) == 0 {
		return ""
	}
	l := func(key string) string { return escapeHTML(i18n.T(lang, key)) }
	colName, colKind, colContact, colPhone := l("org.col.unit_name"), l("org.col.unit_kind"), l("org.col.contact_name"), l("org.col.contact_phone")
	colActive, yes, no := l("org.col.active"), l("org.yes"), l("org.no")
	var b strings.Builder
	b.Grow(len(units) * 500)
	for _, u := range units {
		b.WriteString("<tr>\n<td data-label=\"" + colName + `"><a href="/org/units/` + strconv.FormatInt(u.ID, 10) + `">`)
		writeEscaped(&b, u.Name)
		b.WriteString("</a></td>\n<td data-label=\"" + colKind + `">`)
		writeEscaped(&b, i18n.T(lang, "org.unit_kind."+u.Kind))
		b.WriteString("</td>\n<td data-label=\"" + colContact + `">`)
		writeEscaped(&b, u.ContactName)
		b.WriteString("</td>\n<td data-label=\"" + colPhone + `">`)
		if u.ContactPhone != "" {
			b.WriteString(`<a href="tel:`)
			writeEscaped(&b, normalizeURL(u.ContactPhone))
			b.WriteString(`">`)
			writeEscaped(&b, u.ContactPhone)
			b.WriteString(`</a>`)
		}
		b.WriteString("</td>\n<td data-label=\"" + colActive + `">`)
		if u.Active {
			b.WriteString(yes)
		} else {
			b.WriteString(no)
		}
		b.WriteString("</td>\n</tr>")
	}
	return template.HTML(b.String())
}

// codeOptions writes the <option>s of a select of codes (proposal states,
// themes or kinds), labelled by the translation of prefix+code, the one equal
// to selected marked: what
//
//	{{range .}}<option value="{{.}}" {{if eq (print .) $sel}}selected{{end}}>{{t (printf "<prefix>%s" .)}}</option>{{end}}
//
// wrote.
func codeOptions(lang string, list any, prefix, selected string) template.HTML {
	var codes []string
	switch l := list.(type) {
	case []proposal.State:
		for _, x := range l {
			codes = append(codes, string(x))
		}
	case []proposal.Theme:
		for _, x := range l {
			codes = append(codes, string(x))
		}
	case []proposal.Kind:
		for _, x := range l {
			codes = append(codes, string(x))
		}
	default:
		panic(fmt.Sprintf("codeOptions: %T", list))
	}
	var b strings.Builder
	for _, c := range codes {
		b.WriteString(`<option value="`)
		writeEscaped(&b, c)
		b.WriteString(`" `)
		if c == selected {
			b.WriteString("selected")
		}
		b.WriteString(">")
		writeEscaped(&b, i18n.T(lang, prefix+c))
		b.WriteString("</option>")
	}
	return template.HTML(b.String())
}
