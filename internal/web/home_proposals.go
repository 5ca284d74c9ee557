package web

import (
	"context"
	"net/url"
	"slices"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/proposal"
)

func init() { registerTiles(proposalTiles) }

// homeQueues are the proposal queues (tabs of /proposals) each kind of reader
// sees on the workbench; the counts are the tabs' own, so a tile and the list
// it opens agree.
var homeQueues = map[string][]string{
	"office": {"review", "assign", "return_req", "reply_review", "overdue"},
	"unit":   {"to_accept", "handling", "reply_review", "overdue"},
	"leader": {"supervised", "key", "overdue"},
}

// homeKPIs are the figures a leader's workbench shows for this year (ids in the figure registry).
var homeKPIs = []string{"proposals.received", "proposals.registered", "proposals.replied", "proposals.on_time", "proposals.satisfied"}

// proposalTiles is the proposal area's part of the workbench.
func proposalTiles(ctx context.Context, s *Server, a *auth.Actor) (*homeSection, error) {
	sec := &homeSection{Title: "nav.proposals"}
	switch {
	case a.Has(auth.RoleProposalOffice):
		return sec, s.queueTiles(ctx, a, sec, homeQueues["office"])
	case a.Has(auth.RoleLeader):
		if err := s.queueTiles(ctx, a, sec, homeQueues["leader"]); err != nil {
			return nil, err
		}
		return sec, s.kpiTiles(ctx, a, sec)
	case a.UnitID != 0 && auth.Can(a, proposal.PermHandle):
		return sec, s.queueTiles(ctx, a, sec, homeQueues["unit"])
	case auth.Can(a, proposal.PermSubmit) && a.PersonID != 0:
		return sec, s.memberTiles(ctx, a, sec)
	}
	return nil, nil
}

// queueTiles adds a tile per named queue (tab) of the reader's, counted as the tab counts.
func (s *Server) queueTiles(ctx context.Context, a *auth.Actor, sec *homeSection, names []string) error {
	var tabs []propTab
	for _, t := range propTabs(a) {
		if slices.Contains(names, t.Name) {
			tabs = append(tabs, t)
		}
	}
	if err := s.propCounts(ctx, a, tabs); err != nil { // one query for every tile
		return err
	}
	for _, name := range names {
		for _, t := range tabs {
			if t.Name == name {
				sec.Tiles = append(sec.Tiles, homeTile{Label: "pw.tab." + name, Count: t.Count,
					Link: link("/proposals", url.Values{"tab": {name}}), Warn: t.Over && t.Count > 0})
			}
		}
	}
	return nil
}

// memberTiles counts a member's invitations to co-sign and evaluations due,
// opening the member's page at those lists.
func (s *Server) memberTiles(ctx context.Context, a *auth.Actor, sec *homeSection) error {
	sign, eval, ret, err := s.memberWaiting(ctx, a)
	if err != nil {
		return err
	}
	sec.Tiles = append(sec.Tiles, homeTile{Label: "pw.to_sign", Count: sign, Link: "/proposals#to-sign"},
		homeTile{Label: "pw.to_evaluate", Count: eval, Link: "/proposals#to-evaluate"})
	if ret > 0 {
		sec.Tiles = append(sec.Tiles, homeTile{Label: "pw.returned_title", Count: ret, Link: "/proposals#returned", Warn: true})
	}
	return nil
}

// memberWaiting counts what waits for a member: invitations to co-sign,
// evaluations due and proposals returned for revision, as the member's page lists them.
func (s *Server) memberWaiting(ctx context.Context, a *auth.Actor) (sign, eval, returned int, err error) {
	var d propMemberPage
	if err = s.fillMemberTasks(ctx, a, &d); err != nil {
		return 0, 0, 0, err
	}
	return len(d.ToSign), len(d.ToEvaluate), len(d.Returned), nil
}

// kpiTiles adds this year's key figures of the reader's committee, each
// opening the records behind it.
func (s *Server) kpiTiles(ctx context.Context, a *auth.Actor, sec *homeSection) error {
	if !auth.Can(a, proposal.PermFigures) {
		return nil
	}
	f := figure.YearFilter(a.CommitteeID, civil.Today().Year)
	children, err := s.Org.Children(ctx, a, a.CommitteeID)
	if err != nil {
		return err
	}
	f.Subtree = len(children) > 0
	set, err := s.Figures.Figures(ctx, a, f)
	if err != nil {
		return err
	}
	for _, id := range homeKPIs {
		if _, _, ok := s.Figures.Lookup(id); !ok {
			continue
		}
		v := set.Get(id)
		t := homeTile{Label: "figures." + id, Count: int(v.Value), Link: link("/figures/records", f.Query(), "fig", id)}
		if v.HasRate() {
			t.Value = v.Pct()
		}
		sec.Tiles = append(sec.Tiles, t)
	}
	return nil
}
