package web

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/notify"
)

// TestNotificationsPage: a user sees their own notifications translated, the
// badge counts unread ones, opening marks read and follows the link, and
// nobody can read or mark another user's notification.
func TestNotificationsPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		send := func(users []int64, title, link string) {
			t.Helper()
			err := d.Tx(ctx, func(tx *sql.Tx) error {
				return notify.Send(ctx, tx, h.A.ID, users, "test", "notify.message",
					map[string]any{"Title": title, "Text": "正文" + title}, link)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		send([]int64{h.Users["member"]}, "提案已交办", "/proposals/1")
		send([]int64{h.Users["member"]}, "全会报到", "")
		send([]int64{h.Users["staff"]}, "机关内部通知<script>", "")

		body := h.text(h.get("member", "/notifications"))
		for _, want := range []string{"提案已交办", "正文全会报到", "2 条未读"} {
			if !strings.Contains(body, want) {
				t.Fatalf("member's page lacks %q:\n%s", want, body)
			}
		}
		if strings.Contains(body, "机关内部通知") {
			t.Fatal("member sees staff's notification")
		}
		if b := h.text(h.get("staff", "/notifications")); !strings.Contains(b, "机关内部通知&lt;script&gt;") {
			t.Fatalf("staff's notification missing or unescaped:\n%s", b)
		}
		if b := h.text(h.get("member", "/notifications/badge")); !strings.Contains(b, ">2</b>") {
			t.Fatalf("badge: %s", b)
		}
		if resp := h.get("anon", "/notifications"); resp.StatusCode != 303 {
			t.Fatalf("anonymous list: %d", resp.StatusCode)
		}
		if b := h.text(h.get("anon", "/notifications/badge")); b != "" {
			t.Fatalf("anonymous badge: %q", b)
		}

		list, _, err := notify.NewService(d).List(ctx, h.actor("member"), 1, false)
		if err != nil || len(list) != 2 {
			t.Fatalf("list: %v %d", err, len(list))
		}
		withLink := list[1]
		for _, who := range []string{"staff", "other_admin", "other_member"} {
			for _, action := range []string{"open", "read"} {
				resp := h.post(who, fmt.Sprintf("/notifications/%d/%s", withLink.ID, action), url.Values{})
				if resp.StatusCode != 404 {
					t.Fatalf("%s %s another's notification: %d", who, action, resp.StatusCode)
				}
			}
		}
		resp := h.post("member", fmt.Sprintf("/notifications/%d/open", withLink.ID), url.Values{})
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/proposals/1" {
			t.Fatalf("open: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if b := h.text(h.get("member", "/notifications/badge")); !strings.Contains(b, ">1</b>") {
			t.Fatalf("badge after open: %s", b)
		}
		resp = h.post("member", "/notifications/read-all", url.Values{})
		if resp.StatusCode != 303 || resp.Header.Get("Location") != "/notifications?marked=1" {
			t.Fatalf("read-all: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if b := h.text(h.get("member", "/notifications/badge")); strings.Contains(b, "notify-badge") {
			t.Fatalf("badge after read-all: %s", b)
		}
		if b := h.text(h.get("staff", "/notifications/badge")); !strings.Contains(b, ">1</b>") {
			t.Fatalf("member's read-all touched staff: %s", b)
		}
		if b := h.text(h.get("member", "/notifications?unread=1")); !strings.Contains(b, "暂无通知") {
			t.Fatalf("unread-only after read-all:\n%s", b)
		}
	})
}

// TestLayoutLinksNotifications: every page of a logged-in user links to the
// notifications and loads the unread badge.
func TestLayoutLinksNotifications(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	body := h.text(h.get("member", "/"))
	if !strings.Contains(body, `hx-get="/notifications/badge"`) || !strings.Contains(body, `href="/notifications"`) {
		t.Fatalf("home page lacks the notifications link:\n%s", body)
	}
	if strings.Contains(h.text(h.get("anon", "/")), "/notifications/badge") {
		t.Fatal("visitors get a notifications badge")
	}
}
