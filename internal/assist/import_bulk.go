package assist

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/org"
)

// The import's writer of new households: what saveHousehold does for one
// household (the same validation, sealing and rows), for many at once — ids
// reserved up front (a member's ID number is sealed to its row's id), then
// multi-row INSERTs through prepared statements, and one audit entry per
// batch naming the households it created. All inside the import's one
// transaction, so a failure still writes nothing. Changed households keep
// the one-by-one path (saveHousehold), each audited with before and after.

// importBatch is how many new households one batch writes.
var importBatch = 1000

// maxBindVars keeps a statement below SQLite's limit of bound parameters (32,766).
const maxBindVars = 30000

var (
	householdInsertCols = []string{"id", "committee_id", "registry_id", "village_id", "head_name", "attribute", "cause_main",
		"cause_other1", "cause_other2", "income_fen", "housing", "status", "lifted_year", "gov_helper", "created_at", "updated_at"}
	memberInsertCols = []string{"id", "committee_id", "household_id", "name", "gender", "id_number_enc", "id_number_hash", "id_masked",
		"relation", "health", "labour", "schooling", "phone_enc", "sort", "created_at"}
)

// bulkWriter holds an import's prepared statements and id counters.
type bulkWriter struct {
	s     *Service
	tx    *sql.Tx
	actor *auth.Actor
	stmts map[string]*sql.Stmt
	last  map[string]int64 // SQLite: the last id reserved per table
}

// importCacheKiB is SQLite's page cache for an import's connection: the
// default 2 MB spills the transaction's pages to the log long before it
// commits (random ID-number hashes touch the whole unique index).
const importCacheKiB = 131072

func (s *Service) newBulkWriter(ctx context.Context, tx *sql.Tx, actor *auth.Actor) (*bulkWriter, error) {
	w := &bulkWriter{s: s, tx: tx, actor: actor, stmts: map[string]*sql.Stmt{}, last: map[string]int64{}}
	if s.DB.Engine == db.SQLite {
		if _, err := tx.ExecContext(ctx, `PRAGMA cache_size = -`+strconv.Itoa(importCacheKiB)); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// close drops the statements and gives the connection its usual cache back.
func (w *bulkWriter) close(ctx context.Context) {
	for _, st := range w.stmts {
		_ = st.Close()
	}
	if w.s.DB.Engine == db.SQLite {
		_, _ = w.tx.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -2000`)
	}
}

// create writes a batch of new households (validated by the plan) with their members.
func (w *bulkWriter) create(ctx context.Context, batch []*plannedHousehold) error {
	nm := 0
	for _, ph := range batch {
		if fe := append(ph.in.validate(), w.s.memberProblems(ph.in.Members)...); len(fe) > 0 {
			return rowError(apperr.Fields(fe...), ph.row)
		}
		nm += len(ph.in.Members)
	}
	hids, err := w.reserve(ctx, "assist_households", len(batch))
	if err != nil {
		return err
	}
	mids, err := w.reserve(ctx, "assist_household_members", nm)
	if err != nil {
		return err
	}
	cid, now := w.actor.CommitteeID, db.Now()
	hrows := make([][]any, 0, len(batch))
	mrows := make([][]any, 0, nm)
	created := make([]map[string]any, 0, len(batch))
	k := 0
	for i, ph := range batch {
		in := &ph.in
		o1, o2 := "", ""
		if len(in.CauseOthers) > 0 {
			o1 = in.CauseOthers[0]
		}
		if len(in.CauseOthers) > 1 {
			o2 = in.CauseOthers[1]
		}
		hrows = append(hrows, []any{hids[i], cid, in.RegistryID, in.VillageID, in.HeadName, in.Attribute, in.CauseMain, o1, o2,
			in.IncomeFen, in.Housing, in.Status, in.LiftedYear, in.GovHelper, now, now})
		for j, m := range in.Members {
			row, err := w.memberRow(mids[k], cid, hids[i], j, m, now)
			if err != nil {
				return err
			}
			mrows = append(mrows, row)
			k++
		}
		created = append(created, map[string]any{"id": hids[i], "registry_id": in.RegistryID, "members": len(in.Members)})
	}
	if err := w.insert(ctx, "assist_households", householdInsertCols, hrows); err != nil {
		return err
	}
	if err := w.insert(ctx, "assist_household_members", memberInsertCols, mrows); err != nil {
		return err
	}
	return audit.Record(ctx, w.tx, w.actor, cid, "import_create", "assist_household", 0, nil, map[string]any{"households": created})
}

// memberRow is a member's row with its ID number and phone sealed to the row's id.
func (w *bulkWriter) memberRow(id, cid, hid int64, sort int, m MemberInput, now any) ([]any, error) {
	idEnc, phoneEnc, err := w.s.seal(m, id)
	if err != nil {
		return nil, err
	}
	var hash any
	if m.IDNumber != "" {
		h, err := w.s.Secret.Hash(m.IDNumber)
		if err != nil {
			return nil, err
		}
		hash = h
	}
	return []any{id, cid, hid, m.Name, m.Gender, nilBytes(idEnc), hash, org.MaskIDNumber(m.IDNumber), m.Relation, m.Health, m.Labour,
		m.Schooling, nilBytes(phoneEnc), sort, now}, nil
}

// nilBytes stores an absent ciphertext as NULL.
func nilBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

// reserve returns n new ids of table: on PostgreSQL from its identity
// sequence; on SQLite past the largest id (the import's transaction holds
// the database's write lock from its start, so no one else takes them).
func (w *bulkWriter) reserve(ctx context.Context, table string, n int) ([]int64, error) {
	out := make([]int64, 0, n)
	if n == 0 {
		return out, nil
	}
	if w.s.DB.Engine == db.Postgres {
		ids, err := db.Column[int64](ctx, w.tx, `SELECT nextval(pg_get_serial_sequence('`+table+`', 'id')) FROM generate_series(1, $1)`, n)
		return ids, err
	}
	last, ok := w.last[table]
	if !ok {
		if err := w.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&last); err != nil {
			return nil, err
		}
	}
	for i := range n {
		out = append(out, last+int64(i)+1)
	}
	w.last[table] = last + int64(n)
	return out, nil
}

// insert writes rows with multi-row INSERTs, a prepared statement for each
// full chunk size. SQLite gets "?" placeholders: modernc.org/sqlite binds
// numbered ones in time quadratic in their count (see internal/gen).
func (w *bulkWriter) insert(ctx context.Context, table string, cols []string, rows [][]any) error {
	per := min(maxBindVars/len(cols), 1000)
	args := make([]any, 0, per*len(cols))
	for start := 0; start < len(rows); start += per {
		end := min(start+per, len(rows))
		args = args[:0]
		for _, r := range rows[start:end] {
			args = append(args, r...)
		}
		key := table + "/" + strconv.Itoa(end-start)
		st := w.stmts[key]
		if st == nil {
			var err error
			if st, err = w.tx.PrepareContext(ctx, w.insertSQL(table, cols, end-start)); err != nil {
				return err
			}
			w.stmts[key] = st
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}

func (w *bulkWriter) insertSQL(table string, cols []string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	n := 0
	for i := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for j := range cols {
			if j > 0 {
				b.WriteByte(',')
			}
			n++
			if w.s.DB.Engine == db.Postgres {
				b.WriteString("$" + strconv.Itoa(n))
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}
