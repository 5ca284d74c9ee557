// Package notify keeps in-app notifications: short messages to users ("提案
// 已交办给您单位", "面商期限将至") with a link to the record concerned.
//
// # Sending, from an area's use case
//
// Send inside the use case's transaction, so the message exists exactly when
// the change does:
//
//	ids, err := notify.UsersOfUnit(ctx, tx, committeeID, unitID)
//	...
//	err = notify.Send(ctx, tx, committeeID, ids, "proposal.assigned",
//		"notify.proposal.assigned", map[string]any{"Number": p.Number, "Title": p.Title},
//		fmt.Sprintf("/proposals/%d", p.ID))
//
// The message is stored as an i18n key plus its arguments and translated when
// shown, in the reader's language. The key (here "notify.proposal.assigned")
// is the one-line title; an optional longer text lives under key + ".body".
// Both go in the sending area's locale files (i18n/locales/<area>.{zh,en}.toml).
// kind is a short machine name for filtering and metrics ("proposal.assigned").
// link must be a path on this site ("/proposals/12"), never an outside address.
//
// Recipients are user ids; UsersWithRole, UsersOfUnit and UsersOfPeople find
// them (enabled accounts of the committee only). Send skips ids that are not
// enabled users of the committee, so a notification never crosses committees.
//
// Reading and marking read happen through Service, for the actor's own
// notifications only. Notifications are per-user inbox state, not records of
// the committee's work, so marking them read is not written to the audit log;
// the change that caused a notification is audited by its area.
package notify

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/i18n"
)

// Notification is one message to one user.
type Notification struct {
	ID          int64
	CommitteeID int64
	UserID      int64
	Kind        string
	Key         string         // i18n key of the title; Key+".body" of the optional body
	Args        map[string]any // template data for both
	Link        string         // site path, or ""
	CreatedAt   time.Time
	ReadAt      time.Time // zero while unread
}

// Unread reports whether the user has not opened or dismissed it yet.
func (n Notification) Unread() bool { return n.ReadAt.IsZero() }

// Title is the one-line message in lang.
func (n Notification) Title(lang string) string { return i18n.T(lang, n.Key, n.Args) }

// Body is the longer text in lang, or "" when the key has none.
func (n Notification) Body(lang string) string {
	if !i18n.Has(lang, n.Key+".body") {
		return ""
	}
	return i18n.T(lang, n.Key+".body", n.Args)
}

// SafeLink reports whether link is a path on this site (an empty link is allowed).
// "//host" and "/\host" are refused: browsers treat them as other sites.
func SafeLink(link string) bool {
	if link == "" {
		return true
	}
	return strings.HasPrefix(link, "/") && !strings.HasPrefix(link, "//") && !strings.HasPrefix(link, `/\`) &&
		!strings.ContainsAny(link, "\r\n")
}

// Send stores one notification per recipient inside tx. Duplicate and zero ids
// are ignored, and so are ids that are not enabled users of committeeID.
func Send(ctx context.Context, tx *sql.Tx, committeeID int64, userIDs []int64, kind, key string, args map[string]any, link string) error {
	if kind == "" || key == "" {
		return errors.New("notify: kind and key are required")
	}
	if !SafeLink(link) {
		return fmt.Errorf("notify: link %q is not a path on this site", link)
	}
	if args == nil {
		args = map[string]any{}
	}
	argsJSON, err := json.Marshal(args)
	if err != nil {
		return fmt.Errorf("notify: args: %w", err)
	}
	ids := slices.Clone(userIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	now := db.Now()
	for _, id := range ids {
		if id == 0 {
			continue
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO notifications (committee_id, user_id, kind, msg_key, args_json, link, created_at)
			SELECT $1, id, $2, $3, $4, $5, $6 FROM users WHERE id = $7 AND committee_id = $1 AND NOT disabled`,
			committeeID, kind, key, string(argsJSON), link, now, id)
		if err != nil {
			return fmt.Errorf("notify: insert: %w", err)
		}
	}
	return nil
}

// Service reads and marks an actor's own notifications.
type Service struct{ db *db.DB }

// NewService returns the notification service over d.
func NewService(d *db.DB) *Service { return &Service{db: d} }

// PageSize is how many notifications List returns at most.
const PageSize = 30

func requireUser(actor *auth.Actor) error {
	if actor == nil || actor.UserID == 0 {
		return apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	return nil
}

const columns = `id, committee_id, user_id, kind, msg_key, args_json, link, created_at, read_at`

// List returns the actor's notifications, newest first, PageSize per page
// (page counts from 1), and whether an older page exists.
func (s *Service) List(ctx context.Context, actor *auth.Actor, page int, unreadOnly bool) ([]Notification, bool, error) {
	if err := requireUser(actor); err != nil {
		return nil, false, err
	}
	page = max(page, 1)
	q := `SELECT ` + columns + ` FROM notifications WHERE committee_id = $1 AND user_id = $2`
	if unreadOnly {
		q += ` AND read_at IS NULL`
	}
	q += ` ORDER BY id DESC LIMIT $3 OFFSET $4`
	out, err := db.Query(ctx, s.db, scan, q, actor.CommitteeID, actor.UserID, PageSize+1, (page-1)*PageSize)
	if err != nil {
		return nil, false, err
	}
	more := len(out) > PageSize
	if more {
		out = out[:PageSize]
	}
	return out, more, nil
}

// Get returns one of the actor's notifications; another user's is not found.
func (s *Service) Get(ctx context.Context, actor *auth.Actor, id int64) (Notification, error) {
	if err := requireUser(actor); err != nil {
		return Notification{}, err
	}
	n, err := scan(s.db.QueryRowContext(ctx, `SELECT `+columns+` FROM notifications
		WHERE id = $1 AND committee_id = $2 AND user_id = $3`, id, actor.CommitteeID, actor.UserID))
	if errors.Is(err, sql.ErrNoRows) {
		return Notification{}, apperr.ErrNotFound
	}
	return n, err
}

// UnreadCount counts the actor's unread notifications (0 for anonymous visitors).
func (s *Service) UnreadCount(ctx context.Context, actor *auth.Actor) (int, error) {
	if actor == nil || actor.UserID == 0 {
		return 0, nil
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM notifications
		WHERE committee_id = $1 AND user_id = $2 AND read_at IS NULL`, actor.CommitteeID, actor.UserID).Scan(&n)
	return n, err
}

// MarkRead marks one of the actor's notifications read (again is harmless).
func (s *Service) MarkRead(ctx context.Context, actor *auth.Actor, id int64) error {
	if _, err := s.Get(ctx, actor, id); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `UPDATE notifications SET read_at = $1
		WHERE id = $2 AND committee_id = $3 AND user_id = $4 AND read_at IS NULL`, db.Now(), id, actor.CommitteeID, actor.UserID)
	return err
}

// MarkAllRead marks every unread notification of the actor read and says how many.
func (s *Service) MarkAllRead(ctx context.Context, actor *auth.Actor) (int64, error) {
	if err := requireUser(actor); err != nil {
		return 0, err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE notifications SET read_at = $1
		WHERE committee_id = $2 AND user_id = $3 AND read_at IS NULL`, db.Now(), actor.CommitteeID, actor.UserID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Prune deletes read notifications older than before, in every committee; a
// daily job calls it so inboxes stay short. Unread ones are kept.
func Prune(ctx context.Context, q db.Querier, before time.Time) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM notifications WHERE read_at IS NOT NULL AND read_at < $1`, before.UTC())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func scan(sc interface{ Scan(...any) error }) (Notification, error) {
	var n Notification
	var args string
	var created, read db.Time
	if err := sc.Scan(&n.ID, &n.CommitteeID, &n.UserID, &n.Kind, &n.Key, &args, &n.Link, &created, &read); err != nil {
		return n, err
	}
	n.CreatedAt, n.ReadAt = created.Time, read.Time
	n.Args = decodeArgs(args)
	return n, nil
}

// decodeArgs reads stored arguments back. Whole numbers become int64, so
// 1000000 prints as 1000000 (not 1e+06) and works as a plural Count.
func decodeArgs(s string) map[string]any {
	m := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return map[string]any{}
	}
	for k, v := range m {
		if num, ok := v.(json.Number); ok {
			if i, err := num.Int64(); err == nil {
				m[k] = i
			} else if f, err := num.Float64(); err == nil {
				m[k] = f
			}
		}
	}
	return m
}
