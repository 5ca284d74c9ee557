package proposal

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Limits on what a proposal holds.
const (
	MaxTitle       = 100      // characters
	MaxText        = 20000    // characters per text field
	MaxAttachment  = 10 << 20 // bytes per attachment (10 MiB)
	MaxAttachments = 10       // per proposal
	MaxCoSigners   = 50       // per joint proposal
)

// Content is what a proposer writes.
type Content struct {
	SessionID      int64    // 0: the committee's current session
	Kind           Kind     // individual, joint or body
	BodyType       BodyType // body proposals only
	BodyName       string   // body proposals only, e.g. 民盟富源县支部
	Theme          Theme
	Title          string
	Matter         string  // 案由
	Analysis       string  // 情况分析
	Suggestions    string  // 具体建议
	CoSigners      []int64 // memberships invited to co-sign (joint only)
	PublishConsent bool    // the proposer agrees to publication of the reply
}

func (c *Content) trim() {
	c.BodyName, c.Title = strings.TrimSpace(c.BodyName), strings.TrimSpace(c.Title)
	c.Matter, c.Analysis, c.Suggestions = strings.TrimSpace(c.Matter), strings.TrimSpace(c.Analysis), strings.TrimSpace(c.Suggestions)
}

// validate checks the content; complete also requires the texts (to submit).
func (c *Content) validate(complete bool) []apperr.FieldError {
	var f []apperr.FieldError
	if !slices.Contains([]Kind{Individual, Joint, Body}, c.Kind) {
		f = append(f, apperr.Field("kind", "err.proposal.bad_choice"))
	}
	if !slices.Contains(Themes, c.Theme) {
		f = append(f, apperr.Field("theme", "err.proposal.bad_choice"))
	}
	if c.Title == "" {
		f = append(f, apperr.Field("title", "err.required"))
	} else if utf8.RuneCountInString(c.Title) > MaxTitle {
		f = append(f, apperr.Field("title", "err.proposal.too_long", map[string]any{"Max": MaxTitle}))
	}
	for _, t := range []struct{ name, v string }{{"matter", c.Matter}, {"analysis", c.Analysis}, {"suggestions", c.Suggestions}} {
		if utf8.RuneCountInString(t.v) > MaxText {
			f = append(f, apperr.Field(t.name, "err.proposal.too_long", map[string]any{"Max": MaxText}))
		} else if complete && t.v == "" {
			f = append(f, apperr.Field(t.name, "err.required"))
		}
	}
	switch c.Kind {
	case Body:
		if !slices.Contains(BodyTypes, c.BodyType) {
			f = append(f, apperr.Field("body_type", "err.proposal.bad_choice"))
		}
		if c.BodyName == "" {
			f = append(f, apperr.Field("body_name", "err.required"))
		}
	default:
		if c.BodyType != "" || c.BodyName != "" {
			f = append(f, apperr.Field("body_name", "err.proposal.body_only"))
		}
	}
	switch {
	case c.Kind == Joint && len(c.CoSigners) == 0 && complete:
		f = append(f, apperr.Field("co_signers", "err.proposal.cosigners_required"))
	case c.Kind != Joint && len(c.CoSigners) > 0:
		f = append(f, apperr.Field("co_signers", "err.proposal.cosigners_joint_only"))
	case len(c.CoSigners) > MaxCoSigners:
		f = append(f, apperr.Field("co_signers", "err.proposal.too_many", map[string]any{"Max": MaxCoSigners}))
	}
	return f
}

// checkCoSigners verifies the invited memberships: distinct, active, of the
// session's term, and not the first proposer.
func checkCoSigners(ctx context.Context, q db.Querier, committeeID, sessionID, firstID int64, ids []int64) []apperr.FieldError {
	seen := map[int64]bool{}
	for _, id := range ids {
		if id == firstID || seen[id] {
			return []apperr.FieldError{apperr.Field("co_signers", "err.proposal.cosigner_duplicate")}
		}
		seen[id] = true
		var n int
		err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships m JOIN plenary_sessions s ON s.term_id = m.term_id
			WHERE m.id = $1 AND m.committee_id = $2 AND s.id = $3 AND m.status = 'active'`, id, committeeID, sessionID).Scan(&n)
		if err != nil || n == 0 {
			return []apperr.FieldError{apperr.Field("co_signers", "err.proposal.cosigner_unknown")}
		}
	}
	return nil
}

// CurrentSession returns the session a proposal submitted on day belongs to:
// the latest whose submission window opened on or before day, else the next one.
func CurrentSession(ctx context.Context, q db.Querier, committeeID int64, day civil.Date) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM plenary_sessions WHERE committee_id = $1 AND submit_from <= $2
		ORDER BY submit_from DESC, id DESC LIMIT 1`, committeeID, day).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = q.QueryRowContext(ctx, `SELECT id FROM plenary_sessions WHERE committee_id = $1 ORDER BY submit_from, id LIMIT 1`,
			committeeID).Scan(&id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, invalid("session_id", "err.proposal.no_session")
	}
	return id, err
}

// SessionNow is the session a proposal the actor drafts today would belong to
// (see CurrentSession), in the actor's committee.
func (s *Service) SessionNow(ctx context.Context, actor *auth.Actor) (int64, error) {
	if actor == nil {
		return 0, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	return CurrentSession(ctx, s.DB, actor.CommitteeID, s.today())
}

// resolveSession fills in and checks the session of the content.
func resolveSession(ctx context.Context, q db.Querier, committeeID int64, c *Content, today civil.Date) (*session, error) {
	if c.SessionID == 0 {
		id, err := CurrentSession(ctx, q, committeeID, today)
		if err != nil {
			return nil, err
		}
		c.SessionID = id
	}
	ss, err := loadSession(ctx, q, committeeID, c.SessionID)
	if err != nil {
		return nil, err
	}
	if ss == nil {
		return nil, invalid("session_id", "err.proposal.no_session")
	}
	return ss, nil
}

// categoryOn returns 大会 inside the session's submission window, 平时 otherwise.
func categoryOn(ss *session, day civil.Date) Category {
	if !day.Before(ss.SubmitFrom) && !day.After(ss.SubmitTo) {
		return Plenary
	}
	return Regular
}

// Create starts a draft by the acting member, who is its first proposer.
func (s *Service) Create(ctx context.Context, actor *auth.Actor, in Content) (*Proposal, error) {
	if actor == nil || !auth.Can(actor, PermSubmit) || actor.PersonID == 0 {
		return nil, forbidden(ActCreate)
	}
	if _, err := check(New, ActCreate, []Relation{RelMember}); err != nil {
		return nil, err
	}
	in.trim()
	if f := in.validate(false); len(f) > 0 {
		return nil, apperr.Fields(f...)
	}
	var out *Proposal
	err := s.tx(ctx, func(tx *sql.Tx) error {
		today := s.dayOf(ctx)
		ss, err := resolveSession(ctx, tx, actor.CommitteeID, &in, today)
		if err != nil {
			return err
		}
		mid, err := membershipOf(ctx, tx, actor.CommitteeID, ss.ID, actor.PersonID)
		if err != nil {
			return err
		}
		if mid == 0 {
			return apperr.New(apperr.Forbidden, "err.proposal.not_a_member")
		}
		if f := checkCoSigners(ctx, tx, actor.CommitteeID, ss.ID, mid, in.CoSigners); len(f) > 0 {
			return apperr.Fields(f...)
		}
		p := newProposal(actor.CommitteeID, ss, in, Draft)
		p.FirstProposerID, p.CreatedBy = mid, actor.UserID
		if err := insertProposal(ctx, tx, p); err != nil {
			return err
		}
		if err := writeSigners(ctx, tx, p, mid, in.CoSigners, Invited); err != nil {
			return err
		}
		o := &op{s: s, ctx: ctx, tx: tx, actor: actor, p: p, today: today}
		if err := o.event(0, ActCreate, New, Draft, ""); err != nil {
			return err
		}
		if err := o.audit("proposal.create", "proposal", p.ID, nil, auditView(p)); err != nil {
			return err
		}
		out = p
		return nil
	})
	if err != nil {
		return nil, err
	}
	return loadProposal(ctx, s.q(ctx), out.ID)
}

func newProposal(committeeID int64, ss *session, in Content, st State) *Proposal {
	return &Proposal{CommitteeID: committeeID, SessionID: ss.ID, Year: ss.Year, Kind: in.Kind, BodyType: in.BodyType,
		BodyName: in.BodyName, Theme: in.Theme, Title: in.Title, Matter: in.Matter, Analysis: in.Analysis,
		Suggestions: in.Suggestions, State: st, Round: 1, PublishConsent: in.PublishConsent}
}

func writeSigners(ctx context.Context, tx *sql.Tx, p *Proposal, first int64, co []int64, coStatus SignerStatus) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM proposal_signers WHERE proposal_id = $1`, p.ID); err != nil {
		return err
	}
	if err := insertSigner(ctx, tx, p, first, "first", Signed, 0); err != nil {
		return err
	}
	for i, m := range co {
		if err := insertSigner(ctx, tx, p, m, "co", coStatus, i+1); err != nil {
			return err
		}
	}
	return nil
}

// Update replaces the content of a draft or a returned proposal (first proposer).
// Co-signers can change only in a draft: after signing they signed this text.
func (s *Service) Update(ctx context.Context, actor *auth.Actor, ref Ref, in Content) (*Proposal, error) {
	in.trim()
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActEdit, ""); err != nil {
			return err
		}
		in.SessionID = o.p.SessionID // the session does not change
		if f := in.validate(false); len(f) > 0 {
			return apperr.Fields(f...)
		}
		if o.p.State == Returned {
			ss, err := o.loadSigners()
			if err != nil {
				return err
			}
			var co []int64
			for _, sg := range ss {
				if sg.Role == "co" && sg.Status == Signed {
					co = append(co, sg.MembershipID)
				}
			}
			if in.Kind != o.p.Kind || !sameSet(co, in.CoSigners) {
				return invalid("co_signers", "err.proposal.cosigners_fixed")
			}
		} else {
			if f := checkCoSigners(o.ctx, o.tx, o.p.CommitteeID, o.p.SessionID, o.p.FirstProposerID, in.CoSigners); len(f) > 0 {
				return apperr.Fields(f...)
			}
			if err := writeSigners(o.ctx, o.tx, o.p, o.p.FirstProposerID, in.CoSigners, Invited); err != nil {
				return err
			}
			o.p.Kind = in.Kind
		}
		o.p.BodyType, o.p.BodyName, o.p.Theme, o.p.Title = in.BodyType, in.BodyName, in.Theme, in.Title
		o.p.Matter, o.p.Analysis, o.p.Suggestions, o.p.PublishConsent = in.Matter, in.Analysis, in.Suggestions, in.PublishConsent
		return o.finish(ActEdit)
	})
}

func sameSet(a, b []int64) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// content returns the proposal's current content, for validation on submission.
func (o *op) content() (Content, error) {
	ss, err := o.loadSigners()
	if err != nil {
		return Content{}, err
	}
	c := Content{SessionID: o.p.SessionID, Kind: o.p.Kind, BodyType: o.p.BodyType, BodyName: o.p.BodyName, Theme: o.p.Theme,
		Title: o.p.Title, Matter: o.p.Matter, Analysis: o.p.Analysis, Suggestions: o.p.Suggestions}
	for _, sg := range ss {
		if sg.Role == "co" {
			c.CoSigners = append(c.CoSigners, sg.MembershipID)
		}
	}
	return c, nil
}

// AddAttachment stores a file with a draft or returned proposal (first
// proposer). Its type is taken from its bytes (SniffType), not from
// contentType (what the browser claimed, ignored): a file of another kind is
// refused.
func (s *Service) AddAttachment(ctx context.Context, actor *auth.Actor, ref Ref, name, contentType string, data []byte) (*Attachment, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, invalid("file", "err.required")
	}
	if len(data) > MaxAttachment {
		e := apperr.New(apperr.TooLarge, "err.proposal.attachment_too_large", map[string]any{"MaxMiB": MaxAttachment >> 20})
		e.Fields = []apperr.FieldError{apperr.Field("file", "err.proposal.attachment_too_large", map[string]any{"MaxMiB": MaxAttachment >> 20})}
		return nil, e
	}
	// The type is what the bytes are, whatever the browser claimed.
	contentType, ok := SniffType(data)
	if !ok {
		return nil, invalid("file", "err.proposal.attachment_type")
	}
	var att Attachment
	_, err := s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActAttach, name); err != nil {
			return err
		}
		var n int
		if err := o.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM proposal_attachments WHERE proposal_id = $1 AND kind = 'file'`, o.p.ID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxAttachments {
			return invalid("file", "err.proposal.too_many", map[string]any{"Max": MaxAttachments})
		}
		att = Attachment{Name: name, ContentType: contentType, Size: int64(len(data)), CreatedAt: db.Now()}
		err := o.tx.QueryRowContext(ctx, `INSERT INTO proposal_attachments (committee_id, proposal_id, name, content_type, size,
			content, uploaded_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
			o.p.CommitteeID, o.p.ID, name, contentType, att.Size, data, nullID(actor.UserID), att.CreatedAt).Scan(&att.ID)
		if err != nil {
			return err
		}
		if err := o.audit("proposal.attach", "proposal_attachment", att.ID, nil, att); err != nil {
			return err
		}
		return o.finish(ActAttach)
	})
	if err != nil {
		return nil, err
	}
	return &att, nil
}

// RemoveAttachment deletes a file of a draft or returned proposal (first proposer).
func (s *Service) RemoveAttachment(ctx context.Context, actor *auth.Actor, ref Ref, attachmentID int64) error {
	_, err := s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActAttach, "-"); err != nil {
			return err
		}
		var a Attachment
		err := o.tx.QueryRowContext(ctx, `SELECT id, name, content_type, size FROM proposal_attachments WHERE id = $1 AND proposal_id = $2 AND kind = 'file'`,
			attachmentID, o.p.ID).Scan(&a.ID, &a.Name, &a.ContentType, &a.Size)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := o.tx.ExecContext(ctx, `DELETE FROM proposal_attachments WHERE id = $1`, a.ID); err != nil {
			return err
		}
		if err := o.audit("proposal.detach", "proposal_attachment", a.ID, a, nil); err != nil {
			return err
		}
		return o.finish(ActAttach)
	})
	return err
}

// AttachmentContent returns a file of a proposal the actor may see; a reply
// letter (答复函) only to those who may read its reply (reply_sight.go).
func (s *Service) AttachmentContent(ctx context.Context, actor *auth.Actor, proposalID, attachmentID int64) (*Attachment, []byte, error) {
	var a Attachment
	var data []byte
	err := s.readVisible(ctx, actor, proposalID, func(o *op) error {
		var at db.Time
		var kind string
		err := o.tx.QueryRowContext(ctx, `SELECT id, name, content_type, size, content, created_at, kind FROM proposal_attachments
			WHERE id = $1 AND proposal_id = $2`, attachmentID, proposalID).Scan(&a.ID, &a.Name, &a.ContentType, &a.Size, &data, &at, &kind)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		a.CreatedAt = at.Time
		if kind == "file" {
			return nil
		}
		ok, err := o.readsLetter(ctx, a.ID)
		if err == nil && !ok {
			err = apperr.ErrNotFound
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return &a, data, nil
}

// StartSigning invites the co-signers of a joint draft to sign before deadline
// (zero: the committee's signing period in working days from today).
func (s *Service) StartSigning(ctx context.Context, actor *auth.Actor, ref Ref, deadline civil.Date) (*Proposal, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActStartSign, ""); err != nil {
			return err
		}
		c, err := o.content()
		if err != nil {
			return err
		}
		if c.Kind != Joint {
			return invalid("kind", "err.proposal.not_joint")
		}
		if f := c.validate(true); len(f) > 0 {
			return apperr.Fields(f...)
		}
		if deadline.IsZero() {
			st, err := loadSettings(ctx, o.tx, o.p.CommitteeID)
			if err != nil {
				return err
			}
			cal, err := loadCalendar(ctx, o.tx, o.p.CommitteeID)
			if err != nil {
				return err
			}
			deadline = cal.AddWorkdays(o.today, st.SigningWorkdays)
		} else if !deadline.After(o.today) || deadline.After(o.today.AddDays(60)) {
			return invalid("deadline", "err.proposal.bad_deadline")
		}
		o.p.SigningDeadline = deadline
		if _, err := o.tx.ExecContext(ctx, `UPDATE proposal_signers SET status = 'invited', responded_at = NULL
			WHERE proposal_id = $1 AND role = 'co'`, o.p.ID); err != nil {
			return err
		}
		o.loadedS = false
		if err := o.finish(ActStartSign); err != nil {
			return err
		}
		users, err := o.signerUsers(Invited)
		if err != nil {
			return err
		}
		return o.notify(users, "invited")
	})
}

// CancelSigning takes a joint proposal back to draft (first proposer), e.g. to change co-signers.
func (s *Service) CancelSigning(ctx context.Context, actor *auth.Actor, ref Ref) (*Proposal, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActCancelSign, ""); err != nil {
			return err
		}
		o.p.SigningDeadline = civil.Date{}
		return o.finish(ActCancelSign)
	})
}

// Sign records the acting co-signer's signature, before the deadline.
func (s *Service) Sign(ctx context.Context, actor *auth.Actor, ref Ref) (*Proposal, error) {
	return s.respond(ctx, actor, ref, ActSign, Signed)
}

// DeclineSign records that the acting co-signer declines to sign.
func (s *Service) DeclineSign(ctx context.Context, actor *auth.Actor, ref Ref) (*Proposal, error) {
	return s.respond(ctx, actor, ref, ActDeclineSign, Declined)
}

func (s *Service) respond(ctx context.Context, actor *auth.Actor, ref Ref, a Action, status SignerStatus) (*Proposal, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(a, ""); err != nil {
			return err
		}
		me, err := o.mySigner()
		if err != nil {
			return err
		}
		if me.Status != Invited {
			return apperr.New(apperr.Conflict, "err.proposal.already_answered")
		}
		if o.today.After(o.p.SigningDeadline) {
			return apperr.New(apperr.Conflict, "err.proposal.signing_expired")
		}
		if err := setSignerStatus(ctx, o.tx, me.ID, status); err != nil {
			return err
		}
		if err := o.audit("proposal."+string(a), "proposal_signer", me.ID, map[string]any{"status": me.Status},
			map[string]any{"status": status}); err != nil {
			return err
		}
		if err := o.finish(a); err != nil {
			return err
		}
		users, err := o.firstProposerUsers()
		if err != nil {
			return err
		}
		return o.notify(users, string(a))
	})
}

// Submit hands the proposal to the proposal office (first proposer): an
// individual or body draft, a returned proposal, or a joint proposal whose
// co-signers all answered or whose signing deadline passed (unanswered
// invitations expire; at least one co-signer must have signed).
func (s *Service) Submit(ctx context.Context, actor *auth.Actor, ref Ref) (*Proposal, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		from := o.p.State
		if from == Draft && o.p.Kind == Joint {
			rels, err := o.relations(nil)
			if err != nil {
				return err
			}
			if _, err := check(from, ActSubmit, rels); err != nil {
				return err
			}
			return apperr.New(apperr.Conflict, "err.proposal.sign_first")
		}
		if err := o.move(ActSubmit, ""); err != nil {
			return err
		}
		c, err := o.content()
		if err != nil {
			return err
		}
		if f := c.validate(true); len(f) > 0 {
			return apperr.Fields(f...)
		}
		if from == Signing {
			if err := o.closeSigning(); err != nil {
				return err
			}
		}
		return o.submitted(ActSubmit, o.today)
	})
}

// closeSigning expires unanswered invitations once the deadline passed and
// requires one signature.
func (o *op) closeSigning() error {
	ss, err := o.loadSigners()
	if err != nil {
		return err
	}
	signed, pending := 0, 0
	for _, sg := range ss {
		switch {
		case sg.Role == "co" && sg.Status == Signed:
			signed++
		case sg.Role == "co" && sg.Status == Invited:
			pending++
		}
	}
	if pending > 0 && !o.today.After(o.p.SigningDeadline) {
		return apperr.New(apperr.Conflict, "err.proposal.signing_open")
	}
	if signed == 0 {
		return apperr.New(apperr.Conflict, "err.proposal.no_cosigner")
	}
	if pending > 0 {
		if _, err := o.tx.ExecContext(o.ctx, `UPDATE proposal_signers SET status = 'expired' WHERE proposal_id = $1 AND status = 'invited'`,
			o.p.ID); err != nil {
			return err
		}
		if err := o.audit("proposal.expire_signers", "proposal", o.p.ID, map[string]any{"invited": pending},
			map[string]any{"expired": pending}); err != nil {
			return err
		}
		o.loadedS = false
	}
	return nil
}

// submitted sets the submission date and category, checks the body rule, saves
// and tells the proposal office.
func (o *op) submitted(a Action, on civil.Date) error {
	ss, err := loadSession(o.ctx, o.tx, o.p.CommitteeID, o.p.SessionID)
	if err != nil {
		return err
	}
	o.p.SubmittedOn = on
	o.p.Category = categoryOn(ss, on)
	if o.p.Kind == Body && o.p.Category != Plenary && (o.p.BodyType == BodySector || o.p.BodyType == BodyMemberGroup) {
		return invalid("body_type", "err.proposal.body_plenary_only")
	}
	o.p.ReviewNote = ""
	if err := o.finish(a); err != nil {
		return err
	}
	users, err := o.officeUsers()
	if err != nil {
		return err
	}
	return o.notify(users, "submitted")
}

// Withdraw withdraws a proposal before registration (first proposer; 撤案).
func (s *Service) Withdraw(ctx context.Context, actor *auth.Actor, ref Ref, reason string) (*Proposal, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActWithdraw, strings.TrimSpace(reason)); err != nil {
			return err
		}
		return o.finish(ActWithdraw)
	})
}

// Paper is a paper proposal entered by staff on a member's behalf.
type Paper struct {
	Content
	FirstProposerID int64      // membership of the first proposer
	SubmittedOn     civil.Date // the date on the paper; zero: today
}

// EnterPaper records a paper proposal, signed on paper, as submitted (staff or
// proposal office). The entering user is recorded (entered_by) and on the timeline.
func (s *Service) EnterPaper(ctx context.Context, actor *auth.Actor, in Paper) (*Proposal, error) {
	if actor == nil || !auth.Can(actor, PermEnter) {
		return nil, forbidden(ActEnterPaper)
	}
	var rels []Relation
	for _, r := range actor.Roles {
		rels = append(rels, Relation(r))
	}
	if _, err := check(New, ActEnterPaper, rels); err != nil {
		return nil, err
	}
	in.trim()
	f := in.validate(true)
	today := s.today()
	if in.SubmittedOn.IsZero() {
		in.SubmittedOn = today
	} else if in.SubmittedOn.After(today) {
		f = append(f, apperr.Field("submitted_on", "err.proposal.future_date"))
	}
	if in.FirstProposerID == 0 {
		f = append(f, apperr.Field("first_proposer_id", "err.required"))
	}
	if len(f) > 0 {
		return nil, apperr.Fields(f...)
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		ss, err := resolveSession(ctx, tx, actor.CommitteeID, &in.Content, in.SubmittedOn)
		if err != nil {
			return err
		}
		if fe := checkCoSigners(ctx, tx, actor.CommitteeID, ss.ID, 0, []int64{in.FirstProposerID}); fe != nil {
			return invalid("first_proposer_id", "err.proposal.cosigner_unknown")
		}
		if fe := checkCoSigners(ctx, tx, actor.CommitteeID, ss.ID, in.FirstProposerID, in.CoSigners); len(fe) > 0 {
			return apperr.Fields(fe...)
		}
		p := newProposal(actor.CommitteeID, ss, in.Content, Submitted)
		p.FirstProposerID, p.CreatedBy, p.EnteredBy = in.FirstProposerID, actor.UserID, actor.UserID
		if err := insertProposal(ctx, tx, p); err != nil {
			return err
		}
		if err := writeSigners(ctx, tx, p, in.FirstProposerID, in.CoSigners, Signed); err != nil {
			return err
		}
		o := &op{s: s, ctx: ctx, tx: tx, actor: actor, p: p, before: *p, today: today}
		if err := o.event(0, ActEnterPaper, New, Submitted, ""); err != nil {
			return err
		}
		if err := o.audit("proposal.enter_paper", "proposal", p.ID, nil, auditView(p)); err != nil {
			return err
		}
		id = p.ID
		return o.submitted(ActEnterPaper, in.SubmittedOn)
	})
	if err != nil {
		return nil, err
	}
	return loadProposal(ctx, s.DB, id)
}
