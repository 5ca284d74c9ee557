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

// sources are every scored event's source. A proposal is submitted (提交)
// once it has a submission date and was not withdrawn; registered (立案),
// key (重点) and excellent (优秀) are dated by registration.
var sources = []Source{
	proposalSource(ItemSubmitted, "submitted_on", `p.submitted_on <> '' AND p.state <> 'WITHDRAWN'`),
	proposalSource(ItemRegistered, "registered_on", `p.registered_on <> '' AND p.state IN `+registered),
	proposalSource(ItemKey, "registered_on", `p.registered_on <> '' AND p.is_key AND p.state IN `+registered),
	proposalSource(ItemExcellent, "registered_on", `p.registered_on <> '' AND p.is_excellent AND p.state IN `+registered),
	adjustmentSource,
}

// Sources lists the sources, for docs and tests.
func Sources() []Source { return append([]Source(nil), sources...) }

// entities lists the distinct entities of the sources, in order.
func entities() []string {
	var out []string
	for _, s := range sources {
		if !slices.Contains(out, s.Entity) {
			out = append(out, s.Entity)
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
