package org

import (
	"context"

	"lvzhi/internal/auth"
)

// Overview is the head-count of a committee's organisation for its front page.
type Overview struct {
	Committee   Committee
	Term        *Term // current term, nil when none yet
	Members     int   // active members of the current term
	Standing    int   // of whom standing-committee members
	PartyMember int   // of whom CPC members
	Sectors     int
	Groups      int
	Units       int // active units
	Children    int // child committees
}

// Overview counts a committee's members, sectors, groups, units and children.
func (s *Service) Overview(ctx context.Context, actor *auth.Actor, committeeID int64) (Overview, error) {
	var o Overview
	c, err := s.Committee(ctx, actor, committeeID)
	if err != nil {
		return o, err
	}
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ViewOrg, committeeID); err != nil {
		return o, err
	}
	o.Committee = c
	if t, err := currentTerm(ctx, s.DB, committeeID); err == nil {
		o.Term = &t
		err = s.DB.QueryRowContext(ctx, `SELECT COUNT(*),
			COALESCE(SUM(CASE WHEN is_standing THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN is_party_member THEN 1 ELSE 0 END), 0)
			FROM memberships WHERE committee_id = $1 AND term_id = $2 AND status = 'active'`, committeeID, t.ID).
			Scan(&o.Members, &o.Standing, &o.PartyMember)
		if err != nil {
			return o, err
		}
	}
	err = s.DB.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM sectors WHERE committee_id = $1),
		(SELECT COUNT(*) FROM org_groups WHERE committee_id = $1),
		(SELECT COUNT(*) FROM units WHERE committee_id = $1 AND active = TRUE),
		(SELECT COUNT(*) FROM committees WHERE parent_id = $1)`, committeeID).
		Scan(&o.Sectors, &o.Groups, &o.Units, &o.Children)
	return o, err
}
