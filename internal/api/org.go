package api

import (
	"lvzhi/internal/org"
)

// CommitteeList is a list of committees.
type CommitteeList struct {
	Items []org.Committee `json:"items"`
}

// TermList is a list of terms.
type TermList struct {
	Items []org.Term `json:"items"`
}

// SectorList is a list of sectors.
type SectorList struct {
	Items []org.Sector `json:"items"`
}

// GroupList is a list of groups.
type GroupList struct {
	Items []org.Group `json:"items"`
}

// UnitList is a list of handling units.
type UnitList struct {
	Items []org.Unit `json:"items"`
}

// MemberList is one page of members.
type MemberList struct {
	Items   []org.Member `json:"items"`
	Total   int          `json:"total"`
	Page    int          `json:"page"`
	PerPage int          `json:"per_page"`
	HasNext bool         `json:"has_next"`
	TermID  int64        `json:"term_id"`
}

// MemberBody creates or updates a member; version is required for updates.
// On update an empty id_number keeps the stored one.
type MemberBody struct {
	TermID      int64           `json:"term_id,omitempty"`
	Name        string          `json:"name"`
	Gender      string          `json:"gender" codes:"gender"`
	IDNumber    string          `json:"id_number,omitempty"`
	BirthDate   string          `json:"birth_date,omitempty"`
	Ethnicity   string          `json:"ethnicity,omitempty"`
	Phone       string          `json:"phone"`
	Email       string          `json:"email,omitempty"`
	Employer    string          `json:"employer,omitempty"`
	JobTitle    string          `json:"job_title,omitempty"`
	SectorID    int64           `json:"sector_id"`
	Affiliation string          `json:"affiliation" codes:"affiliation"`
	Positions   []string        `json:"positions,omitempty" codes:"position"`
	Standing    bool            `json:"standing,omitempty"`
	Status      string          `json:"status,omitempty" codes:"status"`
	Skills      string          `json:"skills,omitempty"`
	Resources   string          `json:"resources,omitempty"`
	JoinedOn    string          `json:"joined_on,omitempty"`
	LeftOn      string          `json:"left_on,omitempty"`
	Groups      []org.GroupRole `json:"groups,omitempty"`
	Version     int             `json:"version,omitempty"`
}

func (b MemberBody) input() org.MemberInput {
	return org.MemberInput{TermID: b.TermID, Name: b.Name, Gender: b.Gender, IDNumber: b.IDNumber, BirthDate: b.BirthDate,
		Ethnicity: b.Ethnicity, Phone: b.Phone, Email: b.Email, Employer: b.Employer, JobTitle: b.JobTitle,
		SectorID: b.SectorID, Affiliation: b.Affiliation, Positions: b.Positions, Standing: b.Standing, Status: b.Status,
		Skills: b.Skills, Resources: b.Resources, JoinedOn: b.JoinedOn, LeftOn: b.LeftOn, Groups: b.Groups, Version: b.Version}
}

// UnitBody creates or updates a handling unit; active defaults to true.
type UnitBody struct {
	Name         string `json:"name"`
	Kind         string `json:"kind" codes:"unit_kind"`
	ContactName  string `json:"contact_name,omitempty"`
	ContactPhone string `json:"contact_phone,omitempty"`
	Active       *bool  `json:"active,omitempty"`
	Version      int    `json:"version,omitempty"`
}

func (b UnitBody) input() org.UnitInput {
	active := b.Active == nil || *b.Active
	return org.UnitInput{Name: b.Name, Kind: b.Kind, ContactName: b.ContactName, ContactPhone: b.ContactPhone, Active: active, Version: b.Version}
}

func (a *API) orgRoutes() []Route {
	o := a.deps.Org
	byCommittee := func(h func(r *Request, cid int64) (any, error)) func(r *Request) (any, error) {
		return func(r *Request) (any, error) {
			cid, err := committeeOf(r)
			if err != nil {
				return nil, err
			}
			return h(r, cid)
		}
	}
	return []Route{
		{Method: "GET", Path: "/committees/{id}", Tag: "org", Summary: "One committee (own or below)", Result: org.Committee{},
			Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				return o.Committee(r.Context(), r.Actor, id)
			}},
		{Method: "GET", Path: "/committees/{id}/children", Tag: "org", Summary: "A committee's child committees", Result: CommitteeList{},
			Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				cs, err := o.Children(r.Context(), r.Actor, id)
				return CommitteeList{orEmpty(cs)}, err
			}},
		{Method: "GET", Path: "/terms", Tag: "org", Summary: "Terms (届) of a committee, newest first", Query: []Param{committeeParam},
			Result: TermList{}, Handle: byCommittee(func(r *Request, cid int64) (any, error) {
				ts, err := o.Terms(r.Context(), r.Actor, cid)
				return TermList{orEmpty(ts)}, err
			})},
		{Method: "GET", Path: "/sectors", Tag: "org", Summary: "Sectors (界别) of a committee", Query: []Param{committeeParam},
			Result: SectorList{}, Handle: byCommittee(func(r *Request, cid int64) (any, error) {
				ss, err := o.Sectors(r.Context(), r.Actor, cid)
				return SectorList{orEmpty(ss)}, err
			})},
		{Method: "GET", Path: "/groups", Tag: "org", Summary: "Special committees and working groups of a committee", Query: []Param{committeeParam},
			Result: GroupList{}, Handle: byCommittee(func(r *Request, cid int64) (any, error) {
				gs, err := o.Groups(r.Context(), r.Actor, cid)
				return GroupList{orEmpty(gs)}, err
			})},
		{Method: "GET", Path: "/units", Tag: "org", Summary: "Handling units (承办单位) of a committee",
			Query: []Param{committeeParam, {Name: "kind", Type: "string", Description: "party, government, congress, court, procuratorate, other"},
				{Name: "q", Type: "string", Description: "name or contact contains"}, {Name: "active", Type: "string", Description: "yes or no"}},
			Result: UnitList{}, Handle: byCommittee(func(r *Request, cid int64) (any, error) {
				us, err := o.Units(r.Context(), r.Actor, cid, org.UnitFilter{Kind: r.Query("kind"), Q: r.Query("q"), Active: r.Query("active")})
				return UnitList{orEmpty(us)}, err
			})},
		{Method: "GET", Path: "/units/{id}", Tag: "org", Summary: "One handling unit", Result: org.Unit{},
			Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				return o.Unit(r.Context(), r.Actor, id)
			}},
		{Method: "POST", Path: "/units", Tag: "org", Summary: "Create a handling unit in the token user's committee",
			Body: UnitBody{}, Result: org.Unit{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b UnitBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return o.CreateUnit(r.Context(), r.Actor, r.Actor.CommitteeID, b.input())
			}},
		{Method: "PUT", Path: "/units/{id}", Tag: "org", Summary: "Update a handling unit (send its version)",
			Body: UnitBody{}, Result: org.Unit{}, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				var b UnitBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return o.UpdateUnit(r.Context(), r.Actor, id, b.input())
			}},
		{Method: "GET", Path: "/members", Tag: "org", Summary: "One page of a committee's members, filtered",
			Query: []Param{committeeParam, {Name: "term", Type: "integer", Description: "term id; default the current term"}, {Name: "sector", Type: "integer", Description: ""},
				{Name: "group", Type: "integer", Description: ""}, {Name: "affiliation", Type: "string", Description: "code, e.g. cpc"}, {Name: "position", Type: "string", Description: "code, e.g. vice_chair"},
				{Name: "standing", Type: "string", Description: "yes or no"}, {Name: "status", Type: "string", Description: "active, resigned, removed, deceased"},
				{Name: "q", Type: "string", Description: "name, phone or employer contains"}, {Name: "page", Type: "integer", Description: "1-based"}, {Name: "per_page", Type: "integer", Description: "default 50; above 500 is capped to 500", Max: 500}},
			Result: MemberList{}, Handle: byCommittee(a.listMembers)},
		{Method: "GET", Path: "/members/{id}", Tag: "org", Summary: "One member (membership id)", Result: org.Member{},
			Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				return o.Member(r.Context(), r.Actor, id)
			}},
		{Method: "POST", Path: "/members", Tag: "org", Summary: "Create a member (person and membership) in the token user's committee",
			Body: MemberBody{}, Result: org.Member{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b MemberBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return o.CreateMember(r.Context(), r.Actor, r.Actor.CommitteeID, b.input())
			}},
		{Method: "PUT", Path: "/members/{id}", Tag: "org", Summary: "Update a member (send its version; a stale one is 409)",
			Body: MemberBody{}, Result: org.Member{}, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				var b MemberBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return o.UpdateMember(r.Context(), r.Actor, id, b.input())
			}},
	}
}

func (a *API) listMembers(r *Request, cid int64) (any, error) {
	f := org.MemberFilter{Affiliation: r.Query("affiliation"), Position: r.Query("position"), Standing: r.Query("standing"),
		Status: r.Query("status"), Q: r.Query("q")}
	ints := []struct {
		name string
		dst  *int64
	}{{"term", &f.TermID}, {"sector", &f.SectorID}, {"group", &f.GroupID}}
	for _, x := range ints {
		n, err := r.QueryInt(x.name)
		if err != nil {
			return nil, err
		}
		*x.dst = n
	}
	page, err := r.QueryInt("page")
	if err != nil {
		return nil, err
	}
	per, err := r.QueryInt("per_page")
	if err != nil {
		return nil, err
	}
	f.Page, f.PerPage = int(page), int(per)
	p, err := a.deps.Org.ListMembers(r.Context(), r.Actor, cid, f)
	if err != nil {
		return nil, err
	}
	return MemberList{Items: orEmpty(p.Members), Total: p.Total, Page: p.Page, PerPage: p.PerPage, HasNext: p.HasNext, TermID: p.TermID}, nil
}
