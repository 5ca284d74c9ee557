package web

import (
	"net/http"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/org"
)

// orgOverview is /org: head-counts and links. Members (who cannot read the
// register) go to their own liaison page instead.
func (s *Server) orgOverview(w http.ResponseWriter, r *http.Request) error {
	if a := actorOf(r); a != nil && !auth.Can(a, auth.ViewOrg) && a.Has(auth.RoleMember) {
		return orgRedirect(w, r, "/org/liaison")
	}
	a, v, err := s.orgScope(r, "overview")
	if err != nil {
		return err
	}
	o, err := s.Org.Overview(r.Context(), a, v.C.ID)
	if err != nil {
		return err
	}
	s.render(w, r, "org/overview.html", map[string]any{"V": v, "O": o})
	return nil
}

// committeePage is the data of /org/committee.
type committeePage struct {
	V        orgView
	Terms    []org.Term
	Sessions []org.Session
	Children []org.Committee
	Levels   []orgOpt
	Fields   []apperr.FieldError
	Error    string
	Form     string // which form the errors belong to: term, session, child
	In       map[string]string
}

// orgCommittee is /org/committee: terms, plenary sessions and child committees.
func (s *Server) orgCommittee(w http.ResponseWriter, r *http.Request) error {
	return s.renderCommittee(w, r, http.StatusOK, committeePage{})
}

func (s *Server) renderCommittee(w http.ResponseWriter, r *http.Request, status int, p committeePage) error {
	a, v, err := s.orgScope(r, "committee")
	if err != nil {
		return err
	}
	p.V = v
	if p.Terms, err = s.Org.Terms(r.Context(), a, v.C.ID); err != nil {
		return err
	}
	if p.Sessions, err = s.Org.Sessions(r.Context(), a, v.C.ID, 0); err != nil {
		return err
	}
	if p.Children, err = s.Org.Children(r.Context(), a, v.C.ID); err != nil {
		return err
	}
	var lower []string
	for i, l := range org.Levels {
		if i > orgIndexOf(org.Levels, v.C.Level) {
			lower = append(lower, l)
		}
	}
	p.Levels = orgCodeOpts(langOf(r), "level", lower)
	if p.In == nil {
		p.In = map[string]string{}
	}
	w.WriteHeader(status)
	s.render(w, r, "org/committee.html", p)
	return nil
}

func orgIndexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// orgFormValues keeps the submitted values for re-rendering a form.
func orgFormValues(r *http.Request, names ...string) map[string]string {
	m := map[string]string{}
	for _, n := range names {
		m[n] = strings.TrimSpace(r.FormValue(n))
	}
	return m
}

// committeeFormFailed re-renders the committee page with a form's errors, or returns err.
func (s *Server) committeeFormFailed(w http.ResponseWriter, r *http.Request, form string, in map[string]string, err error) error {
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderCommittee(w, r, http.StatusUnprocessableEntity, committeePage{Fields: fields, Error: msg, Form: form, In: in})
}

func (s *Server) orgCreateTerm(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.ManageCommittee)
	if err != nil {
		return err
	}
	in := orgFormValues(r, "number", "name", "starts_on", "ends_on")
	var fe []apperr.FieldError
	n := formInt(formValues(r), "number", &fe)
	if len(fe) > 0 {
		return s.committeeFormFailed(w, r, "term", in, apperr.Fields(fe...))
	}
	_, err = s.Org.CreateTerm(r.Context(), a, a.CommitteeID, org.TermInput{Number: n, Name: in["name"], StartsOn: in["starts_on"], EndsOn: in["ends_on"]})
	if err != nil {
		return s.committeeFormFailed(w, r, "term", in, err)
	}
	return orgRedirect(w, r, "/org/committee")
}

func sessionInput(r *http.Request, fe *[]apperr.FieldError) org.SessionInput {
	return org.SessionInput{TermID: formID(formValues(r), "term_id", fe), Number: formInt(formValues(r), "number", fe),
		Name: strings.TrimSpace(r.FormValue("name")), OpensOn: r.FormValue("opens_on"), ClosesOn: r.FormValue("closes_on"),
		SubmitFrom: r.FormValue("submit_from"), SubmitTo: r.FormValue("submit_to"), Version: formInt(formValues(r), "version", fe)}
}

func (s *Server) orgCreateSession(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.ManageCommittee)
	if err != nil {
		return err
	}
	in := orgFormValues(r, "term_id", "number", "name", "opens_on", "closes_on", "submit_from", "submit_to")
	var fe []apperr.FieldError
	x := sessionInput(r, &fe)
	if len(fe) > 0 {
		return s.committeeFormFailed(w, r, "session", in, apperr.Fields(fe...))
	}
	if _, err := s.Org.CreateSession(r.Context(), a, a.CommitteeID, x); err != nil {
		return s.committeeFormFailed(w, r, "session", in, err)
	}
	return orgRedirect(w, r, "/org/committee")
}

func (s *Server) orgUpdateSession(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, auth.ManageCommittee)
	if err != nil {
		return err
	}
	form := "session" + strconv.FormatInt(id, 10)
	in := orgFormValues(r, "number", "name", "opens_on", "closes_on", "submit_from", "submit_to")
	var fe []apperr.FieldError
	x := sessionInput(r, &fe)
	if len(fe) > 0 {
		return s.committeeFormFailed(w, r, form, in, apperr.Fields(fe...))
	}
	if _, err := s.Org.UpdateSession(r.Context(), a, a.CommitteeID, id, x); err != nil {
		return s.committeeFormFailed(w, r, form, in, err)
	}
	return orgRedirect(w, r, "/org/committee")
}

func (s *Server) orgCreateChild(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.ManageCommittee)
	if err != nil {
		return err
	}
	in := orgFormValues(r, "level", "name", "code")
	_, err = s.Org.CreateCommittee(r.Context(), a, a.CommitteeID, org.CommitteeInput{Level: in["level"], Name: in["name"], Code: in["code"]})
	if err != nil {
		return s.committeeFormFailed(w, r, "child", in, err)
	}
	return orgRedirect(w, r, "/org/committee")
}
