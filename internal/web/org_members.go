package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/i18n"
	"lvzhi/internal/org"
)

// memberListPage is the data of /org/members.
type memberListPage struct {
	V            orgView
	Page         org.MemberPage
	F            org.MemberFilter
	Terms        []org.Term
	Sectors      []org.Sector
	Groups       []org.Group
	Affiliations []orgOpt
	Positions    []orgOpt
	Statuses     []orgOpt
	Pager        pager
	Export       template.URL // the export of the filtered list (every page)
	Rows         []memberRow
}

// memberRow is what the list shows of a member, its codes translated once
// in Go, not by a translation action per row and column. Flat on purpose: a
// template reaching a field promoted from an embedded struct pays a
// reflective search (with allocations) per access.
type memberRow struct {
	ID                                            int64
	Name, Status, Gender, SectorName, Affiliation string
	Employer, JobTitle, Phone                     string
	Standing                                      bool
	Groups                                        []org.GroupRole
	StatusLabel, GenderLabel, AffiliationLabel    string
	PositionLabels                                []string
}

func memberRows(lang string, ms []org.Member) []memberRow {
	rows := make([]memberRow, len(ms))
	for i, m := range ms {
		r := memberRow{ID: m.ID, Name: m.Name, Status: m.Status, Gender: m.Gender, SectorName: m.SectorName,
			Affiliation: m.Affiliation, Employer: m.Employer, JobTitle: m.JobTitle, Phone: m.Phone, Standing: m.Standing,
			Groups: m.Groups, StatusLabel: i18n.T(lang, "org.status."+m.Status),
			GenderLabel: i18n.T(lang, "org.gender."+m.Gender), AffiliationLabel: i18n.T(lang, "org.affiliation."+m.Affiliation)}
		for _, p := range m.Positions {
			r.PositionLabels = append(r.PositionLabels, i18n.T(lang, "org.position."+p))
		}
		rows[i] = r
	}
	return rows
}

// orgMemberFilter reads the list filters from the query; status defaults to serving.
func orgMemberFilter(q url.Values) org.MemberFilter {
	f := org.MemberFilter{TermID: queryID(q, "term"), SectorID: queryID(q, "sector"), GroupID: queryID(q, "group"),
		Affiliation: q.Get("affiliation"), Position: q.Get("position"), Standing: q.Get("standing"),
		Status: q.Get("status"), Q: strings.TrimSpace(q.Get("q")), Page: queryInt(q, "page"), PerPage: 50}
	if !q.Has("status") {
		f.Status = "active"
	}
	if f.Status == "all" {
		f.Status = ""
	}
	return f
}

// orgMembers lists members with filters, search and paging.
func (s *Server) orgMembers(w http.ResponseWriter, r *http.Request) error {
	a, v, err := s.orgScope(r, "members")
	if err != nil {
		return err
	}
	ctx, lang := r.Context(), langOf(r)
	q := r.URL.Query()
	f := orgMemberFilter(q)
	p := memberListPage{V: v, F: f}
	if p.Page, err = s.Org.ListMembers(ctx, a, v.C.ID, f); err != nil {
		return err
	}
	p.F.TermID = p.Page.TermID
	p.Rows = memberRows(lang, p.Page.Members)
	ch, err := s.Org.MemberChoices(ctx, a, v.C.ID)
	if err != nil {
		return err
	}
	p.Terms, p.Sectors, p.Groups = ch.Terms, ch.Sectors, ch.Groups
	p.Affiliations = orgCodeOpts(lang, "affiliation", org.Affiliations, f.Affiliation)
	p.Positions = orgCodeOpts(lang, "position", org.Positions, f.Position)
	status := f.Status
	if status == "" {
		status = "all"
	}
	p.Statuses = orgCodeOpts(lang, "status", org.Statuses, status)
	p.Pager = newPager("/org/members", q, p.Page.Page, p.Page.HasNext)
	p.Export = link("/org/export/members.xlsx", q)
	s.render(w, r, "org/members.html", p)
	return nil
}

// memberPage is the data of a member's page.
type memberPage struct {
	V         orgView
	M         org.Member
	FullID    string // set right after an audited reveal
	CanReveal bool
	Labels    memberLabels
}

// memberLabels are a member's codes in the reader's language.
type memberLabels struct {
	Gender, Affiliation, Status string
	Positions                   []string
}

func orgLabelsOf(lang string, m org.Member) memberLabels {
	l := memberLabels{Gender: org.Label(lang, "gender", m.Gender), Affiliation: org.Label(lang, "affiliation", m.Affiliation),
		Status: org.Label(lang, "status", m.Status)}
	for _, p := range m.Positions {
		l.Positions = append(l.Positions, org.Label(lang, "position", p))
	}
	return l
}

// orgMember shows one member (read-only; the ID number masked).
func (s *Server) orgMember(w http.ResponseWriter, r *http.Request) error {
	return s.showMember(w, r, "")
}

func (s *Server) showMember(w http.ResponseWriter, r *http.Request, fullID string) error {
	a, id, err := actorAndID(r, auth.ViewOrg)
	if err != nil {
		return err
	}
	m, err := s.Org.Member(r.Context(), a, id)
	if err != nil {
		return err
	}
	v, err := s.viewOf(r, a, m.CommitteeID, "members")
	if err != nil {
		return err
	}
	s.render(w, r, "org/member.html", memberPage{V: v, M: m, FullID: fullID, Labels: orgLabelsOf(langOf(r), m),
		CanReveal: v.Own && auth.Can(a, org.ViewIDNumber) && m.IDMasked != ""})
	return nil
}

// viewOf builds the page context for a record of committee id the actor already may read.
func (s *Server) viewOf(r *http.Request, a *auth.Actor, id int64, tab string) (orgView, error) {
	c, err := s.Org.Committee(r.Context(), a, id)
	if err != nil {
		return orgView{}, err
	}
	return newOrgView(a, c, tab), nil
}

// orgRevealID shows the full ID number once, to admins and staff; the service audits it.
func (s *Server) orgRevealID(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, org.ViewIDNumber)
	if err != nil {
		return err
	}
	full, err := s.Org.RevealIDNumber(r.Context(), a, id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return s.showMember(w, r, full)
}

// memberFormPage is the data of the member form.
type memberFormPage struct {
	V            orgView
	M            *org.Member // nil when creating
	In           org.MemberInput
	Terms        []org.Term
	Sectors      []org.Sector
	Groups       []groupChoice
	Genders      []orgOpt
	Affiliations []orgOpt
	Positions    []orgOpt
	Statuses     []orgOpt
	Roles        []orgOpt
	Fields       []apperr.FieldError
	Error        string
}

// groupChoice is one group with the member's role in it ("" for none).
type groupChoice struct {
	org.Group
	Role string
}

func (s *Server) renderMemberForm(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, p memberFormPage) error {
	ctx, lang := r.Context(), langOf(r)
	var err error
	if p.V, err = s.viewOf(r, a, a.CommitteeID, "members"); err != nil {
		return err
	}
	if p.Terms, err = s.Org.Terms(ctx, a, a.CommitteeID); err != nil {
		return err
	}
	if p.Sectors, err = s.Org.Sectors(ctx, a, a.CommitteeID); err != nil {
		return err
	}
	groups, err := s.Org.Groups(ctx, a, a.CommitteeID)
	if err != nil {
		return err
	}
	roles := map[int64]string{}
	for _, g := range p.In.Groups {
		roles[g.GroupID] = g.Role
	}
	for _, g := range groups {
		p.Groups = append(p.Groups, groupChoice{Group: g, Role: roles[g.ID]})
	}
	p.Genders = orgCodeOpts(lang, "gender", org.Genders, p.In.Gender)
	p.Affiliations = orgCodeOpts(lang, "affiliation", org.Affiliations, p.In.Affiliation)
	p.Positions = orgCodeOpts(lang, "position", org.Positions, p.In.Positions...)
	p.Statuses = orgCodeOpts(lang, "status", org.Statuses, p.In.Status)
	p.Roles = orgCodeOpts(lang, "group_role", org.GroupRoles)
	w.WriteHeader(status)
	s.render(w, r, "org/member_form.html", p)
	return nil
}

// orgMemberInput reads the member form.
func orgMemberInput(r *http.Request, fe *[]apperr.FieldError) org.MemberInput {
	_ = r.ParseForm()
	in := org.MemberInput{TermID: formID(formValues(r), "term_id", fe), Name: r.FormValue("name"), Gender: r.FormValue("gender"),
		IDNumber: r.FormValue("id_number"), BirthDate: r.FormValue("birth_date"), Ethnicity: r.FormValue("ethnicity"),
		Phone: r.FormValue("phone"), Email: r.FormValue("email"), Employer: r.FormValue("employer"), JobTitle: r.FormValue("job_title"),
		SectorID: formID(formValues(r), "sector_id", fe), Affiliation: r.FormValue("affiliation"), Positions: r.Form["positions"],
		Standing: r.FormValue("standing") != "", Status: r.FormValue("status"), Skills: r.FormValue("skills"),
		Resources: r.FormValue("resources"), JoinedOn: r.FormValue("joined_on"), LeftOn: r.FormValue("left_on"),
		Version: formInt(formValues(r), "version", fe)}
	for k, vs := range r.Form {
		if !strings.HasPrefix(k, "group_") || len(vs) == 0 || vs[0] == "" {
			continue
		}
		gid, err := strconv.ParseInt(strings.TrimPrefix(k, "group_"), 10, 64)
		if err != nil {
			continue
		}
		in.Groups = append(in.Groups, org.GroupRole{GroupID: gid, Role: vs[0]})
	}
	return in
}

func (s *Server) orgNewMember(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.EditOrg)
	if err != nil {
		return err
	}
	return s.renderMemberForm(w, r, a, http.StatusOK, memberFormPage{In: org.MemberInput{Status: "active"}})
}

func (s *Server) orgCreateMember(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.EditOrg)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := orgMemberInput(r, &fe)
	if len(fe) == 0 {
		var m org.Member
		if m, err = s.Org.CreateMember(r.Context(), a, a.CommitteeID, in); err == nil {
			return orgRedirect(w, r, "/org/members/"+strconv.FormatInt(m.ID, 10))
		}
	} else {
		err = apperr.Fields(fe...)
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	in.IDNumber = "" // never echo an ID number back into the page
	return s.renderMemberForm(w, r, a, http.StatusUnprocessableEntity, memberFormPage{In: in, Fields: fields, Error: msg})
}

// orgInputOf turns a member into form input, for editing.
func orgInputOf(m org.Member) org.MemberInput {
	return org.MemberInput{TermID: m.TermID, Name: m.Name, Gender: m.Gender, BirthDate: m.BirthDate, Ethnicity: m.Ethnicity,
		Phone: m.Phone, Email: m.Email, Employer: m.Employer, JobTitle: m.JobTitle, SectorID: m.SectorID,
		Affiliation: m.Affiliation, Positions: m.Positions, Standing: m.Standing, Status: m.Status, Skills: m.Skills,
		Resources: m.Resources, JoinedOn: m.JoinedOn, LeftOn: m.LeftOn, Groups: m.Groups, Version: m.Version}
}

// editableMember loads a member for editing: the service refuses other committees (404) and non-editors (403).
func (s *Server) editableMember(r *http.Request) (*auth.Actor, org.Member, error) {
	a, err := requireCan(r, auth.EditOrg)
	if err != nil {
		return nil, org.Member{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, org.Member{}, err
	}
	m, err := s.Org.Member(r.Context(), a, id)
	if err != nil {
		return nil, m, err
	}
	if m.CommitteeID != a.CommitteeID {
		return nil, m, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return a, m, nil
}

func (s *Server) orgEditMember(w http.ResponseWriter, r *http.Request) error {
	a, m, err := s.editableMember(r)
	if err != nil {
		return err
	}
	return s.renderMemberForm(w, r, a, http.StatusOK, memberFormPage{M: &m, In: orgInputOf(m)})
}

func (s *Server) orgUpdateMember(w http.ResponseWriter, r *http.Request) error {
	a, m, err := s.editableMember(r)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := orgMemberInput(r, &fe)
	if len(fe) == 0 {
		if _, err = s.Org.UpdateMember(r.Context(), a, m.ID, in); err == nil {
			return orgRedirect(w, r, "/org/members/"+strconv.FormatInt(m.ID, 10))
		}
	} else {
		err = apperr.Fields(fe...)
	}
	if apperr.CodeOf(err) == apperr.Conflict {
		msg, _ := Message(langOf(r), apperr.As(err))
		in.IDNumber = ""
		return s.renderMemberForm(w, r, a, http.StatusConflict, memberFormPage{M: &m, In: in, Error: msg})
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	in.IDNumber = ""
	return s.renderMemberForm(w, r, a, http.StatusUnprocessableEntity, memberFormPage{M: &m, In: in, Fields: fields, Error: msg})
}
