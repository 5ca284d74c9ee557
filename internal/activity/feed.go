package activity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// A member subscribes to their calendar from a phone through a secret
// address: FeedToken makes (or replaces) the member's token, of which only a
// hash is stored; FeedCalendar opens that member's own calendar by it, and
// ICS writes it as iCalendar (RFC 5545).

// FeedPrefix starts every feed token, so a leaked one is recognisable.
const FeedPrefix = "lvcal_"

func feedHash(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// FeedToken creates a new calendar-feed token for the acting member,
// replacing (and so revoking) any earlier one, and returns its secret.
func (s *Service) FeedToken(ctx context.Context, actor *auth.Actor) (string, error) {
	if actor == nil {
		return "", apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if actor.UserID == 0 || actor.PersonID == 0 || !auth.Can(actor, PermJoin) {
		return "", errForbidden
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	secret := FeedPrefix + hex.EncodeToString(b)
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM activity_feed_tokens WHERE user_id = $1`, actor.UserID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO activity_feed_tokens (user_id, committee_id, token_hash, created_at) VALUES ($1, $2, $3, $4)`,
			actor.UserID, actor.CommitteeID, feedHash(secret), db.Now()); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "activity.feed_token", "activity_feed_token", actor.UserID, nil, map[string]any{"created": true})
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// FeedCalendar returns the calendar (from..to) of the member whose feed token
// secret is, or apperr.ErrNotFound for an unknown token or a disabled user.
func (s *Service) FeedCalendar(ctx context.Context, secret string, from, to civil.Date) ([]Entry, error) {
	if !strings.HasPrefix(secret, FeedPrefix) || len(secret) > 100 {
		return nil, apperr.ErrNotFound
	}
	a := &auth.Actor{Roles: []auth.Role{auth.RoleMember}}
	err := s.DB.QueryRowContext(ctx, `SELECT u.id, u.committee_id, COALESCE(u.person_id, 0) FROM activity_feed_tokens f
		JOIN users u ON u.id = f.user_id JOIN user_roles r ON r.user_id = u.id AND r.role = 'member'
		WHERE f.token_hash = $1 AND NOT u.disabled AND u.committee_id = f.committee_id`, feedHash(secret)).
		Scan(&a.UserID, &a.CommitteeID, &a.PersonID)
	if errors.Is(err, sql.ErrNoRows) || a.PersonID == 0 {
		return nil, apperr.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return s.Calendar(ctx, a, from, to)
}

// ICS writes entries as an iCalendar document; name names the calendar, host
// makes the event ids unique, lang chooses the kind names (kindName).
func ICS(name, host string, entries []Entry, kindName func(Kind) string, statusName func(Status) string) string {
	var b strings.Builder
	line := func(s string) {
		// Fold lines longer than 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence.
		for len(s) > 75 {
			cut := 75
			for cut > 0 && s[cut]&0xC0 == 0x80 {
				cut--
			}
			b.WriteString(s[:cut] + "\r\n")
			s = " " + s[cut:]
		}
		b.WriteString(s + "\r\n")
	}
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//lvzhi//activities//ZH")
	line("CALSCALE:GREGORIAN")
	line("X-WR-CALNAME:" + icsText(name))
	line("X-WR-TIMEZONE:Asia/Shanghai")
	stamp := time.Now().UTC().Format("20060102T150405Z")
	for _, e := range entries {
		line("BEGIN:VEVENT")
		line(fmt.Sprintf("UID:activity-%d@%s", e.ID, icsText(host)))
		line("DTSTAMP:" + stamp)
		day := strings.ReplaceAll(e.StartsOn.String(), "-", "")
		if e.StartsAt == "" {
			line("DTSTART;VALUE=DATE:" + day)
			line("DTEND;VALUE=DATE:" + strings.ReplaceAll(e.StartsOn.AddDays(1).String(), "-", ""))
		} else {
			line("DTSTART;TZID=Asia/Shanghai:" + day + "T" + strings.ReplaceAll(e.StartsAt, ":", "") + "00")
			end := e.EndsAt
			if end == "" {
				end = e.StartsAt
			}
			line("DTEND;TZID=Asia/Shanghai:" + day + "T" + strings.ReplaceAll(end, ":", "") + "00")
		}
		line("SUMMARY:" + icsText("【"+kindName(e.Kind)+"】"+e.Title))
		if e.Place != "" {
			line("LOCATION:" + icsText(e.Place))
		}
		line("DESCRIPTION:" + icsText(statusName(e.Status)))
		if e.State == Cancelled {
			line("STATUS:CANCELLED")
		} else {
			line("STATUS:CONFIRMED")
		}
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return b.String()
}

// icsText escapes a TEXT value (RFC 5545 §3.3.11).
func icsText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", "").Replace(s)
}

// Leave is a pending leave request, for the approval queue.
type Leave struct {
	Attendance
	ActivityTitle string     `json:"activity_title"`
	ActivityKind  Kind       `json:"activity_kind"`
	StartsOn      civil.Date `json:"starts_on"`
}

// PendingLeaves lists the leave requests the actor may decide now (staff and
// leaders of the committee), soonest activity first.
func (s *Service) PendingLeaves(ctx context.Context, actor *auth.Actor) ([]Leave, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if !auth.Can(actor, PermLeave) {
		return nil, errForbidden
	}
	return db.Query(ctx, s.DB, func(sc db.Scanner) (Leave, error) {
		var l Leave
		r := &l.Attendance
		err := sc.Scan(&r.ID, &r.ActivityID, &r.PersonID, &r.Name, &r.Status, &r.Role, &r.LeaveReason, &r.DecidedBy, &r.Version, &r.UpdatedAt,
			&l.ActivityTitle, &l.ActivityKind, &l.StartsOn)
		return l, err
	}, `SELECT `+attCols+`, a.title, a.kind, a.starts_on`+attFrom+` JOIN activities a ON a.id = t.activity_id
		WHERE t.committee_id = $1 AND t.status = 'leave_requested' AND a.state IN ('PLANNED','OPEN')
		ORDER BY a.starts_on, a.id, p.name LIMIT 500`, actor.CommitteeID)
}
