package web

import (
	"net/http"
	"strconv"

	"lvzhi/internal/activity"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

// activityRoutes registers the consultation and everyday-duty pages
// (internal/activity): the activity list and export, an activity's page with
// the actions its reader may take (activity_detail.go), the form, a member's
// calendar and iCalendar feed, the leave queue (activity_list.go), and the
// 社情民意 and outputs pages (activity_records.go) with the outputs' files
// (activity_files.go), the plan and the schedules (activity_plan.go). /consult, the menu's
// entry, leads to the reader's page.
//
// Every POST on an existing activity carries the version its form was built
// from; a stale form is refused by the service and the page says so.
func (s *Server) activityRoutes() {
	s.handle("GET /consult", s.activityHome)
	s.handle("GET /activities", s.activityList)
	s.handle("GET /activities/export.xlsx", s.activityExport)
	s.handle("GET /activities/new", s.activityNew)
	s.handle("POST /activities", s.activityCreate)
	s.handle("GET /activities/mine", s.activityMine)
	s.handle("POST /activities/mine/feed", s.activityFeedToken)
	s.handle("GET /consult/feed/{token}", s.activityFeed)
	s.handle("GET /activities/leaves", s.activityLeaves)
	s.handle("GET /activities/import", s.activityImportPage)
	s.handle("POST /activities/import", s.activityImport)
	s.handle("GET /activities/import/template.xlsx", s.activityImportTemplate)
	s.handle("GET /activities/{id}", s.activityDetail)
	s.handle("GET /activities/{id}/edit", s.activityEdit)
	s.handle("POST /activities/{id}/edit", s.activityUpdate)
	s.handle("POST /activities/{id}/{action}", s.activityAct)
	s.handle("POST /activities/attendance/{id}/{action}", s.activityRowAct)
	s.handle("GET /consult/sqmy", s.sqmyList)
	s.handle("POST /consult/sqmy", s.sqmySubmit)
	s.handle("GET /consult/sqmy/{id}", s.sqmyDetail)
	s.handle("POST /consult/sqmy/{id}/{action}", s.sqmyAct)
	s.handle("GET /consult/outputs", s.outputList)
	s.handle("POST /consult/outputs", s.outputCreate)
	s.handle("GET /consult/outputs/{id}", s.outputDetail)
	s.handle("POST /consult/outputs/{id}/{action}", s.outputAct)
	s.handle("POST /consult/outputs/{id}/files", s.outputAttach)
	s.handle("GET /consult/outputs/{id}/files/{fid}", s.outputFile)
	s.handle("POST /consult/outputs/{id}/files/{fid}/remove", s.outputDetach)
	s.handle("POST /consult/followups/{id}/close", s.followupClose)
	s.handle("GET /consult/plan", s.planList)
	s.handle("POST /consult/plan", s.planCreate)
	s.handle("GET /consult/plan/{id}/edit", s.planEdit)
	s.handle("POST /consult/plan/{id}/edit", s.planUpdate)
	s.handle("POST /consult/plan/{id}/{action}", s.planStep)
	s.handle("GET /consult/figures", s.activityFigures)
	s.handle("GET /consult/attendance", s.activityRates)
	s.handle("GET /consult/attendance.xlsx", s.activityRatesExport)
	s.handle("GET /consult/schedules", s.scheduleList)
	s.handle("POST /consult/schedules", s.scheduleCreate)
	s.handle("POST /consult/schedules/{id}/stop", s.scheduleStop)
	s.handle("GET /consult/appraisals", s.appraisalList)
	s.handle("POST /consult/appraisals", s.appraisalCreate)
	s.handle("GET /consult/appraisals/{id}", s.appraisalDetail)
	s.handle("POST /consult/appraisals/{id}/{action}", s.appraisalAct)
}

// actURL is the address of an activity's page.
func actURL(id int64) string { return "/activities/" + strconv.FormatInt(id, 10) }

// activityHome is the area's landing page (the menu's /consult): a member's
// coming activities, a reader's latest ones, or a note for accounts that
// take no part (units, assistance officers).
func (s *Server) activityHome(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	data := map[string]any{}
	if auth.Can(a, activity.PermJoin) && a.PersonID != 0 {
		today := civil.Today()
		es, err := s.Activities.Calendar(r.Context(), a, today, today.AddMonths(12))
		if err != nil {
			return err
		}
		data["Upcoming"] = es[:min(len(es), 10)]
	}
	if auth.Can(a, activity.PermView) {
		items, _, err := s.Activities.List(r.Context(), a, activity.Filter{CommitteeID: a.CommitteeID, PageSize: 10})
		if err != nil {
			return err
		}
		data["Recent"] = items
	}
	s.render(w, r, "activity/home.html", data)
	return nil
}

// actOpts are the choices the activity pages offer.
type actOpts struct {
	Kinds       []activity.Kind
	Roles       []activity.Role
	OutputKinds []activity.OutputKind
	Levels      []string
	Marks       []activity.Status
}

func newActOpts() actOpts {
	return actOpts{Kinds: activity.AllKinds, Roles: []activity.Role{activity.RoleSpeaker, activity.RoleDrafter},
		OutputKinds: activity.OutputKinds, Levels: activity.Levels,
		Marks: []activity.Status{activity.Attended, activity.Absent, activity.LeaveApproved}}
}
