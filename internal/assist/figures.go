package assist

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/figure"
)

// The 三送三帮 figures in the shared figure contract. Each figure is one
// predicate over one kind of record (a base); its value is COUNT(*) or
// SUM(amount) of exactly the rows its records list, so the records always
// add up to the value. The period filters each base by its own date: an
// assistance record by the day it was given, a need by the day it was
// collected, a pledge by the meeting's day, a site by its opening. Dimension
// "township" narrows every base tied to a household (records, needs,
// households) to that township.

// Area is the area's name in the figure registry.
const Area = "assist"

// base is a kind of record the figures count.
type base struct {
	from    string // FROM … (with the aliases the predicates use)
	date    string // the civil-date column the period filters ("" for none)
	cid     string // the committee column
	visible func(arg func(any) string, a *auth.Actor) string
	town    string   // the township column ("" when the base has none)
	cols    []string // record columns (i18n figures.col.<id>)
	cells   string   // SELECT list of the cells, in cols order
	link    string   // the record's page, with the id appended ("" for none)
	key     string   // the record id
	order   string
	counts  string
}

var (
	recordBase = base{
		from: `assist_records r LEFT JOIN assist_households h ON h.id = r.household_id LEFT JOIN assist_villages v ON v.id = h.village_id`,
		date: "r.given_on", cid: "r.committee_id", visible: recordSQL, town: "v.township",
		cols:  []string{"assist_date", "assist_kind", "assist_household", "assist_township", "assist_members"},
		cells: `r.given_on, r.kind, COALESCE(h.registry_id || ' ' || h.head_name, ''), COALESCE(v.township, ''), ` + recordMembersSQL,
		link:  "/assist/records/", key: "r.id", order: "r.given_on, r.id", counts: "assist_record",
	}
	householdBase = base{
		from: `assist_households h JOIN assist_villages v ON v.id = h.village_id`,
		cid:  "h.committee_id", visible: householdSQL, town: "v.township",
		cols:  []string{"assist_household", "assist_township", "assist_village", "assist_status"},
		cells: `h.registry_id || ' ' || h.head_name, v.township, v.name, h.status`,
		link:  "/assist/households/", key: "h.id", order: "v.township, v.name, h.registry_id", counts: "assist_household",
	}
	needBase = base{
		from: `assist_needs n JOIN assist_households h ON h.id = n.household_id JOIN assist_villages v ON v.id = h.village_id`,
		date: "n.collected_on", cid: "n.committee_id", visible: householdSQL, town: "v.township",
		cols:  []string{"assist_date", "assist_kind", "assist_household", "assist_township", "state"},
		cells: `n.collected_on, n.kind, h.registry_id || ' ' || h.head_name, v.township, n.state`,
		link:  "/assist/needs/", key: "n.id", order: "n.collected_on, n.id", counts: "assist_need",
	}
	memberBase = base{
		from: `memberships m JOIN people p ON p.id = m.person_id LEFT JOIN sectors sc ON sc.id = m.sector_id`,
		cid:  "m.committee_id", visible: readerSQL("m.committee_id"),
		cols: []string{"member", "sector"}, cells: `p.name, COALESCE(sc.name, '')`,
		key: "m.id", order: "m.id", counts: "member",
	}
	pledgeBase = base{
		from: `assist_pledges pl`, date: "pl.pledged_on", cid: "pl.committee_id", visible: readerSQL("pl.committee_id"),
		cols:  []string{"assist_date", "assist_meeting", "assist_members"},
		cells: `pl.pledged_on, pl.meeting, (SELECT COUNT(*) FROM assist_pledge_members pm WHERE pm.pledge_id = pl.id)`,
		key:   "pl.id", order: "pl.pledged_on, pl.id", counts: "assist_pledge",
	}
	pledgeMemberBase = base{
		from: `assist_pledge_members pm JOIN assist_pledges pl ON pl.id = pm.pledge_id JOIN memberships m ON m.id = pm.membership_id
			JOIN people p ON p.id = m.person_id`,
		date: "pl.pledged_on", cid: "pm.committee_id", visible: readerSQL("pm.committee_id"),
		cols: []string{"member", "assist_meeting"}, cells: `p.name, MIN(pl.meeting)`,
		key: "m.id", order: "m.id", counts: "member",
	}
	siteBase = base{
		from: `assist_sites st`, date: "st.opened_on", cid: "st.committee_id", visible: readerSQL("st.committee_id"),
		cols:  []string{"assist_date", "assist_site"},
		cells: `st.opened_on, st.name`, key: "st.id", order: "st.opened_on, st.id", counts: "assist_site",
	}
	projectBase = base{
		from: `assist_site_projects sp JOIN assist_sites st ON st.id = sp.site_id`, date: "st.opened_on", cid: "sp.committee_id",
		visible: readerSQL("sp.committee_id"), cols: []string{"assist_site", "assist_project"}, cells: `st.name, sp.name`,
		key: "sp.id", order: "st.opened_on, sp.id", counts: "assist_project",
	}
)

// recordMembersSQL lists a record's members' names in one cell.
const recordMembersSQL = `COALESCE((SELECT MIN(p.name) FROM assist_record_members rm JOIN memberships m ON m.id = rm.membership_id
	JOIN people p ON p.id = m.person_id WHERE rm.record_id = r.id), '')`

// readerSQL is the visibility of committee-level rows (members, pledges,
// sites): the committee readers of the programme, as auth.CanIn for PermView.
func readerSQL(col string) func(arg func(any) string, a *auth.Actor) string {
	return func(arg func(any) string, a *auth.Actor) string {
		if !auth.Can(a, PermView) {
			return "1 = 0"
		}
		return scopeSQL(arg, a, col)
	}
}

// figureDef is one figure: its contract definition, base, predicate and
// (for Sum figures) the amount summed; group means one record per distinct key.
type figureDef struct {
	figure.Def
	base   base
	pred   string
	amount string
	group  bool // one record per distinct base key (households helped, members)
	// byRecord: the figure counts assistance records (or households by
	// their records), so the record dimensions (kind, campaign, member)
	// narrow it.
	byRecord bool
}

const verified = `r.verified_at IS NOT NULL`

// Figures lists the area's figures, in display order.
var Figures = []figureDef{
	count("assist.records", "assist_totals", "times", recordBase, verified),
	sum("assist.funds", "assist_totals", "fen", recordBase, verified, "r.amount_fen + r.goods_value_fen"),
	distinct("assist.households_helped", "assist_totals", "assist_household", householdBase,
		`h.id IN (SELECT r.household_id FROM assist_records r WHERE `+verified+` AND {records})`),
	sum("assist.cash", "assist_love", "fen", recordBase, verified+` AND r.kind = 'cash'`, "r.amount_fen"),
	count("assist.goods", "assist_love", "times", recordBase, verified+` AND r.kind = 'goods'`),
	sum("assist.goods_value", "assist_love", "fen", recordBase, verified+` AND r.kind = 'goods'`, "r.goods_value_fen"),
	distinct("assist.industry_households", "assist_help", "assist_household", householdBase,
		`h.id IN (SELECT r.household_id FROM assist_records r WHERE `+verified+` AND r.kind = 'industry' AND {records})`),
	sum("assist.students", "assist_help", "person", recordBase, verified+` AND r.kind = 'study'`, "r.students"),
	sum("assist.jobs", "assist_help", "assist_post", recordBase, verified+` AND r.kind = 'job'`, "r.jobs"),
	sum("assist.info", "assist_send", "assist_message", recordBase, verified+` AND r.kind = 'info'`, "r.info_count"),
	sum("assist.readings", "assist_send", "assist_copy", recordBase, verified+` AND r.kind = 'tech'`, "r.readings"),
	count("assist.members", "assist_members", "person", memberBase, servingSQL("m")),
	withDen(count("assist.members_participating", "assist_members", "person", memberBase, servingSQL("m")+
		` AND m.id IN (SELECT rm.membership_id FROM assist_record_members rm JOIN assist_records r ON r.id = rm.record_id WHERE `+
		verified+` AND {period})`), "assist.members"),
	count("assist.households", "assist_registry", "assist_household", householdBase, `1 = 1`),
	count("assist.needs_open", "assist_registry", "item", needBase, `n.state = 'OPEN'`),
	count("assist.needs_met", "assist_registry", "item", needBase, `n.state = 'MET'`),
	distinct("pledges.members", "assist_pledges", "person", pledgeMemberBase, `1 = 1`),
	sum("pledges.amount", "assist_pledges", "fen", pledgeBase, `1 = 1`, "pl.amount_fen"),
	sum("pledges.households", "assist_pledges", "assist_household", pledgeBase, `1 = 1`, "pl.households"),
	sum("pledges.jobs", "assist_pledges", "assist_post", pledgeBase, `1 = 1`, "pl.jobs"),
	sum("pledges.industry_households", "assist_pledges", "assist_household", pledgeBase, `1 = 1`, "pl.industry_households"),
	count("sites.count", "assist_sites", "assist_site", siteBase, `1 = 1`),
	sum("sites.donors", "assist_sites", "person", projectBase, `1 = 1`, "sp.donors"),
	sum("sites.amount", "assist_sites", "fen", projectBase, `1 = 1`, "sp.amount_fen"),
}

func def(id, group, unit string, m figure.Measure, b base) figure.Def {
	return figure.Def{ID: id, Area: Area, Group: group, Counts: b.counts, Measure: m, Unit: unit}
}

func count(id, group, unit string, b base, pred string) figureDef {
	return figureDef{Def: def(id, group, unit, figure.Count, b), base: b, pred: pred, byRecord: byRecord(b, pred)}
}

func sum(id, group, unit string, b base, pred, amount string) figureDef {
	return figureDef{Def: def(id, group, unit, figure.Sum, b), base: b, pred: pred, amount: amount, byRecord: byRecord(b, pred)}
}

// byRecord: figures over assistance records, and those counting households
// by their records ({records}), take the record dimensions.
func byRecord(b base, pred string) bool {
	return b.counts == recordBase.counts || strings.Contains(pred, "{records}")
}

// The record dimensions: kind (a record kind), campaign (a campaign's id:
// records given within its period, as its targets' progress counts them)
// and member (a membership id named on the record).
var recordDims = []string{"kind", "campaign", "member"}

func distinct(id, group, unit string, b base, pred string) figureDef {
	fd := count(id, group, unit, b, pred)
	fd.group = true
	return fd
}

func withDen(fd figureDef, den string) figureDef {
	fd.Den = den
	return fd
}

func lookup(id string) (figureDef, bool) {
	for _, f := range Figures {
		if f.ID == id {
			return f, true
		}
	}
	return figureDef{}, false
}

// Source returns the area's figures as a figure.Source.
func (s *Service) Source() figure.Source { return source{s} }

type source struct{ s *Service }

func (source) Area() string { return Area }

func (source) Lookup(id string) (figure.Def, bool) {
	f, ok := lookup(id)
	return f.Def, ok
}

// where builds the figure's WHERE: committee (or subtree), visibility,
// period on the base's date (and on the records a {period} or {records}
// subquery reads), township, the record dimensions, and the predicate.
func (fd figureDef) where(a *db.Args, actor *auth.Actor, f figure.Filter, path string) string {
	b := fd.base
	conds := []string{b.visible(a.Add, actor)}
	if f.Subtree {
		conds = append(conds, b.cid+` IN (SELECT c.id FROM committees c WHERE c.path LIKE `+a.Add(db.EscapeLike(path)+"%")+` ESCAPE '\')`)
	} else {
		conds = append(conds, b.cid+` = `+a.Add(f.CommitteeID))
	}
	pred := fd.pred
	switch {
	case strings.Contains(pred, "{records}"):
		pred = strings.ReplaceAll(pred, "{records}", strings.Join(recordConds(a, f), " AND "))
	case strings.Contains(pred, "{period}"):
		pred = strings.ReplaceAll(pred, "{period}", periodSQL(a, "r.given_on", f))
	case fd.byRecord:
		conds = append(conds, recordConds(a, f)...)
	case b.date != "":
		conds = append(conds, periodSQL(a, b.date, f))
	}
	if t := f.Dim("township"); t != "" && b.town != "" {
		conds = append(conds, b.town+` = `+a.Add(t))
	}
	return strings.Join(append(conds, pred), " AND ")
}

// recordConds narrows assistance records (alias r) to the period and the
// record dimensions of the filter (checked by check).
func recordConds(a *db.Args, f figure.Filter) []string {
	c := []string{periodSQL(a, "r.given_on", f)}
	if k := f.Dim("kind"); k != "" {
		c = append(c, `r.kind = `+a.Add(k))
	}
	if v := f.Dim("campaign"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		p := a.Add(id)
		c = append(c, `EXISTS (SELECT 1 FROM assist_campaigns cp WHERE cp.id = `+p+` AND cp.committee_id = r.committee_id
			AND r.given_on >= cp.starts_on AND r.given_on <= cp.ends_on)`)
	}
	if v := f.Dim("member"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		c = append(c, `EXISTS (SELECT 1 FROM assist_record_members rmd WHERE rmd.record_id = r.id AND rmd.membership_id = `+a.Add(id)+`)`)
	}
	return c
}

// recordDimSet reports whether the filter sets a record dimension.
func recordDimSet(f figure.Filter) bool {
	return slices.ContainsFunc(recordDims, func(d string) bool { return f.Dim(d) != "" })
}

func periodSQL(a *db.Args, col string, f figure.Filter) string {
	var c []string
	if !f.From.IsZero() {
		c = append(c, col+` >= `+a.Add(f.From.String()))
	}
	if !f.To.IsZero() {
		c = append(c, col+` <= `+a.Add(f.To.String()))
	}
	if len(c) == 0 {
		return "1 = 1"
	}
	return strings.Join(c, " AND ")
}

// check validates the filter and the actor's right to read the committee's figures.
func (src source) check(ctx context.Context, q db.Querier, actor *auth.Actor, f figure.Filter) (string, error) {
	for k, v := range f.Dims {
		bad := false
		switch k {
		case "township":
		case "kind":
			bad = !slices.Contains(RecordKinds, v)
		case "campaign", "member":
			id, err := strconv.ParseInt(v, 10, 64)
			bad = err != nil || id <= 0
		default:
			bad = true
		}
		if bad {
			return "", apperr.Fields(apperr.Field(k, "err.figures.bad_filter"))
		}
	}
	sc, err := auth.CheckScope(ctx, q, actor, PermView, f.CommitteeID)
	return sc.Path, err
}

// Figures computes every figure; an actor who may not read the programme
// (a member, a unit, the proposal office) gets none, so pages listing every
// area's figures still show the areas it may read.
func (src source) Figures(ctx context.Context, actor *auth.Actor, f figure.Filter) ([]figure.Value, error) {
	if actor != nil && !auth.Can(actor, PermView) {
		return nil, nil
	}
	var out []figure.Value
	err := src.s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		path, err := src.check(ctx, tx, actor, f)
		if err != nil {
			return err
		}
		for _, fd := range Figures {
			if recordDimSet(f) && !fd.byRecord {
				continue // a kind, campaign or member does not narrow households, needs or pledges
			}
			var a db.Args
			var v int64
			if err := tx.QueryRowContext(ctx, fd.valueSQL(&a, actor, f, path), a...).Scan(&v); err != nil {
				return err
			}
			out = append(out, figure.Value{Def: fd.Def, Value: v})
		}
		return figure.Pair(out)
	})
	return out, err
}

func (fd figureDef) valueSQL(a *db.Args, actor *auth.Actor, f figure.Filter, path string) string {
	w := fd.where(a, actor, f, path)
	switch {
	case fd.group:
		return `SELECT COUNT(DISTINCT ` + fd.base.key + `) FROM ` + fd.base.from + ` WHERE ` + w
	case fd.Measure == figure.Sum:
		return `SELECT COALESCE(SUM(` + fd.amount + `), 0) FROM ` + fd.base.from + ` WHERE ` + w
	default:
		return `SELECT COUNT(*) FROM ` + fd.base.from + ` WHERE ` + w
	}
}

// recordsSQL selects the figure's records: key, amount, then the cells.
func (fd figureDef) recordsSQL(a *db.Args, actor *auth.Actor, f figure.Filter, path string) string {
	amount := "0"
	if fd.Measure == figure.Sum {
		amount = fd.amount
	}
	q := `SELECT ` + fd.base.key + `, ` + amount + `, ` + fd.base.cells + ` FROM ` + fd.base.from + ` WHERE ` + fd.where(a, actor, f, path)
	if fd.group {
		q += ` GROUP BY ` + fd.base.key + groupCols(fd.base)
	}
	return q + ` ORDER BY ` + fd.base.order
}

// groupCols are the extra GROUP BY columns a grouped base's cells need.
func groupCols(b base) string {
	switch b.key {
	case "h.id":
		return ", h.registry_id, h.head_name, v.township, v.name, h.status"
	case "m.id":
		return ", p.name"
	}
	return ""
}

func (src source) page(id string, f figure.Filter) (figureDef, *figure.Page, error) {
	fd, ok := lookup(id)
	if !ok {
		return fd, nil, apperr.ErrNotFound
	}
	if recordDimSet(f) && !fd.byRecord {
		return fd, nil, apperr.Fields(apperr.Field("fig", "err.figures.bad_filter"))
	}
	cols := fd.base.cols
	if fd.Measure == figure.Sum {
		cols = append(append([]string{}, cols...), "assist_amount")
	}
	return fd, &figure.Page{Figure: fd.Def, Columns: cols}, nil
}

func (src source) Records(ctx context.Context, actor *auth.Actor, f figure.Filter, id string, offset, limit int) (*figure.Page, error) {
	fd, pg, err := src.page(id, f)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	pg.Offset, pg.Limit = max(offset, 0), limit
	err = src.s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		path, err := src.check(ctx, tx, actor, f)
		if err != nil {
			return err
		}
		var a db.Args
		inner := fd.recordsSQL(&a, actor, f, path)
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (`+inner+`) x`, a...).Scan(&pg.Total); err != nil {
			return err
		}
		return src.scan(ctx, tx, fd, pg, inner+` LIMIT `+a.Add(limit)+` OFFSET `+a.Add(pg.Offset), a, func(r figure.Record) error {
			pg.Records = append(pg.Records, r)
			return nil
		})
	})
	return pg, err
}

func (src source) Each(ctx context.Context, actor *auth.Actor, f figure.Filter, id string, fn func(figure.Record) error) (*figure.Page, error) {
	fd, pg, err := src.page(id, f)
	if err != nil {
		return nil, err
	}
	err = src.s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		path, err := src.check(ctx, tx, actor, f)
		if err != nil {
			return err
		}
		var a db.Args
		q := fd.recordsSQL(&a, actor, f, path) + ` LIMIT ` + a.Add(figure.MaxExportRows)
		return src.scan(ctx, tx, fd, pg, q, a, func(r figure.Record) error {
			pg.Total++
			return fn(r)
		})
	})
	return pg, err
}

// scan reads records: id, amount, then the base's cells typed for exports
// (dates as civil.Date, numbers as int64, the rest text).
func (src source) scan(ctx context.Context, tx *sql.Tx, fd figureDef, pg *figure.Page, q string, a db.Args, fn func(figure.Record) error) error {
	rows, err := tx.QueryContext(ctx, q, a...)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := len(fd.base.cols)
	for rows.Next() {
		var r figure.Record
		raw := make([]any, n)
		dst := []any{&r.ID, &r.Amount}
		for i := range raw {
			dst = append(dst, &raw[i])
		}
		if err := rows.Scan(dst...); err != nil {
			return err
		}
		for i, col := range fd.base.cols {
			r.Cells = append(r.Cells, typed(col, raw[i]))
		}
		if fd.Measure == figure.Sum {
			r.Cells = append(r.Cells, r.Amount)
		}
		if fd.base.link != "" {
			r.Link = fd.base.link + strconv.FormatInt(r.ID, 10)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

func typed(col string, v any) any {
	switch x := v.(type) {
	case []byte:
		v = string(x)
	case int32:
		v = int64(x)
	}
	if col == "assist_date" {
		if s, ok := v.(string); ok {
			if d, err := civil.Parse(s); err == nil {
				return d
			}
		}
	}
	if v == nil {
		return ""
	}
	return v
}
