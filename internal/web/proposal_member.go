package web

import (
	"context"
	"html/template"
	"net/http"

	"lvzhi/internal/auth"
	"lvzhi/internal/proposal"
)

// propTask is a proposal waiting for the member: to co-sign or to evaluate.
type propTask struct {
	Item     proposal.Item
	Version  int
	Deadline string
}

// propMemberPage is a member's landing page: few, obvious tasks first.
type propMemberPage struct {
	ToSign     []propTask
	ToEvaluate []propTask
	Returned   []proposal.Item
	Mine       proposal.Page
	Q          propQuery // the filter of the member's list
	States     []proposal.State
	Themes     []proposal.Theme
	Kinds      []proposal.Kind
	Page       int
	HasNext    bool
	Pager      pager
	Export     template.URL
	Done       string
}

// proposalMember shows the member's tasks (待我联名, 待我评价, returned for
// revision) and their proposals, narrowed by the filter form (state, theme,
// kind, title); the pager and the export keep the filter.
func (s *Server) proposalMember(w http.ResponseWriter, r *http.Request, a *auth.Actor) error {
	ctx := r.Context()
	q := withParams(r.URL.Query(), "done", "")
	pq := parsePropQuery(r.URL.Query())
	d := propMemberPage{Page: pq.Page, Done: propDone(r), Q: pq, States: proposal.ProposalStates, Themes: proposal.Themes,
		Kinds: []proposal.Kind{proposal.Individual, proposal.Joint}}
	if err := s.fillMemberTasks(ctx, a, &d); err != nil {
		return err
	}
	var err error
	f, per := pq.Filter, perPage(q, propPerPage)
	f.Offset, f.Limit = (pq.Page-1)*per, per
	if d.Mine, err = s.Proposals.List(ctx, a, a.CommitteeID, f); err != nil {
		return err
	}
	d.HasNext = d.Mine.Offset+len(d.Mine.Items) < d.Mine.Total
	d.Pager = newPager(r.URL.Path, q, pq.Page, d.HasNext)
	d.Export = link("/proposals/export.xlsx", q)
	s.render(w, r, "proposal/member.html", d)
	return nil
}

// fillMemberTasks lists what waits for the member (the page's task lists; the workbench counts them).
func (s *Server) fillMemberTasks(ctx context.Context, a *auth.Actor, d *propMemberPage) error {
	sign, eval, err := s.Proposals.MemberTasks(ctx, a)
	if err != nil {
		return err
	}
	d.ToSign, d.ToEvaluate = propTasks(sign), propTasks(eval)
	ret, err := s.Proposals.List(ctx, a, a.CommitteeID, proposal.Filter{States: []proposal.State{proposal.Returned}, Limit: 100})
	if err != nil {
		return err
	}
	d.Returned = ret.Items
	return nil
}

func propTasks(ts []proposal.Task) []propTask {
	var out []propTask
	for _, t := range ts {
		out = append(out, propTask{Item: t.Item, Version: t.Version, Deadline: t.SigningDeadline.String()})
	}
	return out
}

// mySignerIn returns the actor's signer row on the proposal, or nil.
func mySignerIn(d *proposal.Detail, a *auth.Actor) *proposal.Signer {
	if a == nil || a.PersonID == 0 || !auth.Can(a, proposal.PermSubmit) {
		return nil
	}
	for i := range d.Signers {
		if d.Signers[i].PersonID == a.PersonID {
			return &d.Signers[i]
		}
	}
	return nil
}

// evaluated reports whether the membership evaluated the proposal's current round.
func evaluated(d *proposal.Detail, membershipID int64) bool {
	for _, e := range d.Evaluations {
		if e.MembershipID == membershipID && e.Round == d.Round {
			return true
		}
	}
	return false
}
