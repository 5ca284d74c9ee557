package api

import (
	"bytes"
	"slices"

	"lvzhi/internal/apperr"
	"lvzhi/internal/duty"
)

// The duty area's routes: every action the duty pages offer. Points are in
// hundredths (1250 = 12.5 points) throughout.

// RuleSetCreate makes a year's rules from a preset or an earlier year.
type RuleSetCreate struct {
	Year     int    `json:"year"`
	Preset   string `json:"preset,omitempty" enum:"tongcheng,minhang,guangshui"`
	FromYear int    `json:"from_year,omitempty"` // copy this year's rules instead of a preset
}

// YearList is the years a committee has rules for.
type YearList struct {
	Years []int `json:"years"`
}

// AdjustBody is a manual adjustment.
type AdjustBody struct {
	MembershipID int64  `json:"membership_id"`
	Date         string `json:"date"`   // YYYY-MM-DD
	Points       int64  `json:"points"` // hundredths, not zero
	Reason       string `json:"reason"`
}

// AppealBody files an appeal of a ledger entry.
type AppealBody struct {
	EntryID int64  `json:"entry_id"`
	Reason  string `json:"reason"`
}

// AppealDecision moves an appeal: withdraw (the member), uphold or reject (staff).
type AppealDecision struct {
	Action  duty.AppealAction `json:"action"`
	Note    string            `json:"note"`
	Points  int64             `json:"points"` // uphold: an adjustment in hundredths (0: none)
	Version int               `json:"version"`
}

// AppealList is a committee's appeals.
type AppealList struct {
	Items []duty.Appeal `json:"items"`
}

// AssessmentList is a year's confirmed assessments.
type AssessmentList struct {
	Items []duty.Assessment `json:"items"`
}

// ActionDecision confirms or dismisses a proposed action.
type ActionDecision struct {
	Year     int    `json:"year"`
	Decision string `json:"decision" enum:"confirmed,dismissed"`
	Version  int    `json:"version"`
}

// ConfirmBody confirms a year's assessment.
type ConfirmBody struct {
	Year int `json:"year"`
}

// ImportBody is a past year's score sheet: an .xlsx file (base64 in JSON)
// whose first row is 姓名, 得分, 等次.
type ImportBody struct {
	Year     int    `json:"year"`
	FileName string `json:"file_name"`
	File     []byte `json:"file"`
}

// ImportList is a committee's imported score sheets.
type ImportList struct {
	Items []duty.Import `json:"items"`
}

// DutyReportBody is a standing member's annual duty report of a year.
type DutyReportBody struct {
	Year    int    `json:"year"`
	Body    string `json:"body"`
	Version int    `json:"version"` // the version read; 0 for a first report
}

// RecomputeBody asks for a recompute of a year.
type RecomputeBody struct {
	Year   int  `json:"year"`
	Repair bool `json:"repair"`
}

var yearParam = Param{Name: "year", Type: "integer", Description: "the year", Required: true}

// yearOf reads the required year parameter.
func yearOf(r *Request) (int, error) {
	y, err := r.QueryInt("year")
	if err != nil {
		return 0, err
	}
	if y < 2000 || y > 2100 {
		return 0, apperr.Fields(apperr.Field("year", "err.form.out_of_range", map[string]any{"Min": 2000, "Max": 2100}))
	}
	return int(y), nil
}

func (a *API) dutyRoutes() []Route {
	s := duty.NewService(a.deps.DB)
	withYear := func(h func(r *Request, cid int64, year int) (any, error)) func(r *Request) (any, error) {
		return func(r *Request) (any, error) {
			cid, err := committeeOf(r)
			if err != nil {
				return nil, err
			}
			y, err := yearOf(r)
			if err != nil {
				return nil, err
			}
			return h(r, cid, y)
		}
	}
	withBody := func(v any, h func(r *Request, cid int64) (any, error)) func(r *Request) (any, error) {
		return func(r *Request) (any, error) {
			cid, err := committeeOf(r)
			if err != nil {
				return nil, err
			}
			if err := r.Decode(v); err != nil {
				return nil, err
			}
			return h(r, cid)
		}
	}
	return []Route{
		{Method: "GET", Path: "/duty/rules/years", Tag: "duty", Summary: "Years a committee has scoring rules for, newest first",
			Query: []Param{committeeParam}, Result: YearList{}, Handle: func(r *Request) (any, error) {
				cid, err := committeeOf(r)
				if err != nil {
					return nil, err
				}
				ys, err := s.Years(r.Context(), r.Actor, cid)
				return YearList{orEmpty(ys)}, err
			}},
		{Method: "GET", Path: "/duty/rules", Tag: "duty", Summary: "A year's scoring rules (staff, leaders, members)",
			Query: []Param{committeeParam, yearParam}, Result: duty.RuleSet{}, Handle: withYear(func(r *Request, cid int64, y int) (any, error) {
				return s.RuleSet(r.Context(), r.Actor, cid, y)
			})},
		{Method: "POST", Path: "/duty/rules", Tag: "duty", Summary: "Create a year's rules from a preset or an earlier year (staff)",
			Query: []Param{committeeParam}, Body: RuleSetCreate{}, Result: duty.RuleSet{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in RuleSetCreate
				return withBody(&in, func(r *Request, cid int64) (any, error) {
					if in.FromYear != 0 {
						return s.CopyYear(r.Context(), r.Actor, cid, in.FromYear, in.Year)
					}
					return s.CopyPreset(r.Context(), r.Actor, cid, in.Year, in.Preset)
				})(r)
			}},
		{Method: "PUT", Path: "/duty/rules", Tag: "duty", Summary: "Replace a year's rules (send its version; a confirmed year is 409); the year's ledger is reposted",
			Query: []Param{committeeParam}, Body: duty.RuleSet{}, Result: duty.RuleSet{}, Handle: func(r *Request) (any, error) {
				var in duty.RuleSet
				return withBody(&in, func(r *Request, cid int64) (any, error) { return s.UpdateRuleSet(r.Context(), r.Actor, cid, in) })(r)
			}},
		{Method: "GET", Path: "/duty/scores", Tag: "duty", Summary: "A year's scores, grades and ranks of every member (staff, leaders)",
			Query: []Param{committeeParam, yearParam}, Result: duty.Year{}, Handle: withYear(func(r *Request, cid int64, y int) (any, error) {
				return s.Scores(r.Context(), r.Actor, cid, y)
			})},
		{Method: "GET", Path: "/duty/members/{id}", Tag: "duty", Summary: "A member's duty record of a year (staff and leaders; a member only their own)",
			Query: []Param{committeeParam, yearParam}, Result: duty.MemberRecord{}, Handle: withYear(func(r *Request, cid int64, y int) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				return s.Record(r.Context(), r.Actor, cid, id, y)
			})},
		{Method: "PUT", Path: "/duty/members/{id}/report", Tag: "duty", Summary: "Write one's annual duty report (standing-committee members, their own record)",
			Query: []Param{committeeParam}, Body: DutyReportBody{}, Result: duty.AnnualReport{}, Handle: func(r *Request) (any, error) {
				var in DutyReportBody
				return withBody(&in, func(r *Request, cid int64) (any, error) {
					id, err := r.PathID("id")
					if err != nil {
						return nil, err
					}
					return s.SaveReport(r.Context(), r.Actor, cid, id, in.Year, in.Body, in.Version)
				})(r)
			}},
		{Method: "POST", Path: "/duty/adjustments", Tag: "duty", Summary: "Adjust a member's score with a reason (staff)",
			Query: []Param{committeeParam}, Body: AdjustBody{}, Result: duty.Adjustment{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in AdjustBody
				return withBody(&in, func(r *Request, cid int64) (any, error) {
					var fe []apperr.FieldError
					on := date("date", in.Date, &fe)
					if len(fe) > 0 {
						return nil, apperr.Fields(fe...)
					}
					return s.Adjust(r.Context(), r.Actor, cid, duty.AdjustInput{MembershipID: in.MembershipID, Date: on,
						Points: in.Points, Reason: in.Reason})
				})(r)
			}},
		{Method: "DELETE", Path: "/duty/adjustments/{id}", Tag: "duty", Summary: "Cancel an adjustment (its posting is reversed)",
			Query: []Param{committeeParam, versionParam}, Handle: func(r *Request) (any, error) {
				cid, err := committeeOf(r)
				if err != nil {
					return nil, err
				}
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				v, err := requiredVersion(r)
				if err != nil {
					return nil, err
				}
				return nil, s.CancelAdjustment(r.Context(), r.Actor, cid, id, v)
			}},
		{Method: "GET", Path: "/duty/appeals", Tag: "duty", Summary: "Appeals (staff: all; a member: their own), newest first",
			Query: []Param{committeeParam, {Name: "state", Type: "string", Description: "only appeals in this state",
				Enum: duty.AppealState("").EnumValues()}}, Result: AppealList{}, Handle: func(r *Request) (any, error) {
				cid, err := committeeOf(r)
				if err != nil {
					return nil, err
				}
				st := duty.AppealState(r.Query("state"))
				if st != "" && !slices.Contains(st.EnumValues(), string(st)) {
					return nil, apperr.Fields(apperr.Field("state", "err.form.bad_choice"))
				}
				as, err := s.Appeals(r.Context(), r.Actor, cid, st)
				return AppealList{orEmpty(as)}, err
			}},
		{Method: "POST", Path: "/duty/appeals", Tag: "duty", Summary: "Appeal an entry of one's own record (members)",
			Query: []Param{committeeParam}, Body: AppealBody{}, Result: duty.Appeal{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in AppealBody
				return withBody(&in, func(r *Request, cid int64) (any, error) {
					return s.FileAppeal(r.Context(), r.Actor, cid, in.EntryID, in.Reason)
				})(r)
			}},
		{Method: "POST", Path: "/duty/appeals/{id}/decide", Tag: "duty", Summary: "Withdraw (the member), uphold or reject (staff) an appeal",
			Query: []Param{committeeParam}, Body: AppealDecision{}, Result: duty.Appeal{}, Handle: func(r *Request) (any, error) {
				var in AppealDecision
				return withBody(&in, func(r *Request, cid int64) (any, error) {
					id, err := r.PathID("id")
					if err != nil {
						return nil, err
					}
					return s.DecideAppeal(r.Context(), r.Actor, cid, id, duty.Decision{Action: in.Action, Note: in.Note,
						Points: in.Points, Version: in.Version})
				})(r)
			}},
		{Method: "GET", Path: "/duty/imports", Tag: "duty", Summary: "Imported past years' score sheets, newest first (staff, leaders)",
			Query: []Param{committeeParam}, Result: ImportList{}, Handle: func(r *Request) (any, error) {
				cid, err := committeeOf(r)
				if err != nil {
					return nil, err
				}
				is, err := s.Imports(r.Context(), r.Actor, cid)
				return ImportList{orEmpty(is)}, err
			}},
		{Method: "POST", Path: "/duty/imports", Tag: "duty", Summary: "Import a past year's scores from the committee's sheet, whole or not at all (row errors) (staff)",
			Query: []Param{committeeParam}, Body: ImportBody{}, Result: duty.Import{}, Status: 201, Handle: func(r *Request) (any, error) {
				var in ImportBody
				return withBody(&in, func(r *Request, cid int64) (any, error) {
					return s.ImportYear(r.Context(), r.Actor, cid, in.Year, in.FileName, bytes.NewReader(in.File))
				})(r)
			}},
		{Method: "POST", Path: "/duty/recompute", Tag: "duty", Summary: "Recompute a year from the records and report differences from the ledger (staff)",
			Query: []Param{committeeParam}, Body: RecomputeBody{}, Result: duty.Report{}, Handle: func(r *Request) (any, error) {
				var in RecomputeBody
				return withBody(&in, func(r *Request, cid int64) (any, error) {
					return s.Recompute(r.Context(), r.Actor, cid, in.Year, in.Repair)
				})(r)
			}},
		{Method: "GET", Path: "/duty/assessments", Tag: "duty", Summary: "A year's confirmed assessments by rank (staff, leaders)",
			Query: []Param{committeeParam, yearParam}, Result: AssessmentList{}, Handle: withYear(func(r *Request, cid int64, y int) (any, error) {
				as, err := s.Assessments(r.Context(), r.Actor, cid, y)
				return AssessmentList{orEmpty(as)}, err
			})},
		{Method: "POST", Path: "/duty/assessments", Tag: "duty", Summary: "Confirm a year's assessment (closes its rules) (staff)",
			Query: []Param{committeeParam}, Body: ConfirmBody{}, Result: AssessmentList{}, Handle: func(r *Request) (any, error) {
				var in ConfirmBody
				return withBody(&in, func(r *Request, cid int64) (any, error) {
					as, err := s.ConfirmYear(r.Context(), r.Actor, cid, in.Year)
					return AssessmentList{orEmpty(as)}, err
				})(r)
			}},
		{Method: "POST", Path: "/duty/assessments/{id}/decide", Tag: "duty", Summary: "Confirm or dismiss the action proposed for a member's year (staff)",
			Query: []Param{committeeParam}, Body: ActionDecision{}, Result: duty.Assessment{}, Handle: func(r *Request) (any, error) {
				var in ActionDecision
				return withBody(&in, func(r *Request, cid int64) (any, error) {
					id, err := r.PathID("id")
					if err != nil {
						return nil, err
					}
					return s.DecideAction(r.Context(), r.Actor, cid, in.Year, id, in.Decision, in.Version)
				})(r)
			}},
	}
}
