package proposal

import (
	"context"
	"database/sql"
	"errors"

	"lvzhi/internal/auth"
)

// Who may read a unit's reply (its body, class, letter 答复函, signer, contact
// and the office's review note) depends on its status. Once delivered
// (送达), everyone who may read the proposal. Before that (drafted, under
// review, sent back) the reply is the handling side's working paper: only
// the proposal office of the proposal's committee, the unit that writes it
// and, in 会办, the other units of the 会办 (co-units countersign the lead's
// draft, and the lead reads their opinions). The proposer, co-signers,
// leaders, other units and everyone else see it when the office delivers it.
//
// Get leaves the replies an actor may not read out of Detail.Replies (and the
// notes of the draft's timeline steps; of a delivered reply, the class the
// unit drafted and the office's review note), and AttachmentContent refuses their
// letters as not found, like a proposal the actor may not read.

// draftNoteActions are the timeline steps whose note belongs to an undelivered
// reply: the drafted class, a co-unit's countersign opinion, the office's
// reason for sending it back.
var draftNoteActions = map[Action]bool{ActDraftReply: true, ActCountersign: true, ActSendBack: true}

// draftReader returns whether the actor may read the undelivered reply of
// the assignment with a given id on this proposal.
func (o *op) draftReader() (func(assignmentID int64) bool, error) {
	if o.actor != nil && o.actor.CommitteeID == o.p.CommitteeID && auth.Can(o.actor, PermReview) {
		return func(int64) bool { return true }, nil
	}
	mine, err := o.myAssignment()
	if err != nil || mine == nil {
		return func(int64) bool { return false }, err
	}
	as, err := o.loadAssignments()
	if err != nil {
		return nil, err
	}
	role := map[int64]AssignRole{}
	for _, a := range as {
		role[a.ID] = a.Role
	}
	joint := func(r AssignRole) bool { return r == RoleLead || r == RoleCo }
	return func(id int64) bool {
		r, ok := role[id]
		return id == mine.ID || ok && joint(r) && joint(mine.Role)
	}, nil
}

// hideDrafts removes from d what the actor may not read of undelivered replies.
func (o *op) hideDrafts(d *Detail) error {
	reads, err := o.draftReader()
	if err != nil {
		return err
	}
	kept := d.Replies[:0]
	for _, r := range d.Replies {
		switch {
		case reads(r.AssignmentID):
		case r.Status == "delivered": // the delivered reply, not how it got there
			r.DraftedClass, r.ReviewNote = "", ""
		default:
			continue
		}
		kept = append(kept, r)
	}
	d.Replies = kept
	for i := range d.Events {
		if e := &d.Events[i]; draftNoteActions[Action(e.Action)] && e.AssignmentID != 0 && !reads(e.AssignmentID) {
			e.Note = ""
		}
	}
	return nil
}

// readsLetter reports whether the actor may download reply letter
// attachmentID: the letter of a reply the actor may read. A letter no reply
// holds is nobody's to read.
func (o *op) readsLetter(ctx context.Context, attachmentID int64) (bool, error) {
	var asgID int64
	var status string
	err := o.tx.QueryRowContext(ctx, `SELECT assignment_id, status FROM proposal_replies WHERE letter_id = $1 AND proposal_id = $2`,
		attachmentID, o.p.ID).Scan(&asgID, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil || status == "delivered" {
		return err == nil, err
	}
	reads, err := o.draftReader()
	if err != nil {
		return false, err
	}
	return reads(asgID), nil
}
