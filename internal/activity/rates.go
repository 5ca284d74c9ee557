package activity

import (
	"context"
	"database/sql"
	"sort"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/figure"
)

// Attendance rates (出勤率) per member and per group: the attendance figures
// (attendance.invited, .attended, .leave, .absent: rows of held activities)
// broken down by the member whose row it is, or by the groups that member
// belongs to (a member of two groups counts in both). The rows are read with
// the figures' own scope, period and dimensions (figureSource.where over the
// attendance subject), so a row's numbers are the figures' values under
// DimPerson or DimMemberGroup, and each opens its records there.

// RatesBy is what the rates are broken down by.
type RatesBy string

// The breakdowns.
const (
	ByMember RatesBy = "member"
	ByGroup  RatesBy = "group"
)

// RateRow is one member's or group's attendance.
type RateRow struct {
	ID       int64  `json:"id"` // the person or the group
	Name     string `json:"name"`
	Invited  int64  `json:"invited"`
	Attended int64  `json:"attended"`
	Leave    int64  `json:"leave"`
	Absent   int64  `json:"absent"`
}

// Rate is attended over invited (0 with nobody invited).
func (r RateRow) Rate() float64 {
	if r.Invited == 0 {
		return 0
	}
	return float64(r.Attended) / float64(r.Invited)
}

// Dim is the figure dimension whose value (a row's ID) opens a row's records.
func (by RatesBy) Dim() string {
	if by == ByGroup {
		return DimMemberGroup
	}
	return DimPerson
}

// rateSums are the four figures' predicates, in RateRow's order.
var rateSums = func() string {
	var q []string
	for _, id := range []string{"attendance.invited", "attendance.attended", "attendance.leave", "attendance.absent"} {
		d, _ := figByID(id)
		q = append(q, `COALESCE(SUM(CASE WHEN `+d.pred(nil, civil.Date{})+` THEN 1 ELSE 0 END), 0)`)
	}
	return strings.Join(q, ", ")
}()

// AttendanceRates lists the rates of the filter's period, best attended
// first (figure readers: staff, leaders).
func (s *Service) AttendanceRates(ctx context.Context, actor *auth.Actor, f figure.Filter, by RatesBy) ([]RateRow, error) {
	if by != ByMember && by != ByGroup {
		return nil, apperr.Fields(apperr.Field("by", "err.form.bad_choice"))
	}
	var out []RateRow
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		sub := subjects["attendance"]
		var b db.Args
		w, err := figureSource{s}.where(ctx, tx, actor, f, sub, &b)
		if err != nil {
			return err
		}
		q := `SELECT p.id, p.name, ` + rateSums + ` FROM ` + sub.from + ` WHERE ` + w + ` AND ` + heldSQL + ` GROUP BY p.id, p.name`
		if by == ByGroup {
			q = `SELECT g2.id, g2.name, ` + rateSums + ` FROM ` + sub.from + `, org_groups g2 WHERE ` + w + ` AND ` + heldSQL +
				` AND g2.committee_id = x.committee_id AND EXISTS (SELECT 1 FROM memberships m JOIN membership_groups mg ON mg.membership_id = m.id
				WHERE mg.group_id = g2.id AND m.person_id = t.person_id) GROUP BY g2.id, g2.name`
		}
		out, err = db.Query(ctx, tx, func(sc db.Scanner) (RateRow, error) {
			var r RateRow
			err := sc.Scan(&r.ID, &r.Name, &r.Invited, &r.Attended, &r.Leave, &r.Absent)
			return r, err
		}, q, b...)
		return err
	})
	// Best attended first; equal rates by more invitations, then by name.
	sort.SliceStable(out, func(i, j int) bool {
		if ri, rj := out[i].Rate(), out[j].Rate(); ri != rj {
			return ri > rj
		}
		if out[i].Invited != out[j].Invited {
			return out[i].Invited > out[j].Invited
		}
		return out[i].Name < out[j].Name
	})
	return out, err
}
