package assist

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/changes"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// The ledger import brings in the assistance the office recorded on paper
// and in spreadsheets before the platform: one row per record, with its real
// date and amounts. Every imported record is marked imported and counts only
// once an officer verifies it.

var ledgerColumns = []importColumn{
	{"given_on", true}, {"kind", true}, {"registry_id", false}, {"members", true}, {"amount", false}, {"goods_items", false},
	{"goods_value", false}, {"info_count", false}, {"sessions", false}, {"readings", false}, {"students", false}, {"jobs", false},
	{"description", false},
}

// LedgerResult summarises a ledger import.
type LedgerResult struct {
	Rows    int `json:"rows"`
	Records int `json:"records"`
}

// ImportLedger reads the office's ledger of past assistance (see
// LedgerTemplate). Every row is checked — the date (a real day, not in the
// future), the kind, the household's registry id, each member's name (a
// serving member, not ambiguous), the numbers, what the kind requires, and
// rows repeated within the file — and every problem returned with its row
// and column; nothing is written unless all are valid. The records are
// written in one transaction, each audited ("import") and marked imported,
// unverified.
func (s *Service) ImportLedger(ctx context.Context, actor *auth.Actor, file io.Reader) (LedgerResult, error) {
	var res LedgerResult
	if _, err := auth.CheckScope(ctx, s.DB, actor, PermImport, actor.CommitteeID); err != nil {
		return res, err
	}
	rows, err := readRows(file, ledgerColumns, "assist.lcol.", MaxLedgerRows)
	if err != nil {
		return res, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		plan, err := s.planLedger(ctx, tx, actor.CommitteeID, rows)
		if err != nil {
			return err
		}
		for _, in := range plan {
			id, err := insertRecord(ctx, tx, actor, actor.CommitteeID, in, true)
			if err != nil {
				return err
			}
			r, err := loadRecord(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, actor, actor.CommitteeID, "import", "assist_record", id, nil, r); err != nil {
				return err
			}
			if err := changes.Mark(ctx, tx, actor.CommitteeID, "assist_record", id); err != nil {
				return err
			}
		}
		res = LedgerResult{Rows: len(plan), Records: len(plan)}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "import_ledger", "assist_record", 0, nil, res)
	})
	if err != nil {
		return LedgerResult{}, err
	}
	return res, nil
}

func (s *Service) planLedger(ctx context.Context, q db.Querier, cid int64, data []importRow) ([]RecordInput, error) {
	households, err := storedHouseholds(ctx, q, cid)
	if err != nil {
		return nil, err
	}
	members, err := servingByName(ctx, q, cid)
	if err != nil {
		return nil, err
	}
	var fe []apperr.FieldError
	bad := func(r importRow, key, msg string, args ...map[string]any) {
		e := apperr.Field(i18n.T("zh", "assist.lcol."+key), msg, args...)
		e.Row = r.num
		fe = append(fe, e)
	}
	var plan []RecordInput
	seen := map[string]int{}
	for _, r := range data {
		in, ok := s.ledgerRow(r, households, members, bad)
		if !ok {
			continue
		}
		key := fmt.Sprint(in.GivenOn, in.Kind, in.HouseholdID, in.MembershipIDs, in.AmountFen, in.GoodsItems, in.GoodsValueFen, in.InfoCount,
			in.Sessions, in.Readings, in.Students, in.Jobs)
		if other, dup := seen[key]; dup {
			bad(r, "given_on", "err.assist.record_duplicate_file", map[string]any{"Row": other})
			continue
		}
		seen[key] = r.num
		plan = append(plan, in)
	}
	if len(fe) > 0 {
		return nil, apperr.Fields(fe...)
	}
	return plan, nil
}

// ledgerRow reads one row, reporting each bad cell; ok is false when any was bad.
func (s *Service) ledgerRow(r importRow, households map[string]int64, members map[string][]int64,
	bad func(importRow, string, string, ...map[string]any)) (RecordInput, bool) {
	c := r.cells
	before := 0
	count := 0
	report := func(key, msg string, args ...map[string]any) { bad(r, key, msg, args...); count++ }
	for _, col := range ledgerColumns {
		if col.required && c.at(col.key) == "" {
			report(col.key, "err.assist.required")
		}
	}
	var in RecordInput
	if v := c.at("given_on"); v != "" {
		d, err := civil.Parse(strings.NewReplacer("/", "-", ".", "-").Replace(v))
		if err != nil || s.today().Before(d) {
			report("given_on", "err.assist.date")
		}
		in.GivenOn = d
	}
	if v := c.at("kind"); v != "" {
		if in.Kind = codeOf("record", RecordKinds, v); in.Kind == "" {
			report("kind", "err.form.bad_choice")
		}
	}
	if v := c.at("registry_id"); v != "" {
		if in.HouseholdID = households[v]; in.HouseholdID == 0 {
			report("registry_id", "err.assist.household_unknown")
		}
	}
	for _, name := range splitList(c.at("members")) {
		switch ids := members[name]; len(ids) {
		case 0:
			report("members", "err.assist.member_name_unknown", map[string]any{"Name": name})
		case 1:
			if !slices.Contains(in.MembershipIDs, ids[0]) {
				in.MembershipIDs = append(in.MembershipIDs, ids[0])
			}
		default:
			report("members", "err.assist.member_name_ambiguous", map[string]any{"Name": name})
		}
	}
	money := func(key string) int64 {
		if c.at(key) == "" {
			return 0
		}
		fen, ok := ParseYuan(c.at(key))
		if !ok {
			report(key, "err.assist.money")
		}
		return fen
	}
	number := func(key string) int {
		if c.at(key) == "" {
			return 0
		}
		n, err := strconv.Atoi(c.at(key))
		if err != nil || n < 0 || n > 1<<30 {
			report(key, "err.assist.number")
		}
		return n
	}
	in.AmountFen, in.GoodsValueFen = money("amount"), money("goods_value")
	in.GoodsItems, in.InfoCount, in.Sessions = number("goods_items"), number("info_count"), number("sessions")
	in.Readings, in.Students, in.Jobs = number("readings"), number("students"), number("jobs")
	in.Description = c.at("description")
	if count > before {
		return in, false
	}
	if err := in.validate(s.today()); err != nil {
		for _, f := range apperr.As(err).Fields {
			report(ledgerKeyOf(f.Field), f.Key, f.Args)
		}
		return in, false
	}
	return in, true
}

// ledgerKeyOf maps a record field to its ledger column.
func ledgerKeyOf(field string) string {
	switch field {
	case "household":
		return "registry_id"
	case "need", "pledge":
		return "kind"
	}
	return field
}

// servingByName maps serving members' names to their memberships.
func servingByName(ctx context.Context, q db.Querier, cid int64) (map[string][]int64, error) {
	out := map[string][]int64{}
	rows, err := q.QueryContext(ctx, `SELECT p.name, m.id FROM memberships m JOIN people p ON p.id = m.person_id
		WHERE m.committee_id = $1 AND `+servingSQL("m")+` ORDER BY m.id`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var id int64
		if err := rows.Scan(&name, &id); err != nil {
			return nil, err
		}
		out[name] = append(out[name], id)
	}
	return out, rows.Err()
}

// LedgerTemplate returns the ledger import template in lang, with example rows.
func (s *Service) LedgerTemplate(ctx context.Context, actor *auth.Actor, lang string) ([]byte, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, PermImport, actor.CommitteeID); err != nil {
		return nil, err
	}
	sh, err := sheet.New(i18n.T(lang, "assist.sheet.ledger"), templateColumns(lang, "assist.lcol.", ledgerColumns))
	if err != nil {
		return nil, err
	}
	ex := i18n.T(lang, "assist.example")
	for _, r := range [][]any{
		{ex + "2018-06-20", i18n.T(lang, "assist.record.cash"), "5303250010001", "张某、李某", "5000"},
		{ex + "2018-07-02", i18n.T(lang, "assist.record.tech"), "", "王某", "", "", "", "", "1", "200", "", "", "魔芋种植技术培训"},
	} {
		if err := sh.Row(r...); err != nil {
			sh.Close()
			return nil, err
		}
	}
	var buf bytes.Buffer
	if _, err := sh.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
