package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"lvzhi/internal/civil"
	"lvzhi/internal/i18n"
	"lvzhi/internal/notify"
)

// notifyRoutes registers the notification list, its actions and the unread badge.
func (s *Server) notifyRoutes() {
	s.handle("GET /notifications", s.notifyList)
	s.handle("GET /notifications/badge", s.notifyBadge)
	s.handle("POST /notifications/read-all", s.notifyReadAll)
	s.handle("POST /notifications/{id}/read", s.notifyRead)
	s.handle("POST /notifications/{id}/open", s.notifyOpen)
}

func (s *Server) notifications() *notify.Service { return notify.NewService(s.DB) }

// notifyItem is one notification translated for the page.
type notifyItem struct {
	ID     int64
	Title  string
	Body   string
	Link   string
	Time   string // Asia/Shanghai wall time
	Unread bool
}

// notifyGroup is the notifications of one day, newest day first.
type notifyGroup struct {
	Label string // 今天, 昨天, or the date
	Items []notifyItem
}

type notifyPage struct {
	Items      []notifyItem
	Groups     []notifyGroup
	Unread     int
	UnreadOnly bool
	Page       int
	HasNext    bool
	Pager      pager
	Flash      string
}

func (s *Server) notifyList(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	page = max(page, 1)
	unreadOnly := r.URL.Query().Get("unread") == "1"
	svc := s.notifications()
	list, more, err := svc.List(r.Context(), a, page, unreadOnly)
	if err != nil {
		return err
	}
	unread, err := svc.UnreadCount(r.Context(), a)
	if err != nil {
		return err
	}
	lang := langOf(r)
	data := notifyPage{Unread: unread, UnreadOnly: unreadOnly, Page: page, HasNext: more}
	pq := url.Values{}
	if unreadOnly {
		pq.Set("unread", "1")
	}
	data.Pager = newPager("/notifications", pq, page, more)
	if n := r.URL.Query().Get("marked"); n != "" {
		if c, err := strconv.Atoi(n); err == nil {
			data.Flash = i18n.T(lang, "notify.marked_all", map[string]any{"Count": c})
		}
	}
	today := civil.Today()
	for _, n := range list {
		at := n.CreatedAt.In(civil.Shanghai)
		it := notifyItem{ID: n.ID, Title: n.Title(lang), Body: n.Body(lang), Link: n.Link, Unread: n.Unread(), Time: at.Format("15:04")}
		data.Items = append(data.Items, it)
		label := at.Format("2006-01-02")
		switch label {
		case today.String():
			label = i18n.T(lang, "notify.today")
		case today.AddDays(-1).String():
			label = i18n.T(lang, "notify.yesterday")
		}
		if g := len(data.Groups) - 1; g >= 0 && data.Groups[g].Label == label {
			data.Groups[g].Items = append(data.Groups[g].Items, it)
		} else {
			data.Groups = append(data.Groups, notifyGroup{Label: label, Items: []notifyItem{it}})
		}
	}
	s.render(w, r, "notify/list.html", data)
	return nil
}

// notifyBadge is the navigation link with the unread count, fetched by htmx
// from the layout (hx-get="/notifications/badge"); empty for visitors.
func (s *Server) notifyBadge(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	a := actorOf(r)
	if a == nil {
		return nil
	}
	n, err := s.notifications().UnreadCount(r.Context(), a)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(w, badgeHTML(langOf(r), n))
	return err
}

// badgeHTML renders the navigation link with its unread count.
func badgeHTML(lang string, unread int) template.HTML {
	label := template.HTMLEscapeString(i18n.T(lang, "notify.nav"))
	if unread == 0 {
		return template.HTML(`<a href="/notifications" class="notify-link">` + label + `</a>`)
	}
	count := strconv.Itoa(unread)
	if unread > 99 {
		count = "99+"
	}
	title := template.HTMLEscapeString(i18n.T(lang, "notify.unread_count", map[string]any{"Count": unread}))
	return template.HTML(`<a href="/notifications" class="notify-link" title="` + title + `">` + label +
		` <b class="notify-badge">` +
		count + `</b></a>`)
}

// notifyOpen marks the notification read and goes to the record it points at.
func (s *Server) notifyOpen(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	svc := s.notifications()
	n, err := svc.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	if err := svc.MarkRead(r.Context(), a, id); err != nil {
		return err
	}
	to := "/notifications"
	if n.Link != "" && notify.SafeLink(n.Link) {
		to = n.Link
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (s *Server) notifyRead(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	if err := s.notifications().MarkRead(r.Context(), a, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/notifications", http.StatusSeeOther)
	return nil
}

func (s *Server) notifyReadAll(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	n, err := s.notifications().MarkAllRead(r.Context(), a)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/notifications?marked="+strconv.FormatInt(n, 10), http.StatusSeeOther)
	return nil
}
