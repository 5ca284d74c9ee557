package web

import (
	"context"
	"database/sql"
	"regexp"
	"strings"
	"testing"
	"time"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/notify"
)

// TestNotificationsGroupedByDay: the page groups notifications under 今天,
// 昨天 and older dates, newest first, and offers "mark all read" while any is
// unread.
func TestNotificationsGroupedByDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		ctx := context.Background()
		for _, title := range []string{"三天前的通知", "昨天的通知", "今天的通知"} {
			h.must(d.Tx(ctx, func(tx *sql.Tx) error {
				return notify.Send(ctx, tx, h.A.ID, []int64{h.Users["member"]}, "test", "notify.message",
					map[string]any{"Title": title, "Text": ""}, "")
			}))
		}
		now := time.Now().UTC()
		for i, back := range []time.Duration{72 * time.Hour, 24 * time.Hour} {
			h.must(execSQL(ctx, d, `UPDATE notifications SET created_at = $1 WHERE id = (SELECT MIN(id) + $2 FROM notifications WHERE user_id = $3)`,
				db.Time{Time: now.Add(-back)}, i, h.Users["member"]))
		}
		body := h.text(h.get("member", "/notifications"))
		heads := regexp.MustCompile(`<section class="notify-day">\s*<h2>([^<]+)</h2>`).FindAllStringSubmatch(body, -1)
		if len(heads) != 3 || heads[0][1] != "今天" || heads[1][1] != "昨天" || !regexp.MustCompile(`^\d{4}-\d\d-\d\d$`).MatchString(heads[2][1]) {
			t.Fatalf("day groups: %v\n%s", heads, snippet(body))
		}
		if i, j, k := strings.Index(body, "今天的通知"), strings.Index(body, "昨天的通知"), strings.Index(body, "三天前的通知"); !(i < j && j < k) {
			t.Errorf("groups not newest first: %d %d %d", i, j, k)
		}
		if !strings.Contains(body, `action="/notifications/read-all"`) {
			t.Error("no mark-all-read while unread")
		}
		h.post("member", "/notifications/read-all", nil)
		if b := h.text(h.get("member", "/notifications")); strings.Contains(b, `action="/notifications/read-all"`) || strings.Contains(b, `class="unread"`) {
			t.Error("mark-all-read or unread rows after reading all")
		}
	})
}

// TestUnreadRowsKeepTheTableLayout: the badge's style (an inline pill) is
// scoped to the badge; a rule for .unread rows may colour them but never
// changes how they are laid out.
func TestUnreadRowsKeepTheTableLayout(t *testing.T) {
	css, err := staticFS.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, rule := range regexp.MustCompile(`([^{}]+)\{([^{}]*)\}`).FindAllStringSubmatch(string(css), -1) {
		for _, sel := range strings.Split(rule[1], ",") {
			if !strings.Contains(sel, ".unread") {
				continue
			}
			if regexp.MustCompile(`(^|;)\s*(display|border-radius|padding|margin[a-z-]*)\s*:`).MatchString(rule[2]) {
				t.Errorf("rule %q { %s } lays out unread rows", strings.TrimSpace(sel), rule[2])
			}
		}
	}
}
