package api

import (
	"slices"

	"lvzhi/internal/activity"
	"lvzhi/internal/apperr"
	"lvzhi/internal/figure"
	"lvzhi/internal/proposal"
)

// More of the activity area's routes, the twins of the web's plan editing,
// invited guests and output files pages.

// GuestBody is an invited leader (name, post) or unit (unit_id).
type GuestBody struct {
	Kind    string `json:"kind"` // leader or unit
	Name    string `json:"name,omitempty"`
	Post    string `json:"post,omitempty"`
	UnitID  int64  `json:"unit_id,omitempty"`
	Version int    `json:"version,omitempty"` // the activity's version read (0 skips the check)
}

func (a *API) activityMoreRoutes() []Route {
	s := a.deps.Activities
	ids := func(r *Request, sub string) (id, sid int64, err error) {
		if id, err = r.PathID("id"); err != nil {
			return 0, 0, err
		}
		sid, err = r.PathID(sub)
		return id, sid, err
	}
	return []Route{
		{Method: "GET", Path: "/attendance-rates", Tag: "activities",
			Summary: "Attendance rates per member (by=member) or per group (by=group): the attendance figures (invited, attended, leave, absent) under act_person or act_member_group, best attended first (figure readers)",
			Query:   append(slices.Clone(neutralFilterParams), Param{Name: "by", Type: "string", Description: "member (default) or group", Enum: []string{"member", "group"}}),
			Result:  []activity.RateRow{}, Handle: func(r *Request) (any, error) {
				q := r.URL.Query()
				by := activity.RatesBy(q.Get("by"))
				if by == "" {
					by = activity.ByMember
				}
				q.Del("by")
				f, _, err := figure.ParseQuery(q)
				if err != nil {
					return nil, err
				}
				if f.CommitteeID == 0 {
					f.CommitteeID = r.Actor.CommitteeID
				}
				return s.AttendanceRates(r.Context(), r.Actor, f, by)
			}},
		{Method: "PUT", Path: "/plan/{id}", Tag: "activities", Summary: "Change a drafted plan item (year, month, topic, form, group_id, version; staff)",
			Body: PlanBody{}, Result: activity.PlanItem{}, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				var b PlanBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return s.EditPlanItem(r.Context(), r.Actor, activity.Ref{ID: id, Version: b.Version}, activity.PlanInput{Year: b.Year,
					Month: b.Month, Topic: b.Topic, Form: activity.Kind(b.Form), GroupID: b.GroupID})
			}},
		{Method: "POST", Path: "/activities/{id}/guests", Tag: "activities", Summary: "Record an invited leader (name, post) or unit (unit_id) (staff)",
			Body: GuestBody{}, Result: activity.Guest{}, Status: 201, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				var b GuestBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return s.AddGuest(r.Context(), r.Actor, activity.Ref{ID: id, Version: b.Version}, activity.GuestInput{Kind: activity.GuestKind(b.Kind),
					Name: b.Name, Post: b.Post, UnitID: b.UnitID})
			}},
		{Method: "DELETE", Path: "/activities/{id}/guests/{gid}", Tag: "activities", Summary: "Remove an invited leader or unit (staff)",
			Handle: func(r *Request) (any, error) {
				id, gid, err := ids(r, "gid")
				if err != nil {
					return nil, err
				}
				return nil, s.RemoveGuest(r.Context(), r.Actor, activity.Ref{ID: id}, gid)
			}},
		{Method: "POST", Path: "/outputs/{id}/files", Tag: "activities",
			Summary: "Attach the document of an output (staff; PDF, office documents, images; at most 10 files of 10 MB)",
			Form:    []FormPart{{Name: "file", Type: "file", Required: true, Description: "the file; its name is kept"}},
			Result:  activity.File{}, Status: 201, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				data, name, _, err := r.Upload("file", proposal.MaxAttachment)
				if err != nil {
					return nil, err
				}
				if data == nil {
					return nil, apperr.Fields(apperr.Field("file", "err.api.file_required"))
				}
				return s.AddOutputFile(r.Context(), r.Actor, id, name, data)
			}},
		{Method: "GET", Path: "/outputs/{id}/files/{fid}", Tag: "activities", Summary: "Download a document of an output (the committee's readers)",
			Result: Download{}, Handle: func(r *Request) (any, error) {
				id, fid, err := ids(r, "fid")
				if err != nil {
					return nil, err
				}
				f, data, err := s.OutputFileContent(r.Context(), r.Actor, id, fid)
				if err != nil {
					return nil, err
				}
				return &Download{Name: f.Name, Data: data}, nil
			}},
		{Method: "DELETE", Path: "/outputs/{id}/files/{fid}", Tag: "activities", Summary: "Remove a document of an output (staff)",
			Handle: func(r *Request) (any, error) {
				id, fid, err := ids(r, "fid")
				if err != nil {
					return nil, err
				}
				return nil, s.RemoveOutputFile(r.Context(), r.Actor, id, fid)
			}},
	}
}
