package assist

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

// Household is a registered poor household (建档立卡贫困户).
type Household struct {
	ID          int64             `json:"id"`
	CommitteeID int64             `json:"committee_id"`
	RegistryID  string            `json:"registry_id"`
	VillageID   int64             `json:"village_id"`
	Township    string            `json:"township"`
	Village     string            `json:"village"`
	HeadName    string            `json:"head_name"`
	Attribute   string            `json:"attribute"`
	CauseMain   string            `json:"cause_main"`
	CauseOthers []string          `json:"cause_others"`
	IncomeFen   int64             `json:"income_fen"`
	Housing     string            `json:"housing"`
	Status      string            `json:"status"`
	LiftedYear  int               `json:"lifted_year,omitempty"`
	GovHelper   string            `json:"gov_helper"`
	Version     int               `json:"version"`
	Members     []HouseholdMember `json:"members,omitempty"`
}

// HouseholdMember is one person of a household. The ID number is only ever
// shown masked (IDMasked); RevealIDNumber opens it, audited.
type HouseholdMember struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Gender    string `json:"gender"`
	IDMasked  string `json:"id_number_masked"`
	Relation  string `json:"relation"`
	Health    string `json:"health"`
	Labour    string `json:"labour"`
	Schooling string `json:"schooling"`
	HasPhone  bool   `json:"has_phone"`
}

// HouseholdInput is a household as entered or imported.
type HouseholdInput struct {
	RegistryID  string        `json:"registry_id"`
	VillageID   int64         `json:"village_id"`
	HeadName    string        `json:"head_name"`
	Attribute   string        `json:"attribute"`
	CauseMain   string        `json:"cause_main"`
	CauseOthers []string      `json:"cause_others,omitempty"`
	IncomeFen   int64         `json:"income_fen"`
	Housing     string        `json:"housing"`
	Status      string        `json:"status"`
	LiftedYear  int           `json:"lifted_year"`
	GovHelper   string        `json:"gov_helper"`
	Members     []MemberInput `json:"members"`
	Version     int           `json:"version,omitempty"` // for updates
}

// MemberInput is a household member as entered: the full ID number and phone.
type MemberInput struct {
	// ID names a stored member of the household being updated (0: match by
	// ID number, else by name); its ID number and phone stay when left blank.
	ID        int64  `json:"id,omitempty"`
	Name      string `json:"name"`
	Gender    string `json:"gender"`
	IDNumber  string `json:"id_number"`
	Relation  string `json:"relation"`
	Health    string `json:"health"`
	Labour    string `json:"labour"`
	Schooling string `json:"schooling"`
	Phone     string `json:"phone"`
}

const householdCols = `h.id, h.committee_id, h.registry_id, h.village_id, v.township, v.name, h.head_name, h.attribute,
	h.cause_main, h.cause_other1, h.cause_other2, h.income_fen, h.housing, h.status, h.lifted_year, h.gov_helper, h.version`

const householdFrom = ` FROM assist_households h JOIN assist_villages v ON v.id = h.village_id`

func scanHousehold(sc db.Scanner) (Household, error) {
	var h Household
	var o1, o2 string
	err := sc.Scan(&h.ID, &h.CommitteeID, &h.RegistryID, &h.VillageID, &h.Township, &h.Village, &h.HeadName, &h.Attribute,
		&h.CauseMain, &o1, &o2, &h.IncomeFen, &h.Housing, &h.Status, &h.LiftedYear, &h.GovHelper, &h.Version)
	for _, o := range []string{o1, o2} {
		if o != "" {
			h.CauseOthers = append(h.CauseOthers, o)
		}
	}
	return h, err
}

// validate checks the household fields (not the members) and returns field errors.
func (in *HouseholdInput) validate() []apperr.FieldError {
	in.RegistryID, in.HeadName = strings.TrimSpace(in.RegistryID), strings.TrimSpace(in.HeadName)
	in.Housing, in.GovHelper = strings.TrimSpace(in.Housing), strings.TrimSpace(in.GovHelper)
	var fe []apperr.FieldError
	bad := func(field, key string) { fe = append(fe, apperr.Field(field, key)) }
	if in.RegistryID == "" {
		bad("registry_id", "err.assist.required")
	} else if len(in.RegistryID) > 40 {
		bad("registry_id", "err.assist.too_long")
	}
	if in.VillageID == 0 {
		bad("village", "err.assist.village_unknown")
	}
	if in.HeadName == "" {
		bad("head_name", "err.assist.required")
	}
	if !slices.Contains(Attributes, in.Attribute) {
		bad("attribute", "err.form.bad_choice")
	}
	if !slices.Contains(Causes, in.CauseMain) {
		bad("cause_main", "err.form.bad_choice")
	}
	if len(in.CauseOthers) > 2 {
		bad("cause_others", "err.assist.too_many_causes")
	}
	for _, c := range in.CauseOthers {
		if !slices.Contains(Causes, c) || c == in.CauseMain {
			bad("cause_others", "err.form.bad_choice")
			break
		}
	}
	if in.IncomeFen < 0 {
		bad("income", "err.form.out_of_range")
	}
	if !slices.Contains(Statuses, in.Status) {
		bad("status", "err.form.bad_choice")
	} else if in.Status == "lifted" && (in.LiftedYear < 2013 || in.LiftedYear > 2100) {
		bad("lifted_year", "err.assist.lifted_year")
	} else if in.Status != "lifted" {
		in.LiftedYear = 0
	}
	return fe
}

// memberProblems checks the members and normalises their ID numbers and phones.
func (s *Service) memberProblems(in []MemberInput) []apperr.FieldError {
	var fe []apperr.FieldError
	seen := map[string]bool{}
	for i := range in {
		m := &in[i]
		field := func(f string) string { return "members." + itoa(i) + "." + f }
		m.Name, m.Relation, m.Schooling = strings.TrimSpace(m.Name), strings.TrimSpace(m.Relation), strings.TrimSpace(m.Schooling)
		m.IDNumber, m.Phone = org.NormalizeIDNumber(m.IDNumber), org.NormalizePhone(m.Phone)
		if m.Name == "" {
			fe = append(fe, apperr.Field(field("name"), "err.assist.required"))
		}
		if m.Gender != "" && !slices.Contains(Genders, m.Gender) {
			fe = append(fe, apperr.Field(field("gender"), "err.form.bad_choice"))
		}
		if m.Health == "" {
			m.Health = "healthy"
		}
		if m.Labour == "" {
			m.Labour = "ordinary"
		}
		if !slices.Contains(Healths, m.Health) {
			fe = append(fe, apperr.Field(field("health"), "err.form.bad_choice"))
		}
		if !slices.Contains(Labours, m.Labour) {
			fe = append(fe, apperr.Field(field("labour"), "err.form.bad_choice"))
		}
		if m.IDNumber != "" {
			if p := org.IDNumberProblem(m.IDNumber, s.today()); p != "" {
				fe = append(fe, apperr.Field(field("id_number"), p))
			} else if seen[m.IDNumber] {
				fe = append(fe, apperr.Field(field("id_number"), "err.assist.id_number_duplicate"))
			}
			seen[m.IDNumber] = true
		}
		if m.Phone != "" && !org.ValidPhone(m.Phone) {
			fe = append(fe, apperr.Field(field("phone"), "err.assist.phone_invalid"))
		}
		if (m.IDNumber != "" || m.Phone != "") && s.Secret == nil {
			fe = append(fe, apperr.Field(field("id_number"), "err.assist.no_key"))
		}
	}
	return fe
}

// CreateHousehold registers a household with its members in the actor's committee.
func (s *Service) CreateHousehold(ctx context.Context, actor *auth.Actor, in HouseholdInput) (Household, error) {
	var out Household
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermManage, actor.CommitteeID); err != nil {
			return err
		}
		id, err := s.saveHousehold(ctx, tx, actor, 0, &in)
		if err != nil {
			return err
		}
		out, err = loadHousehold(ctx, tx, id)
		return err
	})
	return out, err
}

// UpdateHousehold changes a household and its members (matched by ID number,
// else by name; those not given are removed), audited with before and after.
func (s *Service) UpdateHousehold(ctx context.Context, actor *auth.Actor, id int64, in HouseholdInput) (Household, error) {
	var out Household
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		h, err := s.householdFor(ctx, tx, actor, PermManage, id)
		if err != nil {
			return err
		}
		if in.Version != 0 && in.Version != h.Version {
			return apperr.ErrConflict
		}
		in.Version = h.Version
		if _, err := s.saveHousehold(ctx, tx, actor, id, &in); err != nil {
			return err
		}
		out, err = loadHousehold(ctx, tx, id)
		return err
	})
	return out, err
}

// householdFor loads a household for action: not found unless the rule lets
// the actor read it; the action then decided in its committee.
func (s *Service) householdFor(ctx context.Context, q db.Querier, actor *auth.Actor, action auth.Action, id int64) (Household, error) {
	ok, err := seesHousehold(ctx, q, actor, id)
	if err != nil {
		return Household{}, err
	}
	if !ok {
		return Household{}, apperr.ErrNotFound
	}
	h, err := loadHousehold(ctx, q, id)
	if err != nil {
		return h, err
	}
	if action != "" {
		if _, err := auth.CheckScope(ctx, q, actor, action, h.CommitteeID); err != nil {
			return h, err
		}
	}
	return h, nil
}

func loadHousehold(ctx context.Context, q db.Querier, id int64) (Household, error) {
	h, err := scanHousehold(q.QueryRowContext(ctx, `SELECT `+householdCols+householdFrom+` WHERE h.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return h, apperr.ErrNotFound
	}
	if err != nil {
		return h, err
	}
	h.Members, err = db.Query(ctx, q, scanMember, `SELECT id, name, gender, id_masked, relation, health, labour, schooling,
		phone_enc IS NOT NULL FROM assist_household_members WHERE household_id = $1 ORDER BY sort, id`, id)
	return h, err
}

func scanMember(sc db.Scanner) (HouseholdMember, error) {
	var m HouseholdMember
	err := sc.Scan(&m.ID, &m.Name, &m.Gender, &m.IDMasked, &m.Relation, &m.Health, &m.Labour, &m.Schooling, &m.HasPhone)
	m.IDMasked = org.MaskIDNumber(m.IDMasked)
	return m, err
}

// saveHousehold validates and writes a household (id 0: a new one) and its
// members, and audits the change. It is the one writer of households, used by
// the forms and the import.
func (s *Service) saveHousehold(ctx context.Context, tx *sql.Tx, actor *auth.Actor, id int64, in *HouseholdInput) (int64, error) {
	fe := append(in.validate(), s.memberProblems(in.Members)...)
	if len(fe) == 0 {
		more, err := s.conflicts(ctx, tx, actor.CommitteeID, id, in)
		if err != nil {
			return 0, err
		}
		fe = more
	}
	if len(fe) > 0 {
		return 0, apperr.Fields(fe...)
	}
	var before any
	if id != 0 {
		b, err := loadHousehold(ctx, tx, id)
		if err != nil {
			return 0, err
		}
		before = b
	}
	o1, o2 := "", ""
	if len(in.CauseOthers) > 0 {
		o1 = in.CauseOthers[0]
	}
	if len(in.CauseOthers) > 1 {
		o2 = in.CauseOthers[1]
	}
	now := db.Now()
	action := "update"
	if id == 0 {
		action = "create"
		err := tx.QueryRowContext(ctx, `INSERT INTO assist_households (committee_id, registry_id, village_id, head_name, attribute,
			cause_main, cause_other1, cause_other2, income_fen, housing, status, lifted_year, gov_helper, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$14) RETURNING id`,
			actor.CommitteeID, in.RegistryID, in.VillageID, in.HeadName, in.Attribute, in.CauseMain, o1, o2, in.IncomeFen,
			in.Housing, in.Status, in.LiftedYear, in.GovHelper, now).Scan(&id)
		if err != nil {
			return 0, err
		}
	} else if err := db.ExecVersioned(ctx, tx, `UPDATE assist_households SET registry_id = $1, village_id = $2, head_name = $3,
		attribute = $4, cause_main = $5, cause_other1 = $6, cause_other2 = $7, income_fen = $8, housing = $9, status = $10,
		lifted_year = $11, gov_helper = $12, updated_at = $13, version = version + 1 WHERE id = $14 AND version = $15`,
		in.RegistryID, in.VillageID, in.HeadName, in.Attribute, in.CauseMain, o1, o2, in.IncomeFen, in.Housing, in.Status,
		in.LiftedYear, in.GovHelper, now, id, in.Version); err != nil {
		return 0, err
	}
	if err := s.saveMembers(ctx, tx, actor.CommitteeID, id, in.Members); err != nil {
		return 0, err
	}
	after, err := loadHousehold(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	return id, audit.Record(ctx, tx, actor, actor.CommitteeID, action, "assist_household", id, before, after)
}

// conflicts finds the registry id or a member's ID number registered on
// another household of the committee.
func (s *Service) conflicts(ctx context.Context, q db.Querier, cid, id int64, in *HouseholdInput) ([]apperr.FieldError, error) {
	var fe []apperr.FieldError
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_households WHERE committee_id = $1 AND registry_id = $2 AND id <> $3`,
		cid, in.RegistryID, id).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		fe = append(fe, apperr.Field("registry_id", "err.assist.registry_id_taken"))
	}
	var v int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_villages WHERE id = $1 AND committee_id = $2`, in.VillageID, cid).Scan(&v); err != nil {
		return nil, err
	}
	if v == 0 {
		fe = append(fe, apperr.Field("village", "err.assist.village_unknown"))
	}
	for i, m := range in.Members {
		if m.IDNumber == "" {
			continue
		}
		hash, err := s.Secret.Hash(m.IDNumber)
		if err != nil {
			return nil, err
		}
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_household_members WHERE committee_id = $1 AND id_number_hash = $2
			AND household_id <> $3`, cid, hash, id).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			fe = append(fe, apperr.Field("members."+itoa(i)+".id_number", "err.assist.id_number_taken"))
		}
	}
	return fe, nil
}

// storedMember is a household member as stored, for saveMembers.
type storedMember struct {
	id           int64
	name, hash   string
	idEnc, phEnc []byte
	masked       string
}

// saveMembers writes the members of a household: the stored member a row
// names by its id (the edit form), else one with the same ID number (else the
// same name), is kept and updated, others inserted, and stored members not
// given are removed. A kept member whose row leaves the ID number or phone
// blank keeps the sealed one (forms never echo them back). ID numbers and
// phones are sealed with the member row's id as associated data.
func (s *Service) saveMembers(ctx context.Context, tx *sql.Tx, cid, hid int64, in []MemberInput) error {
	olds, err := db.Query(ctx, tx, func(sc db.Scanner) (storedMember, error) {
		var o storedMember
		var h sql.NullString
		err := sc.Scan(&o.id, &o.name, &h, &o.idEnc, &o.phEnc, &o.masked)
		o.hash = h.String
		return o, err
	}, `SELECT id, name, id_number_hash, id_number_enc, phone_enc, id_masked FROM assist_household_members WHERE household_id = $1`, hid)
	if err != nil {
		return err
	}
	keeps, hashes, err := s.matchMembers(olds, in)
	if err != nil {
		return err
	}
	used := map[int64]bool{}
	for i, m := range in {
		keep := keeps[i]
		if keep == 0 {
			if err := tx.QueryRowContext(ctx, `INSERT INTO assist_household_members (committee_id, household_id, name, created_at)
				VALUES ($1, $2, $3, $4) RETURNING id`, cid, hid, m.Name, db.Now()).Scan(&keep); err != nil {
				return err
			}
		}
		used[keep] = true
		idEnc, phoneEnc, err := s.seal(m, keep)
		if err != nil {
			return err
		}
		masked := org.MaskIDNumber(m.IDNumber)
		if o, ok := findStored(olds, keeps[i]); ok {
			if m.IDNumber == "" {
				idEnc, masked = o.idEnc, o.masked
			}
			if m.Phone == "" {
				phoneEnc = o.phEnc
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE assist_household_members SET name = $1, gender = $2, id_number_enc = $3,
			id_number_hash = $4, id_masked = $5, relation = $6, health = $7, labour = $8, schooling = $9, phone_enc = $10, sort = $11
			WHERE id = $12`, m.Name, m.Gender, idEnc, hashes[i], masked, m.Relation, m.Health, m.Labour,
			m.Schooling, phoneEnc, i, keep); err != nil {
			return err
		}
	}
	for _, o := range olds {
		if !used[o.id] {
			if _, err := tx.ExecContext(ctx, `DELETE FROM assist_household_members WHERE id = $1`, o.id); err != nil {
				return err
			}
		}
	}
	return nil
}

// matchMembers decides which stored member each row updates (0: a new one)
// and the ID number hash each row will have (nil: none), and refuses two
// rows ending with the same ID number (one typed, one kept).
func (s *Service) matchMembers(olds []storedMember, in []MemberInput) ([]int64, []any, error) {
	keeps, hashes := make([]int64, len(in)), make([]any, len(in))
	used := map[int64]bool{}
	for i, m := range in {
		if o, ok := findStored(olds, m.ID); ok && m.ID != 0 && !used[o.id] {
			keeps[i] = o.id
		}
		if m.IDNumber != "" {
			h, err := s.Secret.Hash(m.IDNumber)
			if err != nil {
				return nil, nil, err
			}
			hashes[i] = h
		}
		if keeps[i] == 0 {
			for _, o := range olds {
				if !used[o.id] && ((hashes[i] != nil && o.hash == hashes[i]) || (hashes[i] == nil && o.hash == "" && o.name == m.Name)) {
					keeps[i] = o.id
					break
				}
			}
		}
		used[keeps[i]] = true
		if o, ok := findStored(olds, keeps[i]); ok && hashes[i] == nil && o.hash != "" {
			hashes[i] = o.hash
		}
	}
	seen := map[any]bool{}
	for i, h := range hashes {
		if h != nil && seen[h] {
			return nil, nil, apperr.Fields(apperr.Field("members."+itoa(i)+".id_number", "err.assist.id_number_duplicate"))
		}
		seen[h] = true
	}
	return keeps, hashes, nil
}

func findStored(olds []storedMember, id int64) (storedMember, bool) {
	for _, o := range olds {
		if id != 0 && o.id == id {
			return o, true
		}
	}
	return storedMember{}, false
}

// seal encrypts a member's ID number and phone for row id (nil when absent).
func (s *Service) seal(m MemberInput, id int64) (idEnc, phoneEnc []byte, err error) {
	if m.IDNumber != "" {
		if idEnc, err = s.Secret.Seal(m.IDNumber, id); err != nil {
			return nil, nil, err
		}
	}
	if m.Phone != "" {
		if phoneEnc, err = s.Secret.Seal("phone:"+m.Phone, id); err != nil {
			return nil, nil, err
		}
	}
	return idEnc, phoneEnc, nil
}

// Revealed is a household member's unmasked personal data.
type Revealed struct {
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
}

// RevealIDNumber opens a household member's ID number and phone for an
// officer or admin of the household's own committee, and audits who saw
// which record ("view_id_number").
func (s *Service) RevealIDNumber(ctx context.Context, actor *auth.Actor, memberID int64) (Revealed, error) {
	var out Revealed
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var hid int64
		var idEnc, phoneEnc []byte
		err := tx.QueryRowContext(ctx, `SELECT household_id, id_number_enc, phone_enc FROM assist_household_members WHERE id = $1`,
			memberID).Scan(&hid, &idEnc, &phoneEnc)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		h, err := s.householdFor(ctx, tx, actor, PermRevealID, hid)
		if err != nil {
			return err
		}
		if h.CommitteeID != actor.CommitteeID {
			return apperr.New(apperr.Forbidden, "err.forbidden")
		}
		if s.Secret == nil {
			return &apperr.Error{Code: apperr.Internal, Key: "err.assist.no_key", Err: secret.ErrNoKey}
		}
		if len(idEnc) > 0 {
			if out.IDNumber, err = s.Secret.Open(idEnc, memberID); err != nil {
				return err
			}
		}
		if len(phoneEnc) > 0 {
			p, err := s.Secret.Open(phoneEnc, memberID)
			if err != nil {
				return err
			}
			out.Phone = strings.TrimPrefix(p, "phone:")
		}
		return audit.Record(ctx, tx, actor, h.CommitteeID, "view_id_number", "assist_household_member", memberID, nil,
			map[string]any{"household_id": hid, "registry_id": h.RegistryID})
	})
	return out, err
}

// GetHousehold returns a household the actor may read, with its members (ID
// numbers masked) and what the actor may do now.
func (s *Service) GetHousehold(ctx context.Context, actor *auth.Actor, id int64) (HouseholdDetail, error) {
	var out HouseholdDetail
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		h, err := s.householdFor(ctx, tx, actor, "", id)
		if err != nil {
			return err
		}
		out.Household = h
		if out.Snapshots, err = listSnapshots(ctx, tx, id); err != nil {
			return err
		}
		own := h.CommitteeID == actor.CommitteeID
		paired, err := pairedWith(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		out.Can = map[string]bool{
			"edit":     own && auth.Can(actor, PermManage),
			"need":     own && auth.Can(actor, PermManage),
			"snapshot": own && auth.Can(actor, PermManage),
			"reveal":   own && auth.Can(actor, PermRevealID),
			"record":   own && (auth.Can(actor, PermManage) || (paired && auth.Can(actor, PermRecord))),
		}
		return nil
	})
	return out, err
}

// HouseholdDetail is a household as its page shows it.
type HouseholdDetail struct {
	Household
	Snapshots []Snapshot      `json:"snapshots"`
	Can       map[string]bool `json:"can"`
}

// HouseholdFilter selects households for a list.
type HouseholdFilter struct {
	Township      string
	VillageID     int64
	Status        string
	Query         string // registry id or head's name
	Offset, Limit int
}

// ListHouseholds lists the households the actor may read, in its committee
// (and, for readers of a higher committee, none below: lists are per committee).
func (s *Service) ListHouseholds(ctx context.Context, actor *auth.Actor, f HouseholdFilter) ([]Household, int, error) {
	var out []Household
	var total int
	if actor == nil {
		return nil, 0, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		var a db.Args
		where := householdSQL(a.Add, actor) + ` AND h.committee_id = ` + a.Add(actor.CommitteeID)
		if f.Township != "" {
			where += ` AND v.township = ` + a.Add(f.Township)
		}
		if f.VillageID != 0 {
			where += ` AND h.village_id = ` + a.Add(f.VillageID)
		}
		if f.Status != "" {
			where += ` AND h.status = ` + a.Add(f.Status)
		}
		if q := strings.TrimSpace(f.Query); q != "" {
			p := a.Add("%" + db.EscapeLike(q) + "%")
			where += ` AND (h.registry_id LIKE ` + p + ` ESCAPE '\' OR h.head_name LIKE ` + p + ` ESCAPE '\')`
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*)`+householdFrom+` WHERE `+where, a...).Scan(&total); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 50
		}
		var err error
		out, err = db.Query(ctx, tx, scanHousehold, `SELECT `+householdCols+householdFrom+` WHERE `+where+
			` ORDER BY v.township, v.name, h.registry_id LIMIT `+a.Add(limit)+` OFFSET `+a.Add(max(f.Offset, 0)), a...)
		return err
	})
	return out, total, err
}

func itoa(i int) string { return strconv.Itoa(i) }

// RecordExport audits an export of the programme's records (households'
// names and places, assistance records): who exported what, how many rows,
// with which filter. The pages call it for every download.
func (s *Service) RecordExport(ctx context.Context, actor *auth.Actor, what string, rows int, filter string) error {
	if actor == nil {
		return apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "export", what, 0, nil, map[string]any{"rows": rows, "filter": filter})
	})
}
