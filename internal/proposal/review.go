package proposal

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

// Return sends a submitted proposal back to the proposer for revision (退回修改);
// the note says what to change and is shown to the proposer.
func (s *Service) Return(ctx context.Context, actor *auth.Actor, ref Ref, note string) (*Proposal, error) {
	note = strings.TrimSpace(note)
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActReturn, note); err != nil {
			return err
		}
		if note == "" {
			return invalid("note", "err.required")
		}
		o.p.ReviewNote = note
		if err := o.finish(ActReturn); err != nil {
			return err
		}
		users, err := o.firstProposerUsers()
		if err != nil {
			return err
		}
		return o.notify(users, "returned")
	})
}

// Register registers a submitted proposal (立案) and gives it the next number
// of its session, e.g. 九届二次-015. Numbers are allocated by an UPDATE …
// RETURNING on the session's counter row in the same transaction, so concurrent
// registrations never share or skip a number.
func (s *Service) Register(ctx context.Context, actor *auth.Actor, ref Ref) (*Proposal, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActRegister, ""); err != nil {
			return err
		}
		seq, err := o.registrationNumber()
		if err != nil {
			return err
		}
		ss, err := loadSession(ctx, o.tx, o.p.CommitteeID, o.p.SessionID)
		if err != nil {
			return err
		}
		o.p.Seq, o.p.Number = seq, DisplayNumber(ss.TermNumber, ss.Number, seq)
		o.p.RegisteredOn, o.p.ReviewNote = o.today, ""
		if err := o.finish(ActRegister); err != nil {
			return err
		}
		users, err := o.signerUsers(Signed)
		if err != nil {
			return err
		}
		return o.notify(users, "registered")
	})
}

// nextNumber allocates the next registration number of a session.
func nextNumber(ctx context.Context, tx *sql.Tx, committeeID, sessionID int64) (int, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO proposal_counters (committee_id, session_id, last) VALUES ($1, $2, 0)
		ON CONFLICT (committee_id, session_id) DO NOTHING`, committeeID, sessionID); err != nil {
		return 0, err
	}
	var n int
	err := tx.QueryRowContext(ctx, `UPDATE proposal_counters SET last = last + 1 WHERE committee_id = $1 AND session_id = $2
		RETURNING last`, committeeID, sessionID).Scan(&n)
	return n, err
}

// DisplayNumber formats a registration number: term 9, session 2, seq 15 → 九届二次-015.
func DisplayNumber(term, session, seq int) string {
	return fmt.Sprintf("%s届%s次-%03d", chineseNumeral(term), chineseNumeral(session), seq)
}

// chineseNumeral writes 1..99 in Chinese numerals (十, 十一, 二十一); others in digits.
func chineseNumeral(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n >= 1 && n <= 9:
		return digits[n]
	case n >= 10 && n <= 19:
		return "十" + digits[n-10]
	case n >= 20 && n <= 99:
		return digits[n/10] + "十" + digits[n%10]
	}
	return fmt.Sprint(n)
}

// Merge merges a submitted (or registered, not yet assigned) proposal into a
// lead proposal of the same committee and session (并案). The lead must be
// registered; the merged proposal's signers follow the lead's reply.
func (s *Service) Merge(ctx context.Context, actor *auth.Actor, ref Ref, leadID int64, note string) (*Proposal, error) {
	note = strings.TrimSpace(note)
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActMerge, note); err != nil {
			return err
		}
		if leadID == o.p.ID {
			return invalid("lead_id", "err.proposal.merge_self")
		}
		lead, err := loadProposal(ctx, o.tx, leadID)
		if err != nil || lead.CommitteeID != o.p.CommitteeID {
			return invalid("lead_id", "err.proposal.merge_lead_unknown")
		}
		if lead.SessionID != o.p.SessionID || lead.Seq == 0 || lead.State == Merged || lead.State == Withdrawn {
			return invalid("lead_id", "err.proposal.merge_lead_state")
		}
		o.p.MergedInto, o.p.ReviewNote = lead.ID, note
		if err := insertEvent(ctx, o.tx, o.actor, lead, 0, "merged_in", lead.State, lead.State,
			fmt.Sprintf("#%d %s", o.p.ID, o.p.Title)); err != nil {
			return err
		}
		if err := o.finish(ActMerge); err != nil {
			return err
		}
		users, err := o.signerUsers(Signed)
		if err != nil {
			return err
		}
		return o.notify(users, "merged")
	})
}

// Decline declines to register a submitted proposal (不予立案) with a reason
// code from the committee's list; the proposer always sees the reason.
func (s *Service) Decline(ctx context.Context, actor *auth.Actor, ref Ref, reasonCode, note string) (*Proposal, error) {
	note = strings.TrimSpace(note)
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActDecline, note); err != nil {
			return err
		}
		if err := ensureLists(ctx, o.tx, o.p.CommitteeID); err != nil {
			return err
		}
		reasons, err := listReasons(ctx, o.tx, o.p.CommitteeID)
		if err != nil {
			return err
		}
		ok := false
		for _, r := range reasons {
			ok = ok || (r.Code == reasonCode && r.Active)
		}
		if !ok {
			return invalid("reason", "err.proposal.bad_choice")
		}
		o.p.DeclineReason, o.p.ReviewNote = reasonCode, note
		if err := o.finish(ActDecline); err != nil {
			return err
		}
		users, err := o.signerUsers(Signed)
		if err != nil {
			return err
		}
		return o.notify(users, "declined")
	})
}

// ConvertHook makes the receiving area's record of a converted proposal
// inside the conversion's transaction, on the conversion's date (the 社情民意
// item: internal/activity registers it). An error undoes the conversion.
type ConvertHook func(ctx context.Context, tx *sql.Tx, actor *auth.Actor, p *Proposal, on civil.Date) error

var convertHooks []ConvertHook

// OnConvert registers a hook every Convert runs (from an init function).
func OnConvert(h ConvertHook) { convertHooks = append(convertHooks, h) }

// ConvertedLookup finds, inside a reading transaction, the id of the receiving
// area's record a proposal became (the 社情民意 item; 0 if none or if the actor
// may not read it), so the proposal links back to it without this area
// reading another's tables (internal/activity registers it).
type ConvertedLookup func(ctx context.Context, tx *sql.Tx, actor *auth.Actor, committeeID, proposalID int64) (int64, error)

var convertedLookup ConvertedLookup

// OnConvertedLookup registers the lookup Get uses for a proposal converted to
// 社情民意 (from an init function).
func OnConvertedLookup(f ConvertedLookup) { convertedLookup = f }

// Convert converts a not-registered proposal into a 社情民意 item or forwards it
// as 意见建议 (once). The registered ConvertHooks make the receiving area's record.
func (s *Service) Convert(ctx context.Context, actor *auth.Actor, ref Ref, target ConvertTarget) (*Proposal, error) {
	return s.run(ctx, actor, ref, func(o *op) error {
		if err := o.move(ActConvert, string(target)); err != nil {
			return err
		}
		if target != ToSQMY && target != ToOpinion {
			return invalid("target", "err.proposal.bad_choice")
		}
		if o.p.ConvertedTo != "" {
			return apperr.New(apperr.Conflict, "err.proposal.already_converted")
		}
		o.p.ConvertedTo = target
		if err := o.finish(ActConvert); err != nil {
			return err
		}
		for _, h := range convertHooks {
			if err := h(o.ctx, o.tx, o.actor, o.p, o.today); err != nil {
				return err
			}
		}
		users, err := o.signerUsers(Signed)
		if err != nil {
			return err
		}
		return o.notify(users, "converted")
	})
}

// SimilarTo suggests proposals like this one (this and past sessions) to the
// reviewing office and to its proposer, through the Similar hook; nil without one.
func (s *Service) SimilarTo(ctx context.Context, actor *auth.Actor, id int64, limit int) ([]Summary, error) {
	p, err := s.visible(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if s.Similar == nil {
		return nil, nil
	}
	return s.Similar.Similar(ctx, p.CommitteeID, p.Title, p.Matter+"\n"+p.Suggestions, p.ID, limit)
}

// registrationNumber is the number Register gives: the next of the session,
// or, for a past record (补录), the proposal's original number, which must be
// free in its session; the session's counter then moves past it, so live
// registrations continue after the highest number entered.
func (o *op) registrationNumber() (int, error) {
	r := replayOf(o.ctx)
	if r == nil || r.seq == 0 {
		return nextNumber(o.ctx, o.tx, o.p.CommitteeID, o.p.SessionID)
	}
	var n int
	if err := o.tx.QueryRowContext(o.ctx, `SELECT COUNT(*) FROM proposals WHERE committee_id = $1 AND session_id = $2 AND seq = $3`,
		o.p.CommitteeID, o.p.SessionID, r.seq).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return 0, invalid("number", "err.proposal.backfill.number_taken", map[string]any{"Seq": r.seq})
	}
	if _, err := o.tx.ExecContext(o.ctx, `INSERT INTO proposal_counters (committee_id, session_id, last) VALUES ($1, $2, 0)
		ON CONFLICT (committee_id, session_id) DO NOTHING`, o.p.CommitteeID, o.p.SessionID); err != nil {
		return 0, err
	}
	_, err := o.tx.ExecContext(o.ctx, `UPDATE proposal_counters SET last = $3 WHERE committee_id = $1 AND session_id = $2 AND last < $3`,
		o.p.CommitteeID, o.p.SessionID, r.seq)
	return r.seq, err
}
