package proposal

import (
	"errors"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

// replySight is what an actor reads of one reply: through Get (the reply, the
// note of its draft step) and through AttachmentContent (its letter).
type replySight struct {
	body, note string
	letter     bool
}

func (f *fx) replySight(t *testing.T, who *auth.Actor, id, letterID int64) (replySight, error) {
	t.Helper()
	d, err := f.svc.Get(f.ctx, who, id)
	if err != nil {
		return replySight{}, err
	}
	var s replySight
	for _, r := range d.Replies {
		if r.Letter != nil && r.Letter.ID == letterID {
			s.body, s.note = r.Body, r.DraftedClass+r.ReviewNote
		}
	}
	for _, e := range d.Events {
		if e.Action == string(ActDraftReply) || e.Action == string(ActSendBack) {
			s.note += e.Note
		}
	}
	_, data, err := f.svc.AttachmentContent(f.ctx, who, id, letterID)
	switch {
	case err == nil:
		s.letter = len(data) > 0
	case !errors.Is(err, apperr.ErrNotFound):
		t.Fatalf("letter as %s: %v", who.Name, err)
	}
	return s, nil
}

// TestReplyDraftSight: before the office delivers a reply, its body, letter
// and notes are the office's and the handling units' only (the drafted class
// and the review notes stay theirs after delivery too): the proposer, a
// co-signer, a leader and another 分办 unit read the proposal without them,
// and guessing the letter's id is refused as not found; a member or unit with
// no tie to the proposal is refused the proposal itself. Delivered, the reply
// is everyone's who reads the proposal. In 会办 the co-unit reads the lead's draft.
func TestReplyDraftSight(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Accepted, func(s *SeedSpec) {
			s.Content.Kind, s.Content.CoSigners = Joint, []int64{f.mids[1]}
			s.Mode, s.Units = Separate, []int64{f.units[0], f.units[1]}
		})
		ref := Ref{ID: p.ID}
		unit := f.unitActors[0]
		if _, err := f.svc.LogContact(f.ctx, unit, ref, ContactInput{On: f.today, Method: ByFace, People: "张三"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.DraftReply(f.ctx, unit, ref, ReplyInput{ResultClass: "B", Body: "草稿正文",
			Letter: &LetterFile{Name: "答复函.pdf", Data: pdfBytes}}); err != nil {
			t.Fatal(err)
		}
		letter := f.get(p.ID).Replies[0].Letter.ID
		readers := map[string]*auth.Actor{"office": f.office, "unit": unit}
		refused := map[string]*auth.Actor{"proposer": f.members[0], "co-signer": f.members[1], "leader": f.leader,
			"admin": f.admin, "other 分办 unit": f.unitActors[1], "foreign office": f.foreignOffice}
		strangers := map[string]*auth.Actor{"other member": f.members[2], "unassigned unit": f.unitActors[2], "foreign member": f.foreignMember}
		check := func(stage string, delivered bool) {
			t.Helper()
			for name, who := range readers {
				if s, err := f.replySight(t, who, p.ID, letter); err != nil || s.body == "" || !s.letter {
					t.Errorf("%s: %s reads %+v (%v), want the reply and its letter", stage, name, s, err)
				}
			}
			for name, who := range refused {
				s, err := f.replySight(t, who, p.ID, letter)
				if name == "foreign office" && errors.Is(err, apperr.ErrNotFound) {
					continue // another committee's office does not read the proposal at all
				}
				if err != nil {
					t.Fatalf("%s: %s cannot read the proposal: %v", stage, name, err)
				}
				if want := delivered; (s.body != "") != want || s.letter != want || s.note != "" {
					t.Errorf("%s: %s reads %+v, want the reply=%v", stage, name, s, want)
				}
			}
			for name, who := range strangers {
				if _, err := f.replySight(t, who, p.ID, letter); !errors.Is(err, apperr.ErrNotFound) {
					t.Errorf("%s: %s reads the proposal (%v)", stage, name, err)
				}
				if _, _, err := f.svc.AttachmentContent(f.ctx, who, p.ID, letter); !errors.Is(err, apperr.ErrNotFound) {
					t.Errorf("%s: %s downloads the letter (%v)", stage, name, err)
				}
			}
		}
		check("drafted", false)
		if _, err := f.svc.SubmitReply(f.ctx, unit, ref); err != nil {
			t.Fatal(err)
		}
		check("under review", false)
		asg := f.get(p.ID).Replies[0].AssignmentID
		if _, err := f.svc.SendBack(f.ctx, f.office, ref, asg, "请补充办理措施"); err != nil {
			t.Fatal(err)
		}
		check("sent back", false)
		if _, err := f.svc.SubmitReply(f.ctx, unit, ref); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Approve(f.ctx, f.office, ref, asg, "", ""); err != nil {
			t.Fatal(err)
		}
		check("delivered", true)

		// 会办: the co-unit reads the lead's draft (it countersigns it); the proposer does not.
		j := f.seed(Accepted, func(s *SeedSpec) { s.Mode, s.Units = JointMode, []int64{f.units[0], f.units[1]} })
		if _, err := f.svc.LogContact(f.ctx, unit, Ref{ID: j.ID}, ContactInput{On: f.today, Method: ByFace, People: "张三"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.DraftReply(f.ctx, unit, Ref{ID: j.ID}, ReplyInput{ResultClass: "A", Body: "会办草稿",
			Letter: &LetterFile{Name: "答复函.pdf", Data: pdfBytes}}); err != nil {
			t.Fatal(err)
		}
		jl := f.get(j.ID).Replies[0].Letter.ID
		if s, err := f.replySight(t, f.unitActors[1], j.ID, jl); err != nil || s.body != "会办草稿" || !s.letter {
			t.Errorf("the 会办 co-unit reads %+v (%v), want the lead's draft", s, err)
		}
		if s, err := f.replySight(t, f.members[0], j.ID, jl); err != nil || s.body != "" || s.letter || s.note != "" {
			t.Errorf("the proposer reads %+v (%v) of the 会办 draft", s, err)
		}
	})
}
