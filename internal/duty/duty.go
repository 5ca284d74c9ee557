// Package duty keeps members' duty records and scores (履职档案与量化考核).
//
// A committee's scoring rules are a RuleSet per year (categories with caps,
// items with points by variant, base score, grade bands, exit rules); a new
// year's set is copied from a preset (Tongcheng, Minhang, Guangshui) or from
// an earlier year, so editing next year's rules never rewrites last year's.
//
// Scores are a ledger (duty_entries) posted from events. Every kind of scored
// event comes from one Source: an SQL query over another area's tables (it
// never imports that area's package) yielding events — member, date, item,
// variant, quantity, source record. When a source record changes, the area's
// change-queue mark reaches this package's consumer, which reverses the
// record's postings that no longer hold and posts the new ones; Recompute
// checks the ledger against the records for a whole year.
//
// Points are integer hundredths (1250 = 12.5 points) so joint-proposal shares
// add up exactly. Caps, the base score and the maximum apply when a year is
// scored (score.go), not to single postings.
package duty

import (
	"context"
	"strconv"
	"time"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// The area's actions.
const (
	// View reads every member's scores and records of the committee (staff, leaders).
	View auth.Action = "duty.view"
	// Manage edits rules, adjusts scores, decides appeals and confirms assessments.
	Manage auth.Action = "duty.manage"
	// Own lets a member read their own record and appeal its entries.
	Own auth.Action = "duty.own"
)

func init() {
	auth.Grant(View, auth.RoleAdmin, auth.RoleStaff, auth.RoleLeader)
	auth.Grant(Manage, auth.RoleAdmin, auth.RoleStaff)
	auth.Grant(Own, auth.RoleMember)
	auth.MarkReadOnly(View)
}

// Service is the duty area's use cases.
type Service struct {
	DB *db.DB
	// Today returns the current civil date; tests fix it.
	Today func() civil.Date
}

// NewService returns the service over d.
func NewService(d *db.DB) *Service { return &Service{DB: d, Today: civil.Today} }

func (s *Service) today() civil.Date {
	if s.Today == nil {
		return civil.Today()
	}
	return s.Today()
}

// Units of an item (i18n duty.unit.<code>).
const (
	UnitTime    = "time"    // 次
	UnitItem    = "item"    // 件
	UnitArticle = "article" // 篇
	UnitHalfDay = "halfday" // 半天
)

// Units lists the units in display order.
var Units = []string{UnitTime, UnitItem, UnitArticle, UnitHalfDay}

// Category is a group of items with a yearly cap (0: none).
type Category struct {
	Code string `json:"code"`
	Cap  int64  `json:"cap"`
}

// Rule is what one event of an item earns in one variant. Shared points are
// split among everyone holding the variant of the same event (the co-signers
// of a joint proposal share half).
type Rule struct {
	Category string `json:"category"`
	Item     string `json:"item"`
	Variant  string `json:"variant"`
	Points   int64  `json:"points"`
	Unit     string `json:"unit"`
	Shared   bool   `json:"shared"`
}

// RuleSet is a committee's rules of one year.
type RuleSet struct {
	ID              int64      `json:"id"`
	CommitteeID     int64      `json:"committee_id"`
	Year            int        `json:"year"`
	Preset          string     `json:"preset"`
	BaseScore       int64      `json:"base_score"`
	MaxScore        int64      `json:"max_score"` // 0: none
	BandExcellent   int64      `json:"band_excellent"`
	BandGood        int64      `json:"band_good"`
	BandCompetent   int64      `json:"band_competent"`
	ExitAbsences    int        `json:"exit_absences"`    // plenary absences in a term (0: rule off)
	ExitIncompetent int        `json:"exit_incompetent"` // 不称职 years in a term (0: rule off)
	Closed          bool       `json:"closed"`
	Version         int        `json:"version"`
	Categories      []Category `json:"categories"`
	Rules           []Rule     `json:"rules"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// rule returns the rule of item and variant.
func (rs *RuleSet) rule(item, variant string) (Rule, bool) {
	for _, r := range rs.Rules {
		if r.Item == item && r.Variant == variant {
			return r, true
		}
	}
	return Rule{}, false
}

// capOf returns the category's cap (0: none).
func (rs *RuleSet) capOf(code string) int64 {
	for _, c := range rs.Categories {
		if c.Code == code {
			return c.Cap
		}
	}
	return 0
}

// Grades.
const (
	Excellent   = "excellent"   // 优秀
	Good        = "good"        // 良好
	Competent   = "competent"   // 称职
	Incompetent = "incompetent" // 不称职
)

// Grade returns the grade of a score under the set's bands.
func (rs *RuleSet) Grade(score int64) string {
	switch {
	case score >= rs.BandExcellent:
		return Excellent
	case score >= rs.BandGood:
		return Good
	case score >= rs.BandCompetent:
		return Competent
	}
	return Incompetent
}

// FormatPoints formats hundredths of a point: 1250 → "12.5", 1000 → "10", -300 → "-3".
func FormatPoints(p int64) string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	whole, frac := p/100, p%100
	switch {
	case frac == 0:
		return sign + itoa(whole)
	case frac%10 == 0:
		return sign + itoa(whole) + "." + itoa(frac/10)
	case frac < 10:
		return sign + itoa(whole) + ".0" + itoa(frac)
	}
	return sign + itoa(whole) + "." + itoa(frac)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// checkScope is the one committee check of every use case.
func checkScope(ctx context.Context, q db.Querier, actor *auth.Actor, action auth.Action, committeeID int64) error {
	_, err := auth.CheckScope(ctx, q, actor, action, committeeID)
	return err
}
