package account

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Activation links. An account opened during the member or unit import has no
// password: the office hands its holder a one-time link, /activate/<secret>,
// where they choose their first password. Only the SHA-256 of the secret is
// stored (like sessions and API tokens); a link works once, until it expires
// (ActivationTTL), and issuing new links for an account revokes its older ones.

// ActivationPrefix starts every activation secret.
const ActivationPrefix = "act_"

// ActivationTTL is how long an activation link works.
const ActivationTTL = 30 * 24 * time.Hour

// noPassword is the password hash of an account that has not been activated:
// CheckPassword never matches it, so nobody can log in before activating.
const noPassword = "!"

// Activation is one account with its activation link's secret, shown once.
type Activation struct {
	Kind      string    `json:"kind"` // "member" or "unit"
	Name      string    `json:"name"`
	Username  string    `json:"username"`
	Token     string    `json:"token"` // the link is /activate/<token>
	ExpiresAt time.Time `json:"expires_at"`
}

// Path is the activation page of a, relative to the server's address.
func (a Activation) Path() string { return "/activate/" + a.Token }

// Opener opens accounts with activation links inside another use case's
// transaction (the member and unit imports), so that the accounts are written
// with the rows they belong to, or not at all. Issued collects what it opened.
type Opener struct {
	s      *Service
	actor  *auth.Actor
	code   string
	Issued []Activation
}

// Opener returns an Opener for the actor's committee (admins only: opening
// accounts is managing users, even inside an import staff may run).
func (s *Service) Opener(ctx context.Context, actor *auth.Actor) (*Opener, error) {
	if !auth.Can(actor, auth.ManageUsers) {
		return nil, forbidden()
	}
	code, err := s.usernameCode(ctx, actor.CommitteeID)
	if err != nil {
		return nil, err
	}
	return &Opener{s: s, actor: actor, code: code}, nil
}

// Members opens an account, with an activation link, for each of the given
// people of the committee who holds a serving membership and has no account.
// People who have one are left alone, so importing the same file twice opens
// nothing the second time.
func (o *Opener) Members(ctx context.Context, tx *sql.Tx, personIDs []int64) error {
	if len(personIDs) == 0 {
		return nil
	}
	var a db.Args
	cid, today := a.Add(o.actor.CommitteeID), a.Add(civil.Of(o.s.Now()).String())
	// Serving as disableEnded counts it, so an account is never opened only
	// for the daily job to disable it.
	cands, err := db.Query(ctx, tx, func(sc db.Scanner) (provisionCandidate, error) {
		c := provisionCandidate{kind: "member"}
		return c, sc.Scan(&c.personID, &c.name)
	}, `SELECT p.id, p.name FROM people p WHERE p.committee_id = `+cid+` AND p.id IN `+db.In(&a, personIDs)+`
		AND EXISTS (SELECT 1 FROM memberships m JOIN terms t ON t.id = m.term_id WHERE m.person_id = p.id
			AND m.committee_id = `+cid+` AND m.status = 'active' AND (m.left_on = '' OR m.left_on > `+today+`)
			AND (t.ends_on = '' OR t.ends_on >= `+today+`))
		AND NOT EXISTS (SELECT 1 FROM users u WHERE u.person_id = p.id) ORDER BY p.id`, a...)
	if err != nil {
		return err
	}
	return o.open(ctx, tx, cands)
}

// Units opens an account, with an activation link, for each of the given
// active units of the committee that has none.
func (o *Opener) Units(ctx context.Context, tx *sql.Tx, unitIDs []int64) error {
	if len(unitIDs) == 0 {
		return nil
	}
	var a db.Args
	cid := a.Add(o.actor.CommitteeID)
	cands, err := db.Query(ctx, tx, func(sc db.Scanner) (provisionCandidate, error) {
		c := provisionCandidate{kind: "unit"}
		return c, sc.Scan(&c.unitID, &c.name)
	}, `SELECT x.id, x.name FROM units x WHERE x.committee_id = `+cid+` AND x.id IN `+db.In(&a, unitIDs)+` AND x.active
		AND NOT EXISTS (SELECT 1 FROM users u WHERE u.unit_id = x.id) ORDER BY x.id`, a...)
	if err != nil {
		return err
	}
	return o.open(ctx, tx, cands)
}

func (o *Opener) open(ctx context.Context, tx *sql.Tx, cands []provisionCandidate) error {
	for _, c := range cands {
		u, err := o.s.insertProvisioned(ctx, tx, o.actor, o.code, c, noPassword)
		if err != nil {
			return err
		}
		act, err := o.s.writeActivation(ctx, tx, o.actor, u) // a new account has no link to revoke
		if err != nil {
			return err
		}
		act.Kind = c.kind
		o.Issued = append(o.Issued, act)
	}
	return nil
}

// issueActivation revokes the account's unused links and writes a new one.
func (s *Service) issueActivation(ctx context.Context, tx *sql.Tx, actor *auth.Actor, u User) (Activation, error) {
	// committee_id first: the index leads with it (without it, each link
	// scanned every link, and a 40,000-row import went quadratic).
	if _, err := tx.ExecContext(ctx, `UPDATE account_activations SET revoked_at = $1
		WHERE committee_id = $2 AND user_id = $3 AND used_at IS NULL AND revoked_at IS NULL`, s.Now(), u.CommitteeID, u.ID); err != nil {
		return Activation{}, err
	}
	return s.writeActivation(ctx, tx, actor, u)
}

// writeActivation writes a new link for the account (its secret stored as
// SHA-256 only, like a session token: it is random, so no slow hash is needed).
func (s *Service) writeActivation(ctx context.Context, tx *sql.Tx, actor *auth.Actor, u User) (Activation, error) {
	now := s.Now()
	secret, hash := newSecret(ActivationPrefix)
	act := Activation{Name: u.DisplayName, Username: u.Username, Token: secret, ExpiresAt: now.Add(ActivationTTL)}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO account_activations (committee_id, user_id, token_hash, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, u.CommitteeID, u.ID, hash, now, act.ExpiresAt).Scan(&id); err != nil {
		return Activation{}, err
	}
	// The secret is never logged: the entry names the account and the expiry.
	return act, audit.Record(ctx, tx, actor, u.CommitteeID, "issue_activation", "user", u.ID, nil,
		map[string]any{"activation_id": id, "expires_at": act.ExpiresAt})
}

// ReissueActivations issues a new activation link (revoking the old ones) for
// every account of the actor's committee that has never been activated
// (admins only): the office's printable list when the first one was lost or
// its links expired. Links are shown only here, once.
func (s *Service) ReissueActivations(ctx context.Context, actor *auth.Actor) ([]Activation, error) {
	if !auth.Can(actor, auth.ManageUsers) {
		return nil, forbidden()
	}
	var out []Activation
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		users, err := db.Query(ctx, tx, scanUser, `SELECT `+userColumns+` FROM users u
			WHERE u.committee_id = $1 AND NOT u.disabled AND u.password_hash = $2
			AND EXISTS (SELECT 1 FROM account_activations a WHERE a.committee_id = u.committee_id AND a.user_id = u.id) ORDER BY u.username`, actor.CommitteeID, noPassword)
		if err != nil {
			return err
		}
		for _, u := range users {
			act, err := s.issueActivation(ctx, tx, actor, u)
			if err != nil {
				return err
			}
			act.Kind = "member"
			if u.UnitID != 0 {
				act.Kind = "unit"
			}
			out = append(out, act)
		}
		return nil
	})
	return out, err
}

// Pending is what the activation page shows about a link before it is used.
type Pending struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

// activationRow is a link with its account.
type activationRow struct {
	id, userID, committeeID int64
	username, name          string
	expires                 time.Time
	used, revoked, disabled bool
}

// CheckActivation says whose a link is, or why it cannot be used:
// err.auth.activation_invalid (unknown, or revoked by a newer link),
// err.auth.activation_used, err.auth.activation_expired.
func (s *Service) CheckActivation(ctx context.Context, secret string) (Pending, error) {
	row, err := s.activation(ctx, s.DB, secret)
	if err != nil {
		return Pending{}, err
	}
	return Pending{Username: row.username, DisplayName: row.name}, nil
}

func (s *Service) activation(ctx context.Context, q db.Querier, secret string) (activationRow, error) {
	var r activationRow
	if len(secret) > 100 || len(secret) <= len(ActivationPrefix) || secret[:len(ActivationPrefix)] != ActivationPrefix {
		return r, apperr.New(apperr.NotFound, "err.auth.activation_invalid")
	}
	var expires, used, revoked db.Time
	err := q.QueryRowContext(ctx, `SELECT a.id, a.user_id, a.committee_id, u.username, u.display_name, a.expires_at, a.used_at, a.revoked_at, u.disabled
		FROM account_activations a JOIN users u ON u.id = a.user_id WHERE a.token_hash = $1`, hashSecret(secret)).
		Scan(&r.id, &r.userID, &r.committeeID, &r.username, &r.name, &expires, &used, &revoked, &r.disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return r, apperr.New(apperr.NotFound, "err.auth.activation_invalid")
	}
	if err != nil {
		return r, err
	}
	r.expires, r.used, r.revoked = expires.Time, !used.Time.IsZero(), !revoked.Time.IsZero()
	switch {
	case r.used:
		return r, apperr.New(apperr.Conflict, "err.auth.activation_used")
	case r.revoked || r.disabled:
		return r, apperr.New(apperr.NotFound, "err.auth.activation_invalid")
	case !s.Now().Before(r.expires):
		return r, apperr.New(apperr.Conflict, "err.auth.activation_expired")
	}
	return r, nil
}

// Activate sets the account's first password (argon2id, as every password)
// through a link, which is then used up; the account can log in at once and
// is not asked to change the password it has just chosen. Bad passwords are
// field errors on "password".
func (s *Service) Activate(ctx context.Context, secret, password string) (Pending, error) {
	if _, err := s.CheckActivation(ctx, secret); err != nil {
		return Pending{}, err
	}
	if k := PasswordProblem(password); k != "" {
		return Pending{}, apperr.Fields(apperr.Field("password", k, map[string]any{"Min": MinPasswordLen}))
	}
	hash, err := HashPassword(password, s.Passwords)
	if err != nil {
		return Pending{}, err
	}
	var p Pending
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// Read again under the write lock: two uses of one link race here.
		row, err := s.activation(ctx, tx, secret)
		if err != nil {
			return err
		}
		p = Pending{Username: row.username, DisplayName: row.name}
		now := s.Now()
		res, err := tx.ExecContext(ctx, `UPDATE account_activations SET used_at = $1 WHERE id = $2 AND used_at IS NULL`, now, row.id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.New(apperr.Conflict, "err.auth.activation_used")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, must_change_password = FALSE, updated_at = $2,
			version = version + 1 WHERE id = $3`, hash, now, row.userID); err != nil {
			return err
		}
		// The activating visitor is the account's holder, not yet logged in.
		return audit.Record(ctx, tx, &auth.Actor{UserID: row.userID, Name: row.name, CommitteeID: row.committeeID},
			row.committeeID, "activate", "user", row.userID, nil, map[string]any{"activation_id": row.id, "password_set": true})
	})
	return p, err
}
