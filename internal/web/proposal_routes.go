package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
	"lvzhi/internal/i18n"
	"lvzhi/internal/proposal"
)

// proposalRoutes registers the proposal pages: the role's landing page and
// lists (proposal_list.go), the draft and paper forms (proposal_form.go), a
// proposal's page with the actions its reader may take and the timeline
// (proposal_detail.go), the actions themselves (proposal_actions.go),
// attachments (proposal_attachments.go) and the .xlsx export (proposal_export.go).
//
// Every POST of an existing proposal carries the version the form was built
// from: a stale form is refused by the service and the page says what happened.
func (s *Server) proposalRoutes() {
	s.handle("GET /proposals", s.proposalHome)
	s.handle("GET /proposals/all", s.proposalList)
	s.handle("GET /proposals/export.xlsx", s.proposalExport)
	s.handle("GET /proposals/new", s.proposalNew)
	s.handle("POST /proposals", s.proposalCreate)
	s.handle("GET /proposals/paper", s.proposalPaperNew)
	s.handle("POST /proposals/paper", s.proposalPaperCreate)
	s.handle("GET /proposals/{id}", s.proposalDetail)
	s.handle("GET /proposals/{id}/edit", s.proposalEdit)
	s.handle("POST /proposals/{id}/edit", s.proposalUpdate)
	s.handle("POST /proposals/{id}/attachments", s.proposalAttach)
	s.handle("GET /proposals/{id}/attachments/{aid}", s.proposalAttachment)
	s.handle("POST /proposals/{id}/attachments/{aid}/delete", s.proposalDetach)
	s.handle("POST /proposals/{id}/{action}", s.proposalAct)
	s.handle("GET /proposals/settings", s.proposalSettings)
	s.handle("POST /proposals/settings", s.proposalSettingsSave)
	s.handle("POST /proposals/settings/reasons", s.proposalReasonSave)
	s.handle("POST /proposals/settings/classes", s.proposalClassSave)
	s.handle("POST /proposals/settings/calendar", s.proposalCalendarSave)
	s.handle("POST /proposals/settings/calendar/china", s.proposalCalendarChina)
}

// propPathID parses a positive integer path value; anything else is not found.
func propPathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.ErrNotFound
	}
	return id, nil
}

// propFormID reads an optional id form field; a non-number is a field error.
func propFormID(v url.Values, name string, fe *[]apperr.FieldError) int64 {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		*fe = append(*fe, apperr.Field(name, "err.pw.not_number"))
		return 0
	}
	return n
}

// propFormIDs reads a repeated id field (checkboxes, multi-selects), in order, without blanks.
func propFormIDs(v url.Values, name string, fe *[]apperr.FieldError) []int64 {
	var ids []int64
	for _, s := range v[name] {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			*fe = append(*fe, apperr.Field(name, "err.pw.not_number"))
			return nil
		}
		ids = append(ids, n)
	}
	return ids
}

// propFormDate reads an optional date field; a malformed date is a field error.
func propFormDate(v url.Values, name string, fe *[]apperr.FieldError) civil.Date {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return civil.Date{}
	}
	d, err := civil.Parse(s)
	if err != nil {
		*fe = append(*fe, apperr.Field(name, "err.pw.bad_date"))
	}
	return d
}

// propRef is the proposal and the version the submitted form was built from.
func propRef(r *http.Request, id int64, fe *[]apperr.FieldError) proposal.Ref {
	return proposal.Ref{ID: id, Version: int(propFormID(r.PostForm, "version", fe))}
}

// propDone is the action that just succeeded (?done=), if it is one.
func propDone(r *http.Request) string {
	d := r.URL.Query().Get("done")
	if d == "" || !i18n.Has("zh", "pw.done."+d) {
		return ""
	}
	return d
}

// propURL is the address of a proposal's page.
func propURL(id int64) string { return "/proposals/" + strconv.FormatInt(id, 10) }
