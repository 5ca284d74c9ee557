package proposal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Settings are a committee's deadlines. A committee without a row uses DefaultSettings.
type Settings struct {
	DeadlineMonths     int `json:"deadline_months"`     // reply due this many months after assignment (3)
	MaxMonths          int `json:"max_months"`          // extensions never past this many months in total (6)
	ContactWorkdays    int `json:"contact_workdays"`    // 面商 within this many working days of assignment (15)
	EvaluationWorkdays int `json:"evaluation_workdays"` // signers evaluate within this many working days (15)
	ReturnWorkdays     int `json:"return_workdays"`     // a unit may ask to return within this many working days (7)
	SigningWorkdays    int `json:"signing_workdays"`    // default co-signing period (5)
	RemindWorkdays     int `json:"remind_workdays"`     // remind units this many working days before the due date (5)
	RehandleMonths     int `json:"rehandle_months"`     // the second round (再办理) after a 不满意 is due this many months later (1)
	Version            int `json:"version"`
}

// DefaultSettings are the national defaults.
var DefaultSettings = Settings{DeadlineMonths: 3, MaxMonths: 6, ContactWorkdays: 15, EvaluationWorkdays: 15,
	ReturnWorkdays: 7, SigningWorkdays: 5, RemindWorkdays: 5, RehandleMonths: 1}

func loadSettings(ctx context.Context, q db.Querier, committeeID int64) (Settings, error) {
	return importCached(ctx, fmt.Sprint("settings ", committeeID), func() (Settings, error) { return readSettings(ctx, q, committeeID) })
}

func readSettings(ctx context.Context, q db.Querier, committeeID int64) (Settings, error) {
	st := DefaultSettings
	err := q.QueryRowContext(ctx, `SELECT deadline_months, max_months, contact_workdays, evaluation_workdays, return_workdays,
		signing_workdays, remind_workdays, rehandle_months, version FROM proposal_settings WHERE committee_id = $1`, committeeID).
		Scan(&st.DeadlineMonths, &st.MaxMonths, &st.ContactWorkdays, &st.EvaluationWorkdays, &st.ReturnWorkdays,
			&st.SigningWorkdays, &st.RemindWorkdays, &st.RehandleMonths, &st.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultSettings, nil
	}
	return st, err
}

// Settings returns the actor's committee's proposal settings.
func (s *Service) Settings(ctx context.Context, actor *auth.Actor) (Settings, error) {
	if actor == nil {
		return Settings{}, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	return loadSettings(ctx, s.DB, actor.CommitteeID)
}

// UpdateSettings changes the actor's committee's settings (admin, proposal office).
// in.Version must be the version read (0 when the committee still uses the defaults).
func (s *Service) UpdateSettings(ctx context.Context, actor *auth.Actor, in Settings) (Settings, error) {
	if !auth.Can(actor, PermSettings) {
		return Settings{}, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	var fields []apperr.FieldError
	rng := func(name string, v, lo, hi int) {
		if v < lo || v > hi {
			fields = append(fields, apperr.Field(name, "err.proposal.out_of_range", map[string]any{"Min": lo, "Max": hi}))
		}
	}
	rng("deadline_months", in.DeadlineMonths, 1, 12)
	rng("max_months", in.MaxMonths, 1, 12)
	rng("contact_workdays", in.ContactWorkdays, 1, 120)
	rng("evaluation_workdays", in.EvaluationWorkdays, 1, 120)
	rng("return_workdays", in.ReturnWorkdays, 1, 60)
	rng("signing_workdays", in.SigningWorkdays, 1, 60)
	rng("remind_workdays", in.RemindWorkdays, 0, 60)
	rng("rehandle_months", in.RehandleMonths, 1, 6)
	if in.MaxMonths < in.DeadlineMonths {
		fields = append(fields, apperr.Field("max_months", "err.proposal.max_below_deadline"))
	}
	if len(fields) > 0 {
		return Settings{}, apperr.Fields(fields...)
	}
	var out Settings
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := loadSettings(ctx, tx, actor.CommitteeID)
		if err != nil {
			return err
		}
		if before.Version != in.Version {
			return apperr.ErrConflict
		}
		in.Version = before.Version + 1
		err = db.ExecVersioned(ctx, tx, `INSERT INTO proposal_settings (committee_id, deadline_months, max_months, contact_workdays,
			evaluation_workdays, return_workdays, signing_workdays, remind_workdays, rehandle_months, version, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
			ON CONFLICT (committee_id) DO UPDATE SET deadline_months = $2, max_months = $3, contact_workdays = $4,
			evaluation_workdays = $5, return_workdays = $6, signing_workdays = $7, remind_workdays = $8, rehandle_months = $9,
			version = $10, updated_at = $11
			WHERE proposal_settings.version = $12`,
			actor.CommitteeID, in.DeadlineMonths, in.MaxMonths, in.ContactWorkdays, in.EvaluationWorkdays, in.ReturnWorkdays,
			in.SigningWorkdays, in.RemindWorkdays, in.RehandleMonths, in.Version, db.Now(), before.Version)
		if err != nil {
			return err
		}
		out = in
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "update", "proposal_settings", actor.CommitteeID, before, in)
	})
	return out, err
}

// Reason is one 不予立案 reason of a committee's list.
type Reason struct {
	Code    string `json:"code"`
	LabelZh string `json:"label_zh"`
	LabelEn string `json:"label_en"`
	Sort    int    `json:"sort"`
	Active  bool   `json:"active"`
}

// Label returns the reason's text in lang.
func (r Reason) Label(lang string) string {
	if strings.HasPrefix(lang, "en") && r.LabelEn != "" {
		return r.LabelEn
	}
	return r.LabelZh
}

// DefaultDeclineReasons are the national ten plus a common local one; a
// committee starts with them and edits its own copy.
var DefaultDeclineReasons = []Reason{
	{"secret", "涉及党和国家秘密的", "Involves Party or state secrets", 1, true},
	{"prohibited", "涉及国家明令禁止的事项的", "Concerns matters prohibited by the state", 2, true},
	{"party_personnel", "属于党内组织人事问题的", "Party organisation or personnel matters", 3, true},
	{"party_internal", "属于民主党派、人民团体内部事务的", "Internal affairs of a democratic party or people's organisation", 4, true},
	{"litigation", "已进入诉讼、仲裁程序的", "Already in litigation or arbitration", 5, true},
	{"academic", "属于学术研讨的", "Academic discussion", 6, true},
	{"private", "涉及提案人个人或亲属私事的", "A private matter of the proposer or relatives", 7, true},
	{"promotion", "宣传、推介具体作品、产品的", "Promotes a specific work or product", 8, true},
	{"accusation", "指名举报的", "Names and accuses specific persons", 9, true},
	{"vague", "内容空泛、没有具体建议的", "Vague, without concrete suggestions", 10, true},
	{"out_of_scope", "不属于本级工作范围的", "Outside this level's remit", 11, true},
}

// ResultClass is one 答复类别 of a committee's list.
type ResultClass struct {
	Code     string `json:"code"`
	LabelZh  string `json:"label_zh"`
	LabelEn  string `json:"label_en"`
	Solved   bool   `json:"solved"`    // counted in 已解决和正在解决
	FollowUp bool   `json:"follow_up"` // revisited next year (回头看)
	Sort     int    `json:"sort"`
	Active   bool   `json:"active"`
}

// Label returns the class's text in lang.
func (c ResultClass) Label(lang string) string {
	if strings.HasPrefix(lang, "en") && c.LabelEn != "" {
		return c.LabelEn
	}
	return c.LabelZh
}

// DefaultResultClasses are A/B/C.
var DefaultResultClasses = []ResultClass{
	{"A", "已解决或基本解决", "Solved or basically solved", true, false, 1, true},
	{"B", "正在解决或列入计划解决", "Being solved or planned", true, true, 2, true},
	{"C", "因条件限制留作参考", "Kept for reference owing to constraints", false, true, 3, true},
}

// ensureLists gives a committee its default lists the first time they are needed.
func ensureLists(ctx context.Context, tx *sql.Tx, committeeID int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM decline_reasons WHERE committee_id = $1`, committeeID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		for _, r := range DefaultDeclineReasons {
			if _, err := tx.ExecContext(ctx, `INSERT INTO decline_reasons (committee_id, code, label_zh, label_en, sort, active)
				VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (committee_id, code) DO NOTHING`,
				committeeID, r.Code, r.LabelZh, r.LabelEn, r.Sort, r.Active); err != nil {
				return err
			}
		}
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM result_classes WHERE committee_id = $1`, committeeID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		for _, c := range DefaultResultClasses {
			if _, err := tx.ExecContext(ctx, `INSERT INTO result_classes (committee_id, code, label_zh, label_en, solved, follow_up, sort, active)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (committee_id, code) DO NOTHING`,
				committeeID, c.Code, c.LabelZh, c.LabelEn, c.Solved, c.FollowUp, c.Sort, c.Active); err != nil {
				return err
			}
		}
	}
	return nil
}

func listReasons(ctx context.Context, q db.Querier, committeeID int64) ([]Reason, error) {
	out, err := db.Query(ctx, q, func(sc db.Scanner) (Reason, error) {
		var r Reason
		err := sc.Scan(&r.Code, &r.LabelZh, &r.LabelEn, &r.Sort, &r.Active)
		return r, err
	}, `SELECT code, label_zh, label_en, sort, active FROM decline_reasons
		WHERE committee_id = $1 ORDER BY sort, code`, committeeID)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return DefaultDeclineReasons, nil
	}
	return out, nil
}

func listClasses(ctx context.Context, q db.Querier, committeeID int64) ([]ResultClass, error) {
	return importCached(ctx, fmt.Sprint("classes ", committeeID), func() ([]ResultClass, error) { return readClasses(ctx, q, committeeID) })
}

func readClasses(ctx context.Context, q db.Querier, committeeID int64) ([]ResultClass, error) {
	out, err := db.Query(ctx, q, func(sc db.Scanner) (ResultClass, error) {
		var c ResultClass
		err := sc.Scan(&c.Code, &c.LabelZh, &c.LabelEn, &c.Solved, &c.FollowUp, &c.Sort, &c.Active)
		return c, err
	}, `SELECT code, label_zh, label_en, solved, follow_up, sort, active FROM result_classes
		WHERE committee_id = $1 ORDER BY sort, code`, committeeID)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return DefaultResultClasses, nil
	}
	return out, nil
}

func findClass(cs []ResultClass, code string) (ResultClass, bool) {
	for _, c := range cs {
		if c.Code == code && c.Active {
			return c, true
		}
	}
	return ResultClass{}, false
}

// DeclineReasons returns the committee's 不予立案 reasons (defaults until edited).
// Anyone of the committee may read them: the proposer always sees the reason.
func (s *Service) DeclineReasons(ctx context.Context, actor *auth.Actor) ([]Reason, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	return listReasons(ctx, s.DB, actor.CommitteeID)
}

// ResultClasses returns the committee's 答复类别 (defaults until edited).
func (s *Service) ResultClasses(ctx context.Context, actor *auth.Actor) ([]ResultClass, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	return listClasses(ctx, s.DB, actor.CommitteeID)
}

// SaveDeclineReason adds or changes one reason of the actor's committee (codes are
// kept forever so old proposals keep their reason; deactivate instead of deleting).
func (s *Service) SaveDeclineReason(ctx context.Context, actor *auth.Actor, r Reason) error {
	if !auth.Can(actor, PermSettings) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	r.Code, r.LabelZh, r.LabelEn = strings.TrimSpace(r.Code), strings.TrimSpace(r.LabelZh), strings.TrimSpace(r.LabelEn)
	if f := codeLabelErrors(r.Code, r.LabelZh); f != nil {
		return f
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := ensureLists(ctx, tx, actor.CommitteeID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO decline_reasons (committee_id, code, label_zh, label_en, sort, active)
			VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (committee_id, code) DO UPDATE SET label_zh = $3, label_en = $4, sort = $5, active = $6`,
			actor.CommitteeID, r.Code, r.LabelZh, r.LabelEn, r.Sort, r.Active)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "save", "decline_reason", actor.CommitteeID, nil, r)
	})
}

// SaveResultClass adds or changes one result class of the actor's committee.
func (s *Service) SaveResultClass(ctx context.Context, actor *auth.Actor, c ResultClass) error {
	if !auth.Can(actor, PermSettings) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	c.Code, c.LabelZh, c.LabelEn = strings.TrimSpace(c.Code), strings.TrimSpace(c.LabelZh), strings.TrimSpace(c.LabelEn)
	if f := codeLabelErrors(c.Code, c.LabelZh); f != nil {
		return f
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := ensureLists(ctx, tx, actor.CommitteeID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO result_classes (committee_id, code, label_zh, label_en, solved, follow_up, sort, active)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (committee_id, code) DO UPDATE SET label_zh = $3, label_en = $4,
			solved = $5, follow_up = $6, sort = $7, active = $8`,
			actor.CommitteeID, c.Code, c.LabelZh, c.LabelEn, c.Solved, c.FollowUp, c.Sort, c.Active)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "save", "result_class", actor.CommitteeID, nil, c)
	})
}

func codeLabelErrors(code, label string) error {
	var fields []apperr.FieldError
	if code == "" || len(code) > 32 {
		fields = append(fields, apperr.Field("code", "err.required"))
	}
	if label == "" {
		fields = append(fields, apperr.Field("label_zh", "err.required"))
	}
	if len(fields) > 0 {
		return apperr.Fields(fields...)
	}
	return nil
}

// loadCalendar builds a committee's working-day calendar from calendar_days
// (weekends only when it has none).
func loadCalendar(ctx context.Context, q db.Querier, committeeID int64) (*civil.Calendar, error) {
	return importCached(ctx, fmt.Sprint("calendar ", committeeID), func() (*civil.Calendar, error) { return readCalendar(ctx, q, committeeID) })
}

func readCalendar(ctx context.Context, q db.Querier, committeeID int64) (*civil.Calendar, error) {
	days, err := calendarDays(ctx, q, committeeID)
	if err != nil {
		return nil, err
	}
	return civil.NewCalendar(days), nil
}

func calendarDays(ctx context.Context, q db.Querier, committeeID int64) ([]civil.SpecialDay, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (civil.SpecialDay, error) {
		var d civil.SpecialDay
		err := sc.Scan(&d.Date, &d.Kind, &d.Name)
		return d, err
	}, `SELECT day, kind, name FROM calendar_days WHERE committee_id = $1 ORDER BY day`, committeeID)
}

// Calendar returns the actor's committee's calendar overrides.
func (s *Service) Calendar(ctx context.Context, actor *auth.Actor) ([]civil.SpecialDay, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	return calendarDays(ctx, s.DB, actor.CommitteeID)
}

// SetCalendarDay sets one override of the actor's committee's calendar; kind ""
// removes it (the day follows the weekday rule again).
func (s *Service) SetCalendarDay(ctx context.Context, actor *auth.Actor, day civil.Date, kind civil.DayKind, name string) error {
	if !auth.Can(actor, PermSettings) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	if day.IsZero() {
		return invalid("day", "err.required")
	}
	if kind != "" && kind != civil.Holiday && kind != civil.Workday {
		return invalid("kind", "err.proposal.bad_choice")
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM calendar_days WHERE committee_id = $1 AND day = $2`, actor.CommitteeID, day); err != nil {
			return err
		}
		if kind != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_days (committee_id, day, kind, name) VALUES ($1,$2,$3,$4)`,
				actor.CommitteeID, day, kind, strings.TrimSpace(name)); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "set", "calendar_day", actor.CommitteeID, nil,
			map[string]any{"day": day.String(), "kind": kind, "name": name})
	})
}

// SeedChinaHolidays copies the shipped national holiday data (civil.ChinaHolidays)
// into the actor's committee's calendar, keeping days it already set; it returns
// how many days were added.
func (s *Service) SeedChinaHolidays(ctx context.Context, actor *auth.Actor) (int, error) {
	if !auth.Can(actor, PermSettings) {
		return 0, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	added := 0
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, d := range civil.ChinaHolidays {
			res, err := tx.ExecContext(ctx, `INSERT INTO calendar_days (committee_id, day, kind, name) VALUES ($1,$2,$3,$4)
				ON CONFLICT (committee_id, day) DO NOTHING`, actor.CommitteeID, d.Date, d.Kind, d.Name)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			added += int(n)
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "seed", "calendar_day", actor.CommitteeID, nil,
			map[string]any{"added": added})
	})
	return added, err
}
