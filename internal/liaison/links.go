package liaison

import (
	"context"
	"database/sql"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Link is one step of the chain: the liaising person (Liaison) keeps in touch with
// Member from StartsOn to EndsOn (empty: open-ended), at least PerYear times a year.
type Link struct {
	ID          int64  `json:"id"`
	CommitteeID int64  `json:"committee_id"`
	TermID      int64  `json:"term_id"`
	Level       Level  `json:"level"`
	Liaison     Person `json:"liaison"`
	Member      Person `json:"member"`
	StartsOn    string `json:"starts_on"`
	EndsOn      string `json:"ends_on"`
	PerYear     int    `json:"per_year"`
	Notes       string `json:"notes"`
	Version     int    `json:"version"`
	Contacts    int    `json:"contacts"`     // contacts recorded, all time
	LastContact string `json:"last_contact"` // date of the latest contact, '' if none
}

// LinkInput is what a link is created or updated from. PerYear 0 means the default, 2.
type LinkInput struct {
	Level     Level  `json:"level"`
	LiaisonID int64  `json:"liaison_id"`
	MemberID  int64  `json:"member_id"`
	StartsOn  string `json:"starts_on"`
	EndsOn    string `json:"ends_on"`
	PerYear   int    `json:"per_year"`
	Notes     string `json:"notes"`
}

// DefaultPerYear is the usual expected frequency: at least twice a year.
const DefaultPerYear = 2

// linkRow is the stored link, as the audit log records it.
type linkRow struct {
	ID        int64  `json:"id"`
	TermID    int64  `json:"term_id"`
	Level     Level  `json:"level"`
	LiaisonID int64  `json:"liaison_id"`
	MemberID  int64  `json:"member_id"`
	StartsOn  string `json:"starts_on"`
	EndsOn    string `json:"ends_on"`
	PerYear   int    `json:"per_year"`
	Notes     string `json:"notes"`
	Version   int    `json:"version"`
}

func (l *Link) row() linkRow {
	return linkRow{l.ID, l.TermID, l.Level, l.Liaison.MembershipID, l.Member.MembershipID,
		l.StartsOn, l.EndsOn, l.PerYear, l.Notes, l.Version}
}

const linkSelect = `SELECT l.id, l.committee_id, l.term_id, l.level,
	l.liaison_id, lm.person_id, lp.name, l.member_id, mm.person_id, mp.name,
	l.starts_on, l.ends_on, l.per_year, l.notes, l.version,
	(SELECT COUNT(*) FROM liaison_contacts c WHERE c.committee_id = l.committee_id AND c.link_id = l.id),
	COALESCE((SELECT MAX(c.contact_on) FROM liaison_contacts c WHERE c.committee_id = l.committee_id AND c.link_id = l.id), '')
	FROM liaison_links l
	JOIN memberships lm ON lm.id = l.liaison_id JOIN people lp ON lp.id = lm.person_id
	JOIN memberships mm ON mm.id = l.member_id JOIN people mp ON mp.id = mm.person_id `

func scanLink(sc interface{ Scan(...any) error }) (*Link, error) {
	l := &Link{}
	err := sc.Scan(&l.ID, &l.CommitteeID, &l.TermID, &l.Level,
		&l.Liaison.MembershipID, &l.Liaison.PersonID, &l.Liaison.Name,
		&l.Member.MembershipID, &l.Member.PersonID, &l.Member.Name,
		&l.StartsOn, &l.EndsOn, &l.PerYear, &l.Notes, &l.Version, &l.Contacts, &l.LastContact)
	return l, err
}

func loadLink(ctx context.Context, q db.Querier, id int64) (*Link, error) {
	l, err := scanLink(q.QueryRowContext(ctx, linkSelect+`WHERE l.id = $1`, id))
	return l, notFoundIfNoRows(err)
}

// isLiaisonOf reports whether the actor is the person doing the liaising on l.
func isLiaisonOf(actor *auth.Actor, committeeID int64, p Person) bool {
	return actor != nil && actor.PersonID != 0 && actor.CommitteeID == committeeID && actor.PersonID == p.PersonID
}

// canRead reports whether the actor may see a record of committeeID whose liaising person is p.
func (s *Service) canRead(ctx context.Context, actor *auth.Actor, committeeID int64, p Person) (bool, error) {
	if isLiaisonOf(actor, committeeID, p) && auth.Can(actor, LogContact) {
		return true, nil
	}
	if !auth.Can(actor, ViewLiaison) {
		return false, nil
	}
	_, err := auth.CheckScope(ctx, s.DB, actor, ViewLiaison, committeeID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return false, nil
	}
	return err == nil, err
}

// GetLink returns a link the actor may see: readers of its committee (or a higher
// one), and the liaising person. Anything else is NotFound.
func (s *Service) GetLink(ctx context.Context, actor *auth.Actor, id int64) (*Link, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	l, err := loadLink(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.canRead(ctx, actor, l.CommitteeID, l.Liaison)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.ErrNotFound
	}
	return l, nil
}

// LinkFilter narrows ListLinks. Zero values mean "any".
type LinkFilter struct {
	CommitteeID int64  // 0: the actor's own committee
	TermID      int64  //
	Level       Level  //
	LiaisonID   int64  // membership id of the liaising person
	MemberID    int64  // membership id of the linked member
	Q           string // part of either name
	ActiveOn    string // only links whose period contains this date
	Limit       int    // default 100, at most 500
	Offset      int
}

// ListLinks returns a page of the committee's links, ordered by level and the
// liaising person, and the total count.
func (s *Service) ListLinks(ctx context.Context, actor *auth.Actor, f LinkFilter) ([]Link, int, error) {
	cid, err := s.readScope(ctx, actor, f.CommitteeID)
	if err != nil {
		return nil, 0, err
	}
	return s.listLinks(ctx, cid, 0, f)
}

// MyLinks returns the links on which the actor is the liaising person, in its own committee.
func (s *Service) MyLinks(ctx context.Context, actor *auth.Actor) ([]Link, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if actor.PersonID == 0 || !auth.Can(actor, LogContact) {
		return nil, nil
	}
	out, _, err := s.listLinks(ctx, actor.CommitteeID, actor.PersonID, LinkFilter{Limit: 500})
	return out, err
}

func (s *Service) listLinks(ctx context.Context, cid, liaisonPerson int64, f LinkFilter) ([]Link, int, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	f.Limit = min(f.Limit, 500) // above the maximum is capped, as the API documents
	if f.Offset < 0 {
		f.Offset = 0
	}
	where := `WHERE l.committee_id = $1 AND (CAST($2 AS BIGINT) = 0 OR l.term_id = $2) AND ($3 = '' OR l.level = $3)
		AND (CAST($4 AS BIGINT) = 0 OR l.liaison_id = $4) AND (CAST($5 AS BIGINT) = 0 OR l.member_id = $5) AND (CAST($6 AS BIGINT) = 0 OR lm.person_id = $6)
		AND ($7 = '' OR (l.starts_on <= $7 AND (l.ends_on = '' OR l.ends_on >= $7)))
		AND ($8 = '' OR lp.name ` + s.DB.ILike() + ` $8 ESCAPE '\' OR mp.name ` + s.DB.ILike() + ` $8 ESCAPE '\') `
	q := ""
	if f.Q = strings.TrimSpace(f.Q); f.Q != "" {
		q = "%" + db.EscapeLike(f.Q) + "%"
	}
	args := []any{cid, f.TermID, string(f.Level), f.LiaisonID, f.MemberID, liaisonPerson, f.ActiveOn, q}
	var total int
	err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM liaison_links l
		JOIN memberships lm ON lm.id = l.liaison_id JOIN people lp ON lp.id = lm.person_id
		JOIN memberships mm ON mm.id = l.member_id JOIN people mp ON mp.id = mm.person_id `+where, args...).Scan(&total)
	if err != nil {
		return nil, 0, err
	}
	out, err := db.Query(ctx, s.DB, byValue(scanLink), linkSelect+where+`
		ORDER BY CASE l.level WHEN 'leader_head' THEN 1 WHEN 'head_party' THEN 2 ELSE 3 END, lp.name, l.liaison_id, mp.name, l.id
		LIMIT $9 OFFSET $10`, append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// CreateLink links two memberships of the actor's committee after checking the chain rules.
func (s *Service) CreateLink(ctx context.Context, actor *auth.Actor, in LinkInput) (*Link, error) {
	if err := requireEdit(actor); err != nil {
		return nil, err
	}
	var out *Link
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		termID, err := s.validateLink(ctx, tx, actor.CommitteeID, 0, &in)
		if err != nil {
			return err
		}
		now := db.Now()
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO liaison_links (committee_id, term_id, level, liaison_id, member_id,
			starts_on, ends_on, per_year, notes, version, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,1,$10,$10) RETURNING id`,
			actor.CommitteeID, termID, string(in.Level), in.LiaisonID, in.MemberID, in.StartsOn, in.EndsOn,
			in.PerYear, in.Notes, now).Scan(&id)
		if err != nil {
			return err
		}
		if out, err = loadLink(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "create", "liaison_link", id, nil, out.row())
	})
	return out, err
}

// UpdateLink changes a link at the given version; a stale version is a Conflict.
// The two people cannot change once contacts are recorded on the link.
func (s *Service) UpdateLink(ctx context.Context, actor *auth.Actor, id int64, version int, in LinkInput) (*Link, error) {
	if err := requireEdit(actor); err != nil {
		return nil, err
	}
	var out *Link
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := loadLink(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.CommitteeID != actor.CommitteeID {
			return apperr.ErrNotFound
		}
		termID, err := s.validateLink(ctx, tx, actor.CommitteeID, id, &in)
		if err != nil {
			return err
		}
		if before.Contacts > 0 && (in.LiaisonID != before.Liaison.MembershipID || in.MemberID != before.Member.MembershipID) {
			return apperr.Fields(apperr.Field("member_id", "err.liaison.pair_locked"))
		}
		if err := db.ExecVersioned(ctx, tx, `UPDATE liaison_links SET term_id = $1, level = $2, liaison_id = $3, member_id = $4,
			starts_on = $5, ends_on = $6, per_year = $7, notes = $8, version = version + 1, updated_at = $9
			WHERE id = $10 AND committee_id = $11 AND version = $12`,
			termID, string(in.Level), in.LiaisonID, in.MemberID, in.StartsOn, in.EndsOn, in.PerYear, in.Notes,
			db.Now(), id, actor.CommitteeID, version); err != nil {
			return err
		}
		if out, err = loadLink(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "update", "liaison_link", id, before.row(), out.row())
	})
	return out, err
}

// DeleteLink removes a link without contacts; one with contacts is ended instead
// (set EndsOn), so the record of the contacts stays.
func (s *Service) DeleteLink(ctx context.Context, actor *auth.Actor, id int64, version int) error {
	if err := requireEdit(actor); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := loadLink(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.CommitteeID != actor.CommitteeID {
			return apperr.ErrNotFound
		}
		if before.Contacts > 0 {
			return apperr.New(apperr.Conflict, "err.liaison.link_has_contacts")
		}
		if err := db.ExecVersioned(ctx, tx, `DELETE FROM liaison_links WHERE id = $1 AND committee_id = $2 AND version = $3`,
			id, actor.CommitteeID, version); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "delete", "liaison_link", id, before.row(), nil)
	})
}

// validateLink checks the input against the chain rules and returns the term of the link.
func (s *Service) validateLink(ctx context.Context, q db.Querier, cid, selfID int64, in *LinkInput) (int64, error) {
	var fe fieldErrs
	in.Notes = strings.TrimSpace(in.Notes)
	if in.PerYear == 0 {
		in.PerYear = DefaultPerYear
	}
	if !in.Level.Valid() {
		fe.add("level", "err.liaison.level_invalid")
	}
	if in.PerYear < 1 || in.PerYear > 52 {
		fe.add("per_year", "err.liaison.per_year_range", map[string]any{"Min": 1, "Max": 52})
	}
	fe.period("starts_on", in.StartsOn, "ends_on", in.EndsOn, false)
	fe.notes("notes", in.Notes)
	li, err := fe.member(ctx, q, cid, "liaison_id", in.LiaisonID)
	if err != nil {
		return 0, err
	}
	mb, err := fe.member(ctx, q, cid, "member_id", in.MemberID)
	if err != nil {
		return 0, err
	}
	if li != nil && mb != nil {
		checkPair(&fe, in.Level, li, mb)
	}
	if len(fe) == 0 {
		var n int
		err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM liaison_links WHERE committee_id = $1 AND liaison_id = $2
			AND member_id = $3 AND id <> $4 AND (ends_on = '' OR ends_on >= $5) AND ($6 = '' OR starts_on <= $6)`,
			cid, in.LiaisonID, in.MemberID, selfID, in.StartsOn, in.EndsOn).Scan(&n)
		if err != nil {
			return 0, err
		}
		if n > 0 {
			fe.add("member_id", "err.liaison.link_exists")
		}
	}
	if err := fe.err(); err != nil {
		return 0, err
	}
	return li.TermID, nil
}

// member loads a referenced membership, recording why it cannot be used.
func (f *fieldErrs) member(ctx context.Context, q db.Querier, cid int64, field string, id int64) (*member, error) {
	if id == 0 {
		f.add(field, "err.required")
		return nil, nil
	}
	m, err := loadMember(ctx, q, cid, id)
	if err != nil {
		return nil, err
	}
	switch {
	case m == nil:
		f.add(field, "err.liaison.member_unknown")
	case m.Status != "active":
		f.add(field, "err.liaison.member_inactive", map[string]any{"Name": m.Name})
		return nil, nil
	}
	return m, nil
}

// checkPair applies the rule of each step of the chain to the two memberships.
func checkPair(fe *fieldErrs, level Level, li, mb *member) {
	if li.TermID != mb.TermID {
		fe.add("member_id", "err.liaison.term_mismatch")
		return
	}
	if li.PersonID == mb.PersonID {
		fe.add("member_id", "err.liaison.same_person")
		return
	}
	name := map[string]any{"Name": li.Name}
	mname := map[string]any{"Name": mb.Name}
	switch level {
	case LevelLeaderHead:
		if !li.InPartyGroup() {
			fe.add("liaison_id", "err.liaison.not_party_group", name)
		}
		if !mb.GroupHead {
			fe.add("member_id", "err.liaison.not_group_head", mname)
		}
	case LevelHeadParty:
		if !li.GroupHead {
			fe.add("liaison_id", "err.liaison.not_group_head", name)
		}
		if !mb.Party {
			fe.add("member_id", "err.liaison.not_party_member", mname)
		}
	case LevelPartyNonparty:
		if !li.Party {
			fe.add("liaison_id", "err.liaison.not_party_member", name)
		}
		if mb.Party {
			fe.add("member_id", "err.liaison.is_party_member", mname)
		}
	}
}
