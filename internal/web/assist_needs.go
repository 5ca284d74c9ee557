package web

import (
	"net/http"

	"lvzhi/internal/apperr"
	"lvzhi/internal/assist"
	"lvzhi/internal/auth"
)

// assistNeedsPage is the list of needs.
type assistNeedsPage struct {
	State assist.NeedState
	Kind  string
	List  []assist.Need
	Opts  assistOpts
}

func (s *Server) assistNeeds(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := assistNeedsPage{State: assist.NeedState(q.Get("state")), Kind: q.Get("kind"), Opts: newAssistOpts()}
	if p.List, err = s.Assist.ListNeeds(r.Context(), a, assist.NeedFilter{State: p.State, Kind: p.Kind, Limit: 500}); err != nil {
		return err
	}
	s.render(w, r, "assist/needs.html", p)
	return nil
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
