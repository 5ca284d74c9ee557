package web

import (
	"bytes"
	"html/template"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/report"
	"lvzhi/internal/sheet"
)

// The annual work report pages: the committee's reports by year, a report
// (live or frozen figures, each linking to its records), the staff's prose,
// finalising, the frozen records, the printable A4 page and the exports.

func (s *Server) reportRoutes() {
	if s.Reports == nil {
		s.Reports = report.NewService(s.DB, s.Figures)
	}
	s.handle("GET /reports", s.reportList)
	s.handle("GET /reports/dashboard", s.reportDashboard)
	s.handle("GET /reports/rollup", s.reportRollUp)
	s.handle("GET /reports/bulletins", s.reportBulletin)
	s.handle("GET /reports/bulletins.docx", s.reportBulletinDOCX)
	s.handle("GET /reports/goals", s.reportGoals)
	s.handle("POST /reports/goals", s.reportGoalsSave)
	s.handle("POST /reports", s.reportCreate)
	s.handle("GET /reports/{id}", s.reportView)
	s.handle("GET /reports/{id}/edit", s.reportEdit)
	s.handle("POST /reports/{id}/edit", s.reportSave)
	s.handle("POST /reports/{id}/finalise", s.reportFinalise)
	s.handle("GET /reports/{id}/records", s.reportRecords)
	s.handle("GET /reports/{id}/print", s.reportPrint)
	s.handle("GET /reports/{id}/export.docx", s.reportDOCX)
	s.handle("GET /reports/{id}/export.xlsx", s.reportXLSX)
	s.reportPublicRoutes()
}

// reportListPage is the list and the create form's state.
type reportListPage struct {
	Reports []*report.Report
	CanEdit bool
	// Dashboard: the reader sees the figures' charts.
	Dashboard bool
	In        map[string]string
	Fields    []apperr.FieldError
	Error     string
}

func (s *Server) reportList(w http.ResponseWriter, r *http.Request) error {
	return s.renderReportList(w, r, http.StatusOK, reportListPage{In: map[string]string{"year": strconv.Itoa(civil.Today().Year - 1)}})
}

func (s *Server) renderReportList(w http.ResponseWriter, r *http.Request, status int, p reportListPage) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	if p.Reports, err = s.Reports.List(r.Context(), a); err != nil {
		return err
	}
	p.CanEdit = s.canEditReports(a)
	p.Dashboard = s.canFigures(a) // the charts and roll-ups read the figures, as the figures pages do
	w.WriteHeader(status)
	s.render(w, r, "report/list.html", p)
	return nil
}

func (s *Server) reportCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	v := formValues(r)
	in := report.CreateInput{Year: formInt(v, "year", &fe), Title: v.Get("title")}
	if len(fe) == 0 {
		var rep *report.Report
		if rep, err = s.Reports.Create(r.Context(), a, in); err == nil {
			http.Redirect(w, r, reportPath(rep.ID, ""), http.StatusSeeOther)
			return nil
		}
	} else {
		err = apperr.Fields(fe...)
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderReportList(w, r, http.StatusUnprocessableEntity, reportListPage{Fields: fields, Error: msg,
		In: map[string]string{"year": v.Get("year"), "title": v.Get("title")}})
}

// reportPath is the address of a report's page (or one of its sub-pages).
func reportPath(id int64, sub string) string {
	p := "/reports/" + strconv.FormatInt(id, 10)
	if sub != "" {
		p += "/" + sub
	}
	return p
}

// reportFigureLink is the one address of the records behind a figure of a
// report: the live records page with the report's filter for a draft, the
// records frozen with a finalised report.
func reportFigureLink(d *report.Document, id string) string {
	if d.Frozen {
		return reportPath(d.Report.ID, "records") + "?fig=" + url.QueryEscape(id)
	}
	return recordsLink(d.Filter, id)
}

// reportCite is one figure cited by a sentence, as the page links it.
type reportCite struct {
	Name, Value, Unit, Share string
	Link                     template.URL
}

// reportSentence is a sentence and its cited figures.
type reportSentence struct {
	Text  string
	Cites []reportCite
}

// reportSection is a shown section.
type reportSection struct {
	report.Section
	Before, After []string // paragraphs of the staff's prose
	Sentences     []reportSentence
}

// reportViewPage is a report's page.
type reportViewPage struct {
	Doc      *report.Document
	Preamble []string
	Sections []reportSection
	Can      []string
	State    string
	Notice   string
}

// paras splits prose into paragraphs at line breaks.
func paras(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (s *Server) reportPage(r *http.Request) (*reportViewPage, error) {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return nil, err
	}
	lang := langOf(r)
	d, err := s.Reports.Document(r.Context(), a, id, lang)
	if err != nil {
		return nil, err
	}
	return docPage(d, report.Can(a, d.Report), lang), nil
}

// docPage is a document as the pages show it: prose in paragraphs, each
// sentence's figures linked to their records.
func docPage(d *report.Document, can []string, lang string) *reportViewPage {
	p := &reportViewPage{Doc: d, Preamble: paras(d.Preamble), Can: can, State: d.StateLine(),
		Notice: d.MissingNotice()}
	for _, sec := range d.Sections {
		rs := reportSection{Section: sec, Before: paras(sec.Before), After: paras(sec.After)}
		for _, st := range sec.Sentences {
			out := reportSentence{Text: st.Text}
			for _, v := range st.Figures {
				c := reportCite{Name: v.Name(lang), Value: v.Amount(), Unit: v.UnitName(lang), Link: template.URL(reportFigureLink(d, v.ID))}
				if v.HasRate() {
					c.Share = v.Pct()
				}
				out.Cites = append(out.Cites, c)
			}
			rs.Sentences = append(rs.Sentences, out)
		}
		p.Sections = append(p.Sections, rs)
	}
	return p
}

func (s *Server) reportView(w http.ResponseWriter, r *http.Request) error {
	p, err := s.reportPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, "report/view.html", p)
	return nil
}

// reportPrint is the printable A4 page: the report alone, without the site's
// navigation and without the figures' links.
func (s *Server) reportPrint(w http.ResponseWriter, r *http.Request) error {
	p, err := s.reportPage(r)
	if err != nil {
		return err
	}
	s.renderTemplate(w, r, "report/print.html", "print", p)
	return nil
}

// reportEditPage is the prose form.
type reportEditPage struct {
	Report   *report.Report
	Sections []reportEditSection
	Fields   []apperr.FieldError
	Error    string
}

// reportEditSection is one section's prose fields.
type reportEditSection struct {
	ID, Title     string
	Before, After string
	Shown         bool
}

func (s *Server) reportEdit(w http.ResponseWriter, r *http.Request) error {
	return s.renderReportEdit(w, r, http.StatusOK, nil, "", nil)
}

func (s *Server) renderReportEdit(w http.ResponseWriter, r *http.Request, status int, fields []apperr.FieldError, msg string, in map[string]string) error {
	a, id, err := actorAndID(r, report.PermEdit)
	if err != nil {
		return err
	}
	rep, err := s.Reports.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	if rep.IsFinal() {
		return apperr.New(apperr.Conflict, "err.report.final")
	}
	texts := rep.Texts
	if in != nil {
		texts = in
		if t := in["title"]; t != "" {
			rep.Title = t
		}
	}
	lang := langOf(r)
	p := reportEditPage{Report: rep, Fields: fields, Error: msg}
	p.Sections = append(p.Sections, reportEditSection{ID: report.Preamble, Title: "report.web.preamble", Before: texts[report.TextKey(report.Preamble, report.Before)], Shown: true})
	for _, sd := range report.Sections {
		p.Sections = append(p.Sections, reportEditSection{ID: sd.ID, Title: sd.Title(lang), Shown: len(sd.Unregistered(s.Figures)) == 0,
			Before: texts[report.TextKey(sd.ID, report.Before)], After: texts[report.TextKey(sd.ID, report.After)]})
	}
	w.WriteHeader(status)
	s.render(w, r, "report/edit.html", p)
	return nil
}

func (s *Server) reportSave(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, report.PermEdit)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	v := formValues(r)
	in := report.TextsInput{Version: formInt(v, "version", &fe), Title: v.Get("title"), Texts: map[string]string{}}
	echo := map[string]string{"title": v.Get("title")}
	keys := []string{report.TextKey(report.Preamble, report.Before)}
	for _, sd := range report.Sections {
		keys = append(keys, report.TextKey(sd.ID, report.Before), report.TextKey(sd.ID, report.After))
	}
	for _, k := range keys {
		if _, ok := v[k]; ok {
			in.Texts[k], echo[k] = v.Get(k), v.Get(k)
		}
	}
	if len(fe) == 0 {
		if _, err = s.Reports.SaveTexts(r.Context(), a, id, in); err == nil {
			http.Redirect(w, r, reportPath(id, ""), http.StatusSeeOther)
			return nil
		}
	} else {
		err = apperr.Fields(fe...)
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderReportEdit(w, r, http.StatusUnprocessableEntity, fields, msg, echo)
}

func (s *Server) reportFinalise(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	version := formInt(formValues(r), "version", &fe)
	if len(fe) > 0 {
		return apperr.Fields(fe...)
	}
	if _, err := s.Reports.Finalise(r.Context(), a, id, version); err != nil {
		return err
	}
	http.Redirect(w, r, reportPath(id, ""), http.StatusSeeOther)
	return nil
}

// reportRecords lists the records a finalised report's figure counted.
func (s *Server) reportRecords(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	fig := r.URL.Query().Get("fig")
	v, cols, recs, err := s.Reports.FrozenRecords(r.Context(), a, id, fig)
	if err != nil {
		return err
	}
	rep, err := s.Reports.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	lang := langOf(r)
	linkCol := 0
	for i, c := range cols {
		if c == "title" {
			linkCol = i
		}
	}
	s.render(w, r, "report/records.html", map[string]any{"Report": rep, "Figure": v, "Name": v.Name(lang),
		"Definition": v.Definition(lang), "Unit": v.UnitName(lang), "Columns": cols, "Records": recs, "LinkCol": linkCol,
		"Value": figureAmount(v)})
	return nil
}

// figureAmount is a value as the pages write it.
func figureAmount(v figure.Value) string { return v.Amount() }

// canEditReports reports whether the actor creates and edits reports.
func (s *Server) canEditReports(a *authActor) bool {
	return len(report.Can(a, &report.Report{CommitteeID: a.CommitteeID, State: report.Draft})) > 0
}

// reportDOCX sends the report as a Word document.
func (s *Server) reportDOCX(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	d, err := s.Reports.Document(r.Context(), a, id, langOf(r))
	if err != nil {
		return err
	}
	var buf bytes.Buffer // whole, so a failure is an error page rather than half a file
	if err := d.WriteDOCX(&buf); err != nil {
		return err
	}
	name := strings.TrimSuffix(sheet.FileName(civil.Today(), d.Committee, d.Report.Title), ".xlsx") + ".docx"
	h := w.Header()
	h.Set("Content-Type", report.DocxContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// reportXLSX sends the report's figures and their records as .xlsx.
func (s *Server) reportXLSX(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	sh, d, err := s.Reports.Workbook(r.Context(), a, id, langOf(r))
	if err != nil {
		return err
	}
	defer sh.Close()
	return sh.Send(w, sheet.FileName(civil.Today(), d.Committee, d.Report.Title))
}
