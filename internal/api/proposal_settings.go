package api

import (
	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
	"lvzhi/internal/proposal"
)

// The proposal settings of the token user's committee (the web's
// /proposals/settings): deadlines, the 不予立案 reasons, the 答复类别 and the
// working-day calendar. Everyone of the committee reads them; administrators
// and the proposal office change them.

// SettingsBody changes the deadlines (send the version read: 0 while the
// committee still uses the national defaults).
type SettingsBody struct {
	DeadlineMonths     int `json:"deadline_months"`
	MaxMonths          int `json:"max_months"`
	ContactWorkdays    int `json:"contact_workdays"`
	EvaluationWorkdays int `json:"evaluation_workdays"`
	ReturnWorkdays     int `json:"return_workdays"`
	SigningWorkdays    int `json:"signing_workdays"`
	RemindWorkdays     int `json:"remind_workdays"`
	RehandleMonths     int `json:"rehandle_months"`
	Version            int `json:"version,omitempty"`
}

// ReasonList is the committee's 不予立案 reasons.
type ReasonList struct {
	Items []proposal.Reason `json:"items"`
}

// ReasonBody adds a reason or changes the one with its code (codes are kept
// forever: deactivate rather than delete).
type ReasonBody struct {
	Code    string `json:"code"`
	LabelZh string `json:"label_zh"`
	LabelEn string `json:"label_en,omitempty"`
	Sort    int    `json:"sort,omitempty"`
	Active  bool   `json:"active,omitempty"`
}

// ClassList is the committee's 答复类别.
type ClassList struct {
	Items []proposal.ResultClass `json:"items"`
}

// ClassBody adds a result class or changes the one with its code.
type ClassBody struct {
	Code     string `json:"code"`
	LabelZh  string `json:"label_zh"`
	LabelEn  string `json:"label_en,omitempty"`
	Solved   bool   `json:"solved,omitempty"`    // counted in 已解决和正在解决
	FollowUp bool   `json:"follow_up,omitempty"` // revisited next year (回头看)
	Sort     int    `json:"sort,omitempty"`
	Active   bool   `json:"active,omitempty"`
}

// CalendarDay is one override of the weekday rule.
type CalendarDay struct {
	Day  civil.Date `json:"day"`
	Kind string     `json:"kind" enum:"holiday,workday"` // holiday: a weekday not worked; workday: a weekend day worked
	Name string     `json:"name"`
}

// CalendarList is the committee's calendar overrides, by date.
type CalendarList struct {
	Items []CalendarDay `json:"items"`
}

// CalendarBody sets one day; kind "" (or absent) removes its override.
type CalendarBody struct {
	Day  string `json:"day"` // YYYY-MM-DD
	Kind string `json:"kind,omitempty" enum:"holiday,workday"`
	Name string `json:"name,omitempty"`
}

// Added says how many days were added.
type Added struct {
	Added int `json:"added"`
}

func (a *API) proposalSettingsRoutes() []Route {
	s := a.deps.Proposals
	return []Route{
		{Method: "GET", Path: "/proposals/settings", Tag: "proposal settings", Summary: "The committee's proposal deadlines",
			Result: proposal.Settings{}, Handle: func(r *Request) (any, error) { return s.Settings(r.Context(), r.Actor) }},
		{Method: "PUT", Path: "/proposals/settings", Tag: "proposal settings", Summary: "Change the deadlines (admins, proposal office; send the version read)",
			Body: SettingsBody{}, Result: proposal.Settings{}, Handle: func(r *Request) (any, error) {
				var b SettingsBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return s.UpdateSettings(r.Context(), r.Actor, proposal.Settings(b))
			}},
		{Method: "GET", Path: "/proposals/settings/reasons", Tag: "proposal settings", Summary: "The committee's reasons for not registering a proposal (不予立案)",
			Result: ReasonList{}, Handle: func(r *Request) (any, error) {
				rs, err := s.DeclineReasons(r.Context(), r.Actor)
				return ReasonList{orEmpty(rs)}, err
			}},
		{Method: "POST", Path: "/proposals/settings/reasons", Tag: "proposal settings", Summary: "Add a reason or change the one with its code (admins, proposal office)",
			Body: ReasonBody{}, Handle: func(r *Request) (any, error) {
				var b ReasonBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return nil, s.SaveDeclineReason(r.Context(), r.Actor, proposal.Reason(b))
			}},
		{Method: "GET", Path: "/proposals/settings/classes", Tag: "proposal settings", Summary: "The committee's reply classes (答复类别)",
			Result: ClassList{}, Handle: func(r *Request) (any, error) {
				cs, err := s.ResultClasses(r.Context(), r.Actor)
				return ClassList{orEmpty(cs)}, err
			}},
		{Method: "POST", Path: "/proposals/settings/classes", Tag: "proposal settings", Summary: "Add a reply class or change the one with its code (admins, proposal office)",
			Body: ClassBody{}, Handle: func(r *Request) (any, error) {
				var b ClassBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return nil, s.SaveResultClass(r.Context(), r.Actor, proposal.ResultClass(b))
			}},
		{Method: "GET", Path: "/proposals/settings/calendar", Tag: "proposal settings", Summary: "The working-day calendar's overrides (holidays, adjusted working days)",
			Result: CalendarList{}, Handle: func(r *Request) (any, error) {
				days, err := s.Calendar(r.Context(), r.Actor)
				out := CalendarList{Items: []CalendarDay{}}
				for _, d := range days {
					out.Items = append(out.Items, CalendarDay{Day: d.Date, Kind: string(d.Kind), Name: d.Name})
				}
				return out, err
			}},
		{Method: "POST", Path: "/proposals/settings/calendar", Tag: "proposal settings", Summary: "Set one day of the calendar; kind \"\" removes its override (admins, proposal office)",
			Body: CalendarBody{}, Handle: func(r *Request) (any, error) {
				var b CalendarBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				var fe []apperr.FieldError
				day := date("day", b.Day, &fe)
				if len(fe) > 0 {
					return nil, apperr.Fields(fe...)
				}
				return nil, s.SetCalendarDay(r.Context(), r.Actor, day, civil.DayKind(b.Kind), b.Name)
			}},
		{Method: "POST", Path: "/proposals/settings/calendar/china", Tag: "proposal settings", Summary: "Add China's published public holidays and adjusted working days (existing days are kept)",
			Result: Added{}, Handle: func(r *Request) (any, error) {
				n, err := s.SeedChinaHolidays(r.Context(), r.Actor)
				return Added{n}, err
			}},
	}
}
