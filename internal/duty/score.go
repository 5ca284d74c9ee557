package duty

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"

	"lvzhi/internal/auth"
	"lvzhi/internal/changes"
	"lvzhi/internal/db"
)

// Part is one category of a member's year: the sum of its entries and what
// counts after the category's cap.
type Part struct {
	Category string `json:"category"`
	Raw      int64  `json:"raw"`
	Counted  int64  `json:"counted"`
	Cap      int64  `json:"cap"`
}

// Score is a member's year: the parts, the total (base + counted parts,
// bounded by the maximum), grade, ranks and the exit rules met.
type Score struct {
	MembershipID int64         `json:"membership_id"`
	PersonID     int64         `json:"person_id"`
	Name         string        `json:"name"`
	SectorID     int64         `json:"sector_id"`
	Sector       string        `json:"sector"`
	Groups       []int64       `json:"groups"`
	Parts        []Part        `json:"parts"`
	Total        int64         `json:"total"`
	Grade        string        `json:"grade"`
	Rank         int           `json:"rank"`        // within the committee
	SectorRank   int           `json:"sector_rank"` // within the sector
	GroupRanks   map[int64]int `json:"group_ranks"` // within each group
	Absences     int           `json:"absences"`    // plenary absences in the term so far
	Incompetent  int           `json:"incompetent"` // 不称职 years in the term, this one included
	Exit         []string      `json:"exit"`        // exit rules met: absences, incompetent
	Action       string        `json:"action"`      // what the rules propose: commend, remind, resign, ""
}

// Year is a committee's scores of one year under that year's rules.
type Year struct {
	CommitteeID int64    `json:"committee_id"`
	Year        int      `json:"year"`
	Rules       *RuleSet `json:"rules"`
	Categories  []string `json:"categories"` // the columns: the rules' categories, then any others with entries
	Scores      []Score  `json:"scores"`     // by rank
}

// member is a membership scored in a year.
type member struct {
	id, person, sector int64
	name, sectorName   string
}

// scoredMembers lists the memberships of the committee whose term overlaps
// the year and who had not left before it began.
func scoredMembers(ctx context.Context, q db.Querier, committeeID int64, year int) ([]member, error) {
	from, to := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)
	return db.Query(ctx, q, func(sc db.Scanner) (member, error) {
		var m member
		return m, sc.Scan(&m.id, &m.person, &m.name, &m.sector, &m.sectorName)
	}, `SELECT m.id, m.person_id, p.name, COALESCE(m.sector_id, 0), COALESCE(s.name, '')
		FROM memberships m JOIN people p ON p.id = m.person_id JOIN terms t ON t.id = m.term_id
		LEFT JOIN sectors s ON s.id = m.sector_id
		WHERE m.committee_id = $1 AND t.starts_on <= $3 AND (t.ends_on = '' OR t.ends_on >= $2)
		AND (m.left_on = '' OR m.left_on >= $2) AND (m.joined_on = '' OR m.joined_on <= $3)
		ORDER BY m.id`, committeeID, from, to)
}

// Scores computes the committee's year from the ledger (after catching up
// with the change queue). Staff and leaders only: a member reads their own
// record through Record.
func (s *Service) Scores(ctx context.Context, actor *auth.Actor, committeeID int64, year int) (*Year, error) {
	if _, err := changes.CatchUp(ctx, s.DB, committeeID); err != nil {
		return nil, err
	}
	var y *Year
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if err := checkScope(ctx, tx, actor, View, committeeID); err != nil {
			return err
		}
		var err error
		y, err = scoreYear(ctx, tx, committeeID, year)
		return err
	})
	return y, err
}

// scoreYear scores every member of the year; without rules the year has no scores.
func scoreYear(ctx context.Context, q db.Querier, committeeID int64, year int) (*Year, error) {
	rs, err := loadRuleSet(ctx, q, committeeID, year)
	if err != nil || rs == nil {
		return &Year{CommitteeID: committeeID, Year: year, Rules: rs}, err
	}
	ms, err := scoredMembers(ctx, q, committeeID, year)
	if err != nil {
		return nil, err
	}
	sums, err := categorySums(ctx, q, committeeID, year)
	if err != nil {
		return nil, err
	}
	groups, err := memberGroups(ctx, q, committeeID)
	if err != nil {
		return nil, err
	}
	absences, err := termCounts(ctx, q, committeeID, `SELECT membership_id, COUNT(*) FROM duty_entries
		WHERE committee_id = $1 AND kind = 'post' AND NOT reversed AND item = '`+ItemPlenary+`' AND variant = '`+VarAbsent+`'
		AND year <= $2 GROUP BY membership_id`, year)
	if err != nil {
		return nil, err
	}
	// 不称职 years before this one: confirmed assessments, and years imported
	// from before the platform (a year is never both: importing needs a year without rules).
	incompetent, err := termCounts(ctx, q, committeeID, `SELECT membership_id, COUNT(*) FROM (
		SELECT membership_id, year FROM duty_assessments WHERE committee_id = $1 AND grade = 'incompetent' AND year < $2
		UNION SELECT membership_id, year FROM duty_imported_scores WHERE committee_id = $1 AND grade = 'incompetent' AND year < $2
		) x GROUP BY membership_id`, year)
	if err != nil {
		return nil, err
	}
	y := &Year{CommitteeID: committeeID, Year: year, Rules: rs}
	for _, m := range ms {
		sc := score(rs, m, sums[m.id])
		sc.Groups = groups[m.id]
		sc.Absences, sc.Incompetent = absences[m.id], incompetent[m.id]
		if sc.Grade == Incompetent {
			sc.Incompetent++
		}
		judge(rs, &sc)
		y.Scores = append(y.Scores, sc)
	}
	y.Categories = columns(rs, y.Scores)
	for i := range y.Scores {
		y.Scores[i].Parts = alignParts(y.Scores[i].Parts, y.Categories)
	}
	rank(y.Scores)
	return y, nil
}

// columns lists the rules' categories, then the others any member has entries in.
func columns(rs *RuleSet, scores []Score) []string {
	var out []string
	for _, c := range rs.Categories {
		out = append(out, c.Code)
	}
	var extra []string
	for _, sc := range scores {
		for _, p := range sc.Parts {
			if !slices.Contains(out, p.Category) && !slices.Contains(extra, p.Category) {
				extra = append(extra, p.Category)
			}
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// alignParts orders parts by cats, with an empty part for a category missing.
func alignParts(parts []Part, cats []string) []Part {
	out := make([]Part, len(cats))
	for i, c := range cats {
		out[i] = Part{Category: c}
		for _, p := range parts {
			if p.Category == c {
				out[i] = p
			}
		}
	}
	return out
}

// score applies the caps, base and maximum to a member's category sums.
func score(rs *RuleSet, m member, sums map[string]int64) Score {
	sc := Score{MembershipID: m.id, PersonID: m.person, Name: m.name, SectorID: m.sector, Sector: m.sectorName,
		Total: rs.BaseScore}
	cats := slices.Clone(rs.Categories)
	for code := range sums {
		if !slices.ContainsFunc(cats, func(c Category) bool { return c.Code == code }) {
			cats = append(cats, Category{Code: code})
		}
	}
	for _, c := range cats {
		p := Part{Category: c.Code, Raw: sums[c.Code], Counted: sums[c.Code], Cap: c.Cap}
		if c.Cap > 0 && p.Counted > c.Cap {
			p.Counted = c.Cap
		}
		sc.Parts = append(sc.Parts, p)
		sc.Total += p.Counted
	}
	if rs.MaxScore > 0 && sc.Total > rs.MaxScore {
		sc.Total = rs.MaxScore
	}
	sc.Grade = rs.Grade(sc.Total)
	return sc
}

// judge applies the exit rules and proposes the year's action: resignation
// (劝辞) when an exit rule is met, a reminder talk for 不称职, a commendation
// for 优秀.
func judge(rs *RuleSet, sc *Score) {
	if rs.ExitAbsences > 0 && sc.Absences >= rs.ExitAbsences {
		sc.Exit = append(sc.Exit, "absences")
	}
	if rs.ExitIncompetent > 0 && sc.Incompetent >= rs.ExitIncompetent {
		sc.Exit = append(sc.Exit, "incompetent")
	}
	switch {
	case len(sc.Exit) > 0:
		sc.Action = ActionResign
	case sc.Grade == Incompetent:
		sc.Action = ActionRemind
	case sc.Grade == Excellent:
		sc.Action = ActionCommend
	}
}

// Actions the rules propose (i18n duty.action.<code>).
const (
	ActionCommend = "commend" // 表彰 (年终评先奖优)
	ActionRemind  = "remind"  // 约谈提醒
	ActionResign  = "resign"  // 劝辞
)

// rank orders the scores and gives competition ranks (1, 2, 2, 4) within the
// committee, each sector and each group.
func rank(scores []Score) {
	slices.SortStableFunc(scores, func(a, b Score) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), cmp.Compare(a.MembershipID, b.MembershipID))
	})
	type counter struct {
		n, last int
		prev    int64
	}
	next := func(c *counter, total int64) int {
		c.n++
		if c.n == 1 || total != c.prev {
			c.last = c.n
		}
		c.prev = total
		return c.last
	}
	all, sectors, groups := &counter{}, map[int64]*counter{}, map[int64]*counter{}
	get := func(m map[int64]*counter, k int64) *counter {
		if m[k] == nil {
			m[k] = &counter{}
		}
		return m[k]
	}
	for i := range scores {
		sc := &scores[i]
		sc.Rank = next(all, sc.Total)
		sc.SectorRank = next(get(sectors, sc.SectorID), sc.Total)
		sc.GroupRanks = map[int64]int{}
		for _, g := range sc.Groups {
			sc.GroupRanks[g] = next(get(groups, g), sc.Total)
		}
	}
}

// categorySums sums the year's entries by member and category (reversals
// cancel their postings).
func categorySums(ctx context.Context, q db.Querier, committeeID int64, year int) (map[int64]map[string]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT membership_id, category, SUM(points) FROM duty_entries
		WHERE committee_id = $1 AND year = $2 GROUP BY membership_id, category`, committeeID, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[string]int64{}
	for rows.Next() {
		var m int64
		var c string
		var p int64
		if err := rows.Scan(&m, &c, &p); err != nil {
			return nil, err
		}
		if out[m] == nil {
			out[m] = map[string]int64{}
		}
		out[m][c] = p
	}
	return out, rows.Err()
}

// termCounts folds (membership_id, count) rows into a map.
func termCounts(ctx context.Context, q db.Querier, committeeID int64, query string, year int) (map[int64]int, error) {
	rows, err := q.QueryContext(ctx, query, committeeID, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var m int64
		var n int
		if err := rows.Scan(&m, &n); err != nil {
			return nil, err
		}
		out[m] = n
	}
	return out, rows.Err()
}

// memberGroups maps each membership to its groups.
func memberGroups(ctx context.Context, q db.Querier, committeeID int64) (map[int64][]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT membership_id, group_id FROM membership_groups WHERE committee_id = $1
		ORDER BY membership_id, group_id`, committeeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var m, g int64
		if err := rows.Scan(&m, &g); err != nil {
			return nil, err
		}
		out[m] = append(out[m], g)
	}
	return out, rows.Err()
}
