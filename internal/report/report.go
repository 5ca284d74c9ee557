// Package report writes a committee's annual work report (年度工作报告) from
// the figures every area registers in the shared figure.Registry: a structure
// of sections, each with sentences in the committee's style that cite figures
// by id (rendered with figure.Sentence), and the staff's own prose around them.
//
// A section is shown only when every figure it cites is registered (its area
// is built); otherwise it is left out and named in a notice, never filled with
// made-up numbers. The figures stay live until the report is finalised;
// finalising freezes their values, the date and the records each counted
// (report_figures, report_figure_records), after which the report refuses
// edits and reads the same however the records change.
package report

import (
	"time"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/figure"
)

// The report permissions.
const (
	// PermEdit: create reports, write their prose, finalise them (staff and leaders).
	PermEdit auth.Action = "report.edit"
	// PermRead: read the committee's finalised reports; drafts need PermEdit too.
	PermRead auth.Action = "report.read"
)

func init() {
	auth.Grant(PermEdit, auth.RoleStaff, auth.RoleLeader)
	auth.Grant(PermRead, auth.RoleStaff, auth.RoleLeader, auth.RoleAdmin, auth.RoleProposalOffice,
		auth.RoleMember, auth.RoleAssistance)
}

// State is a report's state.
type State string

// The states: a draft's figures are live; a final report's are frozen.
const (
	Draft State = "draft"
	Final State = "final"
)

// KindAnnual is the annual work report, the only kind today.
const KindAnnual = "annual"

// Report is one report of a committee.
type Report struct {
	ID          int64      `json:"id"`
	CommitteeID int64      `json:"committee_id"`
	Kind        string     `json:"kind"`
	Year        int        `json:"year"`
	Title       string     `json:"title"`
	State       State      `json:"state"`
	Sections    []string   `json:"sections,omitempty"` // final: the sections shown when finalised
	FinalOn     civil.Date `json:"final_on"`
	FinalAt     time.Time  `json:"final_at"`
	FinalBy     int64      `json:"final_by,omitempty"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	// Texts are the staff's prose by TextKey(section, place).
	Texts map[string]string `json:"texts"`
}

// IsFinal reports whether the report's figures are frozen.
func (r *Report) IsFinal() bool { return r.State == Final }

// Filter is the figure filter of the report: its committee (not the
// committees below it) and its calendar year.
func (r *Report) Filter() figure.Filter { return figure.YearFilter(r.CommitteeID, r.Year) }

// Places of prose around a section's generated sentences.
const (
	Before = "before"
	After  = "after"
)

// Preamble is the section id of the report's opening prose.
const Preamble = "preamble"

// TextKey names one prose text: "consult/before".
func TextKey(section, place string) string { return section + "/" + place }

// Service is the report use cases.
type Service struct {
	DB      *db.DB
	Figures *figure.Registry
	// Today is the date finalising records (civil.Today by default).
	Today func() civil.Date
}

// NewService returns the report service over the figures of reg.
func NewService(d *db.DB, reg *figure.Registry) *Service {
	return &Service{DB: d, Figures: reg, Today: civil.Today}
}
