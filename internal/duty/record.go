package duty

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/changes"
	"lvzhi/internal/db"
)

// MemberRecord is a member's duty record of one year (履职档案): the score,
// every ledger row (postings and reversals, each naming its source record),
// the member's appeals and the score of every year of the term.
type MemberRecord struct {
	CommitteeID  int64         `json:"committee_id"`
	MembershipID int64         `json:"membership_id"`
	Name         string        `json:"name"`
	Sector       string        `json:"sector"`
	Year         int           `json:"year"`
	Adjustments  []Adjustment  `json:"adjustments"` // staff's adjustments of the year (staff readers only)
	Score        *Score        `json:"score"`       // nil when the year has no rules
	Entries      []Entry       `json:"entries"`
	Appeals      []Appeal      `json:"appeals"`
	History      []YearScore   `json:"history"`
	Report       *AnnualReport `json:"report,omitempty"` // the annual duty report (年度履职报告) of a standing member
	Standing     bool          `json:"standing"`         // a standing-committee member (常委), who writes a report
	CanReport    bool          `json:"can_report"`       // the reader is that member and may write it
	CanAppeal    bool          `json:"can_appeal"`       // the reader is the member and may appeal entries
	CanAdjust    bool          `json:"can_adjust"`       // the reader is staff and may adjust the score
}

// YearScore is one year of a member's score history.
type YearScore struct {
	Year      int    `json:"year"`
	Total     int64  `json:"total"`
	Grade     string `json:"grade"`
	Confirmed bool   `json:"confirmed"` // from a confirmed assessment (else the ledger as it stands)
	Imported  bool   `json:"imported"`  // imported from the committee's spreadsheet (a year before the platform)
}

// Record returns a member's record of a year. Staff and leaders read every
// member's; a member reads only their own: anyone else's is not found.
func (s *Service) Record(ctx context.Context, actor *auth.Actor, committeeID, membershipID int64, year int) (*MemberRecord, error) {
	if _, err := changes.CatchUp(ctx, s.DB, committeeID); err != nil {
		return nil, err
	}
	var rec *MemberRecord
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if err := checkReader(ctx, tx, actor, committeeID); err != nil {
			return err
		}
		rel, err := relation(ctx, tx, actor, committeeID, membershipID)
		if err != nil {
			return err
		}
		sc, _ := auth.LoadScope(ctx, tx, committeeID)
		if rel == RelOther && !auth.CanIn(actor, View, sc.ID, sc.Path) {
			return apperr.ErrNotFound
		}
		if ok, err := isMember(ctx, tx, committeeID, membershipID); err != nil || !ok {
			return cmpErr(err, apperr.ErrNotFound)
		}
		rec = &MemberRecord{CommitteeID: committeeID, MembershipID: membershipID, Year: year,
			CanAppeal: rel == RelOwner, CanAdjust: rel == RelStaff}
		return fillRecord(ctx, tx, rec, rel)
	})
	return rec, err
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

func fillRecord(ctx context.Context, tx *sql.Tx, rec *MemberRecord, rel Relation) error {
	y, err := scoreYear(ctx, tx, rec.CommitteeID, rec.Year)
	if err != nil {
		return err
	}
	for i := range y.Scores {
		if y.Scores[i].MembershipID == rec.MembershipID {
			rec.Score = &y.Scores[i]
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT p.name, COALESCE(s.name, ''), m.is_standing FROM memberships m JOIN people p ON p.id = m.person_id
		LEFT JOIN sectors s ON s.id = m.sector_id WHERE m.id = $1`, rec.MembershipID).Scan(&rec.Name, &rec.Sector, &rec.Standing); err != nil {
		return err
	}
	rec.CanReport = rec.Standing && rel == RelOwner
	if rec.Report, err = loadReport(ctx, tx, rec.CommitteeID, rec.MembershipID, rec.Year); err != nil {
		return err
	}
	if rel == RelStaff {
		rec.Adjustments, err = db.Query(ctx, tx, scanAdjustment, adjustmentSelect+` WHERE committee_id = $1 AND membership_id = $2
			AND on_date BETWEEN $3 AND $4 ORDER BY id`, rec.CommitteeID, rec.MembershipID,
			fmt.Sprintf("%04d-01-01", rec.Year), fmt.Sprintf("%04d-12-31", rec.Year))
		if err != nil {
			return err
		}
	}
	rec.Entries, err = db.Query(ctx, tx, scanEntry, `SELECT `+entryCols+` FROM duty_entries
		WHERE committee_id = $1 AND membership_id = $2 AND year = $3 ORDER BY id`, rec.CommitteeID, rec.MembershipID, rec.Year)
	if err != nil {
		return err
	}
	rec.Appeals, err = db.Query(ctx, tx, scanAppeal, appealSelect+` WHERE a.committee_id = $1 AND a.membership_id = $2
		ORDER BY a.id DESC`, rec.CommitteeID, rec.MembershipID)
	if err != nil {
		return err
	}
	for i := range rec.Appeals {
		rec.Appeals[i].Can = appealCan(rec.Appeals[i].State, rel)
	}
	rec.History, err = history(ctx, tx, rec.CommitteeID, rec.MembershipID)
	return err
}

// history lists the member's years: the confirmed assessment where there is
// one, otherwise the score the ledger gives now.
func history(ctx context.Context, tx *sql.Tx, committeeID, membershipID int64) ([]YearScore, error) {
	confirmed, err := db.Query(ctx, tx, func(sc db.Scanner) (YearScore, error) {
		y := YearScore{Confirmed: true}
		return y, sc.Scan(&y.Year, &y.Total, &y.Grade)
	}, `SELECT year, score, grade FROM duty_assessments WHERE committee_id = $1 AND membership_id = $2`, committeeID, membershipID)
	if err != nil {
		return nil, err
	}
	years, err := db.Column[int](ctx, tx, `SELECT DISTINCT year FROM duty_entries WHERE committee_id = $1 AND membership_id = $2
		ORDER BY year`, committeeID, membershipID)
	if err != nil {
		return nil, err
	}
	var out []YearScore
	for _, y := range years {
		if i := indexYearIn(confirmed, y); i >= 0 {
			out = append(out, confirmed[i])
			continue
		}
		rs, err := loadRuleSet(ctx, tx, committeeID, y)
		if err != nil {
			return nil, err
		}
		if rs == nil {
			continue
		}
		sums, err := categorySums(ctx, tx, committeeID, y)
		if err != nil {
			return nil, err
		}
		sc := score(rs, member{id: membershipID}, sums[membershipID])
		out = append(out, YearScore{Year: y, Total: sc.Total, Grade: sc.Grade})
	}
	for _, c := range confirmed {
		if indexYearIn(out, c.Year) < 0 {
			out = append(out, c)
		}
	}
	imported, err := importedYears(ctx, tx, committeeID, membershipID)
	if err != nil {
		return nil, err
	}
	for _, y := range imported {
		if indexYearIn(out, y.Year) < 0 {
			out = append(out, y)
		}
	}
	slices.SortFunc(out, func(a, b YearScore) int { return a.Year - b.Year })
	return out, nil
}

func indexYearIn(ys []YearScore, y int) int {
	for i, x := range ys {
		if x.Year == y {
			return i
		}
	}
	return -1
}
