package assist

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/assist/match"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Offer is what a member offers the programme (群众所需、政协可为、委员所能).
type Offer struct {
	MembershipID int64    `json:"membership_id"`
	Name         string   `json:"name"`
	Sector       string   `json:"sector"`
	Skills       string   `json:"skills"`
	Resources    string   `json:"resources"`
	Kinds        []string `json:"kinds"`
	Townships    []string `json:"townships"`
	Capacity     int      `json:"capacity"`
	Paired       int      `json:"paired"` // households in live pairings, taken from the capacity
}

// OfferInput is a member's offer as entered (by the member or an officer).
type OfferInput struct {
	Kinds     []string `json:"kinds"`
	Townships []string `json:"townships"`
	Capacity  int      `json:"capacity"`
	Notes     string   `json:"notes"`
}

// SaveOffer sets what a member offers. A member sets their own; officers any serving member's.
func (s *Service) SaveOffer(ctx context.Context, actor *auth.Actor, membershipID int64, in OfferInput) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermRecord, actor.CommitteeID); err != nil {
			return err
		}
		if !auth.Can(actor, PermManage) {
			mid, err := membershipOf(ctx, tx, actor)
			if err != nil {
				return err
			}
			if mid != membershipID {
				return apperr.New(apperr.Forbidden, "err.forbidden")
			}
		}
		if err := checkServing(ctx, tx, actor.CommitteeID, membershipID); err != nil {
			return err
		}
		var fe []apperr.FieldError
		for _, k := range in.Kinds {
			if !slices.Contains(NeedKinds, k) {
				fe = append(fe, apperr.Field("kinds", "err.form.bad_choice"))
				break
			}
		}
		if in.Capacity < 0 || in.Capacity > 1000 {
			fe = append(fe, apperr.Field("capacity", "err.form.out_of_range"))
		}
		if len(fe) > 0 {
			return apperr.Fields(fe...)
		}
		var towns []string
		for _, t := range in.Townships {
			if t = strings.TrimSpace(t); t != "" && !slices.Contains(towns, t) {
				towns = append(towns, t)
			}
		}
		now := db.Now()
		res, err := tx.ExecContext(ctx, `UPDATE assist_offers SET kinds = $1, townships = $2, capacity = $3, notes = $4, updated_at = $5,
			version = version + 1 WHERE committee_id = $6 AND membership_id = $7`, strings.Join(in.Kinds, ","), strings.Join(towns, ","),
			in.Capacity, strings.TrimSpace(in.Notes), now, actor.CommitteeID, membershipID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO assist_offers (committee_id, membership_id, kinds, townships, capacity, notes,
				created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$7)`, actor.CommitteeID, membershipID, strings.Join(in.Kinds, ","),
				strings.Join(towns, ","), in.Capacity, strings.TrimSpace(in.Notes), now); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "save", "assist_offer", membershipID, nil, in)
	})
}

// offers loads every serving member's offer; a member without one takes one
// household, anywhere, on their skills and resources alone.
func offers(ctx context.Context, q db.Querier, cid int64) ([]Offer, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (Offer, error) {
		var o Offer
		var kinds, towns string
		err := sc.Scan(&o.MembershipID, &o.Name, &o.Sector, &o.Skills, &o.Resources, &kinds, &towns, &o.Capacity, &o.Paired)
		o.Kinds, o.Townships = splitComma(kinds), splitComma(towns)
		return o, err
	}, `SELECT m.id, p.name, COALESCE(sc.name, ''), m.skills, m.resources, COALESCE(o.kinds, ''), COALESCE(o.townships, ''),
		COALESCE(o.capacity, 1),
		(SELECT COUNT(DISTINCT pr.household_id) FROM assist_pairings pr WHERE pr.membership_id = m.id AND pr.state = 'ACTIVE')
		FROM memberships m JOIN people p ON p.id = m.person_id LEFT JOIN sectors sc ON sc.id = m.sector_id
		LEFT JOIN assist_offers o ON o.committee_id = m.committee_id AND o.membership_id = m.id
		WHERE m.committee_id = $1 AND `+servingSQL("m")+` ORDER BY m.id`, cid)
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// toMatch turns offers and needs into the matcher's terms (capacity left after live pairings).
func toMatch(os []Offer, ns []Need) ([]match.Offer, []match.Need) {
	mo := make([]match.Offer, len(os))
	for i, o := range os {
		mo[i] = match.Offer{MemberID: o.MembershipID, Name: o.Name, Kinds: o.Kinds, Sector: o.Sector, Townships: o.Townships,
			Keywords: splitList(o.Skills + "、" + o.Resources), Capacity: max(o.Capacity-o.Paired, 0)}
	}
	mn := make([]match.Need, len(ns))
	for i, n := range ns {
		mn[i] = match.Need{ID: n.ID, HouseholdID: n.HouseholdID, Kind: n.Kind, Township: n.Township, Urgency: n.Urgency, Text: n.Description}
	}
	return mo, mn
}

// Suggestion is a proposed member for a need, with the fit and its reasons.
type Suggestion struct {
	Need       Need           `json:"need"`
	Membership int64          `json:"membership_id"`
	MemberName string         `json:"member_name"`
	Score      int            `json:"score"`
	Reasons    []match.Reason `json:"reasons"`
}

// matchWorld loads what matching needs, for an officer of the committee.
func (s *Service) matchWorld(ctx context.Context, tx *sql.Tx, actor *auth.Actor) ([]Offer, []Need, map[[2]int64]bool, error) {
	if _, err := auth.CheckScope(ctx, tx, actor, PermManage, actor.CommitteeID); err != nil {
		return nil, nil, nil, err
	}
	os, err := offers(ctx, tx, actor.CommitteeID)
	if err != nil {
		return nil, nil, nil, err
	}
	ns, err := listNeeds(ctx, tx, actor, NeedFilter{State: NeedOpen, Limit: 5000})
	if err != nil {
		return nil, nil, nil, err
	}
	rejected := map[[2]int64]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT need_id, membership_id FROM assist_match_rejections WHERE committee_id = $1`, actor.CommitteeID)
	if err != nil {
		return nil, nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k [2]int64
		if err := rows.Scan(&k[0], &k[1]); err != nil {
			return nil, nil, nil, err
		}
		rejected[k] = true
	}
	return os, ns, rejected, rows.Err()
}

// pairsWithout is every plausible pair the officers have not rejected.
func pairsWithout(mo []match.Offer, mn []match.Need, rejected map[[2]int64]bool) []match.Fit {
	var out []match.Fit
	for _, f := range match.Pairs(mo, mn) {
		if !rejected[[2]int64{f.NeedID, f.MemberID}] {
			out = append(out, f)
		}
	}
	return out
}

// Suggestions returns the best k members for an open need (rejected ones left out).
func (s *Service) Suggestions(ctx context.Context, actor *auth.Actor, needID int64, k int) ([]Suggestion, error) {
	var out []Suggestion
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		n, _, err := s.needFor(ctx, tx, actor, needID)
		if err != nil {
			return err
		}
		os, _, rejected, err := s.matchWorld(ctx, tx, actor)
		if err != nil {
			return err
		}
		mo, mn := toMatch(os, []Need{n})
		names := nameOf(os)
		for _, f := range match.ForNeed(mo, mn[0], 0) {
			if rejected[[2]int64{n.ID, f.MemberID}] {
				continue
			}
			out = append(out, Suggestion{Need: n, Membership: f.MemberID, MemberName: names[f.MemberID], Score: f.Score, Reasons: f.Reasons})
			if k > 0 && len(out) == k {
				break
			}
		}
		return nil
	})
	return out, err
}

// SuggestionsForMember returns the best k open needs for a member.
func (s *Service) SuggestionsForMember(ctx context.Context, actor *auth.Actor, membershipID int64, k int) ([]Suggestion, error) {
	var out []Suggestion
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		os, ns, rejected, err := s.matchWorld(ctx, tx, actor)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(os, func(o Offer) bool { return o.MembershipID == membershipID })
		if i < 0 {
			return apperr.ErrNotFound
		}
		mo, mn := toMatch(os, ns)
		byID := needsByID(ns)
		for _, f := range match.ForMember(mo[i], mn, 0) {
			if rejected[[2]int64{f.NeedID, membershipID}] {
				continue
			}
			out = append(out, Suggestion{Need: byID[f.NeedID], Membership: membershipID, MemberName: os[i].Name, Score: f.Score, Reasons: f.Reasons})
			if k > 0 && len(out) == k {
				break
			}
		}
		return nil
	})
	return out, err
}

// ProposeAssignment proposes a member for every open need it can, maximising
// the total fit within each member's remaining capacity (match.AssignPairs).
func (s *Service) ProposeAssignment(ctx context.Context, actor *auth.Actor) ([]Suggestion, error) {
	var out []Suggestion
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		os, ns, rejected, err := s.matchWorld(ctx, tx, actor)
		if err != nil {
			return err
		}
		mo, mn := toMatch(os, ns)
		names, byID := nameOf(os), needsByID(ns)
		for _, f := range match.AssignPairs(mo, mn, pairsWithout(mo, mn, rejected)) {
			out = append(out, Suggestion{Need: byID[f.NeedID], Membership: f.MemberID, MemberName: names[f.MemberID], Score: f.Score, Reasons: f.Reasons})
		}
		slices.SortFunc(out, func(a, b Suggestion) int { return int(a.Need.ID - b.Need.ID) })
		return nil
	})
	return out, err
}

// RejectMatch records that an officer rejected a member for a need; it is not suggested again.
func (s *Service) RejectMatch(ctx context.Context, actor *auth.Actor, needID, membershipID int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		n, h, err := s.needFor(ctx, tx, actor, needID)
		if err != nil {
			return err
		}
		if err := s.decideNeed(ctx, tx, actor, h, n.State, NeedMatch); err != nil {
			return err
		}
		if err := checkServing(ctx, tx, h.CommitteeID, membershipID); err != nil {
			return err
		}
		var c int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_match_rejections WHERE need_id = $1 AND membership_id = $2`,
			needID, membershipID).Scan(&c); err != nil || c > 0 {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO assist_match_rejections (committee_id, need_id, membership_id, rejected_by, created_at)
			VALUES ($1,$2,$3,$4,$5)`, h.CommitteeID, needID, membershipID, userRef(actor), db.Now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, h.CommitteeID, "reject_match", "assist_need", needID, nil, map[string]any{"membership_id": membershipID})
	})
}

func nameOf(os []Offer) map[int64]string {
	m := make(map[int64]string, len(os))
	for _, o := range os {
		m[o.MembershipID] = o.Name
	}
	return m
}

func needsByID(ns []Need) map[int64]Need {
	m := make(map[int64]Need, len(ns))
	for _, n := range ns {
		m[n.ID] = n
	}
	return m
}

// Members lists the committee's serving members with their offers, for
// officers' forms (pledges, records, matches).
func (s *Service) Members(ctx context.Context, actor *auth.Actor) ([]Offer, error) {
	var out []Offer
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermManage, actor.CommitteeID); err != nil {
			return err
		}
		var err error
		out, err = offers(ctx, tx, actor.CommitteeID)
		return err
	})
	return out, err
}

// MyOffer returns what the actor (a serving member) offers.
func (s *Service) MyOffer(ctx context.Context, actor *auth.Actor) (Offer, error) {
	var out Offer
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermRecord, actor.CommitteeID); err != nil {
			return err
		}
		mid, err := membershipOf(ctx, tx, actor)
		if err != nil {
			return err
		}
		os, err := offers(ctx, tx, actor.CommitteeID)
		if err != nil {
			return err
		}
		for _, o := range os {
			if o.MembershipID == mid {
				out = o
			}
		}
		return nil
	})
	return out, err
}
