package assist

import (
	"bytes"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

// png is the start of a PNG file: enough for its type to be read from its bytes.
var png = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)

// TestEvidence: a member named on a record adds a photo until the record is
// verified, officers at any time; a file is typed by its bytes (a web page
// named .png is refused), capped in size and number; other members and
// committees cannot touch it; every add and removal is audited.
func TestEvidence(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		h := f.household("H001", 0, 1)
		r, err := f.svc.RecordAssistance(f.ctx, f.members[0], RecordInput{HouseholdID: h.ID, Kind: "info", InfoCount: 1, GivenOn: f.today})
		if code(err) == apperr.Forbidden || code(err) == apperr.NotFound {
			// The member must be paired to record; officers record for members.
			r, err = f.svc.RecordAssistance(f.ctx, f.officer, RecordInput{HouseholdID: h.ID, Kind: "info", InfoCount: 1, GivenOn: f.today,
				MembershipIDs: f.mids[:1]})
		}
		f.must(err)
		audits := func() int {
			var n int
			f.must(f.d.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM audit_log WHERE entity = 'assist_record_file'`).Scan(&n))
			return n
		}
		ef, err := f.svc.AddEvidence(f.ctx, f.members[0], r.ID, "现场.png", png)
		f.must(err)
		if ef.ContentType != "image/png" || ef.Size != int64(len(png)) {
			t.Errorf("stored %+v", ef)
		}
		if _, err := f.svc.AddEvidence(f.ctx, f.members[0], r.ID, "假图.png", []byte("<html><script>alert(1)</script></html>")); code(err) != apperr.Invalid {
			t.Errorf("a web page named .png: %v", err)
		}
		big := append(append([]byte{}, png...), make([]byte, MaxEvidence)...)
		if _, err := f.svc.AddEvidence(f.ctx, f.members[0], r.ID, "大.png", big); code(err) != apperr.TooLarge {
			t.Errorf("over the cap: %v", err)
		}
		for _, a := range []struct {
			name  string
			actor *auth.Actor
			err   apperr.Code
		}{{"member1", f.members[1], apperr.NotFound}, {"foreign", f.foreignOfficer, apperr.NotFound}, {"leader", f.leader, apperr.Forbidden}} {
			if _, err := f.svc.AddEvidence(f.ctx, a.actor, r.ID, "x.png", png); code(err) != a.err {
				t.Errorf("%s adds: %v, want %s", a.name, err, a.err)
			}
		}
		files, can, err := f.svc.Evidence(f.ctx, f.members[0], r.ID)
		f.must(err)
		if len(files) != 1 || !can {
			t.Errorf("files %v can %v", files, can)
		}
		got, data, err := f.svc.EvidenceContent(f.ctx, f.leader, r.ID, ef.ID)
		f.must(err)
		if got.Name != "现场.png" || !bytes.Equal(data, png) {
			t.Errorf("content %+v", got)
		}
		if _, _, err := f.svc.EvidenceContent(f.ctx, f.foreignOfficer, r.ID, ef.ID); code(err) != apperr.NotFound {
			t.Errorf("foreign reads: %v", err)
		}
		_, err = f.svc.VerifyRecord(f.ctx, f.officer, r.ID, 0)
		f.must(err)
		if _, err := f.svc.AddEvidence(f.ctx, f.members[0], r.ID, "后补.png", png); code(err) != apperr.Conflict {
			t.Errorf("member after verification: %v", err)
		}
		if err := f.svc.RemoveEvidence(f.ctx, f.members[0], r.ID, ef.ID); code(err) != apperr.Conflict {
			t.Errorf("member removes after verification: %v", err)
		}
		if _, can, _ := f.svc.Evidence(f.ctx, f.members[0], r.ID); can {
			t.Error("the member may still attach to a verified record")
		}
		for i := 1; i < MaxEvidenceFiles; i++ {
			_, err := f.svc.AddEvidence(f.ctx, f.officer, r.ID, "补.png", png)
			f.must(err)
		}
		if _, err := f.svc.AddEvidence(f.ctx, f.officer, r.ID, "多.png", png); code(err) != apperr.Invalid {
			t.Errorf("file %d: %v", MaxEvidenceFiles+1, err)
		}
		f.must(f.svc.RemoveEvidence(f.ctx, f.officer, r.ID, ef.ID))
		if err := f.svc.RemoveEvidence(f.ctx, f.officer, r.ID, ef.ID); code(err) != apperr.NotFound {
			t.Errorf("removed twice: %v", err)
		}
		if n := audits(); n != MaxEvidenceFiles+1 {
			t.Errorf("%d audit entries, want %d", n, MaxEvidenceFiles+1)
		}
	})
}
