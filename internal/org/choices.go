package org

import (
	"context"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// MemberChoices are the member list's filter choices: the committee's terms,
// sectors and groups, in the orders of Terms, Sectors and Groups, without the
// member counts those compute (the filter shows names only).
type MemberChoices struct {
	Terms   []Term
	Sectors []Sector
	Groups  []Group
}

// MemberChoices reads the member list's filter choices with one scope check.
func (s *Service) MemberChoices(ctx context.Context, actor *auth.Actor, committeeID int64) (MemberChoices, error) {
	var c MemberChoices
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ViewOrg, committeeID); err != nil {
		return c, err
	}
	var err error
	if c.Terms, err = listTerms(ctx, s.DB, committeeID); err != nil {
		return c, err
	}
	if c.Sectors, err = db.Query(ctx, s.DB, func(sc db.Scanner) (Sector, error) {
		var x Sector
		err := sc.Scan(&x.ID, &x.CommitteeID, &x.Name, &x.Sort, &x.Version)
		return x, err
	}, `SELECT id, committee_id, name, sort, version FROM sectors WHERE committee_id = $1 ORDER BY sort, id`, committeeID); err != nil {
		return c, err
	}
	c.Groups, err = db.Query(ctx, s.DB, func(sc db.Scanner) (Group, error) {
		var g Group
		err := sc.Scan(&g.ID, &g.CommitteeID, &g.Kind, &g.Name, &g.Sort, &g.Version)
		return g, err
	}, `SELECT id, committee_id, kind, name, sort, version FROM org_groups WHERE committee_id = $1 ORDER BY kind, sort, id`, committeeID)
	return c, err
}
