package proposal

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Similar proposals of this and past sessions are suggested while a member
// drafts and while the office reviews (to merge duplicates and show earlier
// replies). The index narrows the candidates (the committee's proposals
// sharing at least one of the text's distinctive words, best ranked first);
// then the candidates are scored by the cosine of word-count vectors, the
// title's words counting three times.

// Similar is one similar proposal with its earlier replies' result classes.
type Similar struct {
	Summary
	Committee string   `json:"committee"`
	Classes   []string `json:"classes,omitempty"` // result classes of its delivered replies, latest round
	Published bool     `json:"published"`
	// Readable: the actor may open it (Get); else only what this list shows
	// (a published one opens on the public page).
	Readable bool     `json:"readable"`
	Shared   []string `json:"shared"` // the most telling words in common
}

// Similarity thresholds.
const (
	similarCandidates = 60   // documents scored per request
	similarMinScore   = 0.18 // below this a proposal is not shown as similar
	similarQueryWords = 16   // distinctive words asked of the index
)

// stopWords are frequent words of proposals that say nothing about the matter.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`关于 建议 提案 我们 进一步 加强 推进 工作 问题 进行 一是 二是 三是 四是 五是 以及 相关 部门 有关
		没有 目前 存在 通过 可以 需要 同时 实现 其中 因此 我县 全县 县委 县政府 政府 方面 情况 分析 具体 提高 加大 加快 做好 开展 落实
		发展 建设 管理 完善 促进 推动 不断 积极 充分 有效 我市 本县 the and of to in for on`) {
		stopWords[w] = true
	}
}

// telling reports whether a word can make two proposals alike.
func telling(w string) bool {
	return utf8.RuneCountInString(w) >= 2 && !stopWords[w] && strings.IndexFunc(w, func(r rune) bool { return r < '0' || r > '9' }) >= 0
}

// wordCounts counts the telling words of a document's token list.
func wordCounts(words []string) map[string]float64 {
	m := map[string]float64{}
	for _, w := range words {
		if !strings.HasPrefix(w, markerPrefix) && telling(w) {
			m[w]++
		}
	}
	return m
}

func cosine(a, b map[string]float64) float64 {
	var dot, na, nb float64
	for w, x := range a {
		na += x * x
		dot += x * b[w]
	}
	for _, y := range b {
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// queryVector segments a draft's title (counted three times) and text.
func queryVector(title, text string) (map[string]float64, error) {
	words, err := docWords(Redact(title + "\n" + title + "\n" + title + "\n" + text))
	if err != nil {
		return nil, err
	}
	return wordCounts(words), nil
}

// topWords returns the n most frequent words of v (ties by word, for stable results).
func topWords(v map[string]float64, n int) []string {
	ws := make([]string, 0, len(v))
	for w := range v {
		ws = append(ws, w)
	}
	sort.Slice(ws, func(i, j int) bool {
		if v[ws[i]] != v[ws[j]] {
			return v[ws[i]] > v[ws[j]]
		}
		return ws[i] < ws[j]
	})
	if len(ws) > n {
		ws = ws[:n]
	}
	return ws
}

// SimilarText returns up to limit proposals of the committee (any session)
// similar to a title and text, most similar first, excluding excludeID and
// proposals never submitted (drafts, signing, withdrawn before submission). It shows titles, numbers and
// result classes only, which every member of the committee may know.
func (s *Service) SimilarText(ctx context.Context, committeeID int64, title, text string, excludeID int64, limit int) ([]Similar, error) {
	if limit <= 0 || limit > 20 {
		limit = 5
	}
	qv, err := queryVector(title, text)
	if err != nil || len(qv) == 0 {
		return nil, err
	}
	if _, err := s.CatchUp(ctx, committeeID, ""); err != nil {
		return nil, err
	}
	b := &db.Args{}
	match := matchSQL(s.DB, b, []string{committeeMarker(committeeID)}, topWords(qv, similarQueryWords))
	q := `SELECT p.id, p.number, p.title, p.state, p.year, c.name, p.is_published, ps.tokens FROM (` + match + `) mt
		JOIN proposals p ON p.id = mt.pid JOIN proposal_search ps ON ps.proposal_id = p.id JOIN committees c ON c.id = p.committee_id
		WHERE p.committee_id = ` + b.Add(committeeID) + ` AND p.id <> ` + b.Add(excludeID) + ` AND ` + wasSubmittedSQL("p") + `
		ORDER BY mt.score DESC, p.id DESC LIMIT ` + b.Add(similarCandidates)
	rows, err := s.DB.QueryContext(ctx, q, *b...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Similar
	for rows.Next() {
		var sm Similar
		var tokens string
		if err := rows.Scan(&sm.ID, &sm.Number, &sm.Title, &sm.State, &sm.Year, &sm.Committee, &sm.Published, &tokens); err != nil {
			return nil, err
		}
		dv := wordCounts(strings.Fields(tokens))
		sm.Score = math.Round(cosine(qv, dv)*1000) / 1000
		if sm.Score < similarMinScore {
			continue
		}
		for _, w := range topWords(qv, 40) {
			if dv[w] > 0 && len(sm.Shared) < 6 {
				sm.Shared = append(sm.Shared, w)
			}
		}
		out = append(out, sm)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, s.fillClasses(ctx, out)
}

// fillClasses adds the result classes of the delivered replies of each
// proposal's latest replied round.
func (s *Service) fillClasses(ctx context.Context, out []Similar) error {
	for i := range out {
		rows, err := s.DB.QueryContext(ctx, `SELECT r.result_class FROM proposal_replies r WHERE r.proposal_id = $1 AND r.status = 'delivered'
			AND r.round = (SELECT MAX(r2.round) FROM proposal_replies r2 WHERE r2.proposal_id = r.proposal_id AND r2.status = 'delivered')
			ORDER BY r.id`, out[i].ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return err
			}
			if !slices.Contains(out[i].Classes, c) {
				out[i].Classes = append(out[i].Classes, c)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// SimilarDraft suggests proposals similar to what a member is writing (the
// draft form's htmx endpoint) or an office user is reviewing: members,
// proposal office, staff and leaders of the committee.
func (s *Service) SimilarDraft(ctx context.Context, actor *auth.Actor, title, text string, excludeID int64, limit int) ([]Similar, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if !auth.Can(actor, PermSubmit) && !auth.Can(actor, PermView) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	if utf8.RuneCountInString(title)+utf8.RuneCountInString(text) > MaxTitle+3*MaxText {
		return nil, apperr.Fields(apperr.Field("matter", "err.proposal.too_long", map[string]any{"Max": MaxText}))
	}
	out, err := s.SimilarText(ctx, actor.CommitteeID, title, text, excludeID, limit)
	if err != nil {
		return nil, err
	}
	return out, s.markReadable(ctx, actor, out)
}

// Finder adapts SimilarText to the SimilarFinder hook of the service (used by
// SimilarTo when reviewing a proposal).
type Finder struct{ Svc *Service }

// Similar implements SimilarFinder.
func (f Finder) Similar(ctx context.Context, committeeID int64, title, text string, excludeID int64, limit int) ([]Summary, error) {
	ss, err := f.Svc.SimilarText(ctx, committeeID, title, text, excludeID, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Summary, len(ss))
	for i, s := range ss {
		out[i] = s.Summary
	}
	return out, nil
}

// SimilarToProposal lists proposals like an existing one, with their result
// classes, for whoever may read it (the office reviewing it, its proposer).
func (s *Service) SimilarToProposal(ctx context.Context, actor *auth.Actor, id int64, limit int) ([]Similar, error) {
	p, err := s.visible(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	out, err := s.SimilarText(ctx, p.CommitteeID, p.Title, p.Matter+"\n"+p.Suggestions, p.ID, limit)
	if err != nil {
		return nil, err
	}
	return out, s.markReadable(ctx, actor, out)
}

// Percent is the similarity score as a whole percentage.
func (s Similar) Percent() int { return int(math.Round(s.Score * 100)) }
