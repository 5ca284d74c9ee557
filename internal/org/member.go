package org

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/secret"
)

// Member is one membership (a person's seat on a committee in a term) with the
// person's details. ID is the membership id; the full ID number is never here.
type Member struct {
	ID          int64       `json:"id"`
	CommitteeID int64       `json:"committee_id"`
	PersonID    int64       `json:"person_id"`
	TermID      int64       `json:"term_id"`
	TermName    string      `json:"term_name,omitempty"`
	Name        string      `json:"name"`
	Gender      string      `json:"gender" codes:"gender?"`
	BirthDate   string      `json:"birth_date"`
	Ethnicity   string      `json:"ethnicity"`
	IDMasked    string      `json:"id_number_masked"` // 5303**************, "" when unknown (MaskIDNumber)
	Phone       string      `json:"phone"`
	Email       string      `json:"email"`
	Employer    string      `json:"employer"`
	JobTitle    string      `json:"job_title"`
	SectorID    int64       `json:"sector_id"`
	SectorName  string      `json:"sector_name,omitempty"`
	Affiliation string      `json:"affiliation" codes:"affiliation?"`
	Positions   []string    `json:"positions" codes:"position"`
	Standing    bool        `json:"standing"`
	PartyMember bool        `json:"party_member"`
	Status      string      `json:"status" codes:"status"`
	Skills      string      `json:"skills"`
	Resources   string      `json:"resources"`
	JoinedOn    string      `json:"joined_on"`
	LeftOn      string      `json:"left_on"`
	Groups      []GroupRole `json:"groups"`
	Version     int         `json:"version"`
	UpdatedAt   time.Time   `json:"-"`
}

// GroupRole is a member's place in a group.
type GroupRole struct {
	GroupID int64  `json:"group_id"`
	Name    string `json:"name,omitempty"`
	Role    string `json:"role" codes:"group_role"` // member, leader, deputy
}

// MemberInput creates or edits a member. Field names in errors are the form's
// (name, gender, id_number, phone, sector_id, affiliation, positions, groups, …).
type MemberInput struct {
	TermID      int64 // 0: the current term (creation only; a membership keeps its term)
	Name        string
	Gender      string // male, female
	IDNumber    string // full citizen ID number; on edit "" keeps the stored one
	BirthDate   string // YYYY-MM-DD; derived from the ID number when empty
	Ethnicity   string
	Phone       string
	Email       string
	Employer    string
	JobTitle    string
	SectorID    int64
	Affiliation string
	Positions   []string
	Standing    bool
	Status      string // default active
	Skills      string
	Resources   string
	JoinedOn    string
	LeftOn      string
	Groups      []GroupRole
	Version     int // membership version, for edits
}

// refs are a committee's lookup lists, loaded once per use case (or per import).
type refs struct {
	sectors     map[int64]string
	sectorOrder []int64 // display order
	groups      map[int64]Group
	terms       map[int64]Term
	current     Term
}

func loadRefs(ctx context.Context, q db.Querier, committeeID int64) (*refs, error) {
	r := &refs{sectors: map[int64]string{}, groups: map[int64]Group{}, terms: map[int64]Term{}}
	ss, err := listSectors(ctx, q, committeeID)
	if err != nil {
		return nil, err
	}
	for _, x := range ss {
		r.sectors[x.ID] = x.Name
		r.sectorOrder = append(r.sectorOrder, x.ID)
	}
	gs, err := listGroups(ctx, q, committeeID)
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		r.groups[g.ID] = g
	}
	ts, err := listTerms(ctx, q, committeeID)
	if err != nil {
		return nil, err
	}
	for i, t := range ts {
		r.terms[t.ID] = t
		if i == 0 {
			r.current = t
		}
	}
	return r, nil
}

// sectorNames are the sector names in display order.
func (r *refs) sectorNames() []string {
	out := make([]string, len(r.sectorOrder))
	for i, id := range r.sectorOrder {
		out[i] = r.sectors[id]
	}
	return out
}

// normalize trims and canonicalises the input before validation.
func (in *MemberInput) normalize() {
	trim(&in.Name, &in.Gender, &in.BirthDate, &in.Ethnicity, &in.Email, &in.Employer, &in.JobTitle,
		&in.Affiliation, &in.Status, &in.Skills, &in.Resources, &in.JoinedOn, &in.LeftOn)
	in.IDNumber = NormalizeIDNumber(in.IDNumber)
	in.Phone = NormalizePhone(in.Phone)
	if in.Status == "" {
		in.Status = "active"
	}
	var ps []string
	for _, p := range in.Positions {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	in.Positions = ps
}

// validate checks the input against the rules and the committee's lists.
// creating requires a term; requireID demands an ID number (imports).
func (s *Service) validateMember(in *MemberInput, r *refs, creating, requireID bool) []apperr.FieldError {
	in.normalize()
	fs := required(nil, "name", in.Name, "gender", in.Gender, "phone", in.Phone, "affiliation", in.Affiliation)
	if requireID {
		fs = required(fs, "id_number", in.IDNumber)
	}
	if len([]rune(in.Name)) > 50 {
		fs = append(fs, apperr.Field("name", "err.org.too_long", map[string]any{"Max": 50}))
	}
	if in.Gender != "" && !validCode(Genders, in.Gender) {
		fs = append(fs, apperr.Field("gender", "err.org.choice_invalid"))
	}
	fs = append(fs, s.checkIDNumber(in)...)
	if in.Phone != "" && !ValidPhone(in.Phone) {
		fs = append(fs, apperr.Field("phone", "err.org.phone_invalid"))
	}
	if in.Email != "" && !validEmail(in.Email) {
		fs = append(fs, apperr.Field("email", "err.org.email_invalid"))
	}
	if in.Affiliation != "" && !validCode(Affiliations, in.Affiliation) {
		fs = append(fs, apperr.Field("affiliation", "err.org.affiliation_unknown"))
	}
	for _, p := range in.Positions {
		if !validCode(Positions, p) {
			fs = append(fs, apperr.Field("positions", "err.org.position_unknown", map[string]any{"Value": p}))
		}
	}
	if !validCode(Statuses, in.Status) {
		fs = append(fs, apperr.Field("status", "err.org.choice_invalid"))
	}
	for _, f := range [][2]string{{"birth_date", in.BirthDate}, {"joined_on", in.JoinedOn}, {"left_on", in.LeftOn}} {
		if !validDate(f[1]) {
			fs = append(fs, apperr.Field(f[0], "err.org.date_invalid"))
		}
	}
	if in.SectorID == 0 {
		fs = append(fs, apperr.Field("sector_id", "err.required"))
	} else if _, ok := r.sectors[in.SectorID]; !ok {
		fs = append(fs, apperr.Field("sector_id", "err.org.sector_unknown"))
	}
	fs = append(fs, validateGroups(in, r)...)
	if creating {
		if in.TermID == 0 {
			in.TermID = r.current.ID
		}
		if _, ok := r.terms[in.TermID]; !ok {
			fs = append(fs, apperr.Field("term_id", "err.org.term_unknown"))
		}
	}
	return fs
}

// checkIDNumber validates the ID number and derives or cross-checks birth date and gender.
func (s *Service) checkIDNumber(in *MemberInput) []apperr.FieldError {
	if in.IDNumber == "" {
		return nil
	}
	if key := IDNumberProblem(in.IDNumber, s.today()); key != "" {
		return []apperr.FieldError{apperr.Field("id_number", key)}
	}
	var fs []apperr.FieldError
	birth, _ := birthFromID(in.IDNumber, s.today())
	switch {
	case in.BirthDate == "":
		in.BirthDate = birth.String()
	case in.BirthDate != birth.String():
		fs = append(fs, apperr.Field("birth_date", "err.org.birth_mismatch"))
	}
	if g := genderFromID(in.IDNumber); in.Gender != "" && validCode(Genders, in.Gender) && in.Gender != g {
		fs = append(fs, apperr.Field("gender", "err.org.gender_mismatch"))
	}
	return fs
}

func validateGroups(in *MemberInput, r *refs) []apperr.FieldError {
	var fs []apperr.FieldError
	seen := map[int64]bool{}
	var gs []GroupRole
	for _, g := range in.Groups {
		if g.Role == "" {
			g.Role = "member"
		}
		grp, ok := r.groups[g.GroupID]
		switch {
		case !ok:
			fs = append(fs, apperr.Field("groups", "err.org.group_unknown", map[string]any{"Value": g.Name}))
		case !validCode(GroupRoles, g.Role):
			fs = append(fs, apperr.Field("groups", "err.org.choice_invalid"))
		case seen[g.GroupID]:
			continue
		default:
			seen[g.GroupID] = true
			g.Name = grp.Name
			gs = append(gs, g)
		}
	}
	in.Groups = gs
	return fs
}

// CreateMember creates a person and their membership (with groups) in one
// transaction (staff, admins). An ID number already used in the committee is
// refused; one registered by another committee attaches the new person to
// the same identity (see identity.go), under the same name only.
func (s *Service) CreateMember(ctx context.Context, actor *auth.Actor, committeeID int64, in MemberInput) (Member, error) {
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.EditOrg, committeeID); err != nil {
		return Member{}, err
	}
	var m Member
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := loadRefs(ctx, tx, committeeID)
		if err != nil {
			return err
		}
		if err := fieldsErr(s.validateMember(&in, r, true, false)); err != nil {
			return err
		}
		hash, err := s.idHash(in.IDNumber)
		if err != nil {
			return err
		}
		fs := s.uniqueness(ctx, tx, committeeID, hash, in.Phone, 0)
		if len(fs) == 0 {
			if fs, err = attachCheck(ctx, tx, hash, in.Name, 0); err != nil {
				return err
			}
		}
		if len(fs) > 0 {
			return apperr.Fields(fs...)
		}
		m, err = s.insertMember(ctx, tx, actor, committeeID, in, hash, r)
		return err
	})
	return m, err
}

// idHash returns the lookup hash of an ID number ("" for none); it needs the key.
func (s *Service) idHash(id string) (string, error) {
	if id == "" {
		return "", nil
	}
	if s.Secret == nil {
		return "", apperr.Fields(apperr.Field("id_number", "err.org.no_key"))
	}
	return s.Secret.Hash(id)
}

// uniqueness refuses an ID number or phone that another person of the committee has.
func (s *Service) uniqueness(ctx context.Context, q db.Querier, committeeID int64, hash, phone string, self int64) []apperr.FieldError {
	var fs []apperr.FieldError
	var other int64
	var name string
	if hash != "" {
		err := q.QueryRowContext(ctx, `SELECT p.id, p.name FROM people p JOIN identities i ON i.id = p.identity_id
			WHERE p.committee_id = $1 AND i.id_number_hash = $2 AND p.id <> $3`, committeeID, hash, self).Scan(&other, &name)
		if err == nil {
			fs = append(fs, apperr.Field("id_number", "err.org.id_number_taken", map[string]any{"Name": name}))
		}
	}
	if phone != "" {
		err := q.QueryRowContext(ctx, `SELECT id, name FROM people WHERE committee_id = $1 AND phone = $2 AND id <> $3 LIMIT 1`,
			committeeID, phone, self).Scan(&other, &name)
		if err == nil {
			fs = append(fs, apperr.Field("phone", "err.org.phone_taken", map[string]any{"Name": name}))
		}
	}
	return fs
}

func (s *Service) insertMember(ctx context.Context, tx *sql.Tx, actor *auth.Actor, committeeID int64, in MemberInput, hash string, r *refs) (Member, error) {
	now := db.Now()
	var personID, id int64
	var identity any // NULL without an ID number
	if hash != "" {
		iid, err := s.ensureIdentity(ctx, tx, hash, in.IDNumber)
		if err != nil {
			return Member{}, err
		}
		identity = iid
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO people (committee_id, name, gender, birth_date, ethnicity, identity_id, id_number_mask,
		phone, email, employer, job_title, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$12) RETURNING id`,
		committeeID, in.Name, in.Gender, in.BirthDate, in.Ethnicity, identity, MaskIDNumber(in.IDNumber),
		in.Phone, in.Email, in.Employer, in.JobTitle, now).Scan(&personID)
	if err != nil {
		return Member{}, err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO memberships (committee_id, person_id, term_id, sector_id, affiliation, positions,
		is_standing, is_party_member, status, skills, resources, joined_on, left_on, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$14) RETURNING id`,
		committeeID, personID, in.TermID, in.SectorID, in.Affiliation, strings.Join(in.Positions, ","), in.Standing,
		in.Affiliation == "cpc", in.Status, in.Skills, in.Resources, in.JoinedOn, in.LeftOn, now).Scan(&id)
	if err != nil {
		return Member{}, err
	}
	if err := replaceGroups(ctx, tx, committeeID, id, in.Groups); err != nil {
		return Member{}, err
	}
	m, err := getMember(ctx, tx, id)
	if err != nil {
		return m, err
	}
	return m, audit.Record(ctx, tx, actor, committeeID, "create", "membership", id, nil, m)
}

func replaceGroups(ctx context.Context, tx *sql.Tx, committeeID, membershipID int64, gs []GroupRole) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM membership_groups WHERE membership_id = $1`, membershipID); err != nil {
		return err
	}
	for _, g := range gs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO membership_groups (committee_id, membership_id, group_id, role) VALUES ($1,$2,$3,$4)`,
			committeeID, membershipID, g.GroupID, g.Role); err != nil {
			return err
		}
	}
	return nil
}

// UpdateMember edits a member of the actor's committee: person and membership
// together, under the membership's version. An empty IDNumber keeps the stored
// one (and gender and birth date are still checked against it). A changed name,
// gender or birth date is shared: it changes in every committee where the
// person sits. A changed ID number moves this committee's person to that
// number's identity (the other committees keep theirs).
func (s *Service) UpdateMember(ctx context.Context, actor *auth.Actor, id int64, in MemberInput) (Member, error) {
	var m Member
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := s.memberIn(ctx, tx, actor, auth.EditOrg, id)
		if err != nil {
			return err
		}
		r, err := loadRefs(ctx, tx, before.CommitteeID)
		if err != nil {
			return err
		}
		if in.IDNumber == "" {
			if in.IDNumber, err = s.storedIDNumber(ctx, tx, before.PersonID); err != nil {
				return err
			}
		}
		if err := fieldsErr(s.validateMember(&in, r, false, false)); err != nil {
			return err
		}
		hash, err := s.idHash(in.IDNumber)
		if err != nil {
			return err
		}
		fs := s.uniqueness(ctx, tx, before.CommitteeID, hash, in.Phone, before.PersonID)
		if len(fs) == 0 {
			if fs, err = s.relinkCheck(ctx, tx, before.PersonID, hash, in.Name); err != nil {
				return err
			}
		}
		if len(fs) > 0 {
			return apperr.Fields(fs...)
		}
		m, err = s.updateMember(ctx, tx, actor, before, in, hash)
		return err
	})
	return m, err
}

func (s *Service) updateMember(ctx context.Context, tx *sql.Tx, actor *auth.Actor, before Member, in MemberInput, hash string) (Member, error) {
	now := db.Now()
	err := db.ExecVersioned(ctx, tx, `UPDATE memberships SET sector_id=$1, affiliation=$2, positions=$3, is_standing=$4, is_party_member=$5,
		status=$6, skills=$7, resources=$8, joined_on=$9, left_on=$10, version=version+1, updated_at=$11
		WHERE id=$12 AND committee_id=$13 AND version=$14`,
		in.SectorID, in.Affiliation, strings.Join(in.Positions, ","), in.Standing, in.Affiliation == "cpc",
		in.Status, in.Skills, in.Resources, in.JoinedOn, in.LeftOn, now, before.ID, before.CommitteeID, in.Version)
	if err != nil {
		return Member{}, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE people SET name=$1, gender=$2, birth_date=$3, ethnicity=$4, phone=$5, email=$6,
		employer=$7, job_title=$8, updated_at=$9 WHERE id=$10 AND committee_id=$11`,
		in.Name, in.Gender, in.BirthDate, in.Ethnicity, in.Phone, in.Email, in.Employer, in.JobTitle, now, before.PersonID, before.CommitteeID)
	if err != nil {
		return Member{}, err
	}
	if in.IDNumber != "" {
		if err := s.relink(ctx, tx, before.PersonID, hash, in.IDNumber); err != nil {
			return Member{}, err
		}
	}
	if err := syncShared(ctx, tx, actor, before.PersonID, sharedFields{in.Name, in.Gender, in.BirthDate}); err != nil {
		return Member{}, err
	}
	if err := replaceGroups(ctx, tx, before.CommitteeID, before.ID, in.Groups); err != nil {
		return Member{}, err
	}
	after, err := getMember(ctx, tx, before.ID)
	if err != nil {
		return after, err
	}
	return after, audit.Record(ctx, tx, actor, before.CommitteeID, "update", "membership", before.ID, before, after)
}

// Member returns one member, if the actor may read its committee (its own or one below).
func (s *Service) Member(ctx context.Context, actor *auth.Actor, id int64) (Member, error) {
	m, err := s.memberIn(ctx, s.DB, actor, auth.ViewOrg, id)
	if err != nil {
		return m, err
	}
	return ForReader(actor, m), nil
}

func (s *Service) memberIn(ctx context.Context, q db.Querier, actor *auth.Actor, action auth.Action, id int64) (Member, error) {
	m, err := getMember(ctx, q, id)
	if err != nil {
		return m, err
	}
	if _, err := auth.CheckScope(ctx, q, actor, action, m.CommitteeID); err != nil {
		return Member{}, err
	}
	return m, nil
}

// memberSelect reads members with their person, sector and term; rows are filtered by the caller.
// The term's name is a correlated subquery, not a join: with terms joined,
// SQLite's planner scans terms first and sorts every member of the term in a
// temporary B-tree for "ORDER BY m.id DESC LIMIT 51" instead of walking the
// memberships_term index in order (5x the page's query time on a county).
const memberSelect = `SELECT m.id, m.committee_id, m.person_id, m.term_id, (SELECT t.name FROM terms t WHERE t.id = m.term_id), p.name, p.gender, p.birth_date, p.ethnicity,
	p.id_number_mask, p.phone, p.email, p.employer, p.job_title, COALESCE(m.sector_id, 0), COALESCE(s.name, ''),
	m.affiliation, m.positions, m.is_standing, m.is_party_member, m.status, m.skills, m.resources, m.joined_on, m.left_on,
	m.version, m.updated_at
	FROM memberships m JOIN people p ON p.id = m.person_id
	LEFT JOIN sectors s ON s.id = m.sector_id`

func scanMember(sc interface{ Scan(...any) error }) (Member, error) {
	var m Member
	var positions string
	var at db.Time
	err := sc.Scan(&m.ID, &m.CommitteeID, &m.PersonID, &m.TermID, &m.TermName, &m.Name, &m.Gender, &m.BirthDate, &m.Ethnicity,
		&m.IDMasked, &m.Phone, &m.Email, &m.Employer, &m.JobTitle, &m.SectorID, &m.SectorName,
		&m.Affiliation, &positions, &m.Standing, &m.PartyMember, &m.Status, &m.Skills, &m.Resources, &m.JoinedOn, &m.LeftOn,
		&m.Version, &at)
	m.UpdatedAt = at.Time
	if positions != "" {
		m.Positions = strings.Split(positions, ",")
	}
	return m, err
}

func getMember(ctx context.Context, q db.Querier, id int64) (Member, error) {
	m, err := scanMember(q.QueryRowContext(ctx, memberSelect+` WHERE m.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, apperr.ErrNotFound
	}
	if err != nil {
		return m, err
	}
	gs, err := loadGroupRoles(ctx, q, []int64{id})
	m.Groups = gs[id]
	return m, err
}

// loadGroupRoles returns the groups of each membership in ids.
func loadGroupRoles(ctx context.Context, q db.Querier, ids []int64) (map[int64][]GroupRole, error) {
	out := map[int64][]GroupRole{}
	if len(ids) == 0 {
		return out, nil
	}
	type membershipGroup struct {
		membership int64
		GroupRole
	}
	var a db.Args
	rs, err := db.Query(ctx, q, func(sc db.Scanner) (membershipGroup, error) {
		var r membershipGroup
		err := sc.Scan(&r.membership, &r.GroupID, &r.Name, &r.Role)
		return r, err
	}, `SELECT mg.membership_id, mg.group_id, g.name, mg.role FROM membership_groups mg
		JOIN org_groups g ON g.id = mg.group_id WHERE mg.membership_id IN `+db.In(&a, ids)+` ORDER BY g.kind, g.sort, g.id`, a...)
	for _, r := range rs {
		out[r.membership] = append(out[r.membership], r.GroupRole)
	}
	return out, err
}

// RevealIDNumber returns a member's full ID number to an admin or staff member of
// the member's own committee, and audits the view ("view_id_number").
func (s *Service) RevealIDNumber(ctx context.Context, actor *auth.Actor, id int64) (string, error) {
	var plain string
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		m, err := s.memberIn(ctx, tx, actor, ViewIDNumber, id)
		if err != nil {
			return err
		}
		iid, sealed, err := sealedIDNumber(ctx, tx, m.PersonID)
		if err != nil {
			return err
		}
		if len(sealed) == 0 {
			return apperr.New(apperr.NotFound, "err.org.no_id_number")
		}
		if s.Secret == nil {
			return &apperr.Error{Code: apperr.Internal, Key: "err.org.no_key", Err: secret.ErrNoKey}
		}
		if plain, err = s.Secret.Open(sealed, iid); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, m.CommitteeID, "view_id_number", "person", m.PersonID, nil,
			map[string]any{"membership_id": m.ID, "name": m.Name})
	})
	return plain, err
}
