package liaison_test

import (
	"context"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/liaison"
	"lvzhi/internal/liaison/liaisontest"
)

var ctx = context.Background()

// env is one test's database, fixture and service.
type env struct {
	t   *testing.T
	d   *db.DB
	f   *liaisontest.Fixture
	svc *liaison.Service
}

func setup(t *testing.T, d *db.DB) *env {
	return &env{t: t, d: d, f: liaisontest.Seed(t, d), svc: liaison.NewService(d)}
}

func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	if err := e.d.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) link(in liaison.LinkInput) *liaison.Link {
	e.t.Helper()
	l, err := e.svc.CreateLink(ctx, e.f.Staff, in)
	if err != nil {
		e.t.Fatalf("create link %+v: %v", in, err)
	}
	return l
}

func (e *env) contact(a *auth.Actor, in liaison.ContactInput) *liaison.Contact {
	e.t.Helper()
	c, err := e.svc.LogContact(ctx, a, in)
	if err != nil {
		e.t.Fatalf("log contact %+v: %v", in, err)
	}
	return c
}

// lastContact returns the id of the newest contact.
func (e *env) lastContact() int64 {
	e.t.Helper()
	var id int64
	if err := e.d.QueryRowContext(ctx, `SELECT MAX(id) FROM liaison_contacts`).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// wantCode fails unless err carries code.
func wantCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("want %s, got %v", code, err)
	}
}

// wantField fails unless err is Invalid with key on field.
func wantField(t *testing.T, err error, field, key string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid {
		t.Fatalf("want invalid %s/%s, got %v", field, key, err)
	}
	for _, f := range e.Fields {
		if f.Field == field && f.Key == key {
			return
		}
	}
	t.Fatalf("want %s/%s, got fields %+v", field, key, e.Fields)
}

func TestLinkChainRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := setup(t, d)
		f := e.f
		in := func(l liaison.Level, li, mb int64) liaison.LinkInput {
			return liaison.LinkInput{Level: l, LiaisonID: li, MemberID: mb, StartsOn: "2025-01-01"}
		}
		ok := []liaison.LinkInput{
			in(liaison.LevelLeaderHead, f.Leader, f.Head),
			in(liaison.LevelLeaderHead, f.Secretary, f.Head2), // 党组书记 is on the 党组; 组长 by group role
			in(liaison.LevelHeadParty, f.Head, f.Party),
			in(liaison.LevelHeadParty, f.Head2, f.Party),
			in(liaison.LevelPartyNonparty, f.Party, f.NonParty),
		}
		for _, x := range ok {
			l := e.link(x)
			if l.PerYear != liaison.DefaultPerYear || l.TermID != f.TermA || l.Version != 1 || l.Liaison.Name == "" {
				t.Fatalf("created %+v", l)
			}
		}
		bad := []struct {
			name       string
			in         liaison.LinkInput
			field, key string
		}{
			{"liaison not on 党组", in(liaison.LevelLeaderHead, f.Party, f.Head), "liaison_id", "err.liaison.not_party_group"},
			{"member not group head", in(liaison.LevelLeaderHead, f.Leader, f.Party), "member_id", "err.liaison.not_group_head"},
			{"liaison not group head", in(liaison.LevelHeadParty, f.Party, f.Head), "liaison_id", "err.liaison.not_group_head"},
			{"member not party", in(liaison.LevelHeadParty, f.Head, f.NonParty), "member_id", "err.liaison.not_party_member"},
			{"liaison not party", in(liaison.LevelPartyNonparty, f.NonParty2, f.NonParty), "liaison_id", "err.liaison.not_party_member"},
			{"member is party", in(liaison.LevelPartyNonparty, f.Party, f.Head), "member_id", "err.liaison.is_party_member"},
			{"resigned member", in(liaison.LevelPartyNonparty, f.Party, f.Resigned), "member_id", "err.liaison.member_inactive"},
			{"other term", in(liaison.LevelPartyNonparty, f.Party, f.OldMember), "member_id", "err.liaison.term_mismatch"},
			{"other committee", in(liaison.LevelPartyNonparty, f.Party, f.OtherB), "member_id", "err.liaison.member_unknown"},
			{"no such member", in(liaison.LevelPartyNonparty, f.Party, 999999), "member_id", "err.liaison.member_unknown"},
			{"missing liaison", in(liaison.LevelPartyNonparty, 0, f.NonParty), "liaison_id", "err.required"},
			{"bad level", in("boss", f.Party, f.NonParty), "level", "err.liaison.level_invalid"},
			{"duplicate", in(liaison.LevelPartyNonparty, f.Party, f.NonParty), "member_id", "err.liaison.link_exists"},
			{"no start", liaison.LinkInput{Level: liaison.LevelPartyNonparty, LiaisonID: f.Party, MemberID: f.NonParty2}, "starts_on", "err.required"},
			{"bad date", liaison.LinkInput{Level: liaison.LevelPartyNonparty, LiaisonID: f.Party, MemberID: f.NonParty2, StartsOn: "2025-13-01"}, "starts_on", "err.liaison.date_invalid"},
			{"ends before", liaison.LinkInput{Level: liaison.LevelPartyNonparty, LiaisonID: f.Party, MemberID: f.NonParty2, StartsOn: "2025-06-01", EndsOn: "2025-01-01"}, "ends_on", "err.liaison.ends_before_starts"},
			{"per year", liaison.LinkInput{Level: liaison.LevelPartyNonparty, LiaisonID: f.Party, MemberID: f.NonParty2, StartsOn: "2025-01-01", PerYear: 60}, "per_year", "err.liaison.per_year_range"},
		}
		links, audits := e.count("liaison_links"), e.count("audit_log")
		for _, c := range bad {
			t.Run(c.name, func(t *testing.T) {
				_, err := e.svc.CreateLink(ctx, f.Staff, c.in)
				wantField(t, err, c.field, c.key)
			})
		}
		if e.count("liaison_links") != links || e.count("audit_log") != audits {
			t.Fatal("refused links changed the database")
		}
		if audits != len(ok) {
			t.Fatalf("want %d audit entries, got %d", len(ok), audits)
		}
	})
}

func TestLinkPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := setup(t, d)
		f := e.f
		in := liaison.LinkInput{Level: liaison.LevelPartyNonparty, LiaisonID: f.Party, MemberID: f.NonParty, StartsOn: "2025-01-01"}
		for _, a := range []*auth.Actor{f.LeaderRole, f.ProposalOffice, f.Unit, f.Assistance, f.MemberParty, f.PrefLeader} {
			_, err := e.svc.CreateLink(ctx, a, in)
			wantCode(t, err, apperr.Forbidden)
		}
		_, err := e.svc.CreateLink(ctx, nil, in)
		wantCode(t, err, apperr.Unauthorized)
		// Staff of another county cannot use A's memberships.
		_, err = e.svc.CreateLink(ctx, f.StaffB, in)
		wantField(t, err, "member_id", "err.liaison.member_unknown")
		if e.count("liaison_links") != 0 {
			t.Fatal("a refused create wrote a link")
		}
		l, err := e.svc.CreateLink(ctx, f.Admin, in)
		if err != nil {
			t.Fatal(err)
		}
		// Another committee's record is NotFound, for writes and reads alike.
		_, err = e.svc.UpdateLink(ctx, f.StaffB, l.ID, l.Version, in)
		wantCode(t, err, apperr.NotFound)
		wantCode(t, e.svc.DeleteLink(ctx, f.StaffB, l.ID, l.Version), apperr.NotFound)
		_, err = e.svc.GetLink(ctx, f.StaffB, l.ID)
		wantCode(t, err, apperr.NotFound)
		_, _, err = e.svc.ListLinks(ctx, f.StaffB, liaison.LinkFilter{CommitteeID: f.A})
		wantCode(t, err, apperr.NotFound)
		// Readers: leaders of A and of the prefecture above it.
		for _, a := range []*auth.Actor{f.LeaderRole, f.PrefLeader, f.Staff} {
			ls, n, err := e.svc.ListLinks(ctx, a, liaison.LinkFilter{CommitteeID: f.A})
			if err != nil || n != 1 || len(ls) != 1 {
				t.Fatalf("%s: %v %d", a.Name, err, n)
			}
			if _, err := e.svc.GetLink(ctx, a, l.ID); err != nil {
				t.Fatalf("%s get: %v", a.Name, err)
			}
		}
		// The prefecture leader reads but never edits A's links.
		_, err = e.svc.UpdateLink(ctx, f.PrefLeader, l.ID, l.Version, in)
		wantCode(t, err, apperr.Forbidden)
		// Members do not read the list, nor links they are not the liaison on.
		_, _, err = e.svc.ListLinks(ctx, f.MemberParty, liaison.LinkFilter{})
		wantCode(t, err, apperr.Forbidden)
		_, err = e.svc.GetLink(ctx, f.MemberNonParty, l.ID)
		wantCode(t, err, apperr.NotFound)
		_, err = e.svc.GetLink(ctx, f.Unit, l.ID)
		wantCode(t, err, apperr.NotFound)
		// The liaising member sees the link.
		if _, err := e.svc.GetLink(ctx, f.MemberParty, l.ID); err != nil {
			t.Fatal(err)
		}
		mine, err := e.svc.MyLinks(ctx, f.MemberParty)
		if err != nil || len(mine) != 1 || mine[0].ID != l.ID {
			t.Fatalf("my links %v %v", mine, err)
		}
		if mine, _ := e.svc.MyLinks(ctx, f.MemberNonParty); len(mine) != 0 {
			t.Fatalf("member sees others' links: %v", mine)
		}
	})
}

func TestLinkUpdateDelete(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := setup(t, d)
		f := e.f
		in := liaison.LinkInput{Level: liaison.LevelPartyNonparty, LiaisonID: f.Party, MemberID: f.NonParty, StartsOn: "2025-01-01"}
		l := e.link(in)
		in.PerYear, in.Notes = 4, "每季度一次"
		l2, err := e.svc.UpdateLink(ctx, f.Staff, l.ID, l.Version, in)
		if err != nil || l2.Version != 2 || l2.PerYear != 4 || l2.Notes != "每季度一次" {
			t.Fatalf("update: %+v %v", l2, err)
		}
		// A stale version is a conflict and changes nothing.
		in.PerYear = 6
		_, err = e.svc.UpdateLink(ctx, f.Staff, l.ID, l.Version, in)
		wantCode(t, err, apperr.Conflict)
		wantCode(t, e.svc.DeleteLink(ctx, f.Staff, l.ID, l.Version), apperr.Conflict)
		got, _ := e.svc.GetLink(ctx, f.Staff, l.ID)
		if got.PerYear != 4 {
			t.Fatalf("stale update applied: %+v", got)
		}
		// Once contacts exist, the pair is fixed and the link cannot be deleted.
		e.contact(f.Staff, liaison.ContactInput{LinkID: l.ID, On: "2025-03-01", Method: liaison.MethodPhone})
		in.PerYear, in.MemberID = 4, f.NonParty2
		_, err = e.svc.UpdateLink(ctx, f.Staff, l.ID, got.Version, in)
		wantField(t, err, "member_id", "err.liaison.pair_locked")
		wantCode(t, e.svc.DeleteLink(ctx, f.Staff, l.ID, got.Version), apperr.Conflict)
		// Ending the link is allowed.
		in.MemberID, in.EndsOn = f.NonParty, "2025-12-31"
		if _, err := e.svc.UpdateLink(ctx, f.Staff, l.ID, got.Version, in); err != nil {
			t.Fatal(err)
		}
		// A link without contacts is deleted, and the deletion audited.
		l3 := e.link(liaison.LinkInput{Level: liaison.LevelPartyNonparty, LiaisonID: f.Party, MemberID: f.NonParty2, StartsOn: "2025-01-01"})
		if err := e.svc.DeleteLink(ctx, f.Staff, l3.ID, l3.Version); err != nil {
			t.Fatal(err)
		}
		var n int
		d.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE entity = 'liaison_link' AND action = 'delete' AND entity_id = $1`, l3.ID).Scan(&n)
		if n != 1 {
			t.Fatalf("delete not audited: %d", n)
		}
		_, err = e.svc.GetLink(ctx, f.Staff, l3.ID)
		wantCode(t, err, apperr.NotFound)
	})
}

func TestContacts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := setup(t, d)
		f := e.f
		l := e.link(liaison.LinkInput{Level: liaison.LevelPartyNonparty, LiaisonID: f.Party, MemberID: f.NonParty, StartsOn: "2025-01-01", EndsOn: "2025-12-31"})
		good := liaison.ContactInput{LinkID: l.ID, On: "2025-04-02", Method: liaison.MethodMeeting, Notes: "了解企业用工情况"}
		// The liaising member logs a contact on their own link.
		c := e.contact(f.MemberParty, good)
		if c.RecordedBy != "孙党员" || c.RecordedByID != f.MemberParty.UserID || c.On != "2025-04-02" {
			t.Fatalf("contact %+v", c)
		}
		// The same form sent again (a double tap) is refused; a different note is a new contact.
		_, err := e.svc.LogContact(ctx, f.MemberParty, good)
		wantCode(t, err, apperr.Conflict)
		again := good
		again.Notes = "再次走访"
		e.contact(f.MemberParty, again)
		if err := e.svc.DeleteContact(ctx, f.MemberParty, e.lastContact()); err != nil {
			t.Fatal(err)
		}
		before := e.count("liaison_contacts")
		// Refusals: another member (NotFound), readers (Forbidden), other committee (NotFound).
		for _, x := range []struct {
			a    *auth.Actor
			code apperr.Code
		}{
			{f.MemberNonParty, apperr.NotFound}, {f.MemberLeader, apperr.NotFound}, {f.Unit, apperr.NotFound},
			{f.ProposalOffice, apperr.NotFound}, {f.LeaderRole, apperr.Forbidden}, {f.PrefLeader, apperr.NotFound},
			{f.StaffB, apperr.NotFound}, {nil, apperr.Unauthorized},
		} {
			_, err := e.svc.LogContact(ctx, x.a, good)
			wantCode(t, err, x.code)
		}
		bad := []struct {
			in         liaison.ContactInput
			field, key string
		}{
			{liaison.ContactInput{LinkID: l.ID, Method: liaison.MethodPhone}, "on", "err.required"},
			{liaison.ContactInput{LinkID: l.ID, On: "4/2", Method: liaison.MethodPhone}, "on", "err.liaison.date_invalid"},
			{liaison.ContactInput{LinkID: l.ID, On: "2099-01-01", Method: liaison.MethodPhone}, "on", "err.liaison.date_future"},
			{liaison.ContactInput{LinkID: l.ID, On: "2024-12-31", Method: liaison.MethodPhone}, "on", "err.liaison.outside_period"},
			{liaison.ContactInput{LinkID: l.ID, On: "2025-05-01", Method: "fax"}, "method", "err.liaison.method_invalid"},
			{liaison.ContactInput{On: "2025-05-01", Method: liaison.MethodPhone}, "link_id", "err.liaison.link_or_target"},
		}
		for _, b := range bad {
			_, err := e.svc.LogContact(ctx, f.Staff, b.in)
			wantField(t, err, b.field, b.key)
		}
		_, err = e.svc.LogContact(ctx, f.Staff, liaison.ContactInput{LinkID: 999999, On: "2025-05-01", Method: liaison.MethodPhone})
		wantCode(t, err, apperr.NotFound)
		if e.count("liaison_contacts") != before {
			t.Fatal("refused contacts were written")
		}
		// Staff log on anyone's link; lists are newest first.
		e.contact(f.Staff, liaison.ContactInput{LinkID: l.ID, On: "2025-06-01", Method: liaison.MethodVisit})
		cs, err := e.svc.ListContacts(ctx, f.MemberParty, l.ID, 0)
		if err != nil || len(cs) != 2 || cs[0].On != "2025-06-01" {
			t.Fatalf("contacts %+v %v", cs, err)
		}
		_, err = e.svc.ListContacts(ctx, f.MemberNonParty, l.ID, 0)
		wantCode(t, err, apperr.NotFound)
		// A member removes only contacts they recorded; staff any.
		wantCode(t, e.svc.DeleteContact(ctx, f.MemberParty, cs[0].ID), apperr.Forbidden)
		wantCode(t, e.svc.DeleteContact(ctx, f.MemberNonParty, c.ID), apperr.NotFound)
		if err := e.svc.DeleteContact(ctx, f.MemberParty, c.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DeleteContact(ctx, f.Staff, cs[0].ID); err != nil {
			t.Fatal(err)
		}
		var n int
		d.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE entity = 'liaison_contact'`).Scan(&n)
		if n != 6 {
			t.Fatalf("want 6 contact audit entries (3 create, 3 delete), got %d", n)
		}
	})
}

func TestCampaigns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := setup(t, d)
		f := e.f
		cin := liaison.CampaignInput{Kind: liaison.KindSecretaryStanding, Name: "2025年党组书记走访常委", StartsOn: "2025-03-01", EndsOn: "2025-10-31"}
		for _, a := range []*auth.Actor{f.LeaderRole, f.MemberSecretary, f.Unit, f.PrefLeader} {
			_, err := e.svc.CreateCampaign(ctx, a, cin)
			wantCode(t, err, apperr.Forbidden)
		}
		c, err := e.svc.CreateCampaign(ctx, f.Staff, cin)
		if err != nil || c.TermID != f.TermA || c.MinVisits != 1 {
			t.Fatalf("campaign %+v %v", c, err)
		}
		_, err = e.svc.CreateCampaign(ctx, f.Staff, cin)
		wantField(t, err, "name", "err.liaison.name_taken")
		_, err = e.svc.CreateCampaign(ctx, f.Staff, liaison.CampaignInput{Kind: "x", StartsOn: "2025-03-01"})
		wantField(t, err, "kind", "err.liaison.kind_invalid")
		_, err = e.svc.CreateCampaign(ctx, f.Staff, liaison.CampaignInput{Kind: "x", StartsOn: "2025-03-01"})
		wantField(t, err, "ends_on", "err.required")
		_, err = e.svc.CreateCampaign(ctx, f.Staff, liaison.CampaignInput{Kind: liaison.KindOther, Name: "x", StartsOn: "2025-03-01", EndsOn: "2025-04-01", TermID: f.TermB})
		wantField(t, err, "term_id", "err.liaison.term_unknown")

		// Targets: only the 党组书记 visits, only 常委 are visited.
		_, err = e.svc.AddTargets(ctx, f.Staff, c.ID, f.Leader, []int64{f.NonParty})
		wantField(t, err, "visitor_id", "err.liaison.not_secretary")
		_, err = e.svc.AddTargets(ctx, f.Staff, c.ID, f.Secretary, []int64{f.NonParty, f.NonParty2})
		wantField(t, err, "target_ids", "err.liaison.not_standing")
		_, err = e.svc.AddTargets(ctx, f.Staff, c.ID, f.Secretary, []int64{f.OtherB})
		wantField(t, err, "target_ids", "err.liaison.member_unknown")
		if e.count("liaison_targets") != 0 {
			t.Fatal("refused targets were written")
		}
		_, err = e.svc.AddTargets(ctx, f.MemberSecretary, c.ID, f.Secretary, []int64{f.NonParty})
		wantCode(t, err, apperr.Forbidden)
		_, err = e.svc.AddTargets(ctx, f.StaffB, c.ID, f.Secretary, []int64{f.NonParty})
		wantCode(t, err, apperr.NotFound)
		ts, err := e.svc.AddTargets(ctx, f.Staff, c.ID, f.Secretary, []int64{f.NonParty, f.Leader})
		if err != nil || len(ts) != 2 {
			t.Fatalf("targets %v %v", ts, err)
		}
		_, err = e.svc.AddTargets(ctx, f.Staff, c.ID, f.Secretary, []int64{f.NonParty})
		wantField(t, err, "target_ids", "err.liaison.target_exists")

		// The secretary logs visits to own targets; other members cannot.
		e.contact(f.MemberSecretary, liaison.ContactInput{TargetID: ts[0].ID, On: "2025-04-01", Method: liaison.MethodVisit})
		_, err = e.svc.LogContact(ctx, f.MemberLeader, liaison.ContactInput{TargetID: ts[0].ID, On: "2025-04-01", Method: liaison.MethodVisit})
		wantCode(t, err, apperr.NotFound)
		_, err = e.svc.LogContact(ctx, f.Staff, liaison.ContactInput{TargetID: ts[0].ID, On: "2025-11-01", Method: liaison.MethodVisit})
		wantField(t, err, "on", "err.liaison.outside_period")

		got, err := e.svc.GetCampaign(ctx, f.LeaderRole, c.ID)
		if err != nil || got.Targets != 2 || got.Done != 1 {
			t.Fatalf("campaign progress %+v %v", got, err)
		}
		mine, err := e.svc.MyTargets(ctx, f.MemberSecretary)
		if err != nil || len(mine) != 2 {
			t.Fatalf("my targets %v %v", mine, err)
		}
		_, err = e.svc.GetCampaign(ctx, f.StaffB, c.ID)
		wantCode(t, err, apperr.NotFound)
		_, err = e.svc.ListTargets(ctx, f.MemberLeader, c.ID)
		wantCode(t, err, apperr.NotFound)

		// Kind is fixed once targets exist; a visited target stays; an empty campaign can go.
		cin.Kind = liaison.KindOther
		_, err = e.svc.UpdateCampaign(ctx, f.Staff, c.ID, c.Version, cin)
		wantField(t, err, "kind", "err.liaison.campaign_locked")
		wantCode(t, e.svc.RemoveTarget(ctx, f.Staff, ts[0].ID), apperr.Conflict)
		wantCode(t, e.svc.DeleteCampaign(ctx, f.Staff, c.ID, c.Version), apperr.Conflict)
		if err := e.svc.RemoveTarget(ctx, f.Staff, ts[1].ID); err != nil {
			t.Fatal(err)
		}
		cin.Kind, cin.Name = liaison.KindSecretaryStanding, "改名"
		c2, err := e.svc.UpdateCampaign(ctx, f.Staff, c.ID, c.Version, cin)
		if err != nil || c2.Name != "改名" || c2.Version != 2 {
			t.Fatalf("update campaign %+v %v", c2, err)
		}
		_, err = e.svc.UpdateCampaign(ctx, f.Staff, c.ID, c.Version, cin)
		wantCode(t, err, apperr.Conflict)
		empty, _ := e.svc.CreateCampaign(ctx, f.Staff, liaison.CampaignInput{Kind: liaison.KindLeaderMember, Name: "空", StartsOn: "2025-01-01", EndsOn: "2025-02-01"})
		if err := e.svc.DeleteCampaign(ctx, f.Staff, empty.ID, empty.Version); err != nil {
			t.Fatal(err)
		}
	})
}
