package web

import (
	"net/http"
	"net/url"
	"strconv"

	"lvzhi/internal/activity"
	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/i18n"
	"lvzhi/internal/org"
	"lvzhi/internal/sheet"
)

// actQuery is a parsed activity list request: filters by kind and year.
type actQuery struct {
	Kind   activity.Kind
	Year   int
	Group  int64 // organising group
	Plan   int64 // plan item carried out
	Page   int
	Values url.Values // the filter without page, for the pager and the export link
}

func parseActQuery(q url.Values) actQuery {
	aq := actQuery{Page: max(queryInt(q, "page"), 1), Year: queryInt(q, "year"), Group: queryID(q, "group"), Plan: queryID(q, "plan")}
	if k := activity.Kind(q.Get("kind")); k.Valid() {
		aq.Kind = k
	}
	if aq.Year < 1900 || aq.Year > 9999 {
		aq.Year = 0
	}
	v := url.Values{}
	if aq.Kind != "" {
		v.Set("kind", string(aq.Kind))
	}
	if aq.Year != 0 {
		v.Set("year", strconv.Itoa(aq.Year))
	}
	if aq.Group != 0 {
		v.Set("group", strconv.FormatInt(aq.Group, 10))
	}
	if aq.Plan != 0 {
		v.Set("plan", strconv.FormatInt(aq.Plan, 10))
	}
	aq.Values = v
	return aq
}

func (q actQuery) filter(committeeID int64) activity.Filter {
	return activity.Filter{CommitteeID: committeeID, Kind: q.Kind, Year: q.Year, GroupID: q.Group, PlanItemID: q.Plan, Page: q.Page}
}

// activityList is the committee's activities, newest first, filtered by kind and year.
func (s *Server) activityList(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	if !auth.Can(a, activity.PermView) && !auth.Can(a, activity.PermJoin) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	q := parseActQuery(r.URL.Query())
	items, total, err := s.Activities.List(r.Context(), a, q.filter(a.CommitteeID))
	if err != nil {
		return err
	}
	years := []int{}
	for y := civil.Today().Year + 1; y >= civil.Today().Year-5; y-- {
		years = append(years, y)
	}
	var groups []org.Group
	if auth.Can(a, activity.PermView) {
		if groups, err = s.Org.Groups(r.Context(), a, a.CommitteeID); err != nil {
			return err
		}
	}
	s.render(w, r, "activity/list.html", map[string]any{
		"Items": items, "Total": total, "Q": q, "Pager": newPager("/activities", q.Values, q.Page, q.Page*activity.ListPageSize < total),
		"Export": link("/activities/export.xlsx", q.Values), "Years": years, "Groups": groups,
		"Opts": newActOpts(), "CanManage": auth.Can(a, activity.PermManage), "CanLeave": auth.Can(a, activity.PermLeave),
		"Reader": auth.Can(a, activity.PermView), "Member": auth.Can(a, activity.PermJoin) && a.PersonID != 0,
	})
	return nil
}

// activityExport writes the list the reader is looking at (every page) as .xlsx.
func (s *Server) activityExport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermView)
	if err != nil {
		return err
	}
	q := parseActQuery(r.URL.Query())
	f := q.filter(a.CommitteeID)
	f.PageSize = -1
	items, _, err := s.Activities.List(r.Context(), a, f)
	if err != nil {
		return err
	}
	lang := langOf(r)
	col := func(key string, width float64, kind sheet.Kind) sheet.Column {
		return sheet.Column{Head: i18n.T(lang, "aw.col."+key), Width: width, Kind: kind}
	}
	cols := []sheet.Column{col("date", 12, sheet.Date), col("time", 12, sheet.Text), col("kind", 14, sheet.Text),
		col("title", 40, sheet.Text), col("place", 20, sheet.Text), col("group", 16, sheet.Text), col("state", 10, sheet.Text),
		col("mandatory", 10, sheet.Text), col("invited", 10, sheet.Number), col("attended", 10, sheet.Number),
		col("leave", 10, sheet.Number), col("rate", 10, sheet.Percent), col("entered_later", 10, sheet.Text)}
	title := i18n.T(lang, "aw.sheet")
	yes := func(b bool) string {
		if b {
			return i18n.T(lang, "aw.yes")
		}
		return ""
	}
	return writeXLSX(w, s.exportName(r.Context(), a, 0, title), title, cols, func(row func(...any) error) error {
		for _, it := range items {
			var rate any
			if it.Invited > 0 {
				rate = float64(it.Attended) / float64(it.Invited)
			}
			when := it.StartsAt
			if it.EndsAt != "" {
				when += "–" + it.EndsAt
			}
			if err := row(it.StartsOn, when, i18n.T(lang, "activity.kind."+string(it.Kind)), it.Title, it.Place, it.GroupName,
				i18n.T(lang, "activity.state."+string(it.State)), yes(it.Mandatory), int64(it.Invited), int64(it.Attended),
				int64(it.Leave), rate, yes(it.EnteredLater)); err != nil {
				return err
			}
		}
		return nil
	})
}

// activityMine is a member's calendar: this year's and next year's activities
// they are on or may sign up for, and the address of their iCalendar feed.
func (s *Server) activityMine(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermJoin)
	if err != nil {
		return err
	}
	today := civil.Today()
	from := civil.Date{Year: today.Year, Month: 1, Day: 1}
	to := mineUntil(today)
	entries, err := s.Activities.Calendar(r.Context(), a, from, to)
	if err != nil {
		return err
	}
	var upcoming, past []activity.Entry
	for _, e := range entries {
		if e.StartsOn.Before(today) {
			past = append([]activity.Entry{e}, past...)
		} else {
			upcoming = append(upcoming, e)
		}
	}
	s.render(w, r, "activity/mine.html", map[string]any{"Upcoming": upcoming, "Past": past, "FeedURL": r.URL.Query().Get("feed")})
	return nil
}

// activityFeedToken makes a new secret feed address for the member (the old one stops working).
func (s *Server) activityFeedToken(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermJoin)
	if err != nil {
		return err
	}
	secret, err := s.Activities.FeedToken(r.Context(), a)
	if err != nil {
		return err
	}
	scheme := "http"
	if r.TLS != nil || s.SecureCookies {
		scheme = "https"
	}
	feed := scheme + "://" + r.Host + "/consult/feed/" + secret + ".ics"
	http.Redirect(w, r, "/activities/mine?feed="+url.QueryEscape(feed), http.StatusSeeOther)
	return nil
}

// activityFeed serves a member's calendar as iCalendar by the secret in the
// address (no session: a phone's calendar app subscribes to it).
func (s *Server) activityFeed(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	if len(token) > 4 && token[len(token)-4:] == ".ics" {
		token = token[:len(token)-4]
	}
	today := civil.Today()
	entries, err := s.Activities.FeedCalendar(r.Context(), token, today.AddMonths(-6), today.AddMonths(18))
	if err != nil {
		return err
	}
	lang := langOf(r)
	body := activity.ICS(i18n.T(lang, "aw.calendar"), r.Host, entries,
		func(k activity.Kind) string { return i18n.T(lang, "activity.kind."+string(k)) },
		func(st activity.Status) string {
			if st == activity.None {
				return i18n.T(lang, "activity.status.none")
			}
			return i18n.T(lang, "activity.status."+string(st))
		})
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, _ = w.Write([]byte(body))
	return nil
}

// activityLeaves is the queue of leave requests to decide (staff, leaders).
func (s *Server) activityLeaves(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermLeave)
	if err != nil {
		return err
	}
	ls, err := s.Activities.PendingLeaves(r.Context(), a)
	if err != nil {
		return err
	}
	s.render(w, r, "activity/leaves.html", map[string]any{"Leaves": ls, "Done": r.URL.Query().Get("done") != ""})
	return nil
}
