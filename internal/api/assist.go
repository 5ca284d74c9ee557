package api

import (
	"lvzhi/internal/assist"
	"lvzhi/internal/civil"
)

// HouseholdList is a page of households (ID numbers masked).
type HouseholdList struct {
	Items []assist.Household `json:"items"`
	Total int                `json:"total"`
}

// HouseholdUpdate is a household's new values (its version inside).
type HouseholdUpdate = assist.HouseholdInput

// VillageBody is a village to add.
type VillageBody struct {
	Township string `json:"township"`
	Name     string `json:"name"`
	Code     string `json:"code"`
}

// VillageList lists a committee's villages.
type VillageList struct {
	Items []assist.Village `json:"items"`
}

// NeedList is a page of needs and the number the filter selects.
type NeedList struct {
	Items []assist.Need `json:"items"`
	Total int           `json:"total"`
}

// NeedUpdate is a need's new values and the version they replace.
type NeedUpdate struct {
	assist.NeedInput
	Version int `json:"version"`
}

// StepBody moves a need or a pairing along its transition table.
type StepBody struct {
	Action  string `json:"action"`
	Version int    `json:"version"`
}

// MatchBody confirms (or, naming another member, changes) a match, or rejects one.
type MatchBody struct {
	MembershipID int64 `json:"membership_id"`
	Version      int   `json:"version"`
	Fit          int   `json:"fit"`
}

// SuggestionList is a list of suggested matches.
type SuggestionList struct {
	Items []assist.Suggestion `json:"items"`
}

// PairBody pairs a member with a household.
type PairBody struct {
	HouseholdID  int64 `json:"household_id"`
	MembershipID int64 `json:"membership_id"`
}

// PairingList is a list of pairings.
type PairingList struct {
	Items []assist.Pairing `json:"items"`
}

// RecordList is a page of assistance records and the number the filter selects.
type RecordList struct {
	Items []assist.Record `json:"items"`
	Total int             `json:"total"`
}

// VersionBody names the version an action applies to.
type VersionBody struct {
	Version int `json:"version"`
}

// PledgeList is a list of pledges with their reconciliation.
type PledgeList struct {
	Items []assist.Pledge `json:"items"`
}

// CampaignsList lists campaigns with their targets' progress.
type CampaignsList struct {
	Items []assist.Campaign `json:"items"`
}

// SiteList lists demonstration sites with their projects.
type SiteList struct {
	Items []assist.Site `json:"items"`
}

// PointsBody credits a household with points at a supermarket.
type PointsBody struct {
	HouseholdID int64      `json:"household_id"`
	Points      int        `json:"points"`
	Reason      string     `json:"reason"`
	On          civil.Date `json:"on"`
}

// RedeemBody exchanges a household's points for units of an item.
type RedeemBody struct {
	HouseholdID int64      `json:"household_id"`
	ItemID      int64      `json:"item_id"`
	Quantity    int        `json:"quantity"`
	On          civil.Date `json:"on"`
}

// RestockBody adds donated units of an item.
type RestockBody struct {
	Quantity int `json:"quantity"`
}

// OfferList lists the serving members with their offers.
type OfferList struct {
	Items []assist.Offer `json:"items"`
}

var limitParam = Param{Name: "limit", Type: "integer", Description: "default 50; above 500 is capped to 500", Max: 500}

// pageParams are the limit and offset of the needs and records lists: their
// default page is the largest, as they answered before they had a total.
var pageParams = []Param{{Name: "limit", Type: "integer", Description: "default 500; above 500 is capped to 500", Max: 500},
	{Name: "offset", Type: "integer", Description: ""}}

// limitOffset is the limit (default and at most 500) and offset a list call asks for.
func limitOffset(r *Request) (limit, offset int, err error) {
	l, err := r.QueryInt("limit")
	if err != nil {
		return 0, 0, err
	}
	o, err := r.QueryInt("offset")
	if err != nil {
		return 0, 0, err
	}
	if l <= 0 || l > 500 {
		l = 500
	}
	return int(l), int(max(o, 0)), nil
}

func (a *API) assistRoutes() []Route {
	s := a.deps.Assist
	withID := func(h func(r *Request, id int64) (any, error)) func(r *Request) (any, error) {
		return func(r *Request) (any, error) {
			id, err := r.PathID("id")
			if err != nil {
				return nil, err
			}
			return h(r, id)
		}
	}
	body := func(v any, r *Request) error { return r.Decode(v) }
	return []Route{
		{Method: "GET", Path: "/assist/villages", Tag: "assist", Summary: "The committee's villages by township",
			Query: []Param{committeeParam}, Result: VillageList{}, Handle: func(r *Request) (any, error) {
				cid, err := r.QueryInt("committee")
				if err != nil {
					return nil, err
				}
				if cid == 0 {
					cid = r.Actor.CommitteeID
				}
				vs, err := s.Villages(r.Context(), r.Actor, cid)
				return VillageList{orEmpty(vs)}, err
			}},
		{Method: "POST", Path: "/assist/villages", Tag: "assist", Summary: "Add a village (officers)",
			Body: VillageBody{}, Result: assist.Village{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in VillageBody
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.CreateVillage(r.Context(), r.Actor, in.Township, in.Name, in.Code)
			}},
		{Method: "GET", Path: "/assist/households", Tag: "assist", Summary: "Households the token's user may read (members: their paired ones); ID numbers masked",
			Query: []Param{{Name: "q", Type: "string", Description: "part of the registry id or the head's name"},
				{Name: "township", Type: "string", Description: ""}, {Name: "status", Type: "string", Description: "poor, lifted, relapsed, monitored"},
				limitParam, {Name: "offset", Type: "integer", Description: ""}},
			Result: HouseholdList{}, Handle: func(r *Request) (any, error) {
				limit, err := r.QueryInt("limit")
				if err != nil {
					return nil, err
				}
				offset, err := r.QueryInt("offset")
				if err != nil {
					return nil, err
				}
				hs, total, err := s.ListHouseholds(r.Context(), r.Actor, assist.HouseholdFilter{Query: r.Query("q"), Township: r.Query("township"),
					Status: r.Query("status"), Limit: int(min(limit, 500)), Offset: int(offset)})
				return HouseholdList{orEmpty(hs), total}, err
			}},
		{Method: "POST", Path: "/assist/households", Tag: "assist", Summary: "Register a household with its members (officers); ID numbers are sealed",
			Body: assist.HouseholdInput{}, Result: assist.Household{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in assist.HouseholdInput
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.CreateHousehold(r.Context(), r.Actor, in)
			}},
		{Method: "GET", Path: "/assist/households/{id}", Tag: "assist", Summary: "One household with members (ID numbers masked) and what the reader may do",
			Result: assist.HouseholdDetail{}, Handle: withID(func(r *Request, id int64) (any, error) { return s.GetHousehold(r.Context(), r.Actor, id) })},
		{Method: "PUT", Path: "/assist/households/{id}", Tag: "assist", Summary: "Update a household and its members (send its version)",
			Body: HouseholdUpdate{}, Result: assist.Household{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var in HouseholdUpdate
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.UpdateHousehold(r.Context(), r.Actor, id, in)
			})},
		{Method: "POST", Path: "/assist/households/{id}/snapshots", Tag: "assist", Summary: "Record a dated 两不愁三保障 check",
			Body: assist.Snapshot{}, Result: assist.Snapshot{}, Status: 201, Handle: withID(func(r *Request, id int64) (any, error) {
				var in assist.Snapshot
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.AddSnapshot(r.Context(), r.Actor, id, in)
			})},
		{Method: "POST", Path: "/assist/household-members/{id}/reveal", Tag: "assist",
			Summary: "A household member's full ID number and phone (officers and admins of its committee; audited)",
			Result:  assist.Revealed{}, Handle: withID(func(r *Request, id int64) (any, error) { return s.RevealIDNumber(r.Context(), r.Actor, id) })},
		{Method: "GET", Path: "/assist/needs", Tag: "assist", Summary: "Needs of the households the token's user may read",
			Query: []Param{{Name: "state", Type: "string", Description: "OPEN, MATCHED, IN_PROGRESS, MET, CLOSED"}, {Name: "kind", Type: "string", Description: ""},
				{Name: "household", Type: "integer", Description: "one household's needs"}, pageParams[0], pageParams[1]},
			Result: NeedList{}, Handle: func(r *Request) (any, error) {
				hid, err := r.QueryInt("household")
				if err != nil {
					return nil, err
				}
				limit, offset, err := limitOffset(r)
				if err != nil {
					return nil, err
				}
				ns, total, err := s.ListNeeds(r.Context(), r.Actor, assist.NeedFilter{State: assist.NeedState(r.Query("state")), Kind: r.Query("kind"),
					HouseholdID: hid, Limit: limit, Offset: offset})
				return NeedList{orEmpty(ns), total}, err
			}},
		{Method: "POST", Path: "/assist/needs", Tag: "assist", Summary: "Record a household's need (officers)",
			Body: assist.NeedInput{}, Result: assist.Need{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in assist.NeedInput
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.CreateNeed(r.Context(), r.Actor, in)
			}},
		{Method: "GET", Path: "/assist/needs/{id}", Tag: "assist", Summary: "One need",
			Result: assist.Need{}, Handle: withID(func(r *Request, id int64) (any, error) { return s.GetNeed(r.Context(), r.Actor, id) })},
		{Method: "PUT", Path: "/assist/needs/{id}", Tag: "assist", Summary: "Edit a need (send its version)",
			Body: NeedUpdate{}, Result: assist.Need{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var in NeedUpdate
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.UpdateNeed(r.Context(), r.Actor, id, in.Version, in.NeedInput)
			})},
		{Method: "POST", Path: "/assist/needs/{id}/step", Tag: "assist", Summary: "Move a need: unmatch, start, meet, close, reopen",
			Body: StepBody{}, Result: assist.Need{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var in StepBody
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.NeedStep(r.Context(), r.Actor, id, in.Version, assist.NeedAction(in.Action))
			})},
		{Method: "GET", Path: "/assist/needs/{id}/suggestions", Tag: "assist", Summary: "The best members for an open need, with fit and reasons (officers)",
			Result: SuggestionList{}, Handle: withID(func(r *Request, id int64) (any, error) {
				ss, err := s.Suggestions(r.Context(), r.Actor, id, 10)
				return SuggestionList{orEmpty(ss)}, err
			})},
		{Method: "POST", Path: "/assist/needs/{id}/confirm", Tag: "assist", Summary: "Confirm a match: the need is MATCHED and the member paired (officers)",
			Body: MatchBody{}, Result: assist.Pairing{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var in MatchBody
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.ConfirmMatch(r.Context(), r.Actor, id, in.Version, in.MembershipID, in.Fit)
			})},
		{Method: "POST", Path: "/assist/needs/{id}/reject", Tag: "assist", Summary: "Reject a suggested member for a need (not suggested again)",
			Body: MatchBody{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var in MatchBody
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return nil, s.RejectMatch(r.Context(), r.Actor, id, in.MembershipID)
			})},
		{Method: "GET", Path: "/assist/match", Tag: "assist", Summary: "The optimal assignment of every open need within members' capacities (officers)",
			Result: SuggestionList{}, Handle: func(r *Request) (any, error) {
				ss, err := s.ProposeAssignment(r.Context(), r.Actor)
				return SuggestionList{orEmpty(ss)}, err
			}},
		{Method: "GET", Path: "/assist/members", Tag: "assist", Summary: "Serving members with their offers (officers)",
			Result: OfferList{}, Handle: func(r *Request) (any, error) {
				os, err := s.Members(r.Context(), r.Actor)
				return OfferList{orEmpty(os)}, err
			}},
		{Method: "PUT", Path: "/assist/members/{id}/offer", Tag: "assist", Summary: "Set what a member offers (the member themself, or officers)",
			Body: assist.OfferInput{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var in assist.OfferInput
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return nil, s.SaveOffer(r.Context(), r.Actor, id, in)
			})},
		{Method: "GET", Path: "/assist/members/{id}/suggestions", Tag: "assist", Summary: "The best open needs for a member (officers)",
			Result: SuggestionList{}, Handle: withID(func(r *Request, id int64) (any, error) {
				ss, err := s.SuggestionsForMember(r.Context(), r.Actor, id, 10)
				return SuggestionList{orEmpty(ss)}, err
			})},
		{Method: "GET", Path: "/assist/pairings", Tag: "assist", Summary: "Pairings of the households the token's user may read",
			Query: []Param{{Name: "household", Type: "integer", Description: ""}}, Result: PairingList{}, Handle: func(r *Request) (any, error) {
				hid, err := r.QueryInt("household")
				if err != nil {
					return nil, err
				}
				ps, err := s.ListPairings(r.Context(), r.Actor, hid)
				return PairingList{orEmpty(ps)}, err
			}},
		{Method: "POST", Path: "/assist/pairings", Tag: "assist", Summary: "Pair a member with a household directly (officers)",
			Body: PairBody{}, Result: assist.Pairing{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in PairBody
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.Pair(r.Context(), r.Actor, in.HouseholdID, in.MembershipID)
			}},
		{Method: "POST", Path: "/assist/pairings/{id}/step", Tag: "assist", Summary: "Suspend, resume or end a pairing (officers)",
			Body: StepBody{}, Result: assist.Pairing{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var in StepBody
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.PairingStep(r.Context(), r.Actor, id, in.Version, assist.PairingAction(in.Action))
			})},
		{Method: "GET", Path: "/assist/records", Tag: "assist", Summary: "Assistance records the token's user may read, newest first",
			Query: []Param{{Name: "household", Type: "integer", Description: ""}, {Name: "kind", Type: "string", Description: ""},
				{Name: "unverified", Type: "boolean", Description: "only records awaiting verification"}, pageParams[0], pageParams[1]},
			Result: RecordList{}, Handle: func(r *Request) (any, error) {
				hid, err := r.QueryInt("household")
				if err != nil {
					return nil, err
				}
				unv, err := r.QueryBool("unverified")
				if err != nil {
					return nil, err
				}
				limit, offset, err := limitOffset(r)
				if err != nil {
					return nil, err
				}
				rs, total, err := s.ListRecords(r.Context(), r.Actor, assist.RecordFilter{HouseholdID: hid, Kind: r.Query("kind"), Unverified: unv,
					Limit: limit, Offset: offset})
				return RecordList{orEmpty(rs), total}, err
			}},
		{Method: "POST", Path: "/assist/records", Tag: "assist", Summary: "Record assistance given (a paired member, or officers)",
			Body: assist.RecordInput{}, Result: assist.Record{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in assist.RecordInput
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.RecordAssistance(r.Context(), r.Actor, in)
			}},
		{Method: "GET", Path: "/assist/records/{id}", Tag: "assist", Summary: "One assistance record",
			Result: assist.Record{}, Handle: withID(func(r *Request, id int64) (any, error) { return s.GetRecord(r.Context(), r.Actor, id) })},
		{Method: "POST", Path: "/assist/records/{id}/verify", Tag: "assist", Summary: "Verify a record (officers); it then counts, once",
			Body: VersionBody{}, Result: assist.Record{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var in VersionBody
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.VerifyRecord(r.Context(), r.Actor, id, in.Version)
			})},
		{Method: "GET", Path: "/assist/bulletin", Tag: "assist", Summary: "The quarterly bulletin: every programme figure for the quarter and the year to its end",
			Query: []Param{committeeParam, {Name: "year", Type: "integer", Description: "", Required: true},
				{Name: "quarter", Type: "integer", Description: "1-4", Required: true}},
			Result: assist.Bulletin{}, Handle: func(r *Request) (any, error) {
				cid, err := r.QueryInt("committee")
				if err != nil {
					return nil, err
				}
				if cid == 0 {
					cid = r.Actor.CommitteeID
				}
				year, err := r.QueryInt("year")
				if err != nil {
					return nil, err
				}
				q, err := r.QueryInt("quarter")
				if err != nil {
					return nil, err
				}
				return s.QuarterBulletin(r.Context(), r.Actor, cid, int(year), int(q))
			}},
		{Method: "GET", Path: "/assist/breakdown", Tag: "assist",
			Summary: "帮扶次数, 帮扶资金 (fen) and households helped split by kind, campaign or member: each row the registered figures with that dimension (GET /figures/records opens a cell's records)",
			Query: []Param{{Name: "by", Type: "string", Description: "kind (default), campaign or member", Enum: assist.BreakdownBy},
				committeeParam, {Name: "subtree", Type: "boolean", Description: "include the committees below (a roll-up)"},
				{Name: "year", Type: "integer", Description: "one calendar year"}, {Name: "from", Type: "string", Description: "YYYY-MM-DD"},
				{Name: "to", Type: "string", Description: "YYYY-MM-DD"}, {Name: "township", Type: "string", Description: ""}},
			Result: assist.Breakdown{}, Handle: func(r *Request) (any, error) {
				f, err := a.neutralFilter(r)
				if err != nil {
					return nil, err
				}
				by := r.Query("by")
				if by == "" {
					by = "kind"
				}
				return s.Breakdown(r.Context(), r.Actor, f.WithDim("by", ""), by)
			}},
		{Method: "GET", Path: "/assist/campaigns", Tag: "assist", Summary: "Campaigns with their categories and targets' progress",
			Query: []Param{committeeParam}, Result: CampaignsList{}, Handle: func(r *Request) (any, error) {
				cid, err := r.QueryInt("committee")
				if err != nil {
					return nil, err
				}
				if cid == 0 {
					cid = r.Actor.CommitteeID
				}
				cs, err := s.ListCampaigns(r.Context(), r.Actor, cid)
				return CampaignsList{orEmpty(cs)}, err
			}},
		{Method: "POST", Path: "/assist/campaigns", Tag: "assist", Summary: "Start a campaign with 助推 categories and targets on figures (officers)",
			Body: assist.CampaignInput{}, Result: assist.Campaign{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in assist.CampaignInput
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.CreateCampaign(r.Context(), r.Actor, in)
			}},
		{Method: "GET", Path: "/assist/sites", Tag: "assist", Summary: "Demonstration sites with their projects",
			Query: []Param{committeeParam}, Result: SiteList{}, Handle: func(r *Request) (any, error) {
				cid, err := r.QueryInt("committee")
				if err != nil {
					return nil, err
				}
				if cid == 0 {
					cid = r.Actor.CommitteeID
				}
				ss, err := s.ListSites(r.Context(), r.Actor, cid)
				return SiteList{orEmpty(ss)}, err
			}},
		{Method: "POST", Path: "/assist/sites", Tag: "assist", Summary: "Add a demonstration site (officers)",
			Body: assist.SiteInput{}, Result: assist.Site{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in assist.SiteInput
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.CreateSite(r.Context(), r.Actor, in)
			}},
		{Method: "POST", Path: "/assist/sites/{id}/projects", Tag: "assist", Summary: "Add a project (爱心超市, 扶贫工厂, 爱心书屋 …) to a site (officers)",
			Body: assist.Project{}, Result: assist.Project{}, Status: 201, Handle: withID(func(r *Request, id int64) (any, error) {
				var in assist.Project
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.AddProject(r.Context(), r.Actor, id, in)
			})},
		{Method: "POST", Path: "/assist/supermarkets/{id}/items", Tag: "assist", Summary: "Put a donated good on a 爱心超市's shelf (price in points, stock)",
			Body: assist.MarketItem{}, Result: assist.MarketItem{}, Status: 201, Handle: withID(func(r *Request, id int64) (any, error) {
				var in assist.MarketItem
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.AddMarketItem(r.Context(), r.Actor, id, in)
			})},
		{Method: "POST", Path: "/assist/market-items/{id}/restock", Tag: "assist", Summary: "Add donated units of an item",
			Body: RestockBody{}, Result: assist.MarketItem{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var in RestockBody
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.Restock(r.Context(), r.Actor, id, in.Quantity)
			})},
		{Method: "POST", Path: "/assist/supermarkets/{id}/earn", Tag: "assist", Summary: "Credit a household with points for good conduct",
			Body: PointsBody{}, Result: assist.MarketAccount{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var in PointsBody
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.EarnPoints(r.Context(), r.Actor, id, in.HouseholdID, in.Points, in.Reason, in.On)
			})},
		{Method: "POST", Path: "/assist/supermarkets/{id}/redeem", Tag: "assist", Summary: "Exchange a household's points for goods (refused beyond the balance or the stock)",
			Body: RedeemBody{}, Result: assist.MarketAccount{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var in RedeemBody
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.Redeem(r.Context(), r.Actor, id, in.HouseholdID, in.ItemID, in.Quantity, in.On)
			})},
		{Method: "GET", Path: "/assist/supermarkets/{id}/accounts/{household}", Tag: "assist", Summary: "A household's points and moves at a 爱心超市",
			Result: assist.MarketAccount{}, Handle: withID(func(r *Request, id int64) (any, error) {
				hid, err := r.PathID("household")
				if err != nil {
					return nil, err
				}
				return s.Account(r.Context(), r.Actor, id, hid)
			})},
		{Method: "GET", Path: "/assist/pledges", Tag: "assist", Summary: "Pledges with delivered against pledged",
			Query: []Param{committeeParam}, Result: PledgeList{}, Handle: func(r *Request) (any, error) {
				cid, err := r.QueryInt("committee")
				if err != nil {
					return nil, err
				}
				if cid == 0 {
					cid = r.Actor.CommitteeID
				}
				ps, err := s.ListPledges(r.Context(), r.Actor, cid)
				return PledgeList{orEmpty(ps)}, err
			}},
		{Method: "POST", Path: "/assist/pledges", Tag: "assist", Summary: "Record a pledge made at a meeting (officers)",
			Body: assist.PledgeInput{}, Result: assist.Pledge{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in assist.PledgeInput
				if err := body(&in, r); err != nil {
					return nil, err
				}
				return s.CreatePledge(r.Context(), r.Actor, in)
			}},
	}
}
