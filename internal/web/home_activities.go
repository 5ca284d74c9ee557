package web

import (
	"context"
	"net/url"
	"strconv"

	"lvzhi/internal/activity"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

func init() { registerTiles(activityTiles) }

// activityTiles is the activity area's part of the workbench: a member's
// coming activities, the leave requests waiting for a decision, and for staff
// the plan items running late and the 社情民意 not yet handled. Each count is
// taken by the same call as the list it opens.
func activityTiles(ctx context.Context, s *Server, a *auth.Actor) (*homeSection, error) {
	sec := &homeSection{Title: "aw.title"}
	today := civil.Today()
	if auth.Can(a, activity.PermJoin) && a.PersonID != 0 {
		es, err := s.Activities.Calendar(ctx, a, today, mineUntil(today))
		if err != nil {
			return nil, err
		}
		sec.Tiles = append(sec.Tiles, homeTile{Label: "aw.tile.upcoming", Count: len(es), Link: "/activities/mine"})
	}
	if auth.Can(a, activity.PermLeave) {
		ls, err := s.Activities.PendingLeaves(ctx, a)
		if err != nil {
			return nil, err
		}
		sec.Tiles = append(sec.Tiles, homeTile{Label: "aw.tile.leaves", Count: len(ls), Link: "/activities/leaves", Warn: len(ls) > 0})
	}
	if auth.Can(a, activity.PermManage) {
		items, err := s.Activities.Plan(ctx, a, a.CommitteeID, today.Year)
		if err != nil {
			return nil, err
		}
		late := len(lateOnly(items))
		sec.Tiles = append(sec.Tiles, homeTile{Label: "aw.tile.plan_late", Count: late, Warn: late > 0,
			Link: link("/consult/plan", url.Values{"year": {strconv.Itoa(today.Year)}, "late": {"1"}})})
		_, n, err := s.Activities.SqmyList(ctx, a, activity.SqmyFilter{CommitteeID: a.CommitteeID, State: activity.SqmySubmitted, PageSize: 1})
		if err != nil {
			return nil, err
		}
		sec.Tiles = append(sec.Tiles, homeTile{Label: "aw.tile.sqmy_new", Count: n,
			Link: link("/consult/sqmy", url.Values{"state": {string(activity.SqmySubmitted)}})})
	}
	return sec, nil
}

// mineUntil is the last day the member's calendar page shows.
func mineUntil(today civil.Date) civil.Date {
	return civil.Date{Year: today.Year + 1, Month: 12, Day: 31}
}

// lateOnly keeps the plan items running late.
func lateOnly(items []activity.PlanItem) []activity.PlanItem {
	var out []activity.PlanItem
	for _, it := range items {
		if it.Late {
			out = append(out, it)
		}
	}
	return out
}
