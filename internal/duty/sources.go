package duty

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Event is one scored happening: a member did an item (in a variant, a
// quantity of units) on a date, as one source record says.
type Event struct {
	MembershipID int64
	Date         civil.Date
	Item         string
	Variant      string
	Quantity     int
	Entity       string // the source record's kind, as marked in the change queue ("proposal")
	SourceID     int64  // the source record
	Points       *int64 // set by sources that carry their own points (adjustments); nil: by the rules
}

// Source is where one kind of scored event comes from: a query over the
// owning area's tables (read, never written; its package is never imported).
// Select yields the columns membership_id, on_date, item, variant, quantity,
// source_id, points (NULL: by the rules) for committee $1; it holds one %s
// where a condition on the ID and Date expressions is spliced in (the
// records changed, or a year's dates).
type Source struct {
	Name   string // names the source in reports and tests
	Entity string // the change-queue entity whose marks refresh it
	Select string
	ID     string // SQL expression of the source record's id
	Date   string // SQL expression of the event's date ('YYYY-MM-DD' text)
	// Also maps another entity whose changes alter this source's events to a
	// query listing the source's records affected: committee $1, and %s for
	// the IN list of the changed ids (an attendance role set on an activity
	// changes the drafter of its research reports).
	Also map[string]string
}

// memberOf is the membership of a person (SQL expression) in committee $1 on
// a date: the one whose term began last on or before it. Areas that record
// people rather than memberships (attendance, 社情民意, speeches) are scored
// through it; NULL (no such membership) scores nothing.
func memberOf(person, date string) string {
	return `(SELECT m.id FROM memberships m JOIN terms tm ON tm.id = m.term_id WHERE m.committee_id = $1
		AND m.person_id = ` + person + ` AND tm.starts_on <= ` + date + ` ORDER BY tm.starts_on DESC, m.id DESC LIMIT 1)`
}

// bySubquery wraps a query whose first column may be NULL (memberOf), so
// events without a membership are dropped.
func bySubquery(inner string) string {
	return `SELECT x.mid, x.d, x.item, x.variant, x.qty, x.sid, x.pts FROM (` + inner + `) x WHERE x.mid IS NOT NULL`
}

// proposalPeople is every member a proposal scores: the first proposer
// (variant individual or first) and each co-signer who signed (co).
const proposalPeople = `SELECT p.id AS pid, p.first_proposer_id AS mid,
		CASE WHEN p.kind = 'joint' THEN 'first' ELSE 'individual' END AS variant
	FROM proposals p WHERE p.committee_id = $1 AND p.first_proposer_id IS NOT NULL
	UNION ALL
	SELECT s.proposal_id, s.membership_id, 'co' FROM proposal_signers s
	WHERE s.committee_id = $1 AND s.role = 'co' AND s.status = 'signed'`

// registered is the proposal states from registration on (立案), as the
// proposal area's workflow lists them.
const registered = `('REGISTERED','ASSIGNED','RETURN_REQUESTED','ACCEPTED','IN_HANDLING','REPLY_DRAFTED',
	'REPLY_REVIEW','REPLIED','REHANDLING','CLOSED')`

// proposalSource builds a proposal source: item, the date column, the condition.
func proposalSource(item, date, cond string) Source {
	return Source{Name: item, Entity: "proposal", ID: "p.id", Date: "p." + date,
		Select: `SELECT x.mid, p.` + date + `, '` + item + `', x.variant, 1, p.id, NULL
			FROM proposals p JOIN (` + proposalPeople + `) x ON x.pid = p.id
			WHERE p.committee_id = $1 AND ` + cond + ` AND %s`}
}

// adjustmentSource is staff's manual adjustments, with their own points.
var adjustmentSource = Source{Name: ItemAdjustment, Entity: "duty_adjustment", ID: "a.id", Date: "a.on_date",
	Select: `SELECT a.membership_id, a.on_date, '` + ItemAdjustment + `', '', 1, a.id, a.points
		FROM duty_adjustments a WHERE a.committee_id = $1 AND NOT a.cancelled AND %s`}

// attendanceSource is the attendance of held activities (internal/activity),
// which marks the activity in the change queue on every attendance change:
// a plenary session (全体会议) scores attend.plenary, another activity
// attend.mandatory when members were required to attend, attend.signup when
// they signed up; attended, approved leave (请假) or absent (缺席) is the
// variant. Each activity counts one unit (a half-day table needs one
// activity per half day).
var attendanceSource = Source{Name: "attendance", Entity: "activity", ID: "a.id", Date: "a.starts_on",
	Select: bySubquery(`SELECT ` + memberOf("t.person_id", "a.starts_on") + ` AS mid, a.starts_on AS d,
		CASE WHEN a.kind = 'plenary' THEN '` + ItemPlenary + `' WHEN a.mandatory THEN '` + ItemMandatory + `' ELSE '` + ItemSignup + `' END AS item,
		CASE t.status WHEN 'attended' THEN '` + VarAttended + `' WHEN 'leave_approved' THEN '` + VarLeave + `' ELSE '` + VarAbsent + `' END AS variant,
		1 AS qty, a.id AS sid, NULL AS pts
		FROM activities a JOIN activity_attendance t ON t.activity_id = a.id
		WHERE a.committee_id = $1 AND a.state = 'HELD' AND t.status IN ('attended','leave_approved','absent') AND %s`)}

// sqmySource builds a 社情民意 source (the member who submitted it; items a
// group submitted score nobody).
func sqmySource(item, date, cond string) Source {
	return Source{Name: item, Entity: "sqmy", ID: "s.id", Date: date,
		Select: bySubquery(`SELECT ` + memberOf("s.person_id", date) + ` AS mid, ` + date + ` AS d, '` + item + `' AS item,
			'' AS variant, 1 AS qty, s.id AS sid, NULL AS pts
			FROM sqmy_items s WHERE s.committee_id = $1 AND s.person_id IS NOT NULL AND ` + cond + ` AND %s`)}
}

// firstInstruction is the date of a 社情民意 item's first leader's 批示.
const firstInstruction = `(SELECT MIN(i.given_on) FROM activity_instructions i WHERE i.sqmy_id = s.id)`

// speechSource is 大会发言 given by a member (a record of its own, marked
// under its table's name).
var speechSource = Source{Name: ItemSpeech, Entity: "activity_speeches", ID: "sp.id", Date: "sp.given_on",
	Select: bySubquery(`SELECT ` + memberOf("sp.person_id", "sp.given_on") + ` AS mid, sp.given_on AS d, '` + ItemSpeech + `' AS item,
		'' AS variant, 1 AS qty, sp.id AS sid, NULL AS pts
		FROM activity_speeches sp WHERE sp.committee_id = $1 AND sp.person_id IS NOT NULL AND %s`)}

// reportSource is a research report (调研报告) output, scored to the lead
// drafter (执笔人: the drafter role on its activity's attendance).
var reportSource = Source{Name: ItemReport, Entity: "activity_output", ID: "o.id", Date: "o.dated_on",
	Select: bySubquery(`SELECT ` + memberOf("t.person_id", "o.dated_on") + ` AS mid, o.dated_on AS d, '` + ItemReport + `' AS item,
		'` + VarLead + `' AS variant, 1 AS qty, o.id AS sid, NULL AS pts
		FROM activity_outputs o JOIN activity_attendance t ON t.activity_id = o.activity_id AND t.role = 'drafter'
		WHERE o.committee_id = $1 AND o.kind = 'research_report' AND %s`),
	Also: map[string]string{"activity": `SELECT o.id FROM activity_outputs o WHERE o.committee_id = $1 AND o.activity_id IN %s`}}

// assistSource is a verified 三送三帮 record (internal/assist), for each
// member it names.
var assistSource = Source{Name: ItemAssist, Entity: "assist_record", ID: "r.id", Date: "r.given_on",
	Select: `SELECT rm.membership_id, r.given_on, '` + ItemAssist + `', '', 1, r.id, NULL
		FROM assist_records r JOIN assist_record_members rm ON rm.record_id = r.id
		WHERE r.committee_id = $1 AND r.verified_at IS NOT NULL AND %s`}

// pairingSource is a 三送三帮 pairing (结对) of a member with a household
// (internal/assist; a trigger of migration 00024 marks every write of one):
// it scores once, dated on its start, whatever its state later (a pairing
// suspended or ended still was made), except a pairing ended on the day it
// started, which was undone rather than made. A pairing lasting into the
// next year does not score again.
var pairingSource = Source{Name: ItemPairing, Entity: "assist_pairing", ID: "pr.id", Date: "pr.starts_on",
	Select: `SELECT pr.membership_id, pr.starts_on, '` + ItemPairing + `', '', 1, pr.id, NULL
		FROM assist_pairings pr WHERE pr.committee_id = $1 AND NOT (pr.state = 'ENDED' AND pr.ends_on = pr.starts_on) AND %s`}

// sources are every scored event's source. A proposal is submitted (提交)
// once it has a submission date and was not withdrawn; registered (立案),
// key (重点) and excellent (优秀) are dated by registration. A 社情民意 item
// is submitted on its date, adopted (采用) on its adoption date, instructed
// on its first 批示.
var sources = []Source{
	proposalSource(ItemSubmitted, "submitted_on", `p.submitted_on <> '' AND p.state <> 'WITHDRAWN'`),
	proposalSource(ItemRegistered, "registered_on", `p.registered_on <> '' AND p.state IN `+registered),
	proposalSource(ItemKey, "registered_on", `p.registered_on <> '' AND p.is_key AND p.state IN `+registered),
	proposalSource(ItemExcellent, "registered_on", `p.registered_on <> '' AND p.is_excellent AND p.state IN `+registered),
	attendanceSource,
	sqmySource(ItemSqmySubmitted, "s.submitted_on", `s.submitted_on <> ''`),
	sqmySource(ItemSqmyAdopted, "s.adopted_on", `s.state = 'adopted' AND s.adopted_on <> ''`),
	sqmySource(ItemSqmyInstructed, firstInstruction, `EXISTS (SELECT 1 FROM activity_instructions i WHERE i.sqmy_id = s.id)`),
	speechSource,
	reportSource,
	assistSource,
	pairingSource,
	adjustmentSource,
}

// Sources lists the sources, for docs and tests.
func Sources() []Source { return append([]Source(nil), sources...) }

// entities lists the distinct entities whose changes refresh the ledger:
// the sources' own, then those they follow (Also), in order.
func entities() []string {
	var out []string
	for _, s := range sources {
		if !slices.Contains(out, s.Entity) {
			out = append(out, s.Entity)
		}
	}
	for _, s := range sources {
		for e := range s.Also {
			if !slices.Contains(out, e) {
				out = append(out, e)
			}
		}
	}
	return out
}

// scope selects the events to load: the records ids of one entity, or every
// event dated in one year.
type scope struct {
	entity string
	ids    []int64
	year   int
}

// loadEvents runs the sources in scope for a committee.
func loadEvents(ctx context.Context, q db.Querier, committeeID int64, sc scope) ([]Event, error) {
	var out []Event
	for _, src := range sources {
		if sc.entity != "" && src.Entity != sc.entity {
			continue
		}
		var a db.Args
		a.Add(committeeID)
		cond := src.ID + " IN " + db.In(&a, sc.ids)
		if sc.entity == "" {
			cond = fmt.Sprintf("%s BETWEEN %s AND %s", src.Date, a.Add(fmt.Sprintf("%04d-01-01", sc.year)),
				a.Add(fmt.Sprintf("%04d-12-31", sc.year)))
		}
		evs, err := db.Query(ctx, q, scanEvent(src.Entity), fmt.Sprintf(src.Select, cond), a...)
		if err != nil {
			return nil, fmt.Errorf("duty: source %s: %w", src.Name, err)
		}
		out = append(out, evs...)
	}
	return out, nil
}

func scanEvent(entity string) func(db.Scanner) (Event, error) {
	return func(sc db.Scanner) (Event, error) {
		e := Event{Entity: entity}
		var date string
		var pts sql.NullInt64
		if err := sc.Scan(&e.MembershipID, &date, &e.Item, &e.Variant, &e.Quantity, &e.SourceID, &pts); err != nil {
			return e, err
		}
		d, err := civil.Parse(strings.TrimSpace(date))
		if err != nil {
			return e, fmt.Errorf("event of %s %d: %w", entity, e.SourceID, err)
		}
		e.Date = d
		if pts.Valid {
			e.Points = &pts.Int64
		}
		return e, nil
	}
}
