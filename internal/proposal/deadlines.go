package proposal

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/jobs"
	"lvzhi/internal/notify"
)

// Reminder kinds (reminders_sent.kind and the notification kind "proposal.<kind>").
const (
	RemindDueSoon        = "due_soon"        // to the unit, RemindWorkdays before the due date
	RemindOverdue        = "overdue"         // to the unit, the office and, for key proposals, the leaders
	RemindContactMissing = "contact_missing" // no 面商 within ContactWorkdays of assignment: unit and office
	RemindEvaluation     = "evaluation"      // replied: each signer who has not evaluated yet
	RemindEvaluationDue  = "evaluation_due"  // evaluation period over: the office may close
	RemindSigningDue     = "signing_due"     // co-signing closes by the next working day: each co-signer yet to answer
	RemindSigningClosed  = "signing_closed"  // co-signing period over: the first proposer may submit
)

// ScanDeadlines sends the reminders and escalations due on today for every
// committee: co-signing deadlines, replies due soon, overdue replies, missing
// contacts (面商) and pending evaluations. Each reminder is sent once (reminders_sent), so the scan
// may run any number of times a day. It returns how many reminders it sent.
func (s *Service) ScanDeadlines(ctx context.Context, today civil.Date) (int, error) {
	committees, err := db.Column[int64](ctx, s.DB, `SELECT id FROM committees ORDER BY id`)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, c := range committees {
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			n, err := scanCommittee(ctx, tx, c, today)
			total += n
			return err
		})
		if err != nil {
			return total, fmt.Errorf("deadline scan of committee %d: %w", c, err)
		}
	}
	return total, nil
}

type scan struct {
	ctx   context.Context
	tx    *sql.Tx
	cid   int64
	today civil.Date
	st    Settings
	cal   *civil.Calendar
	sent  int
}

func scanCommittee(ctx context.Context, tx *sql.Tx, committeeID int64, today civil.Date) (int, error) {
	st, err := loadSettings(ctx, tx, committeeID)
	if err != nil {
		return 0, err
	}
	cal, err := loadCalendar(ctx, tx, committeeID)
	if err != nil {
		return 0, err
	}
	sc := &scan{ctx: ctx, tx: tx, cid: committeeID, today: today, st: st, cal: cal}
	for _, step := range []func() error{sc.signing, sc.dueDates, sc.contacts, sc.evaluations} {
		if err := step(); err != nil {
			return sc.sent, err
		}
	}
	return sc.sent, nil
}

// once records a reminder and reports whether it is new.
func (sc *scan) once(kind string, subject int64, mark string) (bool, error) {
	res, err := sc.tx.ExecContext(sc.ctx, `INSERT INTO reminders_sent (committee_id, kind, subject_id, mark, sent_at)
		VALUES ($1,$2,$3,$4,$5) ON CONFLICT (committee_id, kind, subject_id, mark) DO NOTHING`,
		sc.cid, kind, subject, mark, db.Now())
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// send notifies users about a proposal, once per (kind, subject, mark).
func (sc *scan) send(kind string, subject int64, mark string, proposalID int64, number, title string, users []int64, args map[string]any) error {
	fresh, err := sc.once(kind, subject, mark)
	if err != nil || !fresh {
		return err
	}
	sc.sent++
	if args == nil {
		args = map[string]any{}
	}
	args["Number"], args["Title"] = number, title
	return notify.Send(sc.ctx, sc.tx, sc.cid, users, "proposal."+kind, "notify.proposal."+kind, args, link(proposalID))
}

type openAssignment struct {
	id, proposalID, unitID int64
	state                  State
	assignedOn, dueOn      civil.Date
	key                    bool
	number, title          string
	round                  int
}

func (sc *scan) open(states string, dueBefore civil.Date) ([]openAssignment, error) {
	q := `SELECT a.id, a.proposal_id, a.unit_id, a.state, a.assigned_on, a.due_on, p.is_key, p.number, p.title, p.round
		FROM proposal_assignments a JOIN proposals p ON p.id = a.proposal_id
		WHERE a.committee_id = $1 AND a.role <> 'co' AND a.state IN (` + states + `)`
	args := []any{sc.cid}
	if !dueBefore.IsZero() {
		q += ` AND a.due_on <= $2`
		args = append(args, dueBefore)
	}
	return db.Query(sc.ctx, sc.tx, func(s db.Scanner) (openAssignment, error) {
		var a openAssignment
		err := s.Scan(&a.id, &a.proposalID, &a.unitID, &a.state, &a.assignedOn, &a.dueOn, &a.key, &a.number, &a.title, &a.round)
		return a, err
	}, q+` ORDER BY a.id`, args...)
}

// signing: joint proposals collecting signatures. Co-signers who have not
// answered are reminded once the deadline is at most one working day away (the
// invitation itself told them at the start, and the period is short: 5
// working days by default); once it has passed the first proposer is told the
// proposal may be submitted. The deadline is the mark, so a new signing round
// reminds again.
func (sc *scan) signing() error {
	type signing struct {
		id, firstPerson int64
		title           string
		deadline        civil.Date
	}
	ps, err := db.Query(sc.ctx, sc.tx, func(s db.Scanner) (signing, error) {
		var v signing
		return v, s.Scan(&v.id, &v.firstPerson, &v.title, &v.deadline)
	}, `SELECT p.id, COALESCE(m.person_id, 0), p.title, p.signing_deadline FROM proposals p
		LEFT JOIN memberships m ON m.id = p.first_proposer_id
		WHERE p.committee_id = $1 AND p.state = 'SIGNING' AND p.signing_deadline <> '' ORDER BY p.id`, sc.cid)
	if err != nil {
		return err
	}
	soon := sc.cal.AddWorkdays(sc.today, 1)
	for _, p := range ps {
		mark, args := p.deadline.String(), map[string]any{"Due": p.deadline.String()}
		if sc.today.After(p.deadline) {
			users, err := notify.UsersOfPeople(sc.ctx, sc.tx, sc.cid, p.firstPerson)
			if err != nil {
				return err
			}
			if err := sc.send(RemindSigningClosed, p.id, mark, p.id, "", p.title, users, args); err != nil {
				return err
			}
			continue
		}
		if p.deadline.After(soon) {
			continue
		}
		type pending struct{ signerID, personID int64 }
		pend, err := db.Query(sc.ctx, sc.tx, func(s db.Scanner) (pending, error) {
			var v pending
			return v, s.Scan(&v.signerID, &v.personID)
		}, `SELECT s.id, m.person_id FROM proposal_signers s JOIN memberships m ON m.id = s.membership_id
			WHERE s.proposal_id = $1 AND s.role = 'co' AND s.status = 'invited' ORDER BY s.id`, p.id)
		if err != nil {
			return err
		}
		for _, v := range pend {
			users, err := notify.UsersOfPeople(sc.ctx, sc.tx, sc.cid, v.personID)
			if err != nil {
				return err
			}
			if err := sc.send(RemindSigningDue, v.signerID, mark, p.id, "", p.title, users, args); err != nil {
				return err
			}
		}
	}
	return nil
}

// dueDates: due soon → the unit; overdue → the unit, the office and the key proposal's leaders.
func (sc *scan) dueDates() error {
	horizon := sc.cal.AddWorkdays(sc.today, sc.st.RemindWorkdays)
	as, err := sc.open(`'ASSIGNED','RETURN_REQUESTED','ACCEPTED','IN_HANDLING','REPLY_DRAFTED','REHANDLING'`, horizon)
	if err != nil {
		return err
	}
	office, err := notify.UsersWithRole(sc.ctx, sc.tx, sc.cid, auth.RoleProposalOffice)
	if err != nil {
		return err
	}
	for _, a := range as {
		unit, err := notify.UsersOfUnit(sc.ctx, sc.tx, sc.cid, a.unitID)
		if err != nil {
			return err
		}
		args := map[string]any{"Due": a.dueOn.String()}
		if !a.dueOn.Before(sc.today) {
			if err := sc.send(RemindDueSoon, a.id, a.dueOn.String(), a.proposalID, a.number, a.title, unit, args); err != nil {
				return err
			}
			continue
		}
		to := append(append([]int64{}, unit...), office...)
		if a.key {
			leaders, err := supervisorIDs(sc.ctx, sc.tx, a.proposalID)
			if err != nil {
				return err
			}
			to = append(to, leaders...)
		}
		if err := sc.send(RemindOverdue, a.id, a.dueOn.String(), a.proposalID, a.number, a.title, to, args); err != nil {
			return err
		}
	}
	return nil
}

// contacts: an assignment not yet in handling ContactWorkdays after assignment.
func (sc *scan) contacts() error {
	as, err := sc.open(`'ASSIGNED','ACCEPTED'`, civil.Date{})
	if err != nil {
		return err
	}
	office, err := notify.UsersWithRole(sc.ctx, sc.tx, sc.cid, auth.RoleProposalOffice)
	if err != nil {
		return err
	}
	for _, a := range as {
		last := sc.cal.AddWorkdays(a.assignedOn, sc.st.ContactWorkdays)
		if !sc.today.After(last) {
			continue
		}
		unit, err := notify.UsersOfUnit(sc.ctx, sc.tx, sc.cid, a.unitID)
		if err != nil {
			return err
		}
		mark := fmt.Sprintf("%s/%d", a.assignedOn, a.round)
		if err := sc.send(RemindContactMissing, a.id, mark, a.proposalID, a.number, a.title, append(unit, office...),
			map[string]any{"Last": last.String()}); err != nil {
			return err
		}
	}
	return nil
}

// evaluations: replies open for evaluation (evaluate.go): each signer who has
// not evaluated is reminded once per round; after the period the office is told
// it may close. In REHANDLING the reply open is round 1's (another signer's
// 不满意 started round 2): its signers yet to evaluate are reminded while its
// window is open, and there is nothing to close.
func (sc *scan) evaluations() error {
	type replied struct {
		id            int64
		number, title string
		round         int
		repliedOn     civil.Date
		rehandling    bool
	}
	ps, err := db.Query(sc.ctx, sc.tx, func(s db.Scanner) (replied, error) {
		var r replied
		var st State
		err := s.Scan(&r.id, &r.number, &r.title, &r.round, &r.repliedOn, &st)
		if r.rehandling = st == Rehandling; r.rehandling {
			r.round--
		}
		return r, err
	}, `SELECT id, number, title, round, replied_on, state FROM proposals WHERE committee_id = $1 AND state IN ('REPLIED','REHANDLING')
		AND replied_on <> '' ORDER BY id`, sc.cid)
	if err != nil {
		return err
	}
	for _, p := range ps {
		last := sc.cal.AddWorkdays(p.repliedOn, sc.st.EvaluationWorkdays)
		if p.rehandling && (p.round < 1 || sc.today.After(last)) {
			continue
		}
		type pending struct{ signerID, personID int64 }
		pend, err := db.Query(sc.ctx, sc.tx, func(s db.Scanner) (pending, error) {
			var v pending
			return v, s.Scan(&v.signerID, &v.personID)
		}, `SELECT s.id, m.person_id FROM proposal_signers s JOIN memberships m ON m.id = s.membership_id
			WHERE s.proposal_id = $1 AND s.status = 'signed' AND NOT EXISTS (SELECT 1 FROM proposal_evaluations e
			WHERE e.proposal_id = s.proposal_id AND e.membership_id = s.membership_id AND e.round = $2) ORDER BY s.id`, p.id, p.round)
		if err != nil {
			return err
		}
		if len(pend) == 0 {
			continue
		}
		mark := fmt.Sprintf("round%d", p.round)
		for _, v := range pend {
			users, err := notify.UsersOfPeople(sc.ctx, sc.tx, sc.cid, v.personID)
			if err != nil {
				return err
			}
			if err := sc.send(RemindEvaluation, v.signerID, mark, p.id, p.number, p.title, users,
				map[string]any{"Last": last.String()}); err != nil {
				return err
			}
		}
		if sc.today.After(last) && !p.rehandling {
			office, err := notify.UsersWithRole(sc.ctx, sc.tx, sc.cid, auth.RoleProposalOffice)
			if err != nil {
				return err
			}
			if err := sc.send(RemindEvaluationDue, p.id, mark, p.id, p.number, p.title, office, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// DeadlineScanArgs is the daily job running ScanDeadlines.
type DeadlineScanArgs struct{}

// Kind names the job.
func (DeadlineScanArgs) Kind() string { return "proposal.deadline_scan" }

type deadlineWorker struct {
	river.WorkerDefaults[DeadlineScanArgs]
	svc *Service
}

func (w *deadlineWorker) Work(ctx context.Context, _ *river.Job[DeadlineScanArgs]) error {
	_, err := w.svc.ScanDeadlines(ctx, w.svc.today())
	return err
}

func init() {
	jobs.Register(func(r *jobs.Runner) error {
		jobs.AddWorker(r, &deadlineWorker{svc: NewService(r.DB)})
		r.AddPeriodic(jobs.Periodic{
			ID:       "proposal.deadline_scan",
			Schedule: jobs.DailyAt(8, 0),
			Args:     func() river.JobArgs { return DeadlineScanArgs{} },
			// Also when the server starts: a committee that has just loaded its
			// year (补录, the ledger) sees its overdue items at once, not the
			// next morning. The scan sends each reminder once, so restarts are safe.
			RunOnStart: true,
		})
		return nil
	})
}
