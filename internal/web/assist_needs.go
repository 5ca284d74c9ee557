package web

import (
	"fmt"
	"html/template"
	"net/http"

	"lvzhi/internal/apperr"
	"lvzhi/internal/assist"
	"lvzhi/internal/auth"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// assistNeedsPage is the list of needs.
type assistNeedsPage struct {
	State  assist.NeedState
	Kind   string
	List   []assist.Need // the page shown
	Total  int
	Pager  pager
	Export template.URL // the export of the filtered list (readers of the programme)
	Opts   assistOpts
}

// needFilter is the list's filter from its query (?page=, and ?per= for the
// page size).
func needFilter(r *http.Request) assist.NeedFilter {
	q := r.URL.Query()
	per := perPage(q, assistPerPage)
	return assist.NeedFilter{State: assist.NeedState(q.Get("state")), Kind: q.Get("kind"),
		Offset: (max(queryInt(q, "page"), 1) - 1) * per, Limit: per}
}

func (s *Server) assistNeeds(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := needFilter(r)
	p := assistNeedsPage{State: f.State, Kind: f.Kind, Opts: newAssistOpts()}
	if p.List, p.Total, err = s.Assist.ListNeeds(r.Context(), a, f); err != nil {
		return err
	}
	p.Pager = newPager(r.URL.Path, q, max(queryInt(q, "page"), 1), f.Offset+len(p.List) < p.Total)
	if auth.Can(a, assist.PermView) {
		p.Export = link("/assist/needs.xlsx", q)
	}
	s.render(w, r, "assist/needs.html", p)
	return nil
}

// assistNeedsExport exports the filtered needs (readers of the programme);
// like the households' export, it is audited.
func (s *Server) assistNeedsExport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, assist.PermView)
	if err != nil {
		return err
	}
	lang := langOf(r)
	col := func(key string, width float64, kind sheet.Kind) sheet.Column {
		return sheet.Column{Head: i18n.T(lang, key), Width: width, Kind: kind}
	}
	cols := []sheet.Column{col("assist.f.collected_on", 12, sheet.Date), col("assist.col.registry_id", 18, sheet.Text),
		col("assist.f.head", 10, sheet.Text), col("assist.col.township", 12, sheet.Text), col("assist.col.village", 12, sheet.Text),
		col("assist.f.kind", 10, sheet.Text), col("assist.f.description", 40, sheet.Text), col("assist.f.urgency", 8, sheet.Text),
		col("assist.f.state", 10, sheet.Text)}
	title := i18n.T(lang, "assist.needs")
	sh, err := sheet.New(title, cols)
	if err != nil {
		return err
	}
	defer sh.Close()
	f := needFilter(r)
	f.Offset, f.Limit = 0, exportBatch
	for {
		list, total, err := s.Assist.ListNeeds(r.Context(), a, f)
		if err != nil {
			return err
		}
		for _, n := range list {
			if err := sh.Row(n.CollectedOn, n.RegistryID, n.HeadName, n.Township, n.Village, i18n.T(lang, "assist.kind."+n.Kind), n.Description,
				i18n.T(lang, fmt.Sprintf("assist.urgency.%d", n.Urgency)), i18n.T(lang, "assist.need_state."+string(n.State))); err != nil {
				return err
			}
		}
		f.Offset += len(list)
		if len(list) == 0 || f.Offset >= total {
			break
		}
	}
	if err := s.Assist.RecordExport(r.Context(), a, "assist_need", sh.Rows(), r.URL.RawQuery); err != nil {
		return err
	}
	return sh.Send(w, s.exportName(r.Context(), a, 0, title))
}

// assistNeedPage is one need with the suggested members and the officer's actions.
type assistNeedPage struct {
	N           assist.Need
	Suggestions []assist.Suggestion
	Members     []assist.Offer
	Steps       []assist.NeedAction
	Officer     bool
	Fields      []apperr.FieldError
	Error       string
}

func (s *Server) assistNeed(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	return s.renderNeed(w, r, a, id, http.StatusOK, assistNeedPage{})
}

func (s *Server) renderNeed(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, status int, p assistNeedPage) error {
	var err error
	if p.N, err = s.Assist.GetNeed(r.Context(), a, id); err != nil {
		return err
	}
	p.Officer = canManage(a) && p.N.CommitteeID == a.CommitteeID
	if p.Officer {
		if p.N.State == assist.NeedOpen {
			if p.Suggestions, err = s.Assist.Suggestions(r.Context(), a, id, 8); err != nil {
				return err
			}
			if p.Members, err = s.Assist.Members(r.Context(), a); err != nil {
				return err
			}
		}
	}
	for _, act := range p.N.Can {
		if act != assist.NeedEdit && act != assist.NeedMatch {
			p.Steps = append(p.Steps, act) // match and edit have their own forms
		}
	}
	w.WriteHeader(status)
	s.render(w, r, "assist/need.html", p)
	return nil
}

func (s *Server) assistConfirm(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, assist.PermManage)
	if err != nil {
		return err
	}
	v := formValues(r)
	var fe []apperr.FieldError
	mid := formID(v, "membership_id", &fe)
	version := formInt(v, "version", &fe)
	fit := 0
	if v.Get("fit") != "" {
		fit = formInt(v, "fit", &fe)
	}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else if _, err = s.Assist.ConfirmMatch(r.Context(), a, id, version, mid, fit); err == nil {
		back := "/assist/needs/" + r.PathValue("id")
		if v.Get("back") == "match" {
			back = "/assist/match"
		}
		http.Redirect(w, r, back, http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderNeed(w, r, a, id, http.StatusUnprocessableEntity, assistNeedPage{Fields: fields, Error: msg})
}

func (s *Server) assistReject(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, assist.PermManage)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	mid := formID(formValues(r), "membership_id", &fe)
	if len(fe) > 0 {
		return apperr.Fields(fe...)
	}
	if err := s.Assist.RejectMatch(r.Context(), a, id, mid); err != nil {
		return err
	}
	back := "/assist/needs/" + r.PathValue("id")
	if r.FormValue("back") == "match" {
		back = "/assist/match"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (s *Server) assistNeedStep(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	version := formInt(formValues(r), "version", &fe)
	if len(fe) > 0 {
		return apperr.Fields(fe...)
	}
	if _, err := s.Assist.NeedStep(r.Context(), a, id, version, assist.NeedAction(r.FormValue("action"))); err != nil {
		return err
	}
	http.Redirect(w, r, "/assist/needs/"+r.PathValue("id"), http.StatusSeeOther)
	return nil
}

// assistMatchPage is the proposed assignment of every open need.
type assistMatchPage struct {
	Proposal []assist.Suggestion
	Total    int
}

func (s *Server) assistMatch(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, assist.PermManage)
	if err != nil {
		return err
	}
	var p assistMatchPage
	if p.Proposal, err = s.Assist.ProposeAssignment(r.Context(), a); err != nil {
		return err
	}
	for _, sg := range p.Proposal {
		p.Total += sg.Score
	}
	s.render(w, r, "assist/match.html", p)
	return nil
}
