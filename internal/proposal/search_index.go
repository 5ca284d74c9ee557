package proposal

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/go-ego/gse/hmm"

	"lvzhi/internal/db"
)

// Chinese has no spaces between words, so proposals are segmented into words
// with gse at write time and the words are stored space-separated in
// proposal_search.tokens, which FTS5 (SQLite) and a GIN index over
// to_tsvector('simple', tokens) (PostgreSQL) index as plain words.
//
// Documents are cut in search mode (a long word also yields its parts:
// 教育局 → 教育 教育局), queries in accurate mode, so a query word finds the
// documents containing it as a word or as part of a longer one.

var (
	segOnce   sync.Once
	segmenter *wordSegmenter
	segErr    error
	// SegmenterLoadTime is how long loading the dictionary took (~0.5 s; gse itself took ~3 s).
	SegmenterLoadTime time.Duration
)

// loadSegmenter loads gse's embedded simplified-Chinese dictionary once, in
// the compact form of segment.go, and gse's HMM model for unknown words.
func loadSegmenter() (*wordSegmenter, error) {
	segOnce.Do(func() {
		t0 := time.Now()
		hmm.LoadModel()
		segmenter, segErr = newWordSegmenter(gseZhS)
		if segErr == nil && len(segmenter.off) == 0 {
			segErr = errors.New("proposal: gse's embedded dictionary is empty")
		}
		SegmenterLoadTime = time.Since(t0)
	})
	return segmenter, segErr
}

// WarmUp loads the word dictionary in the background, so the first search or
// refresh after start-up does not wait for it. Call it when the server starts.
// Parsing the dictionary leaves ~20 MB of garbage behind; it is collected and
// returned to the system at once, so that a server does not carry it in its
// resident set (budget: 150 MB, docs/BENCHMARKS.md).
func WarmUp() {
	go func() {
		_, _ = loadSegmenter()
		debug.FreeOSMemory()
	}()
}

// markerPrefix starts the marker words added to every document; words of the
// text starting with it are dropped, so a text can never fake a marker.
const markerPrefix = "zz"

// keepWord normalizes a segmented word: lower case, letters and digits only.
func keepWord(w string) (string, bool) {
	w = strings.ToLower(strings.TrimSpace(w))
	if w == "" || strings.HasPrefix(w, markerPrefix) {
		return "", false
	}
	for _, r := range w {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return "", false
		}
	}
	return w, true
}

// docWords segments a document in search mode.
func docWords(text string) ([]string, error) {
	seg, err := loadSegmenter()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, w := range seg.CutSearch(text) {
		if k, ok := keepWord(w); ok {
			out = append(out, k)
		}
	}
	return out, nil
}

// QueryWords segments a search query into distinct words (at most max).
func QueryWords(q string, max int) ([]string, error) {
	seg, err := loadSegmenter()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, w := range seg.Cut(q) {
		if k, ok := keepWord(w); ok && !seen[k] {
			seen[k] = true
			out = append(out, k)
			if len(out) == max {
				break
			}
		}
	}
	return out, nil
}

// markers are the scope words of a document: its committee and every ancestor
// (from the materialised path "/1/4/27/"), its year, and publication.
func markers(path string, year int, published bool) []string {
	var out []string
	for _, part := range strings.Split(strings.Trim(path, "/"), "/") {
		if part != "" {
			out = append(out, committeeMarker(part))
		}
	}
	out = append(out, fmt.Sprintf("%sy%d", markerPrefix, year))
	if published {
		out = append(out, publishedMarker)
	}
	return out
}

func committeeMarker[T int64 | string](id T) string { return fmt.Sprintf("%sc%v", markerPrefix, id) }

const publishedMarker = markerPrefix + "pub"

// searchText is what is indexed: title, texts and delivered replies, with
// contact details redacted (they are not what people search for, and the
// public search must not reveal them).
func searchText(p *Proposal, replies []Reply) string {
	var b strings.Builder
	for _, s := range []string{p.Title, p.Title, p.Matter, p.Analysis, p.Suggestions, p.BodyName} {
		b.WriteString(s)
		b.WriteByte('\n')
	}
	for _, r := range replies {
		if r.Status == "delivered" {
			b.WriteString(r.Body)
			b.WriteByte('\n')
		}
	}
	return Redact(b.String())
}

// indexProposal brings the proposal's search row up to date inside tx. The
// text is segmented again only when it changed; the markers are always renewed.
func indexProposal(ctx context.Context, tx *sql.Tx, p *Proposal, replies []Reply) error {
	text := searchText(p, replies)
	sum := sha256.Sum256([]byte(text))
	hash := hex.EncodeToString(sum[:])
	var oldTokens, oldHash string
	err := tx.QueryRowContext(ctx, `SELECT tokens, text_hash FROM proposal_search WHERE proposal_id = $1`, p.ID).Scan(&oldTokens, &oldHash)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var words []string
	if exists && oldHash == hash {
		for _, w := range strings.Fields(oldTokens) {
			if !strings.HasPrefix(w, markerPrefix) {
				words = append(words, w)
			}
		}
	} else if words, err = docWords(text); err != nil {
		return err
	}
	tokens := strings.Join(append(markers(p.committeePath, p.Year, p.Published), words...), " ")
	if exists && tokens == oldTokens {
		return nil
	}
	if exists {
		_, err = tx.ExecContext(ctx, `UPDATE proposal_search SET tokens = $1, text_hash = $2, updated_at = $3 WHERE proposal_id = $4`,
			tokens, hash, db.Now(), p.ID)
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO proposal_search (proposal_id, committee_id, tokens, text_hash, updated_at)
		VALUES ($1, $2, $3, $4, $5)`, p.ID, p.CommitteeID, tokens, hash, db.Now())
	return err
}
