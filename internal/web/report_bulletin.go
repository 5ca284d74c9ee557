package web

import (
	"bytes"
	"html/template"
	"mime"
	"net/http"
	"strings"

	"lvzhi/internal/civil"
	"lvzhi/internal/report"
	"lvzhi/internal/sheet"
)

// The bulletins: the quarterly 三送三帮 bulletin and the proposal-handling
// summary, generated for a period and not stored; printable and as .docx.

// bulletinRequest reads the bulletin's query (report.BulletinQuery, the
// API's too) and renders the bulletin.
func (s *Server) bulletinRequest(r *http.Request) (*report.Document, map[string]string, error) {
	a, err := requireActor(r)
	if err != nil {
		return nil, nil, err
	}
	kind, f, in, err := report.BulletinQuery(r.URL.Query(), a.CommitteeID, civil.Today())
	if err != nil {
		return nil, in, err
	}
	d, err := s.Reports.Bulletin(r.Context(), a, kind, f, langOf(r))
	return d, in, err
}

func (s *Server) reportBulletin(w http.ResponseWriter, r *http.Request) error {
	d, in, err := s.bulletinRequest(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	for k, v := range in {
		q.Set(k, v)
	}
	s.render(w, r, "report/bulletin.html", map[string]any{"Page": docPage(d, nil, langOf(r)), "In": in,
		"Kinds": []string{report.BulletinProposal, report.BulletinAssist}, "Quarters": []string{"1", "2", "3", "4"},
		"Docx": template.URL("/reports/bulletins.docx?" + q.Encode())})
	return nil
}

func (s *Server) reportBulletinDOCX(w http.ResponseWriter, r *http.Request) error {
	d, _, err := s.bulletinRequest(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
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
