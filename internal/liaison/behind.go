package liaison

import (
	"context"
	"lvzhi/internal/db"
	"math"
	"sort"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

// BehindQuery selects the "who is behind" view.
type BehindQuery struct {
	CommitteeID int64  // 0: the actor's own committee
	From, To    string // window for links; default the current calendar year
	Today       string // the date progress is measured at; default today
	LiaisonID   int64  // person id of one liaising person; 0 for all
	OnlyBehind  bool   // only rows behind pace (not merely short of the full target)
	Sort        string // "pace" (default), "short", "liaison", "member", "last"
}

// BehindRow is a link or campaign target whose contacts are below its target.
// Expected is the target for the whole window; Due is the share of it that should
// have happened by Today (prorated by the elapsed share of the window).
type BehindRow struct {
	Kind         string  `json:"kind"` // "link" or "target"
	ID           int64   `json:"id"`   // link id or target id
	CampaignID   int64   `json:"campaign_id,omitempty"`
	CampaignName string  `json:"campaign_name,omitempty"`
	Level        Level   `json:"level,omitempty"`
	Liaison      Person  `json:"liaison"`
	Member       Person  `json:"member"`
	From         string  `json:"from"` // the window in which contacts count
	To           string  `json:"to"`
	Expected     int     `json:"expected"`
	Due          float64 `json:"due"`
	Count        int     `json:"count"`
	LastContact  string  `json:"last_contact"`
	BehindPace   bool    `json:"behind_pace"` // Count < floor(Due)
	Short        int     `json:"short"`       // Expected - Count
}

// DueWhole is the number of contacts due by now, whole contacts only.
func (r BehindRow) DueWhole() int { return int(math.Floor(r.Due + 1e-9)) }

// LiaisonSummary totals the behind view per liaising person.
type LiaisonSummary struct {
	Liaison Person `json:"liaison"`
	Short   int    `json:"short"`  // rows short of the full target
	Behind  int    `json:"behind"` // rows behind pace
}

// BehindReport is the behind view: rows and a summary per liaising person.
type BehindReport struct {
	From      string           `json:"from"`
	To        string           `json:"to"`
	Today     string           `json:"today"`
	Rows      []BehindRow      `json:"rows"`
	ByLiaison []LiaisonSummary `json:"by_liaison"`
}

// Behind lists the links (in the window) and campaign targets (of campaigns
// overlapping it) whose contacts fall short of their target. Readers see the
// committee; a member sees only their own rows.
func (s *Service) Behind(ctx context.Context, actor *auth.Actor, q BehindQuery) (*BehindReport, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	var cid int64
	if !auth.Can(actor, ViewLiaison) && auth.Can(actor, LogContact) && actor.PersonID != 0 {
		cid, q.LiaisonID = actor.CommitteeID, actor.PersonID
	} else {
		var err error
		if cid, err = s.readScope(ctx, actor, q.CommitteeID); err != nil {
			return nil, err
		}
	}
	today, from, to, err := q.dates()
	if err != nil {
		return nil, err
	}
	rep := &BehindReport{From: from.String(), To: to.String(), Today: today.String()}
	if err := s.behindLinks(ctx, cid, q, today, from, to, rep); err != nil {
		return nil, err
	}
	if err := s.behindTargets(ctx, cid, q, today, from, to, rep); err != nil {
		return nil, err
	}
	sortRows(rep.Rows, q.Sort)
	rep.ByLiaison = summarise(rep.Rows)
	return rep, nil
}

func (q BehindQuery) dates() (today, from, to civil.Date, err error) {
	var fe fieldErrs
	today = civil.Today()
	if q.Today != "" {
		today = fe.date("today", q.Today, false)
	}
	from, to = fe.period("from", q.From, "to", q.To, true)
	if q.From == "" && q.To == "" {
		fe = nil
		from, to = civil.Date{Year: today.Year, Month: 1, Day: 1}, civil.Date{Year: today.Year, Month: 12, Day: 31}
	}
	return today, from, to, fe.err()
}

func (s *Service) behindLinks(ctx context.Context, cid int64, q BehindQuery, today, from, to civil.Date, rep *BehindReport) error {
	rows, err := s.DB.QueryContext(ctx, `SELECT l.id, l.level, l.liaison_id, lm.person_id, lp.name, l.member_id, mm.person_id, mp.name,
		l.starts_on, l.ends_on, l.per_year,
		(SELECT COUNT(*) FROM liaison_contacts c WHERE c.committee_id = l.committee_id AND c.link_id = l.id
		   AND c.contact_on >= $2 AND c.contact_on <= $3 AND c.contact_on >= l.starts_on AND (l.ends_on = '' OR c.contact_on <= l.ends_on)),
		COALESCE((SELECT MAX(c.contact_on) FROM liaison_contacts c WHERE c.committee_id = l.committee_id AND c.link_id = l.id), '')
		FROM liaison_links l
		JOIN memberships lm ON lm.id = l.liaison_id JOIN people lp ON lp.id = lm.person_id
		JOIN memberships mm ON mm.id = l.member_id JOIN people mp ON mp.id = mm.person_id
		WHERE l.committee_id = $1 AND l.starts_on <= $3 AND (l.ends_on = '' OR l.ends_on >= $2) AND (CAST($4 AS BIGINT) = 0 OR lm.person_id = $4)`,
		cid, from.String(), to.String(), q.LiaisonID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r := BehindRow{Kind: "link"}
		var starts, ends string
		var perYear int
		if err := rows.Scan(&r.ID, &r.Level, &r.Liaison.MembershipID, &r.Liaison.PersonID, &r.Liaison.Name,
			&r.Member.MembershipID, &r.Member.PersonID, &r.Member.Name, &starts, &ends, &perYear, &r.Count, &r.LastContact); err != nil {
			return err
		}
		a, b := from, to
		if s := civil.MustParse(starts); s.After(a) {
			a = s
		}
		if ends != "" {
			if e := civil.MustParse(ends); e.Before(b) {
				b = e
			}
		}
		days := a.DaysUntil(b) + 1
		expected := int(math.Round(float64(perYear) * float64(days) / 365.2425))
		r.From, r.To = a.String(), b.String()
		addIfBehind(rep, r, expected, a, b, today, q.OnlyBehind)
	}
	return rows.Err()
}

func (s *Service) behindTargets(ctx context.Context, cid int64, q BehindQuery, today, from, to civil.Date, rep *BehindReport) error {
	ts, err := db.Query(ctx, s.DB, scanTarget, targetSelect+`WHERE t.committee_id = $1 AND c.starts_on <= $3 AND c.ends_on >= $2
		AND (CAST($4 AS BIGINT) = 0 OR vm.person_id = $4)`, cid, from.String(), to.String(), q.LiaisonID)
	if err != nil {
		return err
	}
	camps := map[int64]*Campaign{}
	for _, t := range ts {
		c := camps[t.CampaignID]
		if c == nil {
			if c, err = loadCampaign(ctx, s.DB, t.CampaignID); err != nil {
				return err
			}
			camps[t.CampaignID] = c
		}
		r := BehindRow{Kind: "target", ID: t.ID, CampaignID: c.ID, CampaignName: c.Name, Liaison: t.Visitor, Member: t.Target,
			From: c.StartsOn, To: c.EndsOn, Count: t.Visits, LastContact: t.LastVisit}
		addIfBehind(rep, r, c.MinVisits, civil.MustParse(c.StartsOn), civil.MustParse(c.EndsOn), today, q.OnlyBehind)
	}
	return nil
}

// addIfBehind prorates the target over [a, b] at today and keeps the row if it is short.
func addIfBehind(rep *BehindReport, r BehindRow, expected int, a, b, today civil.Date, onlyBehind bool) {
	days := a.DaysUntil(b) + 1
	elapsed := min(max(a.DaysUntil(today)+1, 0), days)
	r.Expected = expected
	r.Due = math.Round(float64(expected)*float64(elapsed)/float64(days)*10) / 10
	r.Short = expected - r.Count
	r.BehindPace = r.Count < r.DueWhole()
	if r.Short <= 0 || (onlyBehind && !r.BehindPace) {
		return
	}
	rep.Rows = append(rep.Rows, r)
}

func sortRows(rows []BehindRow, by string) {
	less := map[string]func(a, b BehindRow) int{
		"short":   func(a, b BehindRow) int { return b.Short - a.Short },
		"liaison": func(a, b BehindRow) int { return cmpStr(a.Liaison.Name, b.Liaison.Name) },
		"member":  func(a, b BehindRow) int { return cmpStr(a.Member.Name, b.Member.Name) },
		"last":    func(a, b BehindRow) int { return cmpStr(a.LastContact, b.LastContact) },
	}[by]
	if less == nil { // "pace": furthest behind pace first
		less = func(a, b BehindRow) int { return (b.DueWhole() - b.Count) - (a.DueWhole() - a.Count) }
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if c := less(rows[i], rows[j]); c != 0 {
			return c < 0
		}
		if c := cmpStr(rows[i].Liaison.Name, rows[j].Liaison.Name); c != 0 {
			return c < 0
		}
		if c := cmpStr(rows[i].Member.Name, rows[j].Member.Name); c != 0 {
			return c < 0
		}
		if rows[i].Kind != rows[j].Kind {
			return rows[i].Kind < rows[j].Kind
		}
		return rows[i].ID < rows[j].ID
	})
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func summarise(rows []BehindRow) []LiaisonSummary {
	idx := map[int64]int{}
	var out []LiaisonSummary
	for _, r := range rows {
		i, ok := idx[r.Liaison.PersonID]
		if !ok {
			i = len(out)
			idx[r.Liaison.PersonID] = i
			out = append(out, LiaisonSummary{Liaison: r.Liaison})
		}
		out[i].Short++
		if r.BehindPace {
			out[i].Behind++
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Behind != out[j].Behind {
			return out[i].Behind > out[j].Behind
		}
		return out[i].Short > out[j].Short
	})
	return out
}
