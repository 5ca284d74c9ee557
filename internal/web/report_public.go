package web

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"

	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/i18n"
	"lvzhi/internal/proposal"
	"lvzhi/internal/report"
)

// The public site's reports and open data, without login: finalised reports'
// sentences and frozen figures (never their records or the staff's prose),
// and the published proposals as CSV and JSON.

func (s *Server) reportPublicRoutes() {
	s.handle("GET /public/reports", s.publicReports)
	s.handle("GET /public/reports/{id}", s.publicReport)
	s.handle("GET /public/reports/{id}/figures.csv", s.publicReportCSV)
	s.handle("GET /public/reports/{id}/figures.json", s.publicReportJSON)
	s.handle("GET /public/proposals.csv", s.publicProposalsCSV)
	s.handle("GET /public/proposals.json", s.publicProposalsJSON)
}

func (s *Server) publicReports(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Reports.PublicReports(r.Context(), queryID(r.URL.Query(), "committee"))
	if err != nil {
		return err
	}
	s.render(w, r, "report/public_list.html", map[string]any{"Reports": list})
	return nil
}

func (s *Server) publicDocument(r *http.Request) (*report.Document, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.Reports.PublicDocument(r.Context(), id, langOf(r))
}

func (s *Server) publicReport(w http.ResponseWriter, r *http.Request) error {
	d, err := s.publicDocument(r)
	if err != nil {
		return err
	}
	s.render(w, r, "report/public.html", map[string]any{"Doc": d, "State": d.StateLine()})
	return nil
}

// publicFigure is one frozen figure as open data.
type publicFigure struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Definition string  `json:"definition"`
	Value      int64   `json:"value"`
	Unit       string  `json:"unit"`
	Den        string  `json:"den,omitempty"`
	DenValue   int64   `json:"den_value,omitempty"`
	Share      float64 `json:"share,omitempty"`
}

func publicFigures(lang string, vs []figure.Value) []publicFigure {
	out := make([]publicFigure, 0, len(vs))
	for _, v := range vs {
		p := publicFigure{ID: v.ID, Name: v.Name(lang), Definition: v.Definition(lang), Value: v.Value, Unit: v.Unit, Den: v.Den, DenValue: v.DenValue}
		if r, ok := v.Rate(); ok {
			p.Share = r
		}
		out = append(out, p)
	}
	return out
}

func (s *Server) publicReportJSON(w http.ResponseWriter, r *http.Request) error {
	d, err := s.publicDocument(r)
	if err != nil {
		return err
	}
	return sendJSON(w, map[string]any{"committee": d.Committee, "year": d.Report.Year, "title": d.Report.Title,
		"final_on": d.AsOf, "figures": publicFigures(langOf(r), d.Values)})
}

func (s *Server) publicReportCSV(w http.ResponseWriter, r *http.Request) error {
	d, err := s.publicDocument(r)
	if err != nil {
		return err
	}
	lang := langOf(r)
	rows := [][]string{{"id", i18n.T(lang, "figures.col.figure"), i18n.T(lang, "figures.col.value"), i18n.T(lang, "figures.col.unit_of"),
		i18n.T(lang, "figures.col.den"), i18n.T(lang, "figures.col.share"), i18n.T(lang, "figures.col.definition")}}
	for _, p := range publicFigures(lang, d.Values) {
		share, den := "", ""
		if p.Den != "" {
			den = strconv.FormatInt(p.DenValue, 10)
			if p.DenValue != 0 {
				share = strconv.FormatFloat(p.Share, 'f', 4, 64)
			}
		}
		rows = append(rows, []string{p.ID, p.Name, strconv.FormatInt(p.Value, 10), p.Unit, den, share, p.Definition})
	}
	return sendCSV(w, d.Committee+"-"+d.Report.Title+".csv", rows)
}

// publishedProposals lists every published proposal (of one committee, or all).
func (s *Server) publishedProposals(r *http.Request) ([]proposal.PublicItem, error) {
	var out []proposal.PublicItem
	in := proposal.PublicQuery{CommitteeID: queryID(r.URL.Query(), "committee"), Limit: 100}
	for {
		pg, err := s.Proposals.PublicList(r.Context(), in)
		if err != nil {
			return nil, err
		}
		out = append(out, pg.Items...)
		if len(pg.Items) < in.Limit || len(out) >= figure.MaxExportRows {
			return out, nil
		}
		in.Offset += in.Limit
	}
}

func (s *Server) publicProposalsJSON(w http.ResponseWriter, r *http.Request) error {
	items, err := s.publishedProposals(r)
	if err != nil {
		return err
	}
	if items == nil {
		items = []proposal.PublicItem{}
	}
	return sendJSON(w, map[string]any{"proposals": items})
}

func (s *Server) publicProposalsCSV(w http.ResponseWriter, r *http.Request) error {
	items, err := s.publishedProposals(r)
	if err != nil {
		return err
	}
	lang := langOf(r)
	t := func(k string) string { return i18n.T(lang, k) }
	rows := [][]string{{"id", t("report.open.committee"), t("report.open.number"), t("report.open.year"), t("report.open.theme"),
		t("report.open.title"), t("report.open.units"), t("report.open.classes"), t("report.open.published_on")}}
	for _, p := range items {
		rows = append(rows, []string{strconv.FormatInt(p.ID, 10), p.Committee, p.Number, strconv.Itoa(p.Year),
			i18n.T(lang, "proposal.theme."+string(p.Theme)), p.Title, joinList(p.Units), joinList(p.Classes), p.PublishedOn.String()})
	}
	return sendCSV(w, t("report.open.proposals_file")+"-"+civil.Today().String()+".csv", rows)
}

func joinList(xs []string) string {
	var b bytes.Buffer
	for i, x := range xs {
		if i > 0 {
			b.WriteString("、")
		}
		b.WriteString(x)
	}
	return b.String()
}

// sendJSON writes v as a JSON download.
func sendJSON(w http.ResponseWriter, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err = w.Write(b)
	return err
}

// sendCSV writes rows as a UTF-8 CSV download (with a byte order mark, so
// spreadsheet programs read the Chinese text).
func sendCSV(w http.ResponseWriter, name string, rows [][]string) error {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	_, err := w.Write(buf.Bytes())
	return err
}
