package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/duty"
)

// seedDuty gives the demo committee a year of duty scores: 2018's rules
// copied from the Tongcheng table (so the session's proposals score at once),
// staff's adjustments with their reasons, and appeals — one the demo member
// filed and is waiting on, one upheld with an adjustment, one rejected.
// Attendance, 社情民意 and 三送三帮 score as those areas' demo records appear.
func seedDuty(ctx context.Context, d *db.DB, c *demoCast, logins map[string]int64) (int, error) {
	staff := &auth.Actor{UserID: logins["staff"], Name: "李晓梅", CommitteeID: c.committeeID, Roles: []auth.Role{auth.RoleStaff}}
	member := &auth.Actor{UserID: logins["member"], Name: "委员", CommitteeID: c.committeeID, Roles: []auth.Role{auth.RoleMember}}
	if err := d.QueryRowContext(ctx, `SELECT person_id FROM users WHERE id = $1`, member.UserID).Scan(&member.PersonID); err != nil {
		return 0, fmt.Errorf("demo member login: %w", err)
	}
	svc := duty.NewService(d)
	svc.Today = func() civil.Date { return civil.Date{Year: 2018, Month: 12, Day: 20} }
	if _, err := svc.CopyPreset(ctx, staff, c.committeeID, 2018, duty.PresetTongcheng); err != nil {
		return 0, fmt.Errorf("demo duty rules: %w", err)
	}
	r := rand.New(rand.NewPCG(GenSeed, 13))
	reasons := []struct {
		points int64
		why    string
	}{
		{200, "参加市政协组织的专题调研"}, {300, "撰写的调研报告获县委主要领导肯定"}, {100, "参加委员读书活动"},
		{-200, "无故缺席常委会议"}, {-100, "未按时报送履职情况"},
	}
	n := 0
	for i, m := range c.members {
		if m != c.demoMember && r.IntN(8) != 0 {
			continue
		}
		x := reasons[(i+r.IntN(len(reasons)))%len(reasons)]
		on := civil.Date{Year: 2018, Month: time.Month(3 + r.IntN(9)), Day: 1 + r.IntN(28)}
		if _, err := svc.Adjust(ctx, staff, c.committeeID, duty.AdjustInput{MembershipID: m, Date: on, Points: x.points, Reason: x.why}); err != nil {
			return 0, fmt.Errorf("demo duty adjustment: %w", err)
		}
		n++
	}
	if err := seedAppeals(ctx, svc, c, staff, member); err != nil {
		return 0, err
	}
	return n, nil
}

// seedAppeals: the demo member appeals one of their entries (left open), and
// two other members' appeals are decided, one upheld with 2 points.
func seedAppeals(ctx context.Context, svc *duty.Service, c *demoCast, staff, member *auth.Actor) error {
	rec, err := svc.Record(ctx, staff, c.committeeID, c.demoMember, 2018)
	if err != nil || len(rec.Entries) == 0 {
		return fmt.Errorf("demo duty: the demo member's record: %v", err)
	}
	if _, err := svc.FileAppeal(ctx, member, c.committeeID, rec.Entries[0].ID, "该项目我实际参加了两次，请核实。"); err != nil {
		return fmt.Errorf("demo duty appeal: %w", err)
	}
	decided := 0
	for _, m := range c.members {
		if decided == 2 || m == c.demoMember {
			continue
		}
		rec, err := svc.Record(ctx, staff, c.committeeID, m, 2018)
		if err != nil {
			return err
		}
		if len(rec.Entries) == 0 {
			continue
		}
		owner := &auth.Actor{Name: "委员", CommitteeID: c.committeeID, Roles: []auth.Role{auth.RoleMember}}
		if err := svc.DB.QueryRowContext(ctx, `SELECT person_id FROM memberships WHERE id = $1`, m).Scan(&owner.PersonID); err != nil {
			return err
		}
		ap, err := svc.FileAppeal(ctx, owner, c.committeeID, rec.Entries[0].ID, "联名提案的分值计算有误，请复核。")
		if err != nil {
			return fmt.Errorf("demo duty appeal: %w", err)
		}
		dec := duty.Decision{Action: duty.ActReject, Note: "经核对，按联名提案规则计分无误。", Version: ap.Version}
		if decided == 0 {
			dec = duty.Decision{Action: duty.ActUphold, Note: "经核实属实，补记2分。", Points: 200, Version: ap.Version}
		}
		if _, err := svc.DecideAppeal(ctx, staff, c.committeeID, ap.ID, dec); err != nil {
			return fmt.Errorf("demo duty decision: %w", err)
		}
		decided++
	}
	return nil
}
