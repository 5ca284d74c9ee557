package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
)

// propPerPage is the page size of the proposal lists.
const propPerPage = 50

// propTab is one queue of the landing page: a name and the filter it sets.
type propTab struct {
	Name   string
	States []proposal.State
	Key    bool
	Over   bool
	Super  bool // the acting leader's supervised proposals
	Count  int
	Active bool
}

// propTabs are the queues each kind of reader works from; the first is the default.
func propTabs(a *auth.Actor) []propTab {
	S := func(st ...proposal.State) []proposal.State { return st }
	switch {
	case a.Has(auth.RoleProposalOffice):
		return []propTab{{Name: "review", States: S(proposal.Submitted)}, {Name: "assign", States: S(proposal.Registered)},
			{Name: "return_req", States: S(proposal.ReturnRequested)}, {Name: "reply_review", States: S(proposal.ReplyReview)},
			{Name: "replied", States: S(proposal.Replied)}, {Name: "overdue", Over: true}, {Name: "key", Key: true}, {Name: "all"}}
	case a.Has(auth.RoleLeader):
		return []propTab{{Name: "supervised", Super: true}, {Name: "key", Key: true}, {Name: "overdue", Over: true}, {Name: "all"}}
	case auth.Can(a, proposal.PermView):
		return []propTab{{Name: "all"}, {Name: "review", States: S(proposal.Submitted)}, {Name: "overdue", Over: true}, {Name: "key", Key: true}}
	}
	// Units.
	return []propTab{{Name: "to_accept", States: S(proposal.Assigned)},
		{Name: "handling", States: S(proposal.ReturnRequested, proposal.Accepted, proposal.InHandling, proposal.ReplyDrafted, proposal.Rehandling)},
		{Name: "reply_review", States: S(proposal.ReplyReview)}, {Name: "done", States: S(proposal.Replied, proposal.Closed)},
		{Name: "overdue", Over: true}, {Name: "all"}}
}

// propQuery is a parsed list request.
type propQuery struct {
	Tab      string
	Filter   proposal.Filter
	State    string // the state filter as given
	Page     int
	Values   url.Values // the request's query, for the pager and the export link
	Explicit bool       // a filter was set by hand (the tab then only labels the page)
}

func parsePropQuery(q url.Values) propQuery {
	pq := propQuery{Tab: q.Get("tab"), State: q.Get("state"), Page: max(int(queryID(q, "page")), 1)}
	f := proposal.Filter{SessionID: queryID(q, "session"), UnitID: queryID(q, "unit"),
		Theme: proposal.Theme(q.Get("theme")), Kind: proposal.Kind(q.Get("kind")),
		Category: proposal.Category(q.Get("category")), KeyOnly: q.Get("key") == "1", Overdue: q.Get("overdue") == "1",
		Title: strings.TrimSpace(q.Get("q")), ByNumber: q.Get("order") == "number"}
	if st := proposal.State(pq.State); slices.Contains(proposal.ProposalStates, st) {
		f.States = []proposal.State{st}
	}
	pq.Explicit = f.SessionID != 0 || f.UnitID != 0 || f.Theme != "" || f.Kind != "" || f.Category != "" ||
		f.KeyOnly || f.Overdue || f.Title != "" || len(f.States) > 0
	pq.Filter = f
	pq.Values = q
	return pq
}

// apply narrows f to tab t (a hand-set state filter wins over the tab's states).
func (t propTab) apply(f proposal.Filter) proposal.Filter {
	if len(f.States) == 0 {
		f.States = t.States
	}
	f.KeyOnly = f.KeyOnly || t.Key
	f.Overdue = f.Overdue || t.Over
	return f
}

// proposalHome is the landing page: a member's tasks, or the reader's and the
// unit's queues and lists.
func (s *Server) proposalHome(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	if auth.Can(a, proposal.PermSubmit) && a.PersonID != 0 && !auth.Can(a, proposal.PermView) {
		return s.proposalMember(w, r, a)
	}
	if !auth.Can(a, proposal.PermView) && !(auth.Can(a, proposal.PermHandle) && a.UnitID != 0) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return s.proposalList(w, r)
}

// propListPage is the data of the list page.
type propListPage struct {
	Tabs       []propTab
	Tab        string
	Q          propQuery
	Page       proposal.Page
	HasNext    bool
	Pager      pager
	Export     template.URL
	Sessions   []org.Session
	Units      []org.Unit
	States     []proposal.State
	Themes     []proposal.Theme
	Kinds      []proposal.Kind
	Extensions []proposal.ExtensionRequest
	CanEnter   bool
	Reader     bool
}

// proposalList shows the queues (tabs with counts) and one page of the chosen
// queue, narrowed by the filter form.
func (s *Server) proposalList(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	pq := parsePropQuery(r.URL.Query())
	tabs := propTabs(a)
	cur := tabs[0]
	if pq.Explicit && pq.Tab == "" {
		cur = propTab{Name: "all"}
	}
	for i := range tabs {
		if tabs[i].Name == pq.Tab {
			cur = tabs[i]
		}
	}
	if err := s.propCounts(ctx, a, tabs); err != nil {
		return err
	}
	for i := range tabs {
		tabs[i].Active = tabs[i].Name == cur.Name
	}
	f := cur.apply(pq.Filter)
	per := perPage(pq.Values, propPerPage)
	f.Offset, f.Limit = (pq.Page-1)*per, per
	page, err := s.propPage(ctx, a, cur, f)
	if err != nil {
		return err
	}
	d := propListPage{Tabs: tabs, Tab: cur.Name, Q: pq, Page: page, HasNext: page.Offset+len(page.Items) < page.Total,
		States: proposal.ProposalStates, Themes: proposal.Themes, Kinds: []proposal.Kind{proposal.Individual, proposal.Joint, proposal.Body},
		CanEnter: auth.Can(a, proposal.PermEnter), Reader: auth.Can(a, auth.ViewOrg)}
	// The pager and the export keep the filter and name the tab shown.
	shown := withParams(pq.Values, "tab", cur.Name)
	d.Pager = newPager(r.URL.Path, shown, pq.Page, d.HasNext)
	d.Export = link("/proposals/export.xlsx", shown)
	if d.Reader {
		if d.Sessions, err = s.Org.Sessions(ctx, a, a.CommitteeID, 0); err != nil {
			return err
		}
		if d.Units, err = s.Org.UnitNames(ctx, a, a.CommitteeID); err != nil {
			return err
		}
	}
	if a.Has(auth.RoleProposalOffice) {
		if d.Extensions, err = s.Proposals.PendingExtensions(ctx, a); err != nil {
			return err
		}
	}
	s.render(w, r, "proposal/list.html", d)
	return nil
}

// propCounts sets every tab's count: one COUNT per tab (proposal.Counts), the
// supervised tab from the leader's supervision.
func (s *Server) propCounts(ctx context.Context, a *auth.Actor, tabs []propTab) error {
	var fs []proposal.Filter
	var at []int
	for i, t := range tabs {
		if t.Super {
			ids, err := s.Proposals.Supervised(ctx, a)
			if err != nil {
				return err
			}
			tabs[i].Count = len(ids)
			continue
		}
		fs, at = append(fs, t.apply(proposal.Filter{})), append(at, i)
	}
	ns, err := s.Proposals.Counts(ctx, a, a.CommitteeID, fs)
	if err != nil {
		return err
	}
	for j, i := range at {
		tabs[i].Count = ns[j]
	}
	return nil
}

// propPage lists one page of tab t narrowed by f. The supervised tab filters
// the committee's key proposals by the leader's supervision (a handful).
func (s *Server) propPage(ctx context.Context, a *auth.Actor, t propTab, f proposal.Filter) (proposal.Page, error) {
	if !t.Super {
		return s.Proposals.List(ctx, a, a.CommitteeID, f)
	}
	if a.UserID == 0 || !auth.Can(a, proposal.PermSupervise) { // supervises nothing
		return proposal.Page{Offset: f.Offset, Limit: f.Limit}, nil
	}
	// One query: the key proposals the leader supervises, paged by the database.
	f.KeyOnly, f.SupervisedBy = true, a.UserID
	return s.Proposals.List(ctx, a, a.CommitteeID, f)
}
