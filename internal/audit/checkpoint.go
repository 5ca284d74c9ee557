package audit

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"lvzhi/internal/db"
)

// EnvCheckpoints names the environment variable holding the checkpoint file.
const EnvCheckpoints = "LVZHI_AUDIT_CHECKPOINTS"

// Mark is one checkpoint line: where a committee's chain ended at a moment.
// Checkpoints are appended to a file kept outside the database (with the
// backups, or shipped to a log the operator keeps), so one who can write the
// database cannot also rewind what it recorded: deleting entries from the
// end of a chain, or a whole chain, is found by comparing against them.
type Mark struct {
	At          time.Time `json:"at"`
	CommitteeID int64     `json:"committee_id"`
	Seq         int64     `json:"seq"`
	Hash        string    `json:"hash"`
}

// Heads returns a mark for the head of every chain now.
func Heads(ctx context.Context, q db.Querier) ([]Mark, error) {
	hs, err := loadHeads(ctx, q)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	out := make([]Mark, 0, len(hs))
	for _, h := range hs {
		if h.seq > 0 {
			out = append(out, Mark{At: now, CommitteeID: h.committeeID, Seq: h.seq, Hash: h.hash})
		}
	}
	return out, nil
}

// AppendCheckpoint appends the current heads to the file at path (created
// with mode 0600) and returns them.
func AppendCheckpoint(ctx context.Context, q db.Querier, path string) ([]Mark, error) {
	marks, err := Heads(ctx, q)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	enc := json.NewEncoder(f)
	for _, m := range marks {
		if err := enc.Encode(m); err != nil {
			f.Close()
			return nil, err
		}
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return marks, f.Close()
}

// ReadCheckpoints reads a checkpoint file and returns, per committee, its
// last mark (the furthest point its chain is known to have reached).
func ReadCheckpoints(r io.Reader) (map[int64]Mark, error) {
	out := map[int64]Mark{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var m Mark
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			return nil, fmt.Errorf("checkpoint line %d: %w", line, err)
		}
		if prev, ok := out[m.CommitteeID]; !ok || m.Seq >= prev.Seq {
			out[m.CommitteeID] = m
		}
	}
	return out, sc.Err()
}

// CheckMarks compares the chains with the last checkpoint of each: the entry
// a checkpoint recorded must still be there with the same hash.
func CheckMarks(ctx context.Context, q db.Querier, marks map[int64]Mark) ([]Problem, error) {
	var problems []Problem
	for _, m := range marks {
		var hash string
		err := q.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE committee_id = $1 AND seq = $2`, m.CommitteeID, m.Seq).Scan(&hash)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			problems = append(problems, Problem{m.CommitteeID, m.Seq, fmt.Sprintf(
				"the checkpoint of %s recorded the chain up to this entry, which is gone (entries or the whole chain deleted)",
				m.At.UTC().Format(time.RFC3339))})
		case err != nil:
			return nil, err
		case hash != m.Hash:
			problems = append(problems, Problem{m.CommitteeID, m.Seq, fmt.Sprintf(
				"differs from the checkpoint of %s (the chain was rewritten)", m.At.UTC().Format(time.RFC3339))})
		}
	}
	return problems, nil
}

// Unchained finds committees that hold records but have no audit chain: every
// record is written with an audit entry, so a missing chain was deleted.
func Unchained(ctx context.Context, q db.Querier) ([]Problem, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id FROM committees c
		WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.committee_id = c.id)
		AND (EXISTS (SELECT 1 FROM users x WHERE x.committee_id = c.id)
			OR EXISTS (SELECT 1 FROM people x WHERE x.committee_id = c.id)
			OR EXISTS (SELECT 1 FROM units x WHERE x.committee_id = c.id)
			OR EXISTS (SELECT 1 FROM proposals x WHERE x.committee_id = c.id))
		ORDER BY c.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Problem
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, Problem{id, 0, "holds records but has no audit chain (deleted?)"})
	}
	return out, rows.Err()
}

// VerifyAll is what `lvzhi audit verify` checks: every chain (Verify), a chain
// for every committee with records (Unchained), and every chain against its
// last checkpoint (CheckMarks; nil marks skips this).
func VerifyAll(ctx context.Context, q db.Querier, marks map[int64]Mark) (int64, []Problem, error) {
	n, problems, err := Verify(ctx, q)
	if err != nil {
		return n, problems, err
	}
	more, err := Unchained(ctx, q)
	if err != nil {
		return n, problems, err
	}
	problems = append(problems, more...)
	more, err = CheckMarks(ctx, q, marks)
	return n, append(problems, more...), err
}
