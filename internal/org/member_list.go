package org

import (
	"context"
	"strings"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// MemberFilter narrows and pages the member list. Zero values mean "any";
// TermID 0 means the committee's current term.
type MemberFilter struct {
	TermID      int64
	SectorID    int64
	GroupID     int64
	Affiliation string // code, e.g. "cpc"
	Position    string // code, e.g. "vice_chair"
	Standing    string // "", "yes", "no"
	Status      string // "", "active", "resigned", …
	Q           string // name, phone or employer contains
	Page        int    // 1-based; 0 is 1
	PerPage     int    // default 50, at most 500
}

// MemberPage is one page of the member list.
type MemberPage struct {
	Members []Member
	Total   int // members matching the filter (a committee has at most a few thousand)
	Page    int
	PerPage int
	HasNext bool
	TermID  int64 // the term listed (the current one when the filter said 0)
}

// ListMembers returns one page of a committee's members, newest first by
// membership id, filtered and searched. The actor reads its own committee or,
// read-only, one below it. Every condition starts from committee_id, so the
// query stays on the committee's slice of the indexes (memberships_term,
// memberships_sector, membership_groups_group) at any national scale.
func (s *Service) ListMembers(ctx context.Context, actor *auth.Actor, committeeID int64, f MemberFilter) (MemberPage, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ViewOrg, committeeID); err != nil {
		return MemberPage{}, err
	}
	if f.TermID == 0 {
		t, err := currentTerm(ctx, s.DB, committeeID)
		if err != nil {
			return MemberPage{Page: 1, PerPage: f.PerPage}, nil // no term yet: no members
		}
		f.TermID = t.ID
	}
	page, err := listMembers(ctx, s.DB, committeeID, f)
	for i := range page.Members {
		page.Members[i] = ForReader(actor, page.Members[i])
	}
	return page, err
}

// memberWhere builds the WHERE clause and its arguments.
func memberWhere(d *db.DB, committeeID int64, f MemberFilter) (string, db.Args) {
	var a db.Args
	w := []string{"m.committee_id = " + a.Add(committeeID), "m.term_id = " + a.Add(f.TermID)}
	if f.SectorID != 0 {
		w = append(w, "m.sector_id = "+a.Add(f.SectorID))
	}
	if f.GroupID != 0 {
		w = append(w, "EXISTS (SELECT 1 FROM membership_groups mg WHERE mg.committee_id = m.committee_id AND mg.group_id = "+
			a.Add(f.GroupID)+" AND mg.membership_id = m.id)")
	}
	if f.Affiliation != "" {
		w = append(w, "m.affiliation = "+a.Add(f.Affiliation))
	}
	if f.Position != "" {
		w = append(w, "(',' || m.positions || ',') LIKE "+a.Add("%,"+db.EscapeLike(f.Position)+",%")+" ESCAPE '\\'")
	}
	switch f.Standing {
	case "yes":
		w = append(w, "m.is_standing = TRUE")
	case "no":
		w = append(w, "m.is_standing = FALSE")
	}
	if f.Status != "" {
		w = append(w, "m.status = "+a.Add(f.Status))
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like, p := d.ILike(), a.Add("%"+db.EscapeLike(q)+"%")
		w = append(w, "(p.name "+like+" "+p+" ESCAPE '\\' OR p.phone LIKE "+p+" ESCAPE '\\' OR p.employer "+like+" "+p+" ESCAPE '\\')")
	}
	return " WHERE " + strings.Join(w, " AND "), a
}

func listMembers(ctx context.Context, d *db.DB, committeeID int64, f MemberFilter) (MemberPage, error) {
	if f.Page < 1 {
		f.Page = 1
	}
	if f.PerPage <= 0 {
		f.PerPage = 50
	}
	if f.PerPage > 500 {
		f.PerPage = 500
	}
	page := MemberPage{Page: f.Page, PerPage: f.PerPage, TermID: f.TermID}
	where, args := memberWhere(d, committeeID, f)
	total := len(args) // the count query takes the filter arguments only
	var err error
	page.Members, err = db.Query(ctx, d, scanMember, memberSelect+where+` ORDER BY m.id DESC LIMIT `+args.Add(f.PerPage+1)+
		` OFFSET `+args.Add((f.Page-1)*f.PerPage), args...)
	if err != nil {
		return page, err
	}
	if len(page.Members) > f.PerPage {
		page.Members, page.HasNext = page.Members[:f.PerPage], true
	}
	ids := make([]int64, len(page.Members))
	for i, m := range page.Members {
		ids[i] = m.ID
	}
	groups, err := loadGroupRoles(ctx, d, ids)
	if err != nil {
		return page, err
	}
	for i := range page.Members {
		page.Members[i].Groups = groups[page.Members[i].ID]
	}
	err = d.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships m JOIN people p ON p.id = m.person_id`+where, args[:total]...).Scan(&page.Total)
	return page, err
}
