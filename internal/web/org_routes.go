package web

import (
	"net/http"
	"strconv"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/liaison"
	"lvzhi/internal/org"
)

// orgRoutes registers the organisation pages. Read pages take ?c=<committee id>
// so a higher committee can read (never edit) a committee below it.
func (s *Server) orgRoutes() {
	s.handle("GET /org", s.orgOverview)
	s.handle("GET /org/committee", s.orgCommittee)
	s.handle("POST /org/terms", s.orgCreateTerm)
	s.handle("POST /org/sessions", s.orgCreateSession)
	s.handle("POST /org/sessions/{id}", s.orgUpdateSession)
	s.handle("POST /org/committees", s.orgCreateChild)

	s.handle("GET /org/members", s.orgMembers)
	s.handle("GET /org/members/new", s.orgNewMember)
	s.handle("POST /org/members", s.orgCreateMember)
	s.handle("GET /org/members/{id}", s.orgMember)
	s.handle("GET /org/members/{id}/edit", s.orgEditMember)
	s.handle("POST /org/members/{id}", s.orgUpdateMember)
	s.handle("POST /org/members/{id}/id-number", s.orgRevealID)

	s.handle("GET /org/units", s.orgUnits)
	s.handle("GET /org/units/new", s.orgNewUnit)
	s.handle("POST /org/units", s.orgCreateUnit)
	s.handle("GET /org/units/{id}", s.orgUnit)
	s.handle("POST /org/units/{id}", s.orgUpdateUnit)

	s.handle("GET /org/sectors", s.orgSectors)
	s.handle("POST /org/sectors", s.orgCreateSector)
	s.handle("POST /org/sectors/{id}", s.orgUpdateSector)
	s.handle("GET /org/groups", s.orgGroups)
	s.handle("POST /org/groups", s.orgCreateGroup)
	s.handle("POST /org/groups/{id}", s.orgUpdateGroup)

	s.handle("GET /org/import", s.orgImportPage)
	s.handle("POST /org/import", s.orgImport)
	s.handle("GET /org/export/members.xlsx", s.orgExportMembers)
	s.handle("GET /org/export/units.xlsx", s.orgExportUnits)
	s.handle("GET /org/templates/members.xlsx", s.orgMemberTemplate)
	s.handle("GET /org/templates/units.xlsx", s.orgUnitTemplate)
}

// orgView is what every org page shares: the committee shown and what the actor may do there.
type orgView struct {
	C         org.Committee
	Own       bool   // the actor's own committee (edits allowed by role)
	CQuery    string // "c=27" when reading another committee, for links
	CanEdit   bool
	CanImport bool
	CanManage bool
	// CanLiaison: the liaison tab leads somewhere the actor may go (the
	// register, or a member's own links), so it is not offered to others.
	CanLiaison bool
	Tab        string
}

// orgScope resolves ?c= (default: the actor's committee) and checks the actor
// may read its organisation records (auth.Authorize: not found for a committee
// it cannot see, forbidden for its own without the role).
func (s *Server) orgScope(r *http.Request, tab string) (*auth.Actor, orgView, error) {
	a := actorOf(r)
	if a == nil {
		return nil, orgView{}, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	id := a.CommitteeID
	if v := r.URL.Query().Get("c"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return nil, orgView{}, apperr.ErrNotFound
		}
		id = n
	}
	c, err := s.Org.Committee(r.Context(), a, id)
	if err != nil {
		return nil, orgView{}, err
	}
	if err := auth.Authorize(a, auth.ViewOrg, auth.Scope{ID: c.ID, Path: c.Path}); err != nil {
		return nil, orgView{}, err
	}
	return a, newOrgView(a, c, tab), nil
}

// newOrgView is the shared context of every organisation page (list, record,
// form) of committee c: one place, so every page has the same tabs.
func newOrgView(a *auth.Actor, c org.Committee, tab string) orgView {
	v := orgView{C: c, Own: c.ID == a.CommitteeID, Tab: tab}
	if !v.Own {
		v.CQuery = "c=" + strconv.FormatInt(c.ID, 10)
	}
	v.CanEdit = v.Own && auth.Can(a, auth.EditOrg)
	v.CanImport = v.Own && auth.Can(a, auth.ImportOrg)
	v.CanManage = v.Own && auth.Can(a, auth.ManageCommittee)
	v.CanLiaison = v.Own && (auth.Can(a, liaison.ViewLiaison) || auth.Can(a, liaison.LogContact))
	return v
}

// orgOpt is a choice in a select or checkbox list.
type orgOpt struct {
	Value string
	Label string
	On    bool
}

func orgCodeOpts(lang, prefix string, codes []string, selected ...string) []orgOpt {
	out := make([]orgOpt, len(codes))
	for i, c := range codes {
		on := false
		for _, s := range selected {
			on = on || s == c
		}
		out[i] = orgOpt{Value: c, Label: org.Label(lang, prefix, c), On: on}
	}
	return out
}

// orgRedirect sends the browser to path after a successful POST.
func orgRedirect(w http.ResponseWriter, r *http.Request, path string) error {
	http.Redirect(w, r, path, http.StatusSeeOther)
	return nil
}
