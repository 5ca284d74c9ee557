package liaison

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// member is what the chain rules need to know about one membership.
type member struct {
	Person
	CommitteeID int64
	TermID      int64
	Positions   string
	Status      string
	Standing    bool
	Party       bool
	GroupHead   bool // 工作组长 by position, or 组长 of a working group or member group
}

// Position codes the chain rules look for in memberships.positions (comma-separated
// codes of org.Positions); the Chinese names are accepted too, for hand-entered data.
var (
	posPartyGroup = []string{"party_secretary", "party_group_member", "党组书记", "党组副书记", "党组成员"}
	posSecretary  = []string{"party_secretary", "党组书记"}
	posGroupHead  = []string{"group_leader", "工作组长", "组长"}
)

// groupHeadRoles are membership_groups.role values (org.GroupRoles) that make someone a group head.
var groupHeadRoles = []string{"leader", "组长", "工作组长", "head"}

// positionList splits a positions text on the separators people type.
func positionList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune(",，、;；/| \t\n", r)
	})
}

func hasPosition(positions string, want ...string) bool {
	for _, p := range positionList(positions) {
		for _, w := range want {
			if p == w {
				return true
			}
		}
	}
	return false
}

// InPartyGroup reports whether m sits on the committee's Party group (党组).
func (m *member) InPartyGroup() bool {
	return hasPosition(m.Positions, posPartyGroup...)
}

// IsSecretary reports whether m is the Party group's secretary (党组书记).
func (m *member) IsSecretary() bool { return hasPosition(m.Positions, posSecretary...) }

const memberSelect = `SELECT m.id, m.person_id, p.name, m.committee_id, m.term_id, m.positions, m.status,
	m.is_standing, m.is_party_member,
	EXISTS (SELECT 1 FROM membership_groups mg JOIN org_groups g ON g.id = mg.group_id
	        WHERE mg.membership_id = m.id AND g.kind IN ('working_group','member_group')
	        AND mg.role IN ($2, $3, $4, $5))
	FROM memberships m JOIN people p ON p.id = m.person_id `

func scanMember(sc interface{ Scan(...any) error }) (*member, error) {
	m := &member{}
	err := sc.Scan(&m.MembershipID, &m.PersonID, &m.Name, &m.CommitteeID, &m.TermID, &m.Positions, &m.Status,
		&m.Standing, &m.Party, &m.GroupHead)
	if err != nil {
		return nil, err
	}
	m.GroupHead = m.GroupHead || hasPosition(m.Positions, posGroupHead...)
	return m, nil
}

// loadMember returns a membership of the committee, or nil if it is absent or elsewhere.
func loadMember(ctx context.Context, q db.Querier, committeeID, id int64) (*member, error) {
	row := q.QueryRowContext(ctx, memberSelect+`WHERE m.id = $1 AND m.committee_id = $6`,
		id, groupHeadRoles[0], groupHeadRoles[1], groupHeadRoles[2], groupHeadRoles[3], committeeID)
	m, err := scanMember(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return m, err
}

// Candidate is a membership offered in the forms, with the flags the chain rules use.
type Candidate struct {
	Person
	Positions  []string `json:"positions"` // position codes (org.Positions)
	Standing   bool     `json:"is_standing"`
	Party      bool     `json:"is_party_member"`
	GroupHead  bool     `json:"is_group_head"`
	PartyGroup bool     `json:"is_party_group"`
	Secretary  bool     `json:"is_party_secretary"`
}

// Candidates lists the active memberships of a term of the actor's committee
// (termID 0: the newest term), sorted by name, for choosing liaisons and targets.
func (s *Service) Candidates(ctx context.Context, actor *auth.Actor, termID int64) ([]Candidate, error) {
	cid, err := s.readScope(ctx, actor, 0)
	if err != nil {
		return nil, err
	}
	if termID == 0 {
		if termID, err = s.newestTerm(ctx, cid); err != nil || termID == 0 {
			return nil, err
		}
	}
	return db.Query(ctx, s.DB, func(sc db.Scanner) (Candidate, error) {
		m, err := scanMember(sc)
		if err != nil {
			return Candidate{}, err
		}
		return Candidate{Person: m.Person, Positions: positionList(m.Positions), Standing: m.Standing, Party: m.Party,
			GroupHead: m.GroupHead, PartyGroup: m.InPartyGroup(), Secretary: m.IsSecretary()}, nil
	}, memberSelect+`WHERE m.committee_id = $6 AND m.term_id = $1 AND m.status = 'active'
		ORDER BY p.name, m.id`, termID, groupHeadRoles[0], groupHeadRoles[1], groupHeadRoles[2], groupHeadRoles[3], cid)
}

// Term is a term of office, for choosing which term a view covers.
type Term struct {
	ID     int64  `json:"id"`
	Number int    `json:"number"`
	Name   string `json:"name"`
}

// Terms lists the terms of the committee the actor reads (0: its own), newest first.
func (s *Service) Terms(ctx context.Context, actor *auth.Actor, committeeID int64) ([]Term, error) {
	cid, err := s.readScope(ctx, actor, committeeID)
	if err != nil {
		return nil, err
	}
	return db.Query(ctx, s.DB, func(sc db.Scanner) (Term, error) {
		var t Term
		err := sc.Scan(&t.ID, &t.Number, &t.Name)
		return t, err
	}, `SELECT id, number, name FROM terms WHERE committee_id = $1 ORDER BY number DESC`, cid)
}

func (s *Service) newestTerm(ctx context.Context, committeeID int64) (int64, error) {
	var id int64
	err := s.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM terms WHERE committee_id = $1
		AND number = (SELECT MAX(number) FROM terms WHERE committee_id = $1)`, committeeID).Scan(&id)
	return id, err
}
