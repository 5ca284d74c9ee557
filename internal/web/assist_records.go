package web

import (
	"html/template"
	"net/http"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/assist"
	"lvzhi/internal/auth"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// assistRecordsPage is the list of assistance records.
type assistRecordsPage struct {
	Unverified bool
	Kind       string
	List       []assist.Record // the page shown
	Total      int             // the records the filter selects
	Pager      pager
	Officer    bool
	Opts       assistOpts
	Export     template.URL // the export of the same filter
}

// recordFilter is the list's filter from its query (?page=, and ?per= for
// the page size).
func recordFilter(r *http.Request) assist.RecordFilter {
	q := r.URL.Query()
	per := perPage(q, assistPerPage)
	return assist.RecordFilter{Unverified: q.Get("unverified") == "1", Kind: q.Get("kind"),
		Offset: (max(queryInt(q, "page"), 1) - 1) * per, Limit: per}
}

func (s *Server) assistRecords(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := recordFilter(r)
	p := assistRecordsPage{Unverified: f.Unverified, Kind: f.Kind, Officer: canManage(a), Opts: newAssistOpts(),
		Export: link("/assist/records.xlsx", q)}
	if p.List, p.Total, err = s.Assist.ListRecords(r.Context(), a, f); err != nil {
		return err
	}
	p.Pager = newPager(r.URL.Path, q, max(queryInt(q, "page"), 1), f.Offset+len(p.List) < p.Total)
	s.render(w, r, "assist/records.html", p)
	return nil
}

// assistRecordsExport exports the records the reader may read.
func (s *Server) assistRecordsExport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	f := recordFilter(r)
	f.Offset, f.Limit = 0, exportBatch
	lang := langOf(r)
	col := func(key string, width float64, kind sheet.Kind) sheet.Column {
		return sheet.Column{Head: i18n.T(lang, key), Width: width, Kind: kind}
	}
	title := i18n.T(lang, "assist.records")
	sh, err := sheet.New(title, []sheet.Column{
		col("assist.f.given_on", 12, sheet.Date), col("assist.f.kind", 14, sheet.Text), col("assist.col.registry_id", 18, sheet.Text),
		col("assist.f.head", 10, sheet.Text), col("assist.f.members", 20, sheet.Text), col("assist.f.amount", 12, sheet.Number),
		col("assist.f.goods_items", 8, sheet.Number), col("assist.f.goods_value", 12, sheet.Number), col("assist.f.info_count", 8, sheet.Number),
		col("assist.f.readings", 8, sheet.Number), col("assist.f.students", 8, sheet.Number), col("assist.f.jobs", 8, sheet.Number),
		col("assist.f.verified", 10, sheet.Text)})
	if err != nil {
		return err
	}
	for {
		list, total, err := s.Assist.ListRecords(r.Context(), a, f)
		if err != nil {
			sh.Close()
			return err
		}
		for _, rc := range list {
			if err := sh.Row(rc.GivenOn, i18n.T(lang, "assist.record."+rc.Kind), rc.RegistryID, rc.HeadName, strings.Join(rc.MemberNames, "、"),
				float64(rc.AmountFen)/100, rc.GoodsItems, float64(rc.GoodsValueFen)/100, rc.InfoCount, rc.Readings, rc.Students, rc.Jobs,
				rc.VerifiedByName); err != nil {
				sh.Close()
				return err
			}
		}
		f.Offset += len(list)
		if len(list) == 0 || f.Offset >= total {
			break
		}
	}
	if err := s.Assist.RecordExport(r.Context(), a, "assist_record", sh.Rows(), r.URL.RawQuery); err != nil {
		sh.Close()
		return err
	}
	return sh.Send(w, s.exportName(r.Context(), a, 0, title))
}

// assistRecordPage is one record with its evidence files.
type assistRecordPage struct {
	R         assist.Record
	CanVerify bool
	Files     []assist.EvidenceFile
	CanAttach bool
	MaxMiB    int
	Fields    []apperr.FieldError
	Error     string
}

func (s *Server) assistRecord(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	return s.renderRecord(w, r, a, id, http.StatusOK, assistRecordPage{})
}

func (s *Server) renderRecord(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, status int, p assistRecordPage) error {
	var err error
	if p.R, err = s.Assist.GetRecord(r.Context(), a, id); err != nil {
		return err
	}
	if p.Files, p.CanAttach, err = s.Assist.Evidence(r.Context(), a, id); err != nil {
		return err
	}
	p.CanVerify = canManage(a) && !p.R.Verified && p.R.CommitteeID == a.CommitteeID
	p.MaxMiB = assist.MaxEvidence >> 20
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	s.render(w, r, "assist/record.html", p)
	return nil
}

func (s *Server) assistVerify(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, assist.PermManage)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	version := formInt(formValues(r), "version", &fe)
	if len(fe) > 0 {
		return apperr.Fields(fe...)
	}
	if _, err := s.Assist.VerifyRecord(r.Context(), a, id, version); err != nil {
		return err
	}
	back := "/assist/records/" + r.PathValue("id")
	if r.FormValue("back") == "list" {
		back = "/assist/records?unverified=1"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
