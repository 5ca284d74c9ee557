package api

import (
	"lvzhi/internal/apperr"
	"lvzhi/internal/liaison"
)

// LinkList is a page of liaison links.
type LinkList struct {
	Items []liaison.Link `json:"items"`
	Total int            `json:"total"`
}

// LinkUpdate is a link's new values and the version they replace.
type LinkUpdate struct {
	liaison.LinkInput
	Version int `json:"version"`
}

// CampaignList is a list of visit campaigns.
type CampaignList struct {
	Items []liaison.Campaign `json:"items"`
}

// CampaignUpdate is a campaign's new values and the version they replace.
type CampaignUpdate struct {
	liaison.CampaignInput
	Version int `json:"version"`
}

// TargetList is a list of campaign targets.
type TargetList struct {
	Items []liaison.Target `json:"items"`
}

// TargetsBody plans visits by one visitor to several members (membership ids).
type TargetsBody struct {
	VisitorID int64   `json:"visitor_id"`
	TargetIDs []int64 `json:"target_ids"`
}

// ContactList is a list of contacts, newest first.
type ContactList struct {
	Items []liaison.Contact `json:"items"`
}

// CandidateList lists memberships that can be linked.
type CandidateList struct {
	Items []liaison.Candidate `json:"items"`
}

// Mine is what the token's user keeps up: their links and campaign targets.
type Mine struct {
	Links   []liaison.Link   `json:"links"`
	Targets []liaison.Target `json:"targets"`
}

// requiredVersion reads the version query parameter of a deletion.
func requiredVersion(r *Request) (int, error) {
	v, err := r.QueryInt("version")
	if err != nil {
		return 0, err
	}
	if v <= 0 {
		return 0, apperr.Fields(apperr.Field("version", "err.required"))
	}
	return int(v), nil
}

var versionParam = Param{Name: "version", Type: "integer", Description: "the version being deleted", Required: true}

func (a *API) liaisonRoutes() []Route {
	l := a.deps.Liaison
	withID := func(h func(r *Request, id int64) (any, error)) func(r *Request) (any, error) {
		return func(r *Request) (any, error) {
			id, err := r.PathID("id")
			if err != nil {
				return nil, err
			}
			return h(r, id)
		}
	}
	return []Route{
		{Method: "GET", Path: "/liaison/links", Tag: "liaison", Summary: "Liaison links of a committee (readers)",
			Query: []Param{committeeParam, {Name: "term", Type: "integer", Description: ""}, {Name: "level", Type: "string", Description: "leader_head, head_party, party_nonparty"},
				{Name: "liaison", Type: "integer", Description: "membership id of the liaising person"}, {Name: "member", Type: "integer", Description: "membership id of the linked member"},
				{Name: "q", Type: "string", Description: "part of either name"}, {Name: "active_on", Type: "string", Description: "YYYY-MM-DD: links in force that day"},
				{Name: "limit", Type: "integer", Description: "default 100; above 500 is capped to 500", Max: 500}, {Name: "offset", Type: "integer", Description: ""}},
			Result: LinkList{}, Handle: a.listLinks},
		{Method: "POST", Path: "/liaison/links", Tag: "liaison", Summary: "Link two members along the chain",
			Body: liaison.LinkInput{}, Result: liaison.Link{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in liaison.LinkInput
				if err := r.Decode(&in); err != nil {
					return nil, err
				}
				return l.CreateLink(r.Context(), r.Actor, in)
			}},
		{Method: "GET", Path: "/liaison/links/{id}", Tag: "liaison", Summary: "One link (readers and its liaising person)",
			Result: liaison.Link{}, Handle: withID(func(r *Request, id int64) (any, error) { return l.GetLink(r.Context(), r.Actor, id) })},
		{Method: "PUT", Path: "/liaison/links/{id}", Tag: "liaison", Summary: "Update a link (send its version; a stale one is 409)",
			Body: LinkUpdate{}, Result: liaison.Link{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var in LinkUpdate
				if err := r.Decode(&in); err != nil {
					return nil, err
				}
				return l.UpdateLink(r.Context(), r.Actor, id, in.Version, in.LinkInput)
			})},
		{Method: "DELETE", Path: "/liaison/links/{id}", Tag: "liaison", Summary: "Delete a link without contacts",
			Query: []Param{versionParam}, Handle: withID(func(r *Request, id int64) (any, error) {
				v, err := requiredVersion(r)
				if err != nil {
					return nil, err
				}
				return nil, l.DeleteLink(r.Context(), r.Actor, id, v)
			})},
		{Method: "GET", Path: "/liaison/links/{id}/contacts", Tag: "liaison", Summary: "Contacts made along a link, newest first",
			Result: ContactList{}, Handle: withID(func(r *Request, id int64) (any, error) {
				cs, err := l.ListContacts(r.Context(), r.Actor, id, 0)
				return ContactList{orEmpty(cs)}, err
			})},
		{Method: "POST", Path: "/liaison/contacts", Tag: "liaison",
			Summary: "Record a contact on a link or a visit to a campaign target (editors; members on their own)",
			Body:    liaison.ContactInput{}, Result: liaison.Contact{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in liaison.ContactInput
				if err := r.Decode(&in); err != nil {
					return nil, err
				}
				return l.LogContact(r.Context(), r.Actor, in)
			}},
		{Method: "DELETE", Path: "/liaison/contacts/{id}", Tag: "liaison", Summary: "Delete a contact recorded in error",
			Handle: withID(func(r *Request, id int64) (any, error) { return nil, l.DeleteContact(r.Context(), r.Actor, id) })},
		{Method: "GET", Path: "/liaison/behind", Tag: "liaison",
			Summary: "Links and campaign targets short of their target, with the prorated share due by now",
			Query: []Param{committeeParam, {Name: "from", Type: "string", Description: "YYYY-MM-DD; default 1 January this year"}, {Name: "to", Type: "string", Description: "YYYY-MM-DD; default 31 December"},
				{Name: "liaison", Type: "integer", Description: "person id of one liaising person"}, {Name: "only_behind", Type: "boolean", Description: "only rows behind pace"},
				{Name: "sort", Type: "string", Description: "pace (default), short, liaison, member, last"}},
			Result: liaison.BehindReport{}, Handle: a.behind},
		{Method: "GET", Path: "/liaison/mine", Tag: "liaison", Summary: "The links and campaign targets the token's user keeps up",
			Result: Mine{}, Handle: func(r *Request) (any, error) {
				links, err := l.MyLinks(r.Context(), r.Actor)
				if err != nil {
					return nil, err
				}
				ts, err := l.MyTargets(r.Context(), r.Actor)
				return Mine{orEmpty(links), orEmpty(ts)}, err
			}},
		{Method: "GET", Path: "/liaison/candidates", Tag: "liaison", Summary: "Serving members of a term with the flags the chain rules use",
			Query: []Param{{Name: "term", Type: "integer", Description: "default the newest term"}}, Result: CandidateList{}, Handle: func(r *Request) (any, error) {
				term, err := r.QueryInt("term")
				if err != nil {
					return nil, err
				}
				cs, err := l.Candidates(r.Context(), r.Actor, term)
				return CandidateList{orEmpty(cs)}, err
			}},
		{Method: "GET", Path: "/liaison/campaigns", Tag: "liaison", Summary: "Visit campaigns of a committee, newest first",
			Query: []Param{committeeParam}, Result: CampaignList{}, Handle: func(r *Request) (any, error) {
				cid, err := r.QueryInt("committee")
				if err != nil {
					return nil, err
				}
				cs, err := l.ListCampaigns(r.Context(), r.Actor, cid)
				return CampaignList{orEmpty(cs)}, err
			}},
		{Method: "POST", Path: "/liaison/campaigns", Tag: "liaison", Summary: "Start a visit campaign",
			Body: liaison.CampaignInput{}, Result: liaison.Campaign{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in liaison.CampaignInput
				if err := r.Decode(&in); err != nil {
					return nil, err
				}
				return l.CreateCampaign(r.Context(), r.Actor, in)
			}},
		{Method: "GET", Path: "/liaison/campaigns/{id}", Tag: "liaison", Summary: "One visit campaign with its progress",
			Result: liaison.Campaign{}, Handle: withID(func(r *Request, id int64) (any, error) { return l.GetCampaign(r.Context(), r.Actor, id) })},
		{Method: "PUT", Path: "/liaison/campaigns/{id}", Tag: "liaison", Summary: "Update a campaign (send its version)",
			Body: CampaignUpdate{}, Result: liaison.Campaign{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var in CampaignUpdate
				if err := r.Decode(&in); err != nil {
					return nil, err
				}
				return l.UpdateCampaign(r.Context(), r.Actor, id, in.Version, in.CampaignInput)
			})},
		{Method: "DELETE", Path: "/liaison/campaigns/{id}", Tag: "liaison", Summary: "Delete a campaign without targets",
			Query: []Param{versionParam}, Handle: withID(func(r *Request, id int64) (any, error) {
				v, err := requiredVersion(r)
				if err != nil {
					return nil, err
				}
				return nil, l.DeleteCampaign(r.Context(), r.Actor, id, v)
			})},
		{Method: "GET", Path: "/liaison/campaigns/{id}/targets", Tag: "liaison", Summary: "A campaign's targets with their visits",
			Result: TargetList{}, Handle: withID(func(r *Request, id int64) (any, error) {
				ts, err := l.ListTargets(r.Context(), r.Actor, id)
				return TargetList{orEmpty(ts)}, err
			})},
		{Method: "POST", Path: "/liaison/campaigns/{id}/targets", Tag: "liaison", Summary: "Plan visits by one visitor to several members",
			Body: TargetsBody{}, Result: TargetList{}, Status: 201, Handle: withID(func(r *Request, id int64) (any, error) {
				var in TargetsBody
				if err := r.Decode(&in); err != nil {
					return nil, err
				}
				ts, err := l.AddTargets(r.Context(), r.Actor, id, in.VisitorID, in.TargetIDs)
				return TargetList{orEmpty(ts)}, err
			})},
		{Method: "DELETE", Path: "/liaison/targets/{id}", Tag: "liaison", Summary: "Take an unvisited target off its campaign",
			Handle: withID(func(r *Request, id int64) (any, error) { return nil, l.RemoveTarget(r.Context(), r.Actor, id) })},
		{Method: "GET", Path: "/liaison/targets/{id}/contacts", Tag: "liaison", Summary: "Visits made to a campaign target, newest first",
			Result: ContactList{}, Handle: withID(func(r *Request, id int64) (any, error) {
				cs, err := l.ListContacts(r.Context(), r.Actor, 0, id)
				return ContactList{orEmpty(cs)}, err
			})},
	}
}

func (a *API) listLinks(r *Request) (any, error) {
	f := liaison.LinkFilter{Level: liaison.Level(r.Query("level")), Q: r.Query("q"), ActiveOn: r.Query("active_on")}
	for _, x := range []struct {
		name string
		dst  *int64
	}{{"committee", &f.CommitteeID}, {"term", &f.TermID}, {"liaison", &f.LiaisonID}, {"member", &f.MemberID}} {
		n, err := r.QueryInt(x.name)
		if err != nil {
			return nil, err
		}
		*x.dst = n
	}
	limit, err := r.QueryInt("limit")
	if err != nil {
		return nil, err
	}
	offset, err := r.QueryInt("offset")
	if err != nil {
		return nil, err
	}
	f.Limit, f.Offset = int(limit), int(offset)
	links, total, err := a.deps.Liaison.ListLinks(r.Context(), r.Actor, f)
	return LinkList{orEmpty(links), total}, err
}

func (a *API) behind(r *Request) (any, error) {
	q := liaison.BehindQuery{From: r.Query("from"), To: r.Query("to"), Sort: r.Query("sort")}
	var err error
	if q.CommitteeID, err = r.QueryInt("committee"); err != nil {
		return nil, err
	}
	if q.LiaisonID, err = r.QueryInt("liaison"); err != nil {
		return nil, err
	}
	if q.OnlyBehind, err = r.QueryBool("only_behind"); err != nil {
		return nil, err
	}
	rep, err := a.deps.Liaison.Behind(r.Context(), r.Actor, q)
	if err != nil {
		return nil, err
	}
	rep.Rows, rep.ByLiaison = orEmpty(rep.Rows), orEmpty(rep.ByLiaison)
	return rep, nil
}
