package account

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Logins for everyone. When a committee goes live, every serving member and
// every active handling unit needs an account at once. ProvisionAll opens the
// missing ones in one action; each gets a first password that is returned
// (never stored: only its hash is) so the administrator can hand it out once,
// and the account must change it at its first login.
//
// The username rule: the committee's code, then "m" and the person's number
// for a member, "u" and the unit's number for a unit, e.g. 530325-m42 and
// 530325-u7; a username already taken gets "-2", "-3" ….

// Issued is one account opened by ProvisionAll, with its first password, or
// one it disabled (Kind "disabled", no password).
type Issued struct {
	Kind     string // "member", "unit" or "disabled"
	Name     string // the member's or unit's name (the account's display name)
	Username string
	Password string // shown once; only its hash is stored
}

// firstPasswordAlphabet leaves out characters that read alike (0/O, 1/l/I).
const firstPasswordAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// firstPasswordLen is the length of a first password (MinPasswordLen or more).
const firstPasswordLen = 12

// FirstPassword returns a random first password.
func FirstPassword() (string, error) {
	b := make([]byte, firstPasswordLen)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	for i := range b {
		b[i] = firstPasswordAlphabet[int(b[i])%len(firstPasswordAlphabet)]
	}
	return string(b), nil
}

var codeClean = regexp.MustCompile(`[^a-z0-9]`)

// provisionCandidate is a member or unit without an account.
type provisionCandidate struct {
	kind             string
	personID, unitID int64
	name             string
}

// ProvisionAll opens an account for every person serving in the actor's
// committee (an active membership not left, in a term not ended) and every active unit of it that has none yet
// (admins only), in one transaction, and returns them with their first
// passwords. Running it again opens only what is still missing. The same
// action disables (ending their sessions) the member accounts whose person no
// longer holds an active membership and the unit accounts of inactive units,
// when that is the account's only role; they are listed as "disabled".
func (s *Service) ProvisionAll(ctx context.Context, actor *auth.Actor) ([]Issued, error) {
	if !auth.Can(actor, auth.ManageUsers) {
		return nil, forbidden()
	}
	cands, code, err := s.provisionCandidates(ctx, actor.CommitteeID)
	if err != nil {
		return nil, err
	}
	// Hash before the transaction: it is the slow part and needs no lock.
	out := make([]Issued, len(cands))
	hashes := make([]string, len(cands))
	for i, c := range cands {
		pw, err := FirstPassword()
		if err != nil {
			return nil, err
		}
		if hashes[i], err = HashPassword(pw, s.Passwords); err != nil {
			return nil, err
		}
		out[i] = Issued{Kind: c.kind, Name: c.name, Password: pw}
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for i, c := range cands {
			u, err := s.insertProvisioned(ctx, tx, actor, code, c, hashes[i])
			if err != nil {
				return err
			}
			out[i].Username = u.Username
		}
		gone, err := s.disableEnded(ctx, tx, actor)
		if err != nil {
			return err
		}
		out = append(out, gone...)
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "provision_all", "user", actor.CommitteeID, nil,
			map[string]any{"accounts": len(cands), "disabled": len(gone)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// provisionCandidates lists the serving members and active units without an
// account, and the committee's code for usernames.
func (s *Service) provisionCandidates(ctx context.Context, committeeID int64) ([]provisionCandidate, string, error) {
	code, err := s.usernameCode(ctx, committeeID)
	if err != nil {
		return nil, "", err
	}
	members, err := db.Query(ctx, s.DB, func(sc db.Scanner) (provisionCandidate, error) {
		c := provisionCandidate{kind: "member"}
		return c, sc.Scan(&c.personID, &c.name)
	}, `SELECT p.id, p.name FROM people p WHERE p.committee_id = $1
		AND EXISTS (SELECT 1 FROM memberships m JOIN terms t ON t.id = m.term_id WHERE m.person_id = p.id AND m.committee_id = $1
			AND m.status = 'active' AND (m.left_on = '' OR m.left_on > $2) AND (t.ends_on = '' OR t.ends_on >= $2))
		AND NOT EXISTS (SELECT 1 FROM users u WHERE u.person_id = p.id) ORDER BY p.id`, committeeID, civil.Of(s.Now()).String())
	if err != nil {
		return nil, "", err
	}
	units, err := db.Query(ctx, s.DB, func(sc db.Scanner) (provisionCandidate, error) {
		c := provisionCandidate{kind: "unit"}
		return c, sc.Scan(&c.unitID, &c.name)
	}, `SELECT x.id, x.name FROM units x WHERE x.committee_id = $1 AND x.active
		AND NOT EXISTS (SELECT 1 FROM users u WHERE u.unit_id = x.id) ORDER BY x.id`, committeeID)
	if err != nil {
		return nil, "", err
	}
	return append(members, units...), code, nil
}

// usernameCode is the committee's code as it starts usernames: lower-case
// letters and digits only ("c" and the id when nothing is left).
func (s *Service) usernameCode(ctx context.Context, committeeID int64) (string, error) {
	var code string
	if err := s.DB.QueryRowContext(ctx, `SELECT code FROM committees WHERE id = $1`, committeeID).Scan(&code); err != nil {
		return "", err
	}
	code = codeClean.ReplaceAllString(strings.ToLower(code), "")
	if code == "" {
		code = fmt.Sprintf("c%d", committeeID)
	}
	return code, nil
}

// insertProvisioned writes one account by the username rule.
func (s *Service) insertProvisioned(ctx context.Context, tx *sql.Tx, actor *auth.Actor, code string, c provisionCandidate, hash string) (User, error) {
	u := User{CommitteeID: actor.CommitteeID, DisplayName: c.name, PersonID: c.personID, UnitID: c.unitID, Lang: "zh", Version: 1}
	base := fmt.Sprintf("%s-m%d", code, c.personID)
	u.Roles = []auth.Role{auth.RoleMember}
	if c.kind == "unit" {
		base, u.Roles = fmt.Sprintf("%s-u%d", code, c.unitID), []auth.Role{auth.RoleUnit}
	}
	u.Username = base
	for n := 2; ; n++ {
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username = $1`, u.Username).Scan(&taken); err != nil {
			return u, err
		}
		if taken == 0 {
			break
		}
		u.Username = fmt.Sprintf("%s-%d", base, n)
	}
	if !usernameRE.MatchString(u.Username) {
		return u, apperr.New(apperr.Invalid, "err.auth.username_invalid")
	}
	now := s.Now()
	u.CreatedAt, u.UpdatedAt = now, now
	err := tx.QueryRowContext(ctx, `INSERT INTO users (committee_id, username, display_name, password_hash, person_id, unit_id, lang,
		must_change_password, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8, $8) RETURNING id`,
		u.CommitteeID, u.Username, u.DisplayName, hash, nullID(u.PersonID), nullID(u.UnitID), u.Lang, now).Scan(&u.ID)
	if err != nil {
		return u, err
	}
	if err := writeRoles(ctx, tx, u); err != nil {
		return u, err
	}
	return u, audit.Record(ctx, tx, actor, u.CommitteeID, "create", "user", u.ID, nil, u)
}

// servingMembership is the SQL condition that person u.person_id serves in
// committee u.committee_id on date $today: an active membership not left
// before today, in a term that has not ended before today.
const servingMembership = `EXISTS (SELECT 1 FROM memberships m JOIN terms t ON t.id = m.term_id
	WHERE m.person_id = u.person_id AND m.committee_id = u.committee_id AND m.status = 'active'
	AND (m.left_on = '' OR m.left_on > $2) AND (t.ends_on = '' OR t.ends_on >= $2))`

// disableEnded disables the accounts of the actor's committee whose
// membership ended (status no longer active, left_on or the term's end
// passed) or whose unit is no longer active, where that link is the
// account's only role, ending their sessions; each is audited.
func (s *Service) disableEnded(ctx context.Context, tx *sql.Tx, actor *auth.Actor) ([]Issued, error) {
	today := civil.Of(s.Now()).String()
	ended, err := db.Query(ctx, tx, func(sc db.Scanner) (User, error) {
		var u User
		return u, sc.Scan(&u.ID, &u.Username, &u.DisplayName)
	}, `SELECT u.id, u.username, u.display_name FROM users u WHERE u.committee_id = $1 AND NOT u.disabled
		AND NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role NOT IN ('member', 'unit'))
		AND ((u.person_id IS NOT NULL AND u.unit_id IS NULL AND NOT `+servingMembership+`)
			OR (u.unit_id IS NOT NULL AND u.person_id IS NULL AND NOT EXISTS (SELECT 1 FROM units x WHERE x.id = u.unit_id AND x.active)))
		ORDER BY u.id`, actor.CommitteeID, today)
	if err != nil {
		return nil, err
	}
	var out []Issued
	for _, u := range ended {
		if u.ID == actor.UserID {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = TRUE, updated_at = $1, version = version + 1 WHERE id = $2`,
			s.Now(), u.ID); err != nil {
			return nil, err
		}
		if err := deleteSessionsOf(ctx, tx, u.ID); err != nil {
			return nil, err
		}
		if err := audit.Record(ctx, tx, actor, actor.CommitteeID, "disable", "user", u.ID, map[string]any{"disabled": false},
			map[string]any{"disabled": true, "reason": "membership_or_unit_ended"}); err != nil {
			return nil, err
		}
		out = append(out, Issued{Kind: "disabled", Name: u.DisplayName, Username: u.Username})
	}
	return out, nil
}
