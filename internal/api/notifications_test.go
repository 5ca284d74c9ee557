package api

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/notify"
)

// TestNotificationsAPI: each user lists and marks only their own
// notifications, translated into the request's language; another user's is
// not found and stays unread.
func TestNotificationsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		f := h.f
		send := func(user int64, title string) {
			t.Helper()
			err := d.Tx(context.Background(), func(tx *sql.Tx) error {
				return notify.Send(context.Background(), tx, f.A, []int64{user}, "proposal.invited", "notify.proposal.invited",
					map[string]any{"Title": title}, "/proposals/1")
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		send(f.MemberParty.UserID, "关于校车的建议")
		send(f.MemberParty.UserID, "关于饮水的建议")
		send(f.MemberNonParty.UserID, "他人的通知")

		var l NotificationList
		h.want(h.json(f.MemberParty, "GET", "/notifications", nil), 200).decode(t, &l)
		if len(l.Items) != 2 || l.Unread != 2 || l.Items[0].Title != "请您联名：关于饮水的建议" || l.Items[0].Read || l.Items[0].Link != "/proposals/1" {
			t.Fatalf("list %+v", l)
		}
		var en NotificationList
		h.want(h.json(f.MemberParty, "GET", "/notifications", nil, "Accept-Language", "en"), 200).decode(t, &en)
		if en.Items[1].Title != "Please co-sign: 关于校车的建议" {
			t.Fatalf("english %+v", en.Items)
		}
		var other NotificationList
		h.want(h.json(f.MemberNonParty, "GET", "/notifications", nil), 200).decode(t, &other)
		if len(other.Items) != 1 {
			t.Fatalf("the other member's %+v", other)
		}
		h.want(h.json(f.StaffB, "GET", "/notifications", nil), 200).decode(t, &other)
		if len(other.Items) != 0 {
			t.Fatalf("county B sees %+v", other)
		}
		h.want(h.json(nil, "GET", "/notifications", nil), 401)

		first := l.Items[1].ID
		h.want(h.json(f.MemberNonParty, "POST", fmt.Sprintf("/notifications/%d/read", first), nil), 404)
		h.want(h.json(f.Admin, "POST", fmt.Sprintf("/notifications/%d/read", first), nil), 404)
		h.want(h.json(f.MemberParty, "POST", fmt.Sprintf("/notifications/%d/read", first), nil), 204)
		h.want(h.json(f.MemberParty, "POST", fmt.Sprintf("/notifications/%d/read", first), nil), 204) // again is harmless
		h.want(h.json(f.MemberParty, "GET", "/notifications?unread=true", nil), 200).decode(t, &l)
		if len(l.Items) != 1 || l.Unread != 1 || l.Items[0].ID == first {
			t.Fatalf("after one read %+v", l)
		}
		h.want(h.json(f.MemberParty, "GET", "/notifications?unread=maybe", nil), 400)

		var ra ReadAll
		h.want(h.json(f.MemberParty, "POST", "/notifications/read-all", nil), 200).decode(t, &ra)
		if ra.Marked != 1 {
			t.Fatalf("read all %+v", ra)
		}
		h.want(h.json(f.MemberParty, "GET", "/notifications", nil), 200).decode(t, &l)
		if l.Unread != 0 || !l.Items[0].Read || !l.Items[1].Read {
			t.Fatalf("after read all %+v", l)
		}
		h.want(h.json(f.MemberNonParty, "GET", "/notifications", nil), 200).decode(t, &other)
		if other.Unread != 1 {
			t.Fatalf("another user's notification was marked: %+v", other)
		}
	})
}
