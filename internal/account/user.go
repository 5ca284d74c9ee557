package account

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// User is an account. The password hash never leaves this package.
type User struct {
	ID          int64       `json:"id"`
	CommitteeID int64       `json:"committee_id"`
	Username    string      `json:"username"`
	DisplayName string      `json:"display_name"`
	Roles       []auth.Role `json:"roles"`
	PersonID    int64       `json:"person_id,omitempty"` // members: the person they are
	UnitID      int64       `json:"unit_id,omitempty"`   // handling-unit accounts: the unit
	Disabled    bool        `json:"disabled"`
	Lang        string      `json:"lang"`
	Version     int         `json:"version"`
	CreatedAt   time.Time   `json:"-"`
	UpdatedAt   time.Time   `json:"-"`
}

// Has reports whether the user holds role.
func (u User) Has(r auth.Role) bool { return slices.Contains(u.Roles, r) }

// NewUser is the input of CreateUser.
type NewUser struct {
	Username    string
	DisplayName string
	Password    string
	Roles       []auth.Role
	PersonID    int64 // required with auth.RoleMember
	UnitID      int64 // required with auth.RoleUnit
	Lang        string
}

// UserChange is the input of UpdateUser: the editable profile and roles.
type UserChange struct {
	DisplayName string
	Roles       []auth.Role
	PersonID    int64
	UnitID      int64
	Lang        string
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_.@-]{1,39}$`)

// NormalizeUsername is how usernames are compared: trimmed and lower-case.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func forbidden() error { return apperr.New(apperr.Forbidden, "err.forbidden") }

// CreateUser creates an account in the actor's committee (admins only; the CLI
// passes auth.System(committeeID)). Bad input returns field errors naming
// username, display_name, password, roles, person_id or unit_id.
func (s *Service) CreateUser(ctx context.Context, actor *auth.Actor, in NewUser) (User, error) {
	if !auth.Can(actor, auth.ManageUsers) {
		return User{}, forbidden()
	}
	u := in.user(actor.CommitteeID)
	fields := CheckNewUser(in)
	// Hash before the transaction: it is the slow part and needs no lock.
	hash := ""
	if len(fields) == 0 {
		var err error
		if hash, err = HashPassword(in.Password, s.Passwords); err != nil {
			return User{}, err
		}
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		fields = append(fields, s.checkLinks(ctx, tx, u)...)
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username = $1`, u.Username).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			fields = append(fields, apperr.Field("username", "err.auth.username_taken"))
		}
		if len(fields) > 0 {
			return apperr.Fields(fields...)
		}
		now := s.Now()
		u.CreatedAt, u.UpdatedAt = now, now
		err := tx.QueryRowContext(ctx, `INSERT INTO users (committee_id, username, display_name, password_hash, person_id, unit_id, lang, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			u.CommitteeID, u.Username, u.DisplayName, hash, nullID(u.PersonID), nullID(u.UnitID), u.Lang, now).Scan(&u.ID)
		if err != nil {
			return err
		}
		if err := writeRoles(ctx, tx, u); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, u.CommitteeID, "create", "user", u.ID, nil, u)
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

func (in NewUser) user(committeeID int64) User {
	return User{CommitteeID: committeeID, Username: NormalizeUsername(in.Username),
		DisplayName: strings.TrimSpace(in.DisplayName), Roles: normRoles(in.Roles),
		PersonID: in.PersonID, UnitID: in.UnitID, Lang: normLang(in.Lang), Version: 1}
}

// CheckNewUser returns what is wrong with in that can be seen without the
// database (CreateUser also checks uniqueness and the person/unit links).
// Forms call it to show every error at once when they have errors of their own.
func CheckNewUser(in NewUser) []apperr.FieldError {
	u := in.user(0)
	var fields []apperr.FieldError
	switch {
	case u.Username == "":
		fields = append(fields, apperr.Field("username", "err.required"))
	case !usernameRE.MatchString(u.Username):
		fields = append(fields, apperr.Field("username", "err.auth.username_invalid"))
	}
	if k := PasswordProblem(in.Password); k != "" {
		fields = append(fields, apperr.Field("password", k, map[string]any{"Min": MinPasswordLen}))
	}
	return append(fields, validateProfile(in.Roles, u)...)
}

// validateProfile checks display name, roles and the person/unit links that roles need.
func validateProfile(rawRoles []auth.Role, u User) []apperr.FieldError {
	var fields []apperr.FieldError
	switch n := utf8.RuneCountInString(u.DisplayName); {
	case n == 0:
		fields = append(fields, apperr.Field("display_name", "err.required"))
	case n > 50:
		fields = append(fields, apperr.Field("display_name", "err.auth.too_long", map[string]any{"Max": 50}))
	}
	badRole := false
	for _, r := range rawRoles {
		if !r.Valid() && !badRole {
			fields = append(fields, apperr.Field("roles", "err.auth.role_invalid", map[string]any{"Role": string(r)}))
			badRole = true
		}
	}
	if len(u.Roles) == 0 && !badRole {
		fields = append(fields, apperr.Field("roles", "err.auth.roles_required"))
	}
	if u.Has(auth.RoleMember) && u.PersonID == 0 {
		fields = append(fields, apperr.Field("person_id", "err.auth.member_needs_person"))
	}
	if u.Has(auth.RoleUnit) && u.UnitID == 0 {
		fields = append(fields, apperr.Field("unit_id", "err.auth.unit_needs_unit"))
	}
	return fields
}

// checkLinks verifies that a linked person or unit belongs to the user's
// committee and that a person has at most one account.
func (s *Service) checkLinks(ctx context.Context, tx *sql.Tx, u User) []apperr.FieldError {
	var fields []apperr.FieldError
	if u.PersonID != 0 {
		var n, other int
		_ = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE id = $1 AND committee_id = $2`, u.PersonID, u.CommitteeID).Scan(&n)
		_ = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE person_id = $1 AND id <> $2`, u.PersonID, u.ID).Scan(&other)
		if n == 0 {
			fields = append(fields, apperr.Field("person_id", "err.auth.person_invalid"))
		} else if other > 0 {
			fields = append(fields, apperr.Field("person_id", "err.auth.person_taken"))
		}
	}
	if u.UnitID != 0 {
		var n int
		_ = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM units WHERE id = $1 AND committee_id = $2`, u.UnitID, u.CommitteeID).Scan(&n)
		if n == 0 {
			fields = append(fields, apperr.Field("unit_id", "err.auth.unit_invalid"))
		}
	}
	return fields
}

func writeRoles(ctx context.Context, tx *sql.Tx, u User) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = $1 AND committee_id = $2`, u.ID, u.CommitteeID); err != nil {
		return err
	}
	for _, r := range u.Roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, committee_id, role) VALUES ($1, $2, $3)`, u.ID, u.CommitteeID, string(r)); err != nil {
			return err
		}
	}
	return nil
}

// normRoles keeps the valid roles, once each, in display order.
func normRoles(rs []auth.Role) []auth.Role {
	var out []auth.Role
	for _, r := range auth.AllRoles {
		if slices.Contains(rs, r) {
			out = append(out, r)
		}
	}
	return out
}

func normLang(l string) string {
	if l == "en" {
		return "en"
	}
	return "zh"
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// UpdateUser changes a user's display name, roles, links and language, with
// optimistic locking on version. Admins cannot remove their own admin role.
func (s *Service) UpdateUser(ctx context.Context, actor *auth.Actor, id int64, version int, in UserChange) (User, error) {
	if !auth.Can(actor, auth.ManageUsers) {
		return User{}, forbidden()
	}
	var after User
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := s.loadUser(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		after = before
		after.DisplayName, after.Roles = strings.TrimSpace(in.DisplayName), normRoles(in.Roles)
		after.PersonID, after.UnitID, after.Lang = in.PersonID, in.UnitID, normLang(in.Lang)
		fields := validateProfile(in.Roles, after)
		if id == actor.UserID && before.Has(auth.RoleAdmin) && !after.Has(auth.RoleAdmin) {
			fields = append(fields, apperr.Field("roles", "err.auth.self_lockout"))
		}
		fields = append(fields, s.checkLinks(ctx, tx, after)...)
		if len(fields) > 0 {
			return apperr.Fields(fields...)
		}
		after.Version, after.UpdatedAt = before.Version+1, s.Now()
		err = db.ExecVersioned(ctx, tx, `UPDATE users SET display_name = $1, person_id = $2, unit_id = $3, lang = $4,
			updated_at = $5, version = version + 1 WHERE id = $6 AND version = $7`,
			after.DisplayName, nullID(after.PersonID), nullID(after.UnitID), after.Lang, after.UpdatedAt, id, version)
		if err != nil {
			return err
		}
		if err := writeRoles(ctx, tx, after); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, after.CommitteeID, "update", "user", id, before, after)
	})
	return after, err
}

// ResetPassword sets a new password and ends the user's sessions.
func (s *Service) ResetPassword(ctx context.Context, actor *auth.Actor, id int64, password string) error {
	if !auth.Can(actor, auth.ManageUsers) {
		return forbidden()
	}
	if k := PasswordProblem(password); k != "" {
		return apperr.Fields(apperr.Field("password", k, map[string]any{"Min": MinPasswordLen}))
	}
	hash, err := HashPassword(password, s.Passwords)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		u, err := s.loadUser(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2, version = version + 1 WHERE id = $3`,
			hash, s.Now(), id); err != nil {
			return err
		}
		if err := deleteSessionsOf(ctx, tx, id); err != nil {
			return err
		}
		// The hash is never logged: the entry only says that the password changed.
		return audit.Record(ctx, tx, actor, u.CommitteeID, "reset_password", "user", id, nil, map[string]any{"password_reset": true})
	})
}

// ChangeOwnPassword lets a logged-in user change their password, given the current one.
// Other sessions of the user end; the caller should start a new one.
func (s *Service) ChangeOwnPassword(ctx context.Context, actor *auth.Actor, current, next string) error {
	if actor == nil || actor.UserID == 0 {
		return apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	var hash string
	if err := s.DB.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = $1`, actor.UserID).Scan(&hash); err != nil {
		return err
	}
	var fields []apperr.FieldError
	if !CheckPassword(hash, current) {
		fields = append(fields, apperr.Field("current", "err.auth.current_wrong"))
	}
	if k := PasswordProblem(next); k != "" {
		fields = append(fields, apperr.Field("password", k, map[string]any{"Min": MinPasswordLen}))
	}
	if len(fields) > 0 {
		return apperr.Fields(fields...)
	}
	newHash, err := HashPassword(next, s.Passwords)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, must_change_password = FALSE, updated_at = $2,
			version = version + 1 WHERE id = $3`, newHash, s.Now(), actor.UserID); err != nil {
			return err
		}
		if err := deleteSessionsOf(ctx, tx, actor.UserID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "change_password", "user", actor.UserID, nil, map[string]any{"password_changed": true})
	})
}

// SetDisabled disables (ending every session) or re-enables a user. Admins cannot disable themselves.
func (s *Service) SetDisabled(ctx context.Context, actor *auth.Actor, id int64, disabled bool) error {
	if !auth.Can(actor, auth.ManageUsers) {
		return forbidden()
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := s.loadUser(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if disabled && id == actor.UserID {
			return apperr.New(apperr.Conflict, "err.auth.self_disable")
		}
		if before.Disabled == disabled {
			return nil
		}
		after := before
		after.Disabled, after.Version, after.UpdatedAt = disabled, before.Version+1, s.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1, updated_at = $2, version = version + 1 WHERE id = $3`,
			disabled, after.UpdatedAt, id); err != nil {
			return err
		}
		if disabled {
			if err := deleteSessionsOf(ctx, tx, id); err != nil {
				return err
			}
		}
		action := "enable"
		if disabled {
			action = "disable"
		}
		return audit.Record(ctx, tx, actor, before.CommitteeID, action, "user", id, before, after)
	})
}

// GetUser returns a user of the actor's committee; users elsewhere are not found.
func (s *Service) GetUser(ctx context.Context, actor *auth.Actor, id int64) (User, error) {
	if !auth.Can(actor, auth.ManageUsers) {
		return User{}, forbidden()
	}
	return s.loadUser(ctx, s.DB, actor, id)
}

// UserByUsername returns the user with that username in the actor's committee (for the CLI).
func (s *Service) UserByUsername(ctx context.Context, actor *auth.Actor, username string) (User, error) {
	if !auth.Can(actor, auth.ManageUsers) {
		return User{}, forbidden()
	}
	var id int64
	err := s.DB.QueryRowContext(ctx, `SELECT id FROM users WHERE username = $1 AND committee_id = $2`,
		NormalizeUsername(username), actor.CommitteeID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, apperr.ErrNotFound
	}
	if err != nil {
		return User{}, err
	}
	return s.loadUser(ctx, s.DB, actor, id)
}

const userColumns = `u.id, u.committee_id, u.username, u.display_name, COALESCE(u.person_id, 0), COALESCE(u.unit_id, 0),
	u.disabled, u.lang, u.version, u.created_at, u.updated_at,
	COALESCE((SELECT string_agg(r.role, ',') FROM user_roles r WHERE r.user_id = u.id AND r.committee_id = u.committee_id), '')`

func scanUser(sc interface{ Scan(...any) error }) (User, error) {
	var u User
	var created, updated db.Time
	var roles string
	err := sc.Scan(&u.ID, &u.CommitteeID, &u.Username, &u.DisplayName, &u.PersonID, &u.UnitID,
		&u.Disabled, &u.Lang, &u.Version, &created, &updated, &roles)
	u.CreatedAt, u.UpdatedAt, u.Roles = created.Time, updated.Time, parseRoles(roles)
	return u, err
}

// loadUser loads a user of the actor's committee; any other is apperr.ErrNotFound.
func (s *Service) loadUser(ctx context.Context, q db.Querier, actor *auth.Actor, id int64) (User, error) {
	if !auth.Can(actor, auth.ManageUsers) {
		return User{}, forbidden()
	}
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1 AND u.committee_id = $2`, id, actor.CommitteeID))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, apperr.ErrNotFound
	}
	return u, err
}

// UserFilter narrows ListUsers.
type UserFilter struct {
	Query   string    // part of the username or display name
	Role    auth.Role // "" for any
	Page    int       // 1-based
	PerPage int       // default 50
}

// ListUsers lists the users of the actor's committee by username, one page at
// a time; more reports whether another page follows.
func (s *Service) ListUsers(ctx context.Context, actor *auth.Actor, f UserFilter) (users []User, more bool, err error) {
	if !auth.Can(actor, auth.ManageUsers) {
		return nil, false, forbidden()
	}
	if f.PerPage <= 0 || f.PerPage > 200 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	like := "%" + db.EscapeLike(strings.TrimSpace(f.Query)) + "%"
	users, err = db.Query(ctx, s.DB, scanUser, `SELECT `+userColumns+` FROM users u
		WHERE u.committee_id = $1
		AND (u.username `+s.DB.ILike()+` $2 ESCAPE '\' OR u.display_name `+s.DB.ILike()+` $2 ESCAPE '\')
		AND ($3 = '' OR EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.committee_id = u.committee_id AND r.role = $3))
		ORDER BY u.username LIMIT $4 OFFSET $5`,
		actor.CommitteeID, like, string(f.Role), f.PerPage+1, (f.Page-1)*f.PerPage)
	if err != nil {
		return nil, false, err
	}
	if len(users) > f.PerPage {
		users, more = users[:f.PerPage], true
	}
	return users, more, nil
}
