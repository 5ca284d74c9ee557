package assist

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/changes"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Record is one assistance given (帮扶记录). One record counts once: in the
// programme's figures (when verified) and in each named member's duty record.
type Record struct {
	ID             int64      `json:"id"`
	CommitteeID    int64      `json:"committee_id"`
	HouseholdID    int64      `json:"household_id,omitempty"`
	RegistryID     string     `json:"registry_id,omitempty"`
	HeadName       string     `json:"head_name,omitempty"`
	NeedID         int64      `json:"need_id,omitempty"`
	PledgeID       int64      `json:"pledge_id,omitempty"`
	Kind           string     `json:"kind"`
	GivenOn        civil.Date `json:"given_on"`
	AmountFen      int64      `json:"amount_fen"`
	GoodsItems     int        `json:"goods_items"`
	GoodsValueFen  int64      `json:"goods_value_fen"`
	InfoCount      int        `json:"info_count"`
	Sessions       int        `json:"sessions"`
	Readings       int        `json:"readings"`
	Students       int        `json:"students"`
	Jobs           int        `json:"jobs"`
	Description    string     `json:"description"`
	Evidence       string     `json:"evidence"`
	Imported       bool       `json:"imported"`
	Verified       bool       `json:"verified"`
	VerifiedByName string     `json:"verified_by_name,omitempty"`
	Members        []int64    `json:"member_ids"`
	MemberNames    []string   `json:"member_names"`
	Version        int        `json:"version"`
}

// RecordInput is an assistance record as entered.
type RecordInput struct {
	HouseholdID   int64      `json:"household_id"`
	NeedID        int64      `json:"need_id"`
	PledgeID      int64      `json:"pledge_id"`
	Kind          string     `json:"kind"`
	GivenOn       civil.Date `json:"given_on"`
	AmountFen     int64      `json:"amount_fen"`
	GoodsItems    int        `json:"goods_items"`
	GoodsValueFen int64      `json:"goods_value_fen"`
	InfoCount     int        `json:"info_count"`
	Sessions      int        `json:"sessions"`
	Readings      int        `json:"readings"`
	Students      int        `json:"students"`
	Jobs          int        `json:"jobs"`
	Description   string     `json:"description"`
	Evidence      string     `json:"evidence"`
	MembershipIDs []int64    `json:"member_ids,omitempty"` // the members who gave it; a member recording is always among them
}

const recordCols = `r.id, r.committee_id, COALESCE(r.household_id, 0), COALESCE(h.registry_id, ''), COALESCE(h.head_name, ''),
	COALESCE(r.need_id, 0), COALESCE(r.pledge_id, 0), r.kind, r.given_on, r.amount_fen, r.goods_items, r.goods_value_fen,
	r.info_count, r.sessions, r.readings, r.students, r.jobs, r.description, r.evidence, r.imported, r.verified_at IS NOT NULL,
	r.verified_by_name, r.version`

const recordFrom = ` FROM assist_records r LEFT JOIN assist_households h ON h.id = r.household_id`

func scanRecord(sc db.Scanner) (Record, error) {
	var r Record
	err := sc.Scan(&r.ID, &r.CommitteeID, &r.HouseholdID, &r.RegistryID, &r.HeadName, &r.NeedID, &r.PledgeID, &r.Kind, &r.GivenOn,
		&r.AmountFen, &r.GoodsItems, &r.GoodsValueFen, &r.InfoCount, &r.Sessions, &r.Readings, &r.Students, &r.Jobs,
		&r.Description, &r.Evidence, &r.Imported, &r.Verified, &r.VerifiedByName, &r.Version)
	return r, err
}

// validate checks that the record's amounts fit its kind: each kind carries
// its own measure (cash an amount, goods items and their value, info a count …).
func (in *RecordInput) validate(today civil.Date) error {
	in.Description, in.Evidence = strings.TrimSpace(in.Description), strings.TrimSpace(in.Evidence)
	var fe []apperr.FieldError
	bad := func(f, k string) { fe = append(fe, apperr.Field(f, k)) }
	if !slices.Contains(RecordKinds, in.Kind) {
		bad("kind", "err.form.bad_choice")
	}
	if in.GivenOn.IsZero() || today.Before(in.GivenOn) {
		bad("given_on", "err.assist.date")
	}
	for _, v := range []struct {
		f string
		n int64
	}{{"amount", in.AmountFen}, {"goods_items", int64(in.GoodsItems)}, {"goods_value", in.GoodsValueFen},
		{"info_count", int64(in.InfoCount)}, {"sessions", int64(in.Sessions)}, {"readings", int64(in.Readings)},
		{"students", int64(in.Students)}, {"jobs", int64(in.Jobs)}} {
		if v.n < 0 {
			bad(v.f, "err.form.out_of_range")
		}
	}
	switch in.Kind {
	case "cash":
		if in.AmountFen <= 0 {
			bad("amount", "err.assist.kind_needs_amount")
		}
	case "goods":
		if in.GoodsItems <= 0 {
			bad("goods_items", "err.assist.kind_needs_amount")
		}
	case "info":
		if in.InfoCount <= 0 {
			bad("info_count", "err.assist.kind_needs_amount")
		}
	case "tech":
		if in.Sessions <= 0 && in.Readings <= 0 {
			bad("sessions", "err.assist.kind_needs_amount")
		}
	case "study":
		if in.Students <= 0 {
			bad("students", "err.assist.kind_needs_amount")
		}
	case "job":
		if in.Jobs <= 0 {
			bad("jobs", "err.assist.kind_needs_amount")
		}
	case "industry":
		if in.HouseholdID == 0 {
			bad("household", "err.assist.required")
		}
	}
	if len(in.MembershipIDs) == 0 {
		bad("members", "err.assist.required")
	}
	if len(fe) > 0 {
		return apperr.Fields(fe...)
	}
	return nil
}

// RecordAssistance records assistance given. An officer records for any
// household of the committee; a member records for a household they are
// paired with (or none, for information and readings sent widely), and is
// always among the record's members. The record counts once verified.
func (s *Service) RecordAssistance(ctx context.Context, actor *auth.Actor, in RecordInput) (Record, error) {
	var out Record
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermRecord, actor.CommitteeID); err != nil {
			return err
		}
		officer := auth.Can(actor, PermManage)
		if !officer {
			mid, err := membershipOf(ctx, tx, actor)
			if err != nil {
				return err
			}
			if !slices.Contains(in.MembershipIDs, mid) {
				in.MembershipIDs = append([]int64{mid}, in.MembershipIDs...)
			}
		}
		if err := in.validate(s.today()); err != nil {
			return err
		}
		if err := s.checkRecordRefs(ctx, tx, actor, &in, officer); err != nil {
			return err
		}
		id, err := insertRecord(ctx, tx, actor, actor.CommitteeID, in, false)
		if err != nil {
			return err
		}
		if out, err = loadRecord(ctx, tx, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, actor, out.CommitteeID, "create", "assist_record", id, nil, out); err != nil {
			return err
		}
		return changes.Mark(ctx, tx, out.CommitteeID, "assist_record", id)
	})
	return out, err
}

// checkRecordRefs checks the household (visible; a member's own pairing),
// the need (of that household), the pledge and the members (serving).
func (s *Service) checkRecordRefs(ctx context.Context, tx *sql.Tx, actor *auth.Actor, in *RecordInput, officer bool) error {
	if in.HouseholdID != 0 {
		h, err := s.householdFor(ctx, tx, actor, "", in.HouseholdID)
		if err != nil {
			return err
		}
		if h.CommitteeID != actor.CommitteeID {
			return apperr.New(apperr.Forbidden, "err.forbidden")
		}
		if !officer {
			if ok, err := pairedWith(ctx, tx, actor, h.ID); err != nil || !ok {
				if err != nil {
					return err
				}
				return apperr.New(apperr.Forbidden, "err.assist.not_paired")
			}
		}
	} else if in.NeedID != 0 {
		return apperr.Fields(apperr.Field("need", "err.assist.need_household"))
	}
	if in.NeedID != 0 {
		var hid int64
		err := tx.QueryRowContext(ctx, `SELECT household_id FROM assist_needs WHERE id = $1 AND committee_id = $2`, in.NeedID, actor.CommitteeID).Scan(&hid)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && hid != in.HouseholdID) {
			return apperr.Fields(apperr.Field("need", "err.assist.need_household"))
		}
		if err != nil {
			return err
		}
	}
	if in.PledgeID != 0 {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_pledges WHERE id = $1 AND committee_id = $2`, in.PledgeID, actor.CommitteeID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.Fields(apperr.Field("pledge", "err.form.bad_choice"))
		}
	}
	for _, m := range in.MembershipIDs {
		if err := checkServing(ctx, tx, actor.CommitteeID, m); err != nil {
			return err
		}
	}
	return nil
}

// membershipOf is the actor's serving membership in its committee.
func membershipOf(ctx context.Context, q db.Querier, actor *auth.Actor) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT m.id FROM memberships m WHERE m.committee_id = $1 AND m.person_id = $2 AND `+servingSQL("m"),
		actor.CommitteeID, actor.PersonID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, apperr.New(apperr.Forbidden, "err.assist.not_serving")
	}
	return id, err
}

func insertRecord(ctx context.Context, tx *sql.Tx, actor *auth.Actor, cid int64, in RecordInput, imported bool) (int64, error) {
	ref := func(id int64) any {
		if id == 0 {
			return nil
		}
		return id
	}
	now := db.Now()
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO assist_records (committee_id, household_id, need_id, pledge_id, kind, given_on,
		amount_fen, goods_items, goods_value_fen, info_count, sessions, readings, students, jobs, description, evidence, imported,
		created_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$19) RETURNING id`,
		cid, ref(in.HouseholdID), ref(in.NeedID), ref(in.PledgeID), in.Kind, in.GivenOn, in.AmountFen, in.GoodsItems, in.GoodsValueFen,
		in.InfoCount, in.Sessions, in.Readings, in.Students, in.Jobs, in.Description, in.Evidence, imported, userRef(actor), now).Scan(&id); err != nil {
		return 0, err
	}
	seen := map[int64]bool{}
	for _, m := range in.MembershipIDs {
		if seen[m] {
			continue
		}
		seen[m] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO assist_record_members (committee_id, record_id, membership_id) VALUES ($1, $2, $3)`,
			cid, id, m); err != nil {
			return 0, err
		}
	}
	return id, nil
}

func loadRecord(ctx context.Context, q db.Querier, id int64) (Record, error) {
	r, err := scanRecord(q.QueryRowContext(ctx, `SELECT `+recordCols+recordFrom+` WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, apperr.ErrNotFound
	}
	if err != nil {
		return r, err
	}
	type mem struct {
		id   int64
		name string
	}
	ms, err := db.Query(ctx, q, func(sc db.Scanner) (mem, error) {
		var m mem
		return m, sc.Scan(&m.id, &m.name)
	}, `SELECT rm.membership_id, p.name FROM assist_record_members rm JOIN memberships m ON m.id = rm.membership_id
		JOIN people p ON p.id = m.person_id WHERE rm.record_id = $1 ORDER BY rm.membership_id`, id)
	for _, m := range ms {
		r.Members, r.MemberNames = append(r.Members, m.id), append(r.MemberNames, m.name)
	}
	return r, err
}

// VerifyRecord is an officer confirming a record (an imported one too); a
// record is verified once. Verifying a record of a MATCHED need starts it
// (the system's step in the need table).
func (s *Service) VerifyRecord(ctx context.Context, actor *auth.Actor, id int64, version int) (Record, error) {
	var out Record
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := s.recordFor(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if _, err := auth.CheckScope(ctx, tx, actor, PermManage, r.CommitteeID); err != nil {
			return err
		}
		if version != 0 && version != r.Version {
			return apperr.ErrConflict
		}
		if r.Verified {
			return apperr.New(apperr.Conflict, "err.assist.already_verified")
		}
		if err := db.ExecVersioned(ctx, tx, `UPDATE assist_records SET verified_by = $1, verified_by_name = $2, verified_at = $3,
			updated_at = $3, version = version + 1 WHERE id = $4 AND version = $5 AND verified_at IS NULL`,
			userRef(actor), actor.Name, db.Now(), id, r.Version); err != nil {
			return err
		}
		if out, err = loadRecord(ctx, tx, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, actor, r.CommitteeID, "verify", "assist_record", id, r, out); err != nil {
			return err
		}
		if err := changes.Mark(ctx, tx, r.CommitteeID, "assist_record", id); err != nil {
			return err
		}
		return s.startNeed(ctx, tx, r.NeedID)
	})
	return out, err
}

// startNeed moves a MATCHED need to IN_PROGRESS as the system, once assistance for it is verified.
func (s *Service) startNeed(ctx context.Context, tx *sql.Tx, needID int64) error {
	if needID == 0 {
		return nil
	}
	n, err := loadNeed(ctx, tx, needID)
	if err != nil {
		return err
	}
	to, ok := NextNeed(n.State, NeedStart, []Relation{RelSystem})
	if !ok {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE assist_needs SET state = $1, updated_at = $2, version = version + 1 WHERE id = $3`,
		to, db.Now(), needID); err != nil {
		return err
	}
	after, err := loadNeed(ctx, tx, needID)
	if err != nil {
		return err
	}
	sys := &auth.Actor{Name: "system", CommitteeID: n.CommitteeID}
	return s.afterNeed(ctx, tx, sys, string(NeedStart), n, after)
}

// recordFor loads a record the actor may read.
func (s *Service) recordFor(ctx context.Context, q db.Querier, actor *auth.Actor, id int64) (Record, error) {
	ok, err := seesRecord(ctx, q, actor, id)
	if err != nil {
		return Record{}, err
	}
	if !ok {
		return Record{}, apperr.ErrNotFound
	}
	return loadRecord(ctx, q, id)
}

// GetRecord returns a record the actor may read.
func (s *Service) GetRecord(ctx context.Context, actor *auth.Actor, id int64) (Record, error) {
	var out Record
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.recordFor(ctx, tx, actor, id)
		return err
	})
	return out, err
}

// RecordFilter selects records: Offset and Limit pick the page (Limit 0 is
// 100, at most 1000).
type RecordFilter struct {
	HouseholdID int64
	Kind        string
	Unverified  bool
	From, To    civil.Date
	Offset      int
	Limit       int
}

// recordWhere is the condition selecting the records of f the actor may read.
func recordWhere(a *db.Args, actor *auth.Actor, f RecordFilter) string {
	where := recordSQL(a.Add, actor) + ` AND r.committee_id = ` + a.Add(actor.CommitteeID)
	if f.HouseholdID != 0 {
		where += ` AND r.household_id = ` + a.Add(f.HouseholdID)
	}
	if f.Kind != "" {
		where += ` AND r.kind = ` + a.Add(f.Kind)
	}
	if f.Unverified {
		where += ` AND r.verified_at IS NULL`
	}
	if !f.From.IsZero() {
		where += ` AND r.given_on >= ` + a.Add(f.From)
	}
	if !f.To.IsZero() {
		where += ` AND r.given_on <= ` + a.Add(f.To)
	}
	return where
}

// ListRecords lists a page of the records the actor may read in its
// committee, newest first, with the number the filter selects (read in the
// same transaction, so the pager and the total agree).
func (s *Service) ListRecords(ctx context.Context, actor *auth.Actor, f RecordFilter) ([]Record, int, error) {
	if actor == nil {
		return nil, 0, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	var out []Record
	var total int
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		var a db.Args
		where := recordWhere(&a, actor, f)
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_records r WHERE `+where, a...).Scan(&total); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 1000 {
			limit = 100
		}
		ids, err := db.Column[int64](ctx, tx, `SELECT r.id FROM assist_records r WHERE `+where+
			` ORDER BY r.given_on DESC, r.id DESC LIMIT `+a.Add(limit)+` OFFSET `+a.Add(max(f.Offset, 0)), a...)
		if err != nil {
			return err
		}
		for _, id := range ids {
			r, err := loadRecord(ctx, tx, id)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, total, err
}
