package api

import (
	"time"

	"lvzhi/internal/notify"
)

// The token user's own notifications (the web's /notifications): each user
// reads and marks only their own; another user's is not found.

// NotificationItem is one notification, translated into the request's language.
type NotificationItem struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`  // e.g. proposal.assigned
	Title     string    `json:"title"` // one line
	Body      string    `json:"body"`  // longer text, or ""
	Link      string    `json:"link"`  // a path on the web site ("/proposals/12"), or ""
	CreatedAt time.Time `json:"created_at"`
	Read      bool      `json:"read"`
}

// NotificationList is one page of notifications, newest first, and how many
// are unread in all.
type NotificationList struct {
	Items   []NotificationItem `json:"items"`
	Page    int                `json:"page"`
	HasNext bool               `json:"has_next"`
	Unread  int                `json:"unread"`
}

// ReadAll says how many notifications were marked read.
type ReadAll struct {
	Marked int64 `json:"marked"`
}

func (a *API) notificationRoutes() []Route {
	s := notify.NewService(a.deps.DB)
	return []Route{
		{Method: "GET", Path: "/notifications", Tag: "notifications", Summary: "The token user's notifications, newest first, with the unread count",
			Query:  []Param{{Name: "page", Type: "integer", Description: "1-based"}, {Name: "unread", Type: "boolean", Description: "unread ones only"}},
			Result: NotificationList{}, Handle: func(r *Request) (any, error) {
				page, err := r.QueryInt("page")
				if err != nil {
					return nil, err
				}
				unread, err := r.QueryBool("unread")
				if err != nil {
					return nil, err
				}
				page = max(page, 1)
				ns, more, err := s.List(r.Context(), r.Actor, int(page), unread)
				if err != nil {
					return nil, err
				}
				n, err := s.UnreadCount(r.Context(), r.Actor)
				out := NotificationList{Items: []NotificationItem{}, Page: int(page), HasNext: more, Unread: n}
				for _, x := range ns {
					out.Items = append(out.Items, NotificationItem{ID: x.ID, Kind: x.Kind, Title: x.Title(r.Lang), Body: x.Body(r.Lang),
						Link: x.Link, CreatedAt: x.CreatedAt, Read: !x.Unread()})
				}
				return out, err
			}},
		{Method: "POST", Path: "/notifications/{id}/read", Tag: "notifications", Summary: "Mark one notification read (again is harmless)",
			Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				return nil, s.MarkRead(r.Context(), r.Actor, id)
			}},
		{Method: "POST", Path: "/notifications/read-all", Tag: "notifications", Summary: "Mark every unread notification read",
			Result: ReadAll{}, Handle: func(r *Request) (any, error) {
				n, err := s.MarkAllRead(r.Context(), r.Actor)
				return ReadAll{Marked: n}, err
			}},
	}
}
