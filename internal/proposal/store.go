package proposal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// nullID stores 0 as NULL for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const proposalCols = `p.id, p.committee_id, p.session_id, p.year, COALESCE(p.seq, 0), p.number, p.kind, p.body_type,
	p.body_name, p.category, p.theme, p.title, p.matter, p.analysis, p.suggestions, p.state, p.round, p.version,
	COALESCE(p.first_proposer_id, 0), COALESCE(pe.name, ''), COALESCE(p.created_by, 0), COALESCE(p.entered_by, 0),
	COALESCE(p.merged_into, 0), p.decline_reason, p.review_note, p.converted_to, p.assign_mode, p.is_key,
	p.is_excellent, p.is_published, p.publish_consent, p.signing_deadline, p.submitted_on, p.registered_on,
	p.assigned_on, p.due_on, p.replied_on, p.closed_on, p.created_at, p.updated_at, c.path`

const proposalFrom = ` FROM proposals p JOIN committees c ON c.id = p.committee_id
	LEFT JOIN memberships m ON m.id = p.first_proposer_id LEFT JOIN people pe ON pe.id = m.person_id`

func scanProposal(sc interface{ Scan(...any) error }) (*Proposal, error) {
	var p Proposal
	var created, updated db.Time
	err := sc.Scan(&p.ID, &p.CommitteeID, &p.SessionID, &p.Year, &p.Seq, &p.Number, &p.Kind, &p.BodyType,
		&p.BodyName, &p.Category, &p.Theme, &p.Title, &p.Matter, &p.Analysis, &p.Suggestions, &p.State, &p.Round, &p.Version,
		&p.FirstProposerID, &p.FirstProposerName, &p.CreatedBy, &p.EnteredBy,
		&p.MergedInto, &p.DeclineReason, &p.ReviewNote, &p.ConvertedTo, &p.Mode, &p.Key,
		&p.Excellent, &p.Published, &p.PublishConsent, &p.SigningDeadline, &p.SubmittedOn, &p.RegisteredOn,
		&p.AssignedOn, &p.DueOn, &p.RepliedOn, &p.ClosedOn, &created, &updated, &p.committeePath)
	if err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = created.Time, updated.Time
	return &p, nil
}

// loadProposal reads one proposal by id; a missing id is apperr.ErrNotFound.
func loadProposal(ctx context.Context, q db.Querier, id int64) (*Proposal, error) {
	return loadProposalLock(ctx, q, id, "")
}

// loadProposalLock reads one proposal, locking its row on PostgreSQL with the
// clause forUpdate (db.ForUpdate("p"); "" reads without locking). Every use case locks the proposal first: the loser of a race then
// waits and sees the winner's version, and no transaction takes a weaker lock
// on the row (a foreign key check) before wanting the row lock, which would
// deadlock two concurrent use cases. SQLite's immediate transactions already
// serialize writers.
func loadProposalLock(ctx context.Context, q db.Querier, id int64, forUpdate string) (*Proposal, error) {
	p, err := scanProposal(q.QueryRowContext(ctx, `SELECT `+proposalCols+proposalFrom+` WHERE p.id = $1`+forUpdate, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.ErrNotFound
	}
	return p, err
}

func insertProposal(ctx context.Context, tx *sql.Tx, p *Proposal) error {
	now := db.Now()
	p.CreatedAt, p.UpdatedAt, p.Version = now, now, 1
	if p.Round == 0 {
		p.Round = 1
	}
	return tx.QueryRowContext(ctx, `INSERT INTO proposals (committee_id, session_id, year, kind, body_type, body_name,
		category, theme, title, matter, analysis, suggestions, state, round, first_proposer_id, created_by, entered_by,
		publish_consent, submitted_on, version, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,1,$20,$20) RETURNING id`,
		p.CommitteeID, p.SessionID, p.Year, p.Kind, p.BodyType, p.BodyName, p.Category, p.Theme, p.Title, p.Matter,
		p.Analysis, p.Suggestions, p.State, p.Round, nullID(p.FirstProposerID), nullID(p.CreatedBy), nullID(p.EnteredBy),
		p.PublishConsent, p.SubmittedOn, now).Scan(&p.ID)
}

// saveProposal writes every mutable column if the version is still p.Version,
// else errStale; on success p.Version is the new version.
func saveProposal(ctx context.Context, tx *sql.Tx, p *Proposal) error {
	var seq any
	if p.Seq != 0 {
		seq = p.Seq
	}
	res, err := tx.ExecContext(ctx, `UPDATE proposals SET session_id = $1, year = $2, seq = $3, number = $4, kind = $5,
		body_type = $6, body_name = $7, category = $8, theme = $9, title = $10, matter = $11, analysis = $12,
		suggestions = $13, state = $14, round = $15, first_proposer_id = $16, merged_into = $17, decline_reason = $18,
		review_note = $19, converted_to = $20, assign_mode = $21, is_key = $22, is_excellent = $23, is_published = $24,
		publish_consent = $25, signing_deadline = $26, submitted_on = $27, registered_on = $28, assigned_on = $29,
		due_on = $30, replied_on = $31, closed_on = $32, updated_at = $33, version = version + 1
		WHERE id = $34 AND version = $35`,
		p.SessionID, p.Year, seq, p.Number, p.Kind, p.BodyType, p.BodyName, p.Category, p.Theme, p.Title, p.Matter,
		p.Analysis, p.Suggestions, p.State, p.Round, nullID(p.FirstProposerID), nullID(p.MergedInto), p.DeclineReason,
		p.ReviewNote, p.ConvertedTo, p.Mode, p.Key, p.Excellent, p.Published, p.PublishConsent, p.SigningDeadline,
		p.SubmittedOn, p.RegisteredOn, p.AssignedOn, p.DueOn, p.RepliedOn, p.ClosedOn, p.UpdatedAt, p.ID, p.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errStale
	}
	p.Version++
	return nil
}

func insertEvent(ctx context.Context, tx *sql.Tx, actor *auth.Actor, p *Proposal, asgID int64, action string, from, to State, note string) error {
	var uid any
	name := ""
	if actor != nil {
		uid, name = nullID(actor.UserID), actor.Name
	}
	var by, byName, at any = nil, "", nil
	if r := replayOf(ctx); r != nil { // a past step: who entered it, and when
		by, byName, at = nullID(r.by.UserID), r.by.Name, r.at
	}
	ev := eventRow{p.CommitteeID, p.ID, nullID(asgID), stamp(ctx), uid, name, action, from, to, note, by, byName, at}
	if c := importCacheOf(ctx); c != nil { // an import inserts them with the row's others (flushEvents)
		c.events = append(c.events, ev)
		return nil
	}
	_, err := tx.ExecContext(ctx, eventInsert+`($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`, ev[:]...)
	return err
}

const eventInsert = `INSERT INTO proposal_events (committee_id, proposal_id, assignment_id, at, actor_user_id,
		actor_name, action, from_state, to_state, note, entered_by, entered_by_name, entered_at) VALUES `

// Signers.

func listSigners(ctx context.Context, q db.Querier, proposalID int64) ([]Signer, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (Signer, error) {
		var s Signer
		var at db.Time
		err := sc.Scan(&s.ID, &s.MembershipID, &s.PersonID, &s.Name, &s.Role, &s.Status, &at)
		s.RespondedAt = at.Time
		return s, err
	}, `SELECT s.id, s.membership_id, m.person_id, pe.name, s.role, s.status, s.responded_at
		FROM proposal_signers s JOIN memberships m ON m.id = s.membership_id JOIN people pe ON pe.id = m.person_id
		WHERE s.proposal_id = $1 ORDER BY s.role DESC, s.sort, s.id`, proposalID)
}

func insertSigner(ctx context.Context, tx *sql.Tx, p *Proposal, membershipID int64, role string, status SignerStatus, sort int) error {
	now := stamp(ctx)
	var responded any
	if status != Invited {
		responded = now
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO proposal_signers (committee_id, proposal_id, membership_id, role, status, sort,
		invited_at, responded_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
		p.CommitteeID, p.ID, membershipID, role, status, sort, now, responded)
	return err
}

func setSignerStatus(ctx context.Context, tx *sql.Tx, signerID int64, status SignerStatus) error {
	var responded any
	if status != Invited {
		responded = stamp(ctx)
	}
	_, err := tx.ExecContext(ctx, `UPDATE proposal_signers SET status = $1, responded_at = $2 WHERE id = $3`, status, responded, signerID)
	return err
}

// Assignments.

const assignmentCols = `a.id, a.unit_id, u.name, a.role, a.state, a.assigned_on, a.due_on, a.original_due_on, a.extensions,
	a.extension_asked_on, a.extension_asked_due, a.extension_reason, a.accepted_at, a.return_reason,
	a.return_requested_on, a.return_requests, a.replied_on, a.version`

func scanAssignment(sc interface{ Scan(...any) error }) (Assignment, error) {
	var a Assignment
	var accepted db.Time
	err := sc.Scan(&a.ID, &a.UnitID, &a.UnitName, &a.Role, &a.State, &a.AssignedOn, &a.DueOn, &a.OriginalDueOn, &a.Extensions,
		&a.ExtensionAskedOn, &a.ExtensionAskedDue, &a.ExtensionReason, &accepted, &a.ReturnReason,
		&a.ReturnRequestedOn, &a.ReturnRequests, &a.RepliedOn, &a.Version)
	a.AcceptedAt = accepted.Time
	return a, err
}

func listAssignments(ctx context.Context, q db.Querier, proposalID int64) ([]Assignment, error) {
	return db.Query(ctx, q, scanAssignment, `SELECT `+assignmentCols+` FROM proposal_assignments a JOIN units u ON u.id = a.unit_id
		WHERE a.proposal_id = $1 ORDER BY CASE a.role WHEN 'lead' THEN 0 WHEN 'sole' THEN 0 ELSE 1 END, a.id`, proposalID)
}

func insertAssignment(ctx context.Context, tx *sql.Tx, p *Proposal, a *Assignment) error {
	now := db.Now()
	a.Version = 1
	return tx.QueryRowContext(ctx, `INSERT INTO proposal_assignments (committee_id, proposal_id, unit_id, role, state,
		assigned_on, due_on, original_due_on, version, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,1,$9,$9) RETURNING id`,
		p.CommitteeID, p.ID, a.UnitID, a.Role, a.State, a.AssignedOn, a.DueOn, a.OriginalDueOn, now).Scan(&a.ID)
}

func saveAssignment(ctx context.Context, tx *sql.Tx, a *Assignment) error {
	var accepted any
	if !a.AcceptedAt.IsZero() {
		accepted = a.AcceptedAt
	}
	res, err := tx.ExecContext(ctx, `UPDATE proposal_assignments SET unit_id = $1, state = $2, assigned_on = $3, due_on = $4,
		extensions = $5, extension_asked_on = $6, extension_asked_due = $7, extension_reason = $8, accepted_at = $9,
		return_reason = $10, return_requested_on = $11, return_requests = $12, replied_on = $13, updated_at = $14,
		version = version + 1 WHERE id = $15 AND version = $16`,
		a.UnitID, a.State, a.AssignedOn, a.DueOn, a.Extensions, a.ExtensionAskedOn, a.ExtensionAskedDue, a.ExtensionReason,
		accepted, a.ReturnReason, a.ReturnRequestedOn, a.ReturnRequests, a.RepliedOn, db.Now(), a.ID, a.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errStale
	}
	a.Version++
	return nil
}

func supervisorIDs(ctx context.Context, q db.Querier, proposalID int64) ([]int64, error) {
	return db.Column[int64](ctx, q, `SELECT user_id FROM proposal_supervisors WHERE proposal_id = $1 ORDER BY user_id`, proposalID)
}

// replyFor returns the reply of an assignment in a round, or nil.
func replyFor(ctx context.Context, q db.Querier, asgID int64, round int) (*Reply, error) {
	var r Reply
	var letter sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT id, assignment_id, round, result_class, drafted_class, body, status, review_note, delivered_on,
		signer, contact_name, contact_phone, letter_id
		FROM proposal_replies WHERE assignment_id = $1 AND round = $2`, asgID, round).
		Scan(&r.ID, &r.AssignmentID, &r.Round, &r.ResultClass, &r.DraftedClass, &r.Body, &r.Status, &r.ReviewNote, &r.DeliveredOn,
			&r.Signer, &r.ContactName, &r.ContactPhone, &letter)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if letter.Valid {
		r.Letter = &Attachment{ID: letter.Int64}
	}
	return &r, err
}

// membershipOf returns the person's active membership in the committee for the
// session's term, or 0.
func membershipOf(ctx context.Context, q db.Querier, committeeID, sessionID, personID int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT m.id FROM memberships m JOIN plenary_sessions s ON s.term_id = m.term_id
		WHERE m.committee_id = $1 AND s.id = $2 AND m.person_id = $3 AND m.status = 'active'`,
		committeeID, sessionID, personID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// session is what the service needs of a plenary session.
type session struct {
	ID, TermID           int64
	TermNumber, Number   int
	Year                 int
	SubmitFrom, SubmitTo civil.Date
}

func loadSession(ctx context.Context, q db.Querier, committeeID, id int64) (*session, error) {
	return importCached(ctx, fmt.Sprint("session ", committeeID, " ", id), func() (*session, error) { return readSession(ctx, q, committeeID, id) })
}

func readSession(ctx context.Context, q db.Querier, committeeID, id int64) (*session, error) {
	var s session
	err := q.QueryRowContext(ctx, `SELECT s.id, s.term_id, t.number, s.number, s.year, s.submit_from, s.submit_to
		FROM plenary_sessions s JOIN terms t ON t.id = s.term_id WHERE s.id = $1 AND s.committee_id = $2`, id, committeeID).
		Scan(&s.ID, &s.TermID, &s.TermNumber, &s.Number, &s.Year, &s.SubmitFrom, &s.SubmitTo)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return &s, err
}
