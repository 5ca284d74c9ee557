package proposal

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"lvzhi/internal/changes"
	"lvzhi/internal/db"
)

// The bulk refresh computes the same derived rows as refreshDerived (the same
// computeFacts, searchText, markers and docWords), but for a batch of queued
// proposals at once: five set-based reads per batch instead of five reads per
// proposal, multi-row upserts, and the segmented words of a text remembered
// across the run (generated and imported texts repeat). The generator uses it
// after writing a year's proposals; TestBulkRefreshMatches checks that it
// writes exactly the rows the per-proposal refresh writes.

// bulkBatch is how many queued proposals one bulk transaction refreshes.
const bulkBatch = 2000

// bulkChunk is how many rows one multi-row statement writes.
const bulkChunk = 200

// wordMemoMax bounds the memo of segmented texts.
const wordMemoMax = 50000

// CatchUpBulk refreshes every queued record's derived rows (for proposals:
// figures, league, search) in batches, reporting progress to w (may be nil).
// It is meant for large queues (after a generator run or an import); readers
// keep calling CatchUp. A proposal changed during the run stays queued.
func (s *Service) CatchUpBulk(ctx context.Context, w io.Writer) (int, error) {
	if w == nil {
		w = io.Discard
	}
	start, rounds := time.Now(), 0
	return changes.Drain(ctx, s.DB, bulkBatch, func(done int) {
		if rounds++; rounds%50 == 0 {
			fmt.Fprintf(w, "derived rows: %d refreshed (%.1fs)\n", done, time.Since(start).Seconds())
		}
	})
}

// bulkMemo remembers segmented texts across the batches of a bulk refresh
// (bounded by wordMemoMax); bulk refreshes run one at a time.
var bulkMemo = struct {
	sync.Mutex
	words map[string][]string
}{words: map[string][]string{}}

// refreshBulk is the change-queue consumer's Bulk: refreshBatch over the queued proposals.
func refreshBulk(ctx context.Context, tx *sql.Tx, e db.Engine, ids []int64) error {
	bulkMemo.Lock()
	defer bulkMemo.Unlock()
	return refreshBatch(ctx, tx, e, ids, bulkMemo.words)
}

// batch is what a bulk refresh reads about its proposals.
type batch struct {
	props    []*Proposal
	asgs     map[int64][]Assignment
	contacts map[int64][]Contact
	replies  map[int64][]Reply
	search   map[int64][2]string // tokens, text_hash
	classes  map[int64][]ResultClass
}

// idList formats ids for an IN list; they are integers formatted here, so
// splicing them into the statement is safe.
func idList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, ",")
}

// prefixed scans a leading proposal id before the columns a scan function reads.
type prefixed struct {
	sc  interface{ Scan(...any) error }
	pid *int64
}

func (p prefixed) Scan(dest ...any) error { return p.sc.Scan(append([]any{p.pid}, dest...)...) }

func readBatch(ctx context.Context, tx *sql.Tx, ids []int64) (*batch, error) {
	in := idList(ids)
	b := &batch{asgs: map[int64][]Assignment{}, contacts: map[int64][]Contact{}, replies: map[int64][]Reply{},
		search: map[int64][2]string{}, classes: map[int64][]ResultClass{}}
	var err error
	b.props, err = db.Query(ctx, tx, func(sc interface{ Scan(...any) error }) (*Proposal, error) { return scanProposal(sc) },
		`SELECT `+proposalCols+proposalFrom+` WHERE p.id IN (`+in+`) ORDER BY p.id`)
	if err != nil {
		return nil, err
	}
	// Child rows carry their proposal's committee; naming the committees lets
	// PostgreSQL use the (committee_id, proposal_id) indexes.
	var cids []int64
	for _, p := range b.props {
		if !slices.Contains(cids, p.CommitteeID) {
			cids = append(cids, p.CommitteeID)
		}
	}
	if len(cids) == 0 {
		return b, nil
	}
	scope := `committee_id IN (` + idList(cids) + `) AND proposal_id IN (` + in + `)`
	var pid int64
	_, err = db.Query(ctx, tx, func(sc interface{ Scan(...any) error }) (bool, error) {
		a, err := scanAssignment(prefixed{sc, &pid})
		b.asgs[pid] = append(b.asgs[pid], a)
		return true, err
	}, `SELECT a.proposal_id, `+assignmentCols+` FROM proposal_assignments a JOIN units u ON u.id = a.unit_id
		WHERE a.committee_id IN (`+idList(cids)+`) AND a.proposal_id IN (`+in+`) ORDER BY a.proposal_id, CASE a.role WHEN 'lead' THEN 0 WHEN 'sole' THEN 0 ELSE 1 END, a.id`)
	if err != nil {
		return nil, err
	}
	_, err = db.Query(ctx, tx, func(sc interface{ Scan(...any) error }) (bool, error) {
		var c Contact
		err := sc.Scan(&pid, &c.ID, &c.AssignmentID, &c.Round, &c.On, &c.Method, &c.FaceToFace, &c.People, &c.Note)
		b.contacts[pid] = append(b.contacts[pid], c)
		return true, err
	}, `SELECT proposal_id, id, assignment_id, round, contact_on, method, face_to_face, people, note FROM proposal_contacts
		WHERE `+scope+` ORDER BY proposal_id, contact_on, id`)
	if err != nil {
		return nil, err
	}
	_, err = db.Query(ctx, tx, func(sc interface{ Scan(...any) error }) (bool, error) {
		var r Reply
		err := sc.Scan(&pid, &r.ID, &r.AssignmentID, &r.Round, &r.ResultClass, &r.DraftedClass, &r.Body, &r.Status, &r.ReviewNote,
			&r.DeliveredOn, &r.SubmittedOn)
		b.replies[pid] = append(b.replies[pid], r)
		return true, err
	}, `SELECT proposal_id, id, assignment_id, round, result_class, drafted_class, body, status, review_note, delivered_on, submitted_on
		FROM proposal_replies WHERE `+scope+` ORDER BY proposal_id, round, id`)
	if err != nil {
		return nil, err
	}
	_, err = db.Query(ctx, tx, func(sc interface{ Scan(...any) error }) (bool, error) {
		var tokens, hash string
		err := sc.Scan(&pid, &tokens, &hash)
		b.search[pid] = [2]string{tokens, hash}
		return true, err
	}, `SELECT proposal_id, tokens, text_hash FROM proposal_search WHERE proposal_id IN (`+in+`)`)
	if err != nil {
		return nil, err
	}
	for _, p := range b.props {
		if _, ok := b.classes[p.CommitteeID]; !ok {
			if b.classes[p.CommitteeID], err = listClasses(ctx, tx, p.CommitteeID); err != nil {
				return nil, err
			}
		}
	}
	return b, nil
}

// refreshBatch is refreshDerived for many proposals: the same rows, written in
// a few statements.
func refreshBatch(ctx context.Context, tx *sql.Tx, e db.Engine, ids []int64, memo map[string][]string) error {
	b, err := readBatch(ctx, tx, ids)
	if err != nil {
		return err
	}
	mw := multiWriter{ctx: ctx, tx: tx, e: e}
	now := db.Now()
	found := map[int64]bool{}
	var keep []string
	for _, p := range b.props {
		found[p.ID] = true
		f, units := computeFacts(p, b.asgs[p.ID], b.contacts[p.ID], b.replies[p.ID], b.classes[p.CommitteeID])
		mw.add(0, p.ID, p.CommitteeID, p.SessionID, p.Year, p.Theme, p.Kind, p.Category, p.State, p.ConvertedTo,
			f.Received, f.Registered, f.Replied, f.OnTime, f.FaceToFace, f.ResultClass, p.Key, p.Excellent, p.Published,
			p.DueOn, p.Version)
		for _, u := range units {
			keep = append(keep, fmt.Sprint(u.AssignmentID))
			mw.add(1, u.AssignmentID, p.CommitteeID, p.ID, u.UnitID, u.Role, u.State, p.SessionID, p.Year, p.Theme,
				u.Replying, u.Replied, u.OnTime, u.FaceToFace, u.ResultClass, u.DueOn)
		}
		if err := bulkSearchRow(&mw, p, b.replies[p.ID], b.search, memo, now); err != nil {
			return err
		}
	}
	if err := mw.flush(); err != nil {
		return err
	}
	keep = append(keep, "0")
	var propIDs []int64
	for _, p := range b.props {
		propIDs = append(propIDs, p.ID)
	}
	if len(propIDs) > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM proposal_unit_facts WHERE proposal_id IN (`+idList(propIDs)+
			`) AND assignment_id NOT IN (`+strings.Join(keep, ",")+`)`); err != nil {
			return err
		}
	}
	return nil
}

// bulkSearchRow queues the proposal's search row as indexProposal would write it.
func bulkSearchRow(mw *multiWriter, p *Proposal, replies []Reply, old map[int64][2]string, memo map[string][]string, now time.Time) error {
	text := searchText(p, replies)
	sum := sha256.Sum256([]byte(text))
	hash := hex.EncodeToString(sum[:])
	prev, exists := old[p.ID]
	var words []string
	if exists && prev[1] == hash {
		for _, w := range strings.Fields(prev[0]) {
			if !strings.HasPrefix(w, markerPrefix) {
				words = append(words, w)
			}
		}
	} else if cached, ok := memo[text]; ok {
		words = cached
	} else {
		var err error
		if words, err = docWords(text); err != nil {
			return err
		}
		if len(memo) >= wordMemoMax {
			clear(memo)
		}
		memo[text] = words
	}
	tokens := strings.Join(append(markers(p.committeePath, p.Year, p.Published), words...), " ")
	if exists && tokens == prev[0] {
		return nil
	}
	mw.add(2, p.ID, p.CommitteeID, tokens, hash, now)
	return nil
}

// bulkTables are the multi-row upserts of the bulk refresh: the same columns
// and conflict handling as saveFacts and indexProposal.
var bulkTables = []struct{ head, conflict string }{
	{`INSERT INTO proposal_facts (proposal_id, committee_id, session_id, year, theme, kind, category, state, converted_to,
		received, registered, replied, on_time, face_to_face, result_class, is_key, is_excellent, is_published, due_on, version) VALUES `,
		` ON CONFLICT (proposal_id) DO UPDATE SET session_id = excluded.session_id, year = excluded.year, theme = excluded.theme,
		kind = excluded.kind, category = excluded.category, state = excluded.state, converted_to = excluded.converted_to,
		received = excluded.received, registered = excluded.registered, replied = excluded.replied, on_time = excluded.on_time,
		face_to_face = excluded.face_to_face, result_class = excluded.result_class, is_key = excluded.is_key,
		is_excellent = excluded.is_excellent, is_published = excluded.is_published, due_on = excluded.due_on, version = excluded.version`},
	{`INSERT INTO proposal_unit_facts (assignment_id, committee_id, proposal_id, unit_id, role, state, session_id, year, theme,
		replying, replied, on_time, face_to_face, result_class, due_on) VALUES `,
		` ON CONFLICT (assignment_id) DO UPDATE SET unit_id = excluded.unit_id, role = excluded.role, state = excluded.state,
		session_id = excluded.session_id, year = excluded.year, theme = excluded.theme, replying = excluded.replying,
		replied = excluded.replied, on_time = excluded.on_time, face_to_face = excluded.face_to_face,
		result_class = excluded.result_class, due_on = excluded.due_on`},
	{`INSERT INTO proposal_search (proposal_id, committee_id, tokens, text_hash, updated_at) VALUES `,
		` ON CONFLICT (proposal_id) DO UPDATE SET tokens = excluded.tokens, text_hash = excluded.text_hash, updated_at = excluded.updated_at`},
}

// multiWriter buffers rows per bulk table and writes them bulkChunk at a time.
type multiWriter struct {
	ctx  context.Context
	tx   *sql.Tx
	e    db.Engine
	rows [3][][]any
}

func (m *multiWriter) add(table int, vals ...any) { m.rows[table] = append(m.rows[table], vals) }

// flush writes every buffered row, tables in order (facts before unit facts).
func (m *multiWriter) flush() error {
	for t, rows := range m.rows {
		for len(rows) > 0 {
			n := min(len(rows), bulkChunk)
			if err := m.write(t, rows[:n]); err != nil {
				return err
			}
			rows = rows[n:]
		}
		m.rows[t] = nil
	}
	return nil
}

// write inserts rows in one statement. SQLite gets ? placeholders: modernc's
// sqlite binds numbered $n parameters in time quadratic in their count.
func (m *multiWriter) write(t int, rows [][]any) error {
	var q strings.Builder
	q.WriteString(bulkTables[t].head)
	args := make([]any, 0, len(rows)*len(rows[0]))
	for i, r := range rows {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteByte('(')
		for j, v := range r {
			if j > 0 {
				q.WriteByte(',')
			}
			args = append(args, v)
			if m.e == db.SQLite {
				q.WriteByte('?')
			} else {
				fmt.Fprintf(&q, "$%d", len(args))
			}
		}
		q.WriteByte(')')
	}
	q.WriteString(bulkTables[t].conflict)
	_, err := m.tx.ExecContext(m.ctx, q.String(), args...)
	return err
}
