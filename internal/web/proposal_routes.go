package web

import (
	"net/http"
	"strconv"

	"lvzhi/internal/apperr"
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
	s.proposalLedgerRoutes()
}

// propRef is the proposal and the version the submitted form was built from.
func propRef(r *http.Request, id int64, fe *[]apperr.FieldError) proposal.Ref {
	return proposal.Ref{ID: id, Version: formInt(r.PostForm, "version", fe)}
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
