package api

import (
	"lvzhi/internal/org"
)

// The committee's structure: child committees, terms (届), plenary sessions,
// sectors (界别) and groups. Every change is made in the token user's own
// committee, as the web's /org/committee, /org/sectors and /org/groups forms do.

// SessionList is a list of plenary sessions, newest first.
type SessionList struct {
	Items []org.Session `json:"items"`
}

// CommitteeBody creates a child committee below the token user's committee.
type CommitteeBody struct {
	Level string `json:"level" codes:"level"`
	Name  string `json:"name"`
	Code  string `json:"code"` // unique short code, no spaces or slashes (the login's committee code)
}

// TermBody creates or updates a term; name defaults to 第N届; version is
// required for updates.
type TermBody struct {
	Number   int    `json:"number"`
	Name     string `json:"name,omitempty"`
	StartsOn string `json:"starts_on"` // YYYY-MM-DD
	EndsOn   string `json:"ends_on,omitempty"`
	Version  int    `json:"version,omitempty"`
}

// SessionBody creates or updates a plenary session; term_id is read on
// creation only (an update keeps the session's term); name defaults to
// 九届二次; version is required for updates.
type SessionBody struct {
	TermID     int64  `json:"term_id"`
	Number     int    `json:"number"`
	Name       string `json:"name,omitempty"`
	Year       int    `json:"year,omitempty"`
	OpensOn    string `json:"opens_on"`
	ClosesOn   string `json:"closes_on"`
	SubmitFrom string `json:"submit_from"` // the window in which proposals count as 大会提案
	SubmitTo   string `json:"submit_to"`
	Version    int    `json:"version,omitempty"`
}

// SectorBody creates or updates a sector; version is required for updates.
type SectorBody struct {
	Name    string `json:"name"`
	Sort    int    `json:"sort,omitempty"`
	Version int    `json:"version,omitempty"`
}

// GroupBody creates or updates a group; version is required for updates.
type GroupBody struct {
	Kind    string `json:"kind" codes:"group_kind"`
	Name    string `json:"name"`
	Sort    int    `json:"sort,omitempty"`
	Version int    `json:"version,omitempty"`
}

// decodeID reads the path id and the JSON body into b.
func decodeID(r *Request, b any) (int64, error) {
	id, err := r.PathID("id")
	if err != nil {
		return 0, err
	}
	return id, r.Decode(b)
}

func (a *API) orgStructureRoutes() []Route {
	o := a.deps.Org
	return []Route{
		{Method: "POST", Path: "/committees", Tag: "org", Summary: "Create a child committee below the token user's committee (admins)",
			Body: CommitteeBody{}, Result: org.Committee{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b CommitteeBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return o.CreateCommittee(r.Context(), r.Actor, r.Actor.CommitteeID, org.CommitteeInput{Level: b.Level, Name: b.Name, Code: b.Code})
			}},
		{Method: "POST", Path: "/terms", Tag: "org", Summary: "Add a term (届) to the token user's committee (admins)",
			Body: TermBody{}, Result: org.Term{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b TermBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return o.CreateTerm(r.Context(), r.Actor, r.Actor.CommitteeID, b.input())
			}},
		{Method: "PUT", Path: "/terms/{id}", Tag: "org", Summary: "Update a term (send its version; a stale one is 409)",
			Body: TermBody{}, Result: org.Term{}, Handle: func(r *Request) (any, error) {
				var b TermBody
				id, err := decodeID(r, &b)
				if err != nil {
					return nil, err
				}
				return o.UpdateTerm(r.Context(), r.Actor, r.Actor.CommitteeID, id, b.input())
			}},
		{Method: "GET", Path: "/sessions", Tag: "org", Summary: "Plenary sessions (次会议) of a committee, newest first",
			Query:  []Param{committeeParam, {Name: "term", Type: "integer", Description: "term id; default every term"}},
			Result: SessionList{}, Handle: func(r *Request) (any, error) {
				cid, err := committeeOf(r)
				if err != nil {
					return nil, err
				}
				term, err := r.QueryInt("term")
				if err != nil {
					return nil, err
				}
				ss, err := o.Sessions(r.Context(), r.Actor, cid, term)
				return SessionList{orEmpty(ss)}, err
			}},
		{Method: "POST", Path: "/sessions", Tag: "org", Summary: "Add a plenary session to a term of the token user's committee (admins)",
			Body: SessionBody{}, Result: org.Session{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b SessionBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return o.CreateSession(r.Context(), r.Actor, r.Actor.CommitteeID, b.input())
			}},
		{Method: "PUT", Path: "/sessions/{id}", Tag: "org", Summary: "Update a plenary session (send its version; a stale one is 409)",
			Body: SessionBody{}, Result: org.Session{}, Handle: func(r *Request) (any, error) {
				var b SessionBody
				id, err := decodeID(r, &b)
				if err != nil {
					return nil, err
				}
				return o.UpdateSession(r.Context(), r.Actor, r.Actor.CommitteeID, id, b.input())
			}},
		{Method: "POST", Path: "/sectors", Tag: "org", Summary: "Add a sector (界别) to the token user's committee (staff, admins)",
			Body: SectorBody{}, Result: org.Sector{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b SectorBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return o.CreateSector(r.Context(), r.Actor, r.Actor.CommitteeID, org.SectorInput{Name: b.Name, Sort: b.Sort})
			}},
		{Method: "PUT", Path: "/sectors/{id}", Tag: "org", Summary: "Update a sector (send its version; a stale one is 409)",
			Body: SectorBody{}, Result: org.Sector{}, Handle: func(r *Request) (any, error) {
				var b SectorBody
				id, err := decodeID(r, &b)
				if err != nil {
					return nil, err
				}
				return o.UpdateSector(r.Context(), r.Actor, r.Actor.CommitteeID, id, org.SectorInput{Name: b.Name, Sort: b.Sort, Version: b.Version})
			}},
		{Method: "POST", Path: "/groups", Tag: "org", Summary: "Add a special committee or working group to the token user's committee (staff, admins)",
			Body: GroupBody{}, Result: org.Group{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b GroupBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return o.CreateGroup(r.Context(), r.Actor, r.Actor.CommitteeID, org.GroupInput{Kind: b.Kind, Name: b.Name, Sort: b.Sort})
			}},
		{Method: "PUT", Path: "/groups/{id}", Tag: "org", Summary: "Update a group (send its version; a stale one is 409)",
			Body: GroupBody{}, Result: org.Group{}, Handle: func(r *Request) (any, error) {
				var b GroupBody
				id, err := decodeID(r, &b)
				if err != nil {
					return nil, err
				}
				return o.UpdateGroup(r.Context(), r.Actor, r.Actor.CommitteeID, id, org.GroupInput{Kind: b.Kind, Name: b.Name, Sort: b.Sort, Version: b.Version})
			}},
	}
}

func (b TermBody) input() org.TermInput {
	return org.TermInput{Number: b.Number, Name: b.Name, StartsOn: b.StartsOn, EndsOn: b.EndsOn, Version: b.Version}
}

func (b SessionBody) input() org.SessionInput {
	return org.SessionInput{TermID: b.TermID, Number: b.Number, Name: b.Name, Year: b.Year, OpensOn: b.OpensOn,
		ClosesOn: b.ClosesOn, SubmitFrom: b.SubmitFrom, SubmitTo: b.SubmitTo, Version: b.Version}
}
