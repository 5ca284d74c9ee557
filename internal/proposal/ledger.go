package proposal

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Texts a ledger row leaves out: a ledger carries dates and results, not the
// proposal's or the reply's full text, which stay on paper. The import fills
// them with these notes (the export writes them back, so a round trip keeps them).
const (
	LedgerNoText   = "（台账补录，原文见纸质提案）"
	LedgerNoLetter = "（台账补录，答复函见纸质档案）"
	ledgerComment  = "（台账补录）"
)

// LedgerResult summarises a ledger import.
type LedgerResult struct {
	Rows      int `json:"rows"`      // data rows read
	Created   int `json:"created"`   // proposals entered with their history
	Unchanged int `json:"unchanged"` // rows whose number the session already has (a repeated import)
}

// ledgerRefs are the committee's records a ledger names, loaded once.
type ledgerRefs struct {
	sessions map[string]*session                 // by number prefix, e.g. 九届二次
	members  map[int64]map[string][]ledgerMember // by term, then name
	units    map[string][]int64                  // active units by name
	taken    map[int64]map[int]string            // registered numbers by session, with their titles
}

type ledgerMember struct {
	id     int64
	sector string
}

// ledgerRow is one validated row.
type ledgerRow struct {
	cells  *ledgerCells
	number string
	h      History
}

// ImportLedger reads a ledger workbook (see LedgerTemplate) and enters every
// proposal in it with its whole history through Backfill, in one transaction:
// every row and cell is checked (unknown people and units, impossible dates or
// order, duplicate numbers), and nothing is written unless every row is valid.
// Errors name the row and the file's column heading. A row whose number its
// session already has is left alone, so importing the same file again changes
// nothing.
func (s *Service) ImportLedger(ctx context.Context, actor *auth.Actor, file io.Reader) (LedgerResult, error) {
	var res LedgerResult
	if err := canBackfill(actor); err != nil {
		return res, err
	}
	rows, err := readLedger(file)
	if err != nil {
		return res, err
	}
	idx, names, err := ledgerHeader(rows[0])
	if err != nil {
		return res, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// One batch for the whole file: the audit chain's head is written once,
		// not twice for each of the thousands of entries the rows make.
		return audit.Batched(withImportCache(ctx), tx, func(ctx context.Context) error {
			return s.importLedgerRows(ctx, tx, actor, rows, idx, names, &res)
		})
	})
	if err != nil {
		return LedgerResult{}, err
	}
	return res, nil
}

// importLedgerRows checks and enters the rows inside the import's transaction.
func (s *Service) importLedgerRows(ctx context.Context, tx *sql.Tx, actor *auth.Actor, rows [][]string, idx map[string]int, names map[string]string, res *LedgerResult) error {
	refs, err := loadLedgerRefs(ctx, tx, actor.CommitteeID)
	if err != nil {
		return err
	}
	// Every row is checked, cells first, then (rows whose cells are all
	// valid) the workflow, so one refusal lists every problem of the file.
	plan, errs := planLedger(rows, idx, names, refs)
	res.Rows = len(plan) + countFailedRows(errs)
	for _, row := range plan {
		if title, ok := refs.taken[row.h.SessionID][row.h.Registered.Seq]; ok {
			if title != row.h.Title { // the number belongs to another proposal: not a repeated import
				row.cells.fail("number", "err.proposal.ledger.number_other", map[string]any{"Title": title})
				errs = append(errs, row.cells.errs...)
				row.cells.errs = nil
				continue
			}
			res.Unchanged++
			continue
		}
		if err := s.backfillRow(ctx, tx, actor, row); err != nil {
			if e := apperr.As(err); e != nil && e.Code != apperr.Internal {
				errs = append(errs, rowErrors(row, e)...)
				continue
			}
			return fmt.Errorf("ledger row %d: %w", row.cells.num, err)
		}
		res.Created++
	}
	if len(errs) > 0 {
		return ledgerErrors(errs)
	}
	if res.Created == 0 { // a repeated import: nothing changed, nothing to record
		return nil
	}
	return audit.Record(ctx, tx, actor, actor.CommitteeID, "proposal.ledger_import", "proposal_ledger", actor.CommitteeID, nil, *res)
}

// backfillRow enters one row inside a savepoint, so a row the workflow
// refuses leaves nothing behind while the next rows are still checked.
func (s *Service) backfillRow(ctx context.Context, tx *sql.Tx, actor *auth.Actor, row ledgerRow) error {
	err := audit.Savepoint(ctx, tx, "ledger_row", func() error {
		if _, err := s.backfill(ctx, tx, actor, row.h); err != nil {
			return err
		}
		return flushEvents(ctx, tx)
	})
	if err != nil {
		dropEvents(ctx)
	}
	return err
}

func countFailedRows(errs []apperr.FieldError) int {
	seen := map[int]bool{}
	for _, e := range errs {
		seen[e.Row] = true
	}
	return len(seen)
}

// ledgerErrors is the import's refusal: every error, by row then column, the
// first of each cell only (a bad theme is not also reported as incomplete content).
func ledgerErrors(errs []apperr.FieldError) error {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Row < errs[j].Row })
	seen := map[string]bool{}
	errs = slices.DeleteFunc(errs, func(e apperr.FieldError) bool {
		k := fmt.Sprint(e.Row, "\x00", e.Field)
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	})
	e := apperr.Fields(errs...)
	e.Key = "err.proposal.ledger.invalid"
	e.Args = map[string]any{"Count": len(errs)}
	return e
}

// rowErrors reports a history's refusal on the row's columns.
func rowErrors(row ledgerRow, e *apperr.Error) []apperr.FieldError {
	if len(e.Fields) == 0 {
		row.cells.fail("number", e.Key, e.Args)
	}
	for _, fe := range e.Fields {
		if step, ok := fe.Args["Step"].(string); ok && fe.Key == "err.proposal.backfill.before" {
			fe.Args["Step"] = row.cells.heading(ledgerColumnOf(step, ""))
		}
		row.cells.fail(ledgerColumnOf(fe.Field, fe.Key), fe.Key, fe.Args)
	}
	out := row.cells.errs
	row.cells.errs = nil
	return out
}

// ledgerColumnOf maps a History field (as Backfill names it) onto the column holding it.
func ledgerColumnOf(field, key string) string {
	if key == "err.proposal.due_out_of_range" {
		return "due_on"
	}
	prefixes := []struct{ prefix, col string }{
		{"co_signers", "co_signers"}, {"co_signed_on", "co_signed_on"}, {"first_proposer", "first_proposer"},
		{"submitted_on", "submitted_on"}, {"registered.seq", "number"}, {"registered", "registered_on"}, {"number", "number"},
		{"assigned.accepted_on", "accepted_on"}, {"assigned.units", "units"}, {"assigned", "assigned_on"},
		{"contacts", "contact_on"}, {"evaluations", "evaluated_on"}, {"closed_on", "closed_on"},
	}
	if field == "replies" && key == "" { // "after the replies": their approval
		return "approved_on"
	}
	if strings.HasPrefix(field, "replies") {
		switch {
		case strings.HasSuffix(field, ".approved_on"):
			return "approved_on"
		case strings.HasSuffix(field, ".unit"):
			return "units"
		case key == "err.proposal.bad_choice":
			return "reply_class"
		}
		return "replied_on"
	}
	if strings.HasPrefix(field, "contacts") && strings.HasSuffix(field, ".unit") {
		return "units"
	}
	for _, p := range prefixes {
		if strings.HasPrefix(field, p.prefix) {
			return p.col
		}
	}
	return "number"
}

// loadLedgerRefs loads the sessions, members, units and registered numbers of a committee.
func loadLedgerRefs(ctx context.Context, q db.Querier, committeeID int64) (*ledgerRefs, error) {
	refs := &ledgerRefs{sessions: map[string]*session{}, members: map[int64]map[string][]ledgerMember{},
		units: map[string][]int64{}, taken: map[int64]map[int]string{}}
	ss, err := db.Query(ctx, q, func(sc db.Scanner) (*session, error) {
		var s session
		return &s, sc.Scan(&s.ID, &s.TermID, &s.TermNumber, &s.Number, &s.Year, &s.SubmitFrom, &s.SubmitTo)
	}, `SELECT s.id, s.term_id, t.number, s.number, s.year, s.submit_from, s.submit_to
		FROM plenary_sessions s JOIN terms t ON t.id = s.term_id WHERE s.committee_id = $1`, committeeID)
	if err != nil {
		return nil, err
	}
	for _, s := range ss {
		refs.sessions[numberPrefix(s.TermNumber, s.Number)] = s
	}
	rows, err := q.QueryContext(ctx, `SELECT m.id, m.term_id, pe.name, COALESCE(se.name, '') FROM memberships m
		JOIN people pe ON pe.id = m.person_id LEFT JOIN sectors se ON se.id = m.sector_id
		WHERE m.committee_id = $1 AND m.status = 'active'`, committeeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m ledgerMember
		var term int64
		var name string
		if err := rows.Scan(&m.id, &term, &name, &m.sector); err != nil {
			return nil, err
		}
		if refs.members[term] == nil {
			refs.members[term] = map[string][]ledgerMember{}
		}
		refs.members[term][name] = append(refs.members[term][name], m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	us, err := db.Query(ctx, q, func(sc db.Scanner) (struct {
		id   int64
		name string
	}, error) {
		var u struct {
			id   int64
			name string
		}
		return u, sc.Scan(&u.id, &u.name)
	}, `SELECT id, name FROM units WHERE committee_id = $1 AND active`, committeeID)
	if err != nil {
		return nil, err
	}
	for _, u := range us {
		refs.units[u.name] = append(refs.units[u.name], u.id)
	}
	type numbered struct {
		session int64
		seq     int
		title   string
	}
	taken, err := db.Query(ctx, q, func(sc db.Scanner) (numbered, error) {
		var v numbered
		return v, sc.Scan(&v.session, &v.seq, &v.title)
	}, `SELECT session_id, seq, title FROM proposals WHERE committee_id = $1 AND seq IS NOT NULL`, committeeID)
	if err != nil {
		return nil, err
	}
	for _, t := range taken {
		if refs.taken[t.session] == nil {
			refs.taken[t.session] = map[int]string{}
		}
		refs.taken[t.session][t.seq] = t.title
	}
	return refs, nil
}

// numberPrefix is the session part of a display number: 九届二次.
func numberPrefix(term, session int) string {
	return fmt.Sprintf("%s届%s次", chineseNumeral(term), chineseNumeral(session))
}

// planLedger checks every row and cell and builds the histories.
func planLedger(rows [][]string, idx map[string]int, names map[string]string, refs *ledgerRefs) ([]ledgerRow, []apperr.FieldError) {
	var plan []ledgerRow
	var errs []apperr.FieldError
	seen := map[string]int{}
	for i := 1; i < len(rows); i++ {
		c := &ledgerCells{num: i + 1, cells: rows[i], idx: idx, names: names}
		if c.blank() {
			continue
		}
		row := ledgerRow{cells: c}
		row.h = c.history(refs)
		row.number = c.get("number")
		if first, dup := seen[row.number]; dup && row.number != "" {
			c.fail("number", "err.proposal.ledger.duplicate_number", map[string]any{"Row": first})
		} else {
			seen[row.number] = c.num
		}
		if len(c.errs) > 0 {
			errs = append(errs, c.errs...)
			c.errs = nil
			continue
		}
		plan = append(plan, row)
	}
	return plan, errs
}

// history reads the row into a History, recording every cell's error.
func (c *ledgerCells) history(refs *ledgerRefs) History {
	var h History
	ss, seq := c.number(refs)
	theme := c.choice("theme", "proposal.theme.", themeCodes())
	if c.get("theme") == "" {
		c.required("theme")
	}
	h.Content = Content{Theme: Theme(theme), Title: c.required("title"), Kind: Individual,
		Matter: orText(c.get("matter"), LedgerNoText), Analysis: orText(c.get("analysis"), LedgerNoText),
		Suggestions: orText(c.get("suggestions"), LedgerNoText)}
	first := c.get("first_proposer")
	h.SubmittedOn = c.date("submitted_on")
	if h.SubmittedOn.IsZero() {
		c.required("submitted_on")
	}
	if ss != nil {
		h.SessionID = ss.ID
		h.FirstProposer = c.member(refs, ss.TermID, "first_proposer", first)
		if sector := c.get("sector"); sector != "" && h.FirstProposer != 0 {
			if m := refs.members[ss.TermID][first][0]; m.sector != sector {
				c.fail("sector", "err.proposal.ledger.sector_differs", map[string]any{"Sector": m.sector})
			}
		}
		for _, n := range splitNames(c.get("co_signers")) {
			h.CoSigners = append(h.CoSigners, c.member(refs, ss.TermID, "co_signers", n))
		}
		if cat := c.choice("category", "proposal.category.", []string{string(Plenary), string(Regular)}); cat != "" && !h.SubmittedOn.IsZero() {
			if want := categoryOn(ss, h.SubmittedOn); string(want) != cat {
				c.fail("category", "err.proposal.ledger.category_differs")
			}
		}
	} else if first == "" {
		c.required("first_proposer")
	}
	if len(h.CoSigners) > 0 {
		h.Kind, h.CoSignedOn = Joint, c.date("co_signed_on")
	}
	for _, fe := range h.Content.validate(true) {
		c.fail(contentColumn(fe.Field), fe.Key, fe.Args)
	}
	h.Registered = &Registration{On: c.date("registered_on"), Seq: seq}
	if h.Registered.On.IsZero() {
		c.required("registered_on")
	}
	c.handling(refs, &h)
	return h
}

// number reads the display number (九届二次-015) into its session and sequence.
func (c *ledgerCells) number(refs *ledgerRefs) (*session, int) {
	v := c.required("number")
	if v == "" {
		return nil, 0
	}
	i := strings.LastIndexAny(v, "-－—")
	if i < 0 {
		c.fail("number", "err.proposal.ledger.bad_number")
		return nil, 0
	}
	_, size := utf8.DecodeRuneInString(v[i:])
	seq, err := strconv.Atoi(strings.TrimSpace(v[i+size:]))
	if err != nil || seq < 1 {
		c.fail("number", "err.proposal.ledger.bad_number")
		return nil, 0
	}
	ss := refs.sessions[strings.TrimSpace(v[:i])]
	if ss == nil {
		c.fail("number", "err.proposal.ledger.unknown_session", map[string]any{"Session": strings.TrimSpace(v[:i])})
		return nil, 0
	}
	return ss, seq
}

// member resolves a member's name in the session's term.
func (c *ledgerCells) member(refs *ledgerRefs, termID int64, key, name string) int64 {
	if name == "" {
		c.fail(key, "err.required")
		return 0
	}
	ms := refs.members[termID][name]
	switch len(ms) {
	case 0:
		c.fail(key, "err.proposal.ledger.unknown_member", map[string]any{"Name": name})
		return 0
	case 1:
		return ms[0].id
	}
	c.fail(key, "err.proposal.ledger.ambiguous_member", map[string]any{"Name": name})
	return 0
}

// handling reads the assignment, contact, reply, evaluation and closing cells.
func (c *ledgerCells) handling(refs *ledgerRefs, h *History) {
	assigned := c.date("assigned_on")
	var units []int64
	for _, n := range splitNames(c.get("units")) {
		switch ids := refs.units[n]; len(ids) {
		case 0:
			c.fail("units", "err.proposal.ledger.unknown_unit", map[string]any{"Name": n})
		case 1:
			units = append(units, ids[0])
		default:
			c.fail("units", "err.proposal.ledger.ambiguous_unit", map[string]any{"Name": n})
		}
	}
	mode := Mode(c.choice("mode", "proposal.mode.", []string{string(Single), string(JointMode), string(Separate)}))
	if mode == "" && len(units) == 1 {
		mode = Single
	}
	if !assigned.IsZero() {
		if c.get("units") == "" {
			c.required("units")
		}
		if mode == "" && c.get("mode") == "" {
			c.required("mode")
		}
		h.Assigned = &HistoryAssignment{On: assigned, Mode: mode, Units: units, DueOn: c.date("due_on"), AcceptedOn: c.date("accepted_on")}
	} else if len(units) > 0 {
		c.required("assigned_on")
	} else if c.get("contact_on") != "" || c.get("replied_on") != "" {
		c.fail("assigned_on", "err.proposal.backfill.not_assigned")
	}
	replying := units
	if mode == JointMode && len(units) > 0 {
		replying = units[:1]
	}
	if on := c.date("contact_on"); !on.IsZero() {
		method := ContactMethod(c.choice("contact_method", "proposal.method.", methodCodes()))
		if method == "" {
			method = ByFace
		}
		for _, u := range replying {
			h.Contacts = append(h.Contacts, HistoryContact{Unit: u, ContactInput: ContactInput{On: on, Method: method,
				People: c.get("first_proposer")}})
		}
	}
	if on := c.date("replied_on"); !on.IsZero() {
		class := c.required("reply_class")
		for _, u := range replying {
			h.Replies = append(h.Replies, HistoryReply{Unit: u, On: on, Class: class,
				Letter: orText(c.get("reply_letter"), LedgerNoLetter), ApprovedOn: c.date("approved_on")})
		}
	}
	if ev := Rating(c.choice("evaluation", "proposal.rating.", []string{string(Satisfied), string(Basic), string(Dissatisfied)})); ev != "" {
		on := c.date("evaluated_on")
		if on.IsZero() {
			c.required("evaluated_on")
		}
		contact := NotVisited
		if len(h.Contacts) > 0 {
			contact = Visited
		}
		addressed := map[Rating]Addressed{Satisfied: Targeted, Basic: BasicTargeted, Dissatisfied: NotTargeted}[ev]
		in := EvaluationInput{Overall: ev, Contact: contact, Attitude: ev, Addressed: addressed}
		if ev == Dissatisfied {
			in.Comment = ledgerComment
		}
		h.Evaluations = []HistoryEvaluation{{Signer: h.FirstProposer, On: on, EvaluationInput: in}}
	}
	h.ClosedOn = c.date("closed_on")
}

func orText(v, none string) string {
	if v == "" {
		return none
	}
	return v
}

func themeCodes() []string {
	out := make([]string, len(Themes))
	for i, t := range Themes {
		out[i] = string(t)
	}
	return out
}

func methodCodes() []string {
	out := make([]string, len(ContactMethods))
	for i, m := range ContactMethods {
		out[i] = string(m)
	}
	return out
}

// contentColumn maps Content's field names onto the ledger's columns.
func contentColumn(field string) string {
	if slices.Contains([]string{"title", "theme", "matter", "analysis", "suggestions", "co_signers"}, field) {
		return field
	}
	return "title"
}

// ledgerDate is a civil date for the sheet (zero: an empty cell).
func ledgerDate(d civil.Date) any {
	if d.IsZero() {
		return nil
	}
	return d
}
