package proposal

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// SearchQuery is a full-text search over titles, texts and delivered replies.
type SearchQuery struct {
	CommitteeID int64 // 0: the actor's committee
	Subtree     bool  // also the committees below (readers of a higher committee)
	Q           string
	SessionID   int64
	Year        int
	Theme       Theme
	Offset      int
	Limit       int // default 20, at most 200
}

// MaxQuery bounds the length of a search query, in characters.
const MaxQuery = 100

// SearchHit is one proposal found.
type SearchHit struct {
	ID        int64   `json:"id"`
	Committee string  `json:"committee"`
	Number    string  `json:"number"`
	Title     string  `json:"title"`
	State     State   `json:"state"`
	Theme     Theme   `json:"theme"`
	Year      int     `json:"year"`
	Proposer  string  `json:"proposer"`
	Published bool    `json:"published"`
	Snippet   string  `json:"snippet"` // a piece of the text around the first word found, contact details redacted
	Score     float64 `json:"score"`
	// PublicOnly: found because it is published (Sight.Published), but not
	// readable by the actor through Get: open it on the public page.
	PublicOnly bool `json:"public_only"`
}

// SearchPage is one page of hits, best first.
type SearchPage struct {
	Words  []string    `json:"words"` // the query as segmented
	Hits   []SearchHit `json:"hits"`
	Total  int         `json:"total"`
	Offset int         `json:"offset"`
	Limit  int         `json:"limit"`
}

// matchSQL returns a subquery yielding (pid, score) for documents holding every
// word of all and, if any is not empty, at least one of any; higher score is
// better. Words are letters and digits only (keepWord), so quoting is safe.
func matchSQL(d *db.DB, b *db.Args, all, any []string) string {
	if d.Engine == db.Postgres {
		var parts []string
		for _, w := range all {
			parts = append(parts, "'"+w+"'")
		}
		if len(any) > 0 {
			alts := make([]string, len(any))
			for i, w := range any {
				alts[i] = "'" + w + "'"
			}
			parts = append(parts, "("+strings.Join(alts, " | ")+")")
		}
		return `SELECT s.proposal_id AS pid, ts_rank(to_tsvector('simple', s.tokens), tq.q) AS score
			FROM proposal_search s, (SELECT to_tsquery('simple', ` + b.Add(strings.Join(parts, " & ")) + `) AS q) tq
			WHERE to_tsvector('simple', s.tokens) @@ tq.q`
	}
	var parts []string
	for _, w := range all {
		parts = append(parts, `"`+w+`"`)
	}
	if len(any) > 0 {
		alts := make([]string, len(any))
		for i, w := range any {
			alts[i] = `"` + w + `"`
		}
		parts = append(parts, "("+strings.Join(alts, " OR ")+")")
	}
	return `SELECT rowid AS pid, -bm25(proposal_fts) AS score FROM proposal_fts WHERE proposal_fts MATCH ` +
		b.Add(strings.Join(parts, " AND "))
}

// searchAccess checks the actor may search committee cid at all: its readers
// (and a higher committee's, read-only), or a member or unit of it. Which
// proposals they find is visibleSQL with the Published option (a role given
// PermFigures without PermView would search, but read only what visibleSQL
// lets it: today both go to the same roles).
func searchAccess(actor *auth.Actor, cid int64, path string) error {
	switch {
	case auth.CanIn(actor, PermView, cid, path) || auth.CanIn(actor, PermFigures, cid, path):
	case actor.CommitteeID != cid:
		return apperr.ErrNotFound
	case actor.PersonID != 0 && auth.Can(actor, PermSubmit):
	case actor.UnitID != 0 && auth.Can(actor, PermHandle):
	default:
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return nil
}

// Search finds proposals by words of their title, texts and delivered replies
// (Chinese segmented with gse), best match first, as far as the actor may see
// them. An empty query finds nothing; a query over MaxQuery characters is a
// field error on "q".
func (s *Service) Search(ctx context.Context, actor *auth.Actor, in SearchQuery) (*SearchPage, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if in.CommitteeID == 0 {
		in.CommitteeID = actor.CommitteeID
	}
	if in.Limit <= 0 || in.Limit > 200 {
		in.Limit = 20
	}
	in.Offset = max(in.Offset, 0)
	path, err := s.committeePath(ctx, in.CommitteeID)
	if err != nil {
		return nil, err
	}
	if err := searchAccess(actor, in.CommitteeID, path); err != nil {
		return nil, err
	}
	b := &db.Args{}
	// What Get shows, and the published proposals (opened on the public page).
	vis := visibleSQL(b.Add, actor, Sight{Published: true})
	if in.Subtree && !auth.CanIn(actor, PermFigures, in.CommitteeID, path) && !auth.CanIn(actor, PermView, in.CommitteeID, path) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	page := &SearchPage{Offset: in.Offset, Limit: in.Limit}
	if page.Words, err = checkQuery(in.Q); err != nil || len(page.Words) == 0 {
		return page, err
	}
	roll := ""
	if in.Subtree {
		roll = path
	}
	if _, err := s.CatchUp(ctx, in.CommitteeID, roll); err != nil {
		return nil, err
	}
	scope := committeeMarker(in.CommitteeID)
	conds := []string{vis}
	if !in.Subtree {
		conds = append(conds, `p.committee_id = `+b.Add(in.CommitteeID))
	}
	conds = append(conds, in.filters(b)...)
	match := matchSQL(s.DB, b, append([]string{scope}, page.Words...), nil)
	readable := func(b *db.Args) string { return visibleSQL(b.Add, actor, Sight{}) }
	return page, s.runSearch(ctx, b, match, strings.Join(conds, " AND "), readable, page)
}

func (in SearchQuery) filters(b *db.Args) []string {
	var w []string
	if in.SessionID != 0 {
		w = append(w, `p.session_id = `+b.Add(in.SessionID))
	}
	if in.Year != 0 {
		w = append(w, `p.year = `+b.Add(in.Year))
	}
	if in.Theme != "" {
		w = append(w, `p.theme = `+b.Add(string(in.Theme)))
	}
	return w
}

// checkQuery segments a query; too long is a field error.
func checkQuery(q string) ([]string, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	if utf8.RuneCountInString(q) > MaxQuery {
		return nil, apperr.Fields(apperr.Field("q", "err.figures.query_too_long", map[string]any{"Max": MaxQuery}))
	}
	return QueryWords(q, 12)
}

func (s *Service) committeePath(ctx context.Context, id int64) (string, error) {
	sc, err := auth.LoadScope(ctx, s.DB, id)
	return sc.Path, err
}

// runSearch counts and pages the matches of match that satisfy cond; a hit
// not satisfying readable (what Get shows) is marked PublicOnly.
func (s *Service) runSearch(ctx context.Context, b *db.Args, match, cond string, readable func(*db.Args) string, page *SearchPage) error {
	from := ` FROM (` + match + `) mt JOIN proposals p ON p.id = mt.pid JOIN committees c ON c.id = p.committee_id
		LEFT JOIN memberships m ON m.id = p.first_proposer_id LEFT JOIN people pe ON pe.id = m.person_id WHERE ` + cond
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*)`+from, *b...).Scan(&page.Total); err != nil {
		return fmt.Errorf("search count: %w", err)
	}
	if page.Total == 0 {
		return nil
	}
	q := `SELECT p.id, c.name, p.number, p.title, p.state, p.theme, p.year, COALESCE(pe.name, p.body_name), p.is_published,
		p.matter, p.suggestions, mt.score, CASE WHEN ` + readable(b) + ` THEN 0 ELSE 1 END` + from + ` ORDER BY mt.score DESC, p.id DESC LIMIT ` + b.Add(page.Limit) + ` OFFSET ` + b.Add(page.Offset)
	rows, err := s.DB.QueryContext(ctx, q, *b...)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h SearchHit
		var matter, suggestions string
		var publicOnly int
		if err := rows.Scan(&h.ID, &h.Committee, &h.Number, &h.Title, &h.State, &h.Theme, &h.Year, &h.Proposer, &h.Published,
			&matter, &suggestions, &h.Score, &publicOnly); err != nil {
			return err
		}
		h.PublicOnly = publicOnly == 1
		h.Snippet = snippet(matter+" "+suggestions, page.Words, 60)
		page.Hits = append(page.Hits, h)
	}
	return rows.Err()
}

// snippet returns about n characters of text around the first of words found,
// with contact details redacted.
func snippet(text string, words []string, n int) string {
	text = strings.Join(strings.Fields(Redact(text)), " ")
	rs := []rune(text)
	at := -1
	for _, w := range words {
		if i := strings.Index(strings.ToLower(text), w); i >= 0 {
			r := utf8.RuneCountInString(text[:i])
			if at < 0 || r < at {
				at = r
			}
		}
	}
	start := max(at-n/3, 0)
	end := min(start+n, len(rs))
	out := string(rs[start:end])
	if start > 0 {
		out = "…" + out
	}
	if end < len(rs) {
		out += "…"
	}
	return out
}
