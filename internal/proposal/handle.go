package proposal

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/notify"
	"lvzhi/internal/org"
)

// ContactInput is one 办前面商 record.
type ContactInput struct {
	On     civil.Date
	Method ContactMethod
	People string // who took part, e.g. "张三（提案人）、李四（局长）"
	Note   string
}

// LogContact records the acting unit's contact with the proposer before replying
// (办前面商); the first contact of a round starts the handling.
func (s *Service) LogContact(ctx context.Context, actor *auth.Actor, ref Ref, in ContactInput) (*Proposal, error) {
	in.People, in.Note = strings.TrimSpace(in.People), strings.TrimSpace(in.Note)
	return s.unitStep(ctx, actor, ref, ActContact, string(in.Method), func(o *op, asg *Assignment) error {
		var f []apperr.FieldError
		if in.On.IsZero() {
			f = append(f, apperr.Field("on", "err.required"))
		} else if in.On.After(o.today) {
			f = append(f, apperr.Field("on", "err.proposal.future_date"))
		} else if in.On.Before(asg.AssignedOn) {
			f = append(f, apperr.Field("on", "err.proposal.before_assignment"))
		}
		if !slices.Contains(ContactMethods, in.Method) {
			f = append(f, apperr.Field("method", "err.proposal.bad_choice"))
		}
		if in.People == "" {
			f = append(f, apperr.Field("people", "err.required"))
		}
		if len(f) > 0 {
			return apperr.Fields(f...)
		}
		return nil
	}, func(o *op, asg *Assignment) error {
		face := in.Method == ByFace || in.Method == ByMeeting
		var id int64
		err := o.tx.QueryRowContext(ctx, `INSERT INTO proposal_contacts (committee_id, proposal_id, assignment_id, round, contact_on,
			method, face_to_face, people, note, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
			o.p.CommitteeID, o.p.ID, asg.ID, o.p.Round, in.On, in.Method, face, in.People, in.Note, nullID(actor.UserID), stamp(ctx)).Scan(&id)
		if err != nil {
			return err
		}
		return o.audit("proposal.contact", "proposal_contact", id, nil, in)
	})
}

// ReplyInput is a unit's reply.
type ReplyInput struct {
	ResultClass  string // a code of the committee's result classes (A/B/C)
	Body         string
	Signer       string      // 签发领导: the leader who signed the letter
	ContactName  string      // 联系人
	ContactPhone string      // a mainland mobile or a landline with area code
	Letter       *LetterFile // 答复函, the sealed letter; nil keeps the one already uploaded
}

// LetterFile is an uploaded reply letter (答复函): accepted by its bytes, like
// every attachment (SniffType).
type LetterFile struct {
	Name string
	Data []byte
}

// MaxReplyShort bounds the reply's signer and contact name.
const MaxReplyShort = 50

// checkLetter refuses a letter too large or of a type attachments may not have,
// before anything is written; it returns the letter's content type.
func checkLetter(l *LetterFile) (string, error) {
	l.Name = strings.TrimSpace(l.Name)
	if l.Name == "" {
		l.Name = "答复函"
	}
	if len(l.Data) == 0 {
		return "", invalid("letter", "err.required")
	}
	if len(l.Data) > MaxAttachment {
		args := map[string]any{"MaxMiB": MaxAttachment >> 20}
		e := apperr.New(apperr.TooLarge, "err.proposal.attachment_too_large", args)
		e.Fields = []apperr.FieldError{apperr.Field("letter", "err.proposal.attachment_too_large", args)}
		return "", e
	}
	ct, ok := SniffType(l.Data)
	if !ok {
		return "", invalid("letter", "err.proposal.attachment_type")
	}
	return ct, nil
}

// DraftReply writes or rewrites the acting unit's reply for the current round.
func (s *Service) DraftReply(ctx context.Context, actor *auth.Actor, ref Ref, in ReplyInput) (*Proposal, error) {
	in.Body = strings.TrimSpace(in.Body)
	in.Signer, in.ContactName = strings.TrimSpace(in.Signer), strings.TrimSpace(in.ContactName)
	in.ContactPhone = org.NormalizePhone(in.ContactPhone)
	var letterType string
	if in.Letter != nil {
		var err error
		if letterType, err = checkLetter(in.Letter); err != nil {
			return nil, err
		}
	}
	return s.unitStep(ctx, actor, ref, ActDraftReply, in.ResultClass, func(o *op, asg *Assignment) error {
		var f []apperr.FieldError
		classes, err := listClasses(ctx, o.tx, o.p.CommitteeID)
		if err != nil {
			return err
		}
		if _, ok := findClass(classes, in.ResultClass); !ok {
			f = append(f, apperr.Field("result_class", "err.proposal.bad_choice"))
		}
		if in.Body == "" {
			f = append(f, apperr.Field("body", "err.required"))
		} else if len([]rune(in.Body)) > MaxText {
			f = append(f, apperr.Field("body", "err.proposal.too_long", map[string]any{"Max": MaxText}))
		}
		for _, v := range []struct{ field, val string }{{"signer", in.Signer}, {"contact_name", in.ContactName}} {
			if len([]rune(v.val)) > MaxReplyShort {
				f = append(f, apperr.Field(v.field, "err.proposal.too_long", map[string]any{"Max": MaxReplyShort}))
			}
		}
		if in.ContactPhone != "" && !org.ValidPhone(in.ContactPhone) {
			f = append(f, apperr.Field("contact_phone", "err.org.phone_invalid"))
		}
		if len(f) > 0 {
			return apperr.Fields(f...)
		}
		return nil
	}, func(o *op, asg *Assignment) error {
		r, err := replyFor(ctx, o.tx, asg.ID, o.p.Round)
		if err != nil {
			return err
		}
		now := stamp(ctx)
		// What the audit keeps: the letter by name and size, never its bytes.
		after := map[string]any{"class": in.ResultClass, "body": in.Body, "signer": in.Signer,
			"contact_name": in.ContactName, "contact_phone": in.ContactPhone}
		var letterID sql.NullInt64
		if r != nil && r.Letter != nil {
			letterID = sql.NullInt64{Int64: r.Letter.ID, Valid: true}
		}
		if in.Letter != nil {
			// A new letter replaces the one of this round's draft.
			if letterID.Valid {
				if _, err := o.tx.ExecContext(ctx, `DELETE FROM proposal_attachments WHERE id = $1 AND kind = 'reply_letter'`, letterID.Int64); err != nil {
					return err
				}
			}
			err := o.tx.QueryRowContext(ctx, `INSERT INTO proposal_attachments (committee_id, proposal_id, name, content_type, size,
				content, uploaded_by, created_at, kind) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'reply_letter') RETURNING id`,
				o.p.CommitteeID, o.p.ID, in.Letter.Name, letterType, len(in.Letter.Data), in.Letter.Data, nullID(actor.UserID), now).Scan(&letterID.Int64)
			if err != nil {
				return err
			}
			letterID.Valid = true
			after["letter"] = map[string]any{"id": letterID.Int64, "name": in.Letter.Name, "size": len(in.Letter.Data), "content_type": letterType}
		}
		if r == nil {
			var id int64
			err = o.tx.QueryRowContext(ctx, `INSERT INTO proposal_replies (committee_id, proposal_id, assignment_id, round, result_class,
				drafted_class, body, status, drafted_by, drafted_at, signer, contact_name, contact_phone, letter_id)
				VALUES ($1,$2,$3,$4,$5,$5,$6,'drafted',$7,$8,$9,$10,$11,$12) RETURNING id`,
				o.p.CommitteeID, o.p.ID, asg.ID, o.p.Round, in.ResultClass, in.Body, nullID(actor.UserID), now,
				in.Signer, in.ContactName, in.ContactPhone, letterID).Scan(&id)
			if err != nil {
				return err
			}
			return o.audit("proposal.draft_reply", "proposal_reply", id, nil, after)
		}
		_, err = o.tx.ExecContext(ctx, `UPDATE proposal_replies SET result_class = $1, drafted_class = $1, body = $2, status = 'drafted',
			drafted_by = $3, drafted_at = $4, signer = $5, contact_name = $6, contact_phone = $7, letter_id = $8,
			version = version + 1 WHERE id = $9`, in.ResultClass, in.Body, nullID(actor.UserID), now,
			in.Signer, in.ContactName, in.ContactPhone, letterID, r.ID)
		if err != nil {
			return err
		}
		return o.audit("proposal.draft_reply", "proposal_reply", r.ID, map[string]any{"class": r.ResultClass, "body": r.Body,
			"signer": r.Signer, "contact_name": r.ContactName, "contact_phone": r.ContactPhone}, after)
	})
}

// leadAssignment returns the 会办 lead assignment.
func (o *op) leadAssignment() (*Assignment, error) {
	as, err := o.loadAssignments()
	if err != nil {
		return nil, err
	}
	for i := range as {
		if as[i].Role == RoleLead {
			return &as[i], nil
		}
	}
	return nil, apperr.New(apperr.Conflict, "err.proposal.nothing_to_countersign")
}

// Countersign records the acting co-unit's agreement to the lead unit's drafted
// reply (会签), with an optional opinion.
func (s *Service) Countersign(ctx context.Context, actor *auth.Actor, ref Ref, opinion string) (*Proposal, error) {
	opinion = strings.TrimSpace(opinion)
	var replyID int64
	return s.unitStep(ctx, actor, ref, ActCountersign, opinion, func(o *op, asg *Assignment) error {
		lead, err := o.leadAssignment()
		if err != nil {
			return err
		}
		r, err := replyFor(ctx, o.tx, lead.ID, o.p.Round)
		if err != nil {
			return err
		}
		if r == nil || lead.State != ReplyDrafted {
			return apperr.New(apperr.Conflict, "err.proposal.nothing_to_countersign")
		}
		replyID = r.ID
		return nil
	}, func(o *op, asg *Assignment) error {
		var id int64
		err := o.tx.QueryRowContext(ctx, `INSERT INTO proposal_countersigns (committee_id, reply_id, assignment_id, opinion, user_id, at)
			VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`, o.p.CommitteeID, replyID, asg.ID, opinion, nullID(actor.UserID), stamp(ctx)).Scan(&id)
		if err != nil {
			return err
		}
		if err := o.audit("proposal.countersign", "proposal_countersign", id, nil, map[string]any{"reply": replyID, "opinion": opinion}); err != nil {
			return err
		}
		lead, err := o.leadAssignment()
		if err != nil {
			return err
		}
		users, err := o.unitUsers(lead.UnitID)
		if err != nil {
			return err
		}
		return o.notify(users, "countersigned")
	})
}

// SubmitReply sends the acting unit's drafted reply to the office for review; a
// 会办 lead unit needs every co-unit's countersign first.
func (s *Service) SubmitReply(ctx context.Context, actor *auth.Actor, ref Ref) (*Proposal, error) {
	return s.unitStep(ctx, actor, ref, ActSubmitReply, "", func(o *op, asg *Assignment) error {
		if asg.Role != RoleLead {
			return nil
		}
		as, err := o.loadAssignments()
		if err != nil {
			return err
		}
		for _, a := range as {
			if a.Role == RoleCo && a.State != Countersigned {
				return apperr.New(apperr.Conflict, "err.proposal.countersign_missing", map[string]any{"Unit": a.UnitName})
			}
		}
		return nil
	}, func(o *op, asg *Assignment) error {
		if _, err := o.tx.ExecContext(ctx, `UPDATE proposal_replies SET status = 'review', submitted_at = $1, submitted_on = $2,
			version = version + 1 WHERE assignment_id = $3 AND round = $4`, stamp(ctx), o.today, asg.ID, o.p.Round); err != nil {
			return err
		}
		if err := o.auditReply("proposal.submit_reply", asg.ID, map[string]any{"status": "review"}); err != nil {
			return err
		}
		users, err := o.officeUsers()
		if err != nil {
			return err
		}
		return o.notify(users, "reply_submitted")
	})
}

// SendBack returns a reply under review to its unit with a note (proposal office).
func (s *Service) SendBack(ctx context.Context, actor *auth.Actor, ref Ref, assignmentID int64, note string) (*Proposal, error) {
	note = strings.TrimSpace(note)
	return s.officeStep(ctx, actor, ref, assignmentID, ActSendBack, note, func(o *op, asg *Assignment) error {
		if note == "" {
			return invalid("note", "err.required")
		}
		return nil
	}, func(o *op, asg *Assignment) error {
		if _, err := o.tx.ExecContext(ctx, `UPDATE proposal_replies SET status = 'sent_back', review_note = $1, reviewed_by = $2,
			version = version + 1 WHERE assignment_id = $3 AND round = $4`, note, nullID(actor.UserID), asg.ID, o.p.Round); err != nil {
			return err
		}
		if err := o.auditReply("proposal.send_back", asg.ID, map[string]any{"status": "sent_back", "review_note": note}); err != nil {
			return err
		}
		users, err := o.unitUsers(asg.UnitID)
		if err != nil {
			return err
		}
		return o.notify(users, "reply_sent_back")
	})
}

// Approve accepts a reply under review and delivers it (proposal office). The
// office may change the result class (resultClass ""): keep the unit's). When
// every replying unit has replied, the proposal is REPLIED and the signers are
// asked to evaluate.
func (s *Service) Approve(ctx context.Context, actor *auth.Actor, ref Ref, assignmentID int64, resultClass, note string) (*Proposal, error) {
	note = strings.TrimSpace(note)
	var r *Reply
	return s.officeStep(ctx, actor, ref, assignmentID, ActApprove, note, func(o *op, asg *Assignment) error {
		var err error
		if r, err = replyFor(ctx, o.tx, asg.ID, o.p.Round); err != nil {
			return err
		}
		if r == nil {
			return apperr.New(apperr.Conflict, "err.proposal.no_reply")
		}
		if resultClass == "" {
			resultClass = r.ResultClass
		}
		classes, err := listClasses(ctx, o.tx, o.p.CommitteeID)
		if err != nil {
			return err
		}
		if _, ok := findClass(classes, resultClass); !ok {
			return invalid("result_class", "err.proposal.bad_choice")
		}
		asg.RepliedOn = o.today
		return nil
	}, func(o *op, asg *Assignment) error {
		if _, err := o.tx.ExecContext(ctx, `UPDATE proposal_replies SET status = 'delivered', result_class = $1, review_note = $2,
			reviewed_by = $3, delivered_on = $4, delivered_at = $5, version = version + 1 WHERE id = $6`,
			resultClass, note, nullID(actor.UserID), o.today, stamp(ctx), r.ID); err != nil {
			return err
		}
		if err := o.audit("proposal.approve", "proposal_reply", r.ID, map[string]any{"class": r.ResultClass, "status": r.Status},
			map[string]any{"class": resultClass, "status": "delivered"}); err != nil {
			return err
		}
		users, err := o.unitUsers(asg.UnitID)
		if err != nil {
			return err
		}
		if err := o.notify(users, "reply_approved"); err != nil {
			return err
		}
		as, err := o.loadAssignments()
		if err != nil {
			return err
		}
		if Aggregate(as, o.p.Round) == Replied {
			users, err := o.signerUsers(Signed)
			if err != nil {
				return err
			}
			if err := o.notify(users, "replied"); err != nil {
				return err
			}
			if replayOf(ctx) != nil { // a replayed reply tells nobody (see op.notify)
				return nil
			}
			// Proposers of proposals merged into this one get the reply too (并案).
			merged, err := db.Column[int64](ctx, o.tx, `SELECT DISTINCT m.person_id FROM proposals x JOIN proposal_signers s ON s.proposal_id = x.id
				JOIN memberships m ON m.id = s.membership_id
				WHERE x.committee_id = $1 AND x.merged_into = $2 AND s.status = 'signed'`, o.p.CommitteeID, o.p.ID)
			if err != nil || len(merged) == 0 {
				return err
			}
			users, err = notify.UsersOfPeople(ctx, o.tx, o.p.CommitteeID, merged...)
			if err != nil {
				return err
			}
			return o.notify(users, "merged_replied")
		}
		return nil
	})
}

// auditReply records a reply's status change of this round; the reply row is
// looked up after the update, so the entry names the row that changed.
func (o *op) auditReply(action string, assignmentID int64, after map[string]any) error {
	var id int64
	err := o.tx.QueryRowContext(o.ctx, `SELECT id FROM proposal_replies WHERE assignment_id = $1 AND round = $2`,
		assignmentID, o.p.Round).Scan(&id)
	if err != nil {
		return err
	}
	return o.audit(action, "proposal_reply", id, nil, after)
}
