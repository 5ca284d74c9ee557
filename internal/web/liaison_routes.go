package web

import (
	"net/http"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/liaison"
)

// liaisonRoutes registers the liaison chain pages under /org/liaison.
// Links live under /links/ so that no pattern overlaps another.
func (s *Server) liaisonRoutes() {
	if s.Liaison == nil {
		s.Liaison = liaison.NewService(s.DB)
	}
	s.handle("GET /org/liaison", s.liaisonHome)
	s.handle("GET /org/liaison/links/new", s.liaisonNewLink)
	s.handle("POST /org/liaison/links", s.liaisonCreateLink)
	s.handle("GET /org/liaison/links/{id}", s.liaisonLink)
	s.handle("POST /org/liaison/links/{id}", s.liaisonUpdateLink)
	s.handle("POST /org/liaison/links/{id}/delete", s.liaisonDeleteLink)
	s.handle("POST /org/liaison/links/{id}/contacts", s.liaisonLogContact)
	s.handle("POST /org/liaison/contacts/{id}/delete", s.liaisonDeleteContact)
	s.handle("GET /org/liaison/behind", s.liaisonBehind)
	s.handle("GET /org/liaison/campaigns", s.liaisonCampaigns)
	s.handle("POST /org/liaison/campaigns", s.liaisonCreateCampaign)
	s.handle("GET /org/liaison/campaigns/{id}", s.liaisonCampaign)
	s.handle("POST /org/liaison/campaigns/{id}", s.liaisonUpdateCampaign)
	s.handle("POST /org/liaison/campaigns/{id}/delete", s.liaisonDeleteCampaign)
	s.handle("POST /org/liaison/campaigns/{id}/targets", s.liaisonAddTargets)
	s.handle("GET /org/liaison/targets/{id}", s.liaisonTarget)
	s.handle("POST /org/liaison/targets/{id}/delete", s.liaisonRemoveTarget)
	s.handle("POST /org/liaison/targets/{id}/visits", s.liaisonLogContact)
}

// liaisonOpts are the choice lists every liaison form offers.
type liaisonOpts struct {
	Levels  []liaison.Level
	Methods []liaison.Method
	Kinds   []liaison.CampaignKind
	Today   string
}

func newLiaisonOpts() liaisonOpts {
	return liaisonOpts{liaison.Levels, liaison.Methods, liaison.CampaignKinds, civil.Today().String()}
}

// liaisonHome lists the committee's links to readers, and a member's own links,
// targets and progress to members.
func (s *Server) liaisonHome(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	if !auth.Can(a, liaison.ViewLiaison) {
		return s.liaisonMine(w, r, a)
	}
	q := r.URL.Query()
	page := max(queryInt(q, "page"), 1)
	const per = 50
	f := liaison.LinkFilter{TermID: queryID(q, "term"), Level: liaison.Level(q.Get("level")), Q: q.Get("q"),
		Limit: per + 1, Offset: (page - 1) * per}
	if q.Get("active") != "" {
		f.ActiveOn = civil.Today().String()
	}
	links, total, err := s.Liaison.ListLinks(r.Context(), a, f)
	if err != nil {
		return err
	}
	terms, err := s.Liaison.Terms(r.Context(), a, 0)
	if err != nil {
		return err
	}
	hasNext := len(links) > per
	if hasNext {
		links = links[:per]
	}
	s.render(w, r, "liaison/links.html", map[string]any{
		"Links": links, "Total": total, "Terms": terms, "Filter": f, "Active": q.Get("active") != "",
		"Pager": newPager(r.URL.Path, q, page, hasNext), "Opts": newLiaisonOpts(),
		"CanEdit": auth.Can(a, auth.EditLiaison),
	})
	return nil
}

// liaisonMine is a member's page: whom they keep in touch with, and how far along they are.
func (s *Server) liaisonMine(w http.ResponseWriter, r *http.Request, a *auth.Actor) error {
	if !auth.Can(a, liaison.LogContact) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	links, err := s.Liaison.MyLinks(r.Context(), a)
	if err != nil {
		return err
	}
	targets, err := s.Liaison.MyTargets(r.Context(), a)
	if err != nil {
		return err
	}
	rep, err := s.Liaison.Behind(r.Context(), a, liaison.BehindQuery{})
	if err != nil {
		return err
	}
	s.render(w, r, "liaison/mine.html", map[string]any{"Links": links, "Targets": targets, "Behind": rep, "Opts": newLiaisonOpts()})
	return nil
}

// linkForm is the data of the link form page.
type linkForm struct {
	Link       *liaison.Link
	In         liaison.LinkInput
	Version    int
	Candidates []liaison.Candidate
	Fields     []apperr.FieldError
	Error      string
	Opts       liaisonOpts
}

func linkInputFrom(r *http.Request, fe *[]apperr.FieldError) liaison.LinkInput {
	return liaison.LinkInput{
		Level: liaison.Level(r.FormValue("level")), LiaisonID: formID(formValues(r), "liaison_id", fe), MemberID: formID(formValues(r), "member_id", fe),
		StartsOn: strings.TrimSpace(r.FormValue("starts_on")), EndsOn: strings.TrimSpace(r.FormValue("ends_on")),
		PerYear: formInt(formValues(r), "per_year", fe), Notes: r.FormValue("notes"),
	}
}

func (s *Server) renderLinkForm(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, d linkForm) error {
	var termID int64
	if d.Link != nil {
		termID = d.Link.TermID
	}
	cands, err := s.Liaison.Candidates(r.Context(), a, termID)
	if err != nil {
		return err
	}
	d.Candidates, d.Opts = cands, newLiaisonOpts()
	w.WriteHeader(status)
	s.render(w, r, "liaison/link_form.html", d)
	return nil
}

func (s *Server) liaisonNewLink(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.EditLiaison)
	if err != nil {
		return err
	}
	in := liaison.LinkInput{PerYear: liaison.DefaultPerYear, StartsOn: civil.Today().String(), Level: liaison.Level(r.URL.Query().Get("level"))}
	return s.renderLinkForm(w, r, a, http.StatusOK, linkForm{In: in})
}

func (s *Server) liaisonCreateLink(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.EditLiaison)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := linkInputFrom(r, &fe)
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else {
		var l *liaison.Link
		if l, err = s.Liaison.CreateLink(r.Context(), a, in); err == nil {
			http.Redirect(w, r, "/org/liaison/links/"+strconv.FormatInt(l.ID, 10), http.StatusSeeOther)
			return nil
		}
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderLinkForm(w, r, a, http.StatusUnprocessableEntity, linkForm{In: in, Fields: fields, Error: msg})
}

// linkPage is the data of a link's page: the link, its contacts, the contact
// form and (for editors) the edit form.
type linkPage struct {
	linkForm
	Contacts   []liaison.Contact
	Contact    liaison.ContactInput
	CFields    []apperr.FieldError
	CError     string
	CanEdit    bool
	CanLog     bool
	ActorUser  int64
	TargetPage bool
	Target     *liaison.Target
}

func (s *Server) liaisonLink(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	return s.renderLinkPage(w, r, a, id, http.StatusOK, linkPage{})
}

func (s *Server) renderLinkPage(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, status int, p linkPage) error {
	l, err := s.Liaison.GetLink(r.Context(), a, id)
	if err != nil {
		return err
	}
	contacts, err := s.Liaison.ListContacts(r.Context(), a, id, 0)
	if err != nil {
		return err
	}
	p.Link, p.Contacts, p.Opts, p.ActorUser = l, contacts, newLiaisonOpts(), a.UserID
	p.CanEdit = auth.Can(a, auth.EditLiaison) && l.CommitteeID == a.CommitteeID
	p.CanLog = p.CanEdit || (auth.Can(a, liaison.LogContact) && a.PersonID == l.Liaison.PersonID && l.CommitteeID == a.CommitteeID)
	if p.Fields == nil {
		p.In = liaison.LinkInput{Level: l.Level, LiaisonID: l.Liaison.MembershipID, MemberID: l.Member.MembershipID,
			StartsOn: l.StartsOn, EndsOn: l.EndsOn, PerYear: l.PerYear, Notes: l.Notes}
		p.Version = l.Version
	}
	if p.Contact.On == "" {
		p.Contact.On = civil.Today().String()
	}
	if p.CanEdit {
		if p.Candidates, err = s.Liaison.Candidates(r.Context(), a, l.TermID); err != nil {
			return err
		}
	}
	w.WriteHeader(status)
	s.render(w, r, "liaison/link.html", p)
	return nil
}

func (s *Server) liaisonUpdateLink(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, auth.EditLiaison)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := linkInputFrom(r, &fe)
	version := formInt(formValues(r), "version", &fe)
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else if _, err = s.Liaison.UpdateLink(r.Context(), a, id, version, in); err == nil {
		http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderLinkPage(w, r, a, id, http.StatusUnprocessableEntity,
		linkPage{linkForm: linkForm{In: in, Version: version, Fields: fields, Error: msg}})
}

func (s *Server) liaisonDeleteLink(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, auth.EditLiaison)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	version := formInt(formValues(r), "version", &fe)
	if err := s.Liaison.DeleteLink(r.Context(), a, id, version); err != nil {
		return err
	}
	http.Redirect(w, r, "/org/liaison", http.StatusSeeOther)
	return nil
}

// liaisonLogContact records a contact on a link (/links/{id}/contacts) or a
// visit to a campaign target (/targets/{id}/visits).
func (s *Server) liaisonLogContact(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	in := liaison.ContactInput{On: strings.TrimSpace(r.FormValue("on")), Method: liaison.Method(r.FormValue("method")), Notes: r.FormValue("notes")}
	isTarget := strings.HasPrefix(r.URL.Path, "/org/liaison/targets/")
	back := "/org/liaison/links/"
	if isTarget {
		in.TargetID, back = id, "/org/liaison/targets/"
	} else {
		in.LinkID = id
	}
	back += strconv.FormatInt(id, 10)
	_, err = s.Liaison.LogContact(r.Context(), a, in)
	if err == nil {
		http.Redirect(w, r, back+"?logged=1", http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	p := linkPage{Contact: in, CFields: fields, CError: msg}
	if isTarget {
		return s.renderTargetPage(w, r, a, id, http.StatusUnprocessableEntity, p)
	}
	return s.renderLinkPage(w, r, a, id, http.StatusUnprocessableEntity, p)
}

func (s *Server) liaisonDeleteContact(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	if err := s.Liaison.DeleteContact(r.Context(), a, id); err != nil {
		return err
	}
	back := safeNext(r.FormValue("back"))
	if back == "/" {
		back = "/org/liaison"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// liaisonBehind shows who is behind: links and campaign targets short of their target.
func (s *Server) liaisonBehind(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	bq := liaison.BehindQuery{From: q.Get("from"), To: q.Get("to"), LiaisonID: queryID(q, "liaison"),
		OnlyBehind: q.Get("only") != "", Sort: q.Get("sort")}
	rep, err := s.Liaison.Behind(r.Context(), a, bq)
	var fields []apperr.FieldError
	var msg string
	if err != nil {
		if fields, msg, err = formError(r, err); err != nil {
			return err
		}
		w.WriteHeader(http.StatusUnprocessableEntity)
	}
	var cands []liaison.Candidate
	if auth.Can(a, liaison.ViewLiaison) {
		if cands, err = s.Liaison.Candidates(r.Context(), a, 0); err != nil {
			return err
		}
	}
	s.render(w, r, "liaison/behind.html", map[string]any{"Report": rep, "Query": bq, "Candidates": cands,
		"Values": q, "Fields": fields, "Error": msg})
	return nil
}
