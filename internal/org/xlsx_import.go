package org

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// ImportResult summarises a successful import.
type ImportResult struct {
	Rows      int // data rows read
	Created   int
	Updated   int
	Unchanged int
}

// ImportMembers reads a member workbook (see MemberTemplate) into the committee's
// term (0: the current term). Every row is checked — required fields, ID number
// (GB 11643), phone, gender, sector, groups, affiliation, positions, duplicates
// within the file and against the committee — and every problem is returned as
// a field error with the row number and the file's column heading. Nothing is
// written unless the whole file is valid; then the rows are written in chunks
// of about importChunk each, one transaction each, each change audited, so other
// users' writes are not held out for the whole import (see applyInChunks for
// what an interrupted import leaves).
//
// Re-running an import is safe: a row whose ID number is already registered in
// the committee updates that person (and their membership in the term, created
// if missing); identical rows are left alone. Rows are never deleted by an import.
// A row whose ID number another committee registered attaches the new person
// to that identity (one person, a membership in each committee), provided the
// name is the same (see identity.go).
func (s *Service) ImportMembers(ctx context.Context, actor *auth.Actor, committeeID, termID int64, file io.Reader) (ImportResult, error) {
	return s.ImportMembersWith(ctx, actor, committeeID, termID, file, nil)
}

// ImportHook runs in each write transaction of an import, after its rows, with
// the ids of what that transaction wrote or found unchanged (people for
// members, units for units): what it writes (the accounts of the imported
// people, package account's Opener) commits with those rows or not at all.
// Its error rolls the transaction back.
type ImportHook func(ctx context.Context, tx *sql.Tx, ids []int64) error

// ImportMembersWith is ImportMembers running hook (nil: none) with the people
// of each chunk.
func (s *Service) ImportMembersWith(ctx context.Context, actor *auth.Actor, committeeID, termID int64, file io.Reader, hook ImportHook) (ImportResult, error) {
	var res ImportResult
	if _, err := auth.CheckScope(ctx, s.DB, actor, auth.ImportOrg, committeeID); err != nil {
		return res, err
	}
	rows, err := readSheet(file)
	if err != nil {
		return res, err
	}
	if s.Secret == nil {
		return res, apperr.New(apperr.Invalid, "err.org.no_key")
	}
	var (
		r    *refs
		plan []memberRow
	)
	// Plan outside any write transaction (on SQLite a read transaction takes
	// no lock other writers wait for): every row is validated and resolved
	// before the first is written.
	err = s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		if r, err = loadRefs(ctx, tx, committeeID); err != nil {
			return err
		}
		if termID == 0 {
			termID = r.current.ID
		}
		if _, ok := r.terms[termID]; !ok {
			return apperr.Fields(apperr.Field("term_id", "err.org.term_unknown"))
		}
		plan, err = s.planMembers(ctx, tx, committeeID, termID, rows, r)
		return err
	})
	if err != nil {
		return res, err
	}
	return s.applyInChunks(ctx, actor, committeeID, termID, plan, r, hook)
}

// importChunk bounds how long one write transaction of an import holds the
// committee: a chunk ends after the row that passes importChunk, and on SQLite
// the import then pauses for importPause, longer than SQLite's longest
// busy-wait sleep (100 ms), so a waiting writer takes the lock before the next
// chunk does. One transaction for a whole 10,000-row import held every other
// writer of the committee out for its whole run (the SQLite write lock; on
// PostgreSQL the committee's audit head row): 6 s on SQLite, 23 s on
// PostgreSQL, and on SQLite a writer gave up after its 10 s busy timeout. See
// TestImportLetsOthersWrite and docs/BENCHMARKS.md.
var (
	importChunk = 250 * time.Millisecond
	importPause = 120 * time.Millisecond // (variables so that tests can make chunks of one row)
)

// applyInChunks writes a validated plan chunk by chunk, each in its own
// transaction with its audit entries; the import's summary entry goes with
// the last. Were a chunk to fail (another user changed a row being updated, a
// crash), the chunks before it stay written, and importing the same file
// again completes it: an import matches rows by ID number and leaves
// identical ones alone. The error then says how many rows were written.
func (s *Service) applyInChunks(ctx context.Context, actor *auth.Actor, committeeID, termID int64, plan []memberRow, r *refs, hook ImportHook) (ImportResult, error) {
	res := ImportResult{Rows: len(plan)}
	for done := 0; done < len(plan); {
		if done > 0 && s.DB.Engine == db.SQLite {
			time.Sleep(importPause)
		}
		var part ImportResult
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			// The chunk's audit entries (a row and, with the hook, its
			// account and link: three each) go in as a batch, see audit.Batched.
			return audit.Batched(ctx, tx, func(ctx context.Context) error {
				var err error
				var people []int64
				if part, people, err = s.applyMembers(ctx, tx, actor, committeeID, termID, plan[done:], r, time.Now().Add(importChunk)); err != nil {
					return err
				}
				if hook != nil {
					if err := hook(ctx, tx, people); err != nil {
						return err
					}
				}
				if done+part.Rows < len(plan) {
					return nil
				}
				return audit.Record(ctx, tx, actor, committeeID, "import", "membership", 0, nil, map[string]any{"term_id": termID, "rows": len(plan),
					"created": res.Created + part.Created, "updated": res.Updated + part.Updated, "unchanged": res.Unchanged + part.Unchanged})
			})
		})
		if err != nil {
			if done == 0 {
				return res, err
			}
			e := apperr.New(apperr.Conflict, "err.org.import_interrupted", map[string]any{"Done": done, "Rows": len(plan)})
			e.Err = err
			return res, e
		}
		done += part.Rows
		res.Created, res.Updated, res.Unchanged = res.Created+part.Created, res.Updated+part.Updated, res.Unchanged+part.Unchanged
	}
	return res, nil
}

// memberRow is one validated row, ready to write.
type memberRow struct {
	row      int
	in       MemberInput
	hash     string
	personID int64 // existing person with this ID number, 0 for new
}

// planMembers validates every row and resolves existing people; it returns all
// problems at once.
func (s *Service) planMembers(ctx context.Context, tx *sql.Tx, committeeID, termID int64, rows [][]string, r *refs) ([]memberRow, error) {
	if len(rows) == 0 {
		return nil, apperr.New(apperr.Invalid, "err.org.empty_file")
	}
	idx, names, err := sheetColumns(rows[0], memberColumns)
	if err != nil {
		return nil, err
	}
	data := dataRows(rows, idx, names)
	if len(data) == 0 {
		return nil, apperr.New(apperr.Invalid, "err.org.empty_file")
	}
	if len(data) > MaxImportRows {
		return nil, apperr.New(apperr.Invalid, "err.org.too_many_rows", map[string]any{"Max": MaxImportRows})
	}
	byHash, byPhone, err := existingPeople(ctx, tx, committeeID)
	if err != nil {
		return nil, err
	}
	var errs []apperr.FieldError
	var plan []memberRow
	seenID, seenPhone := map[string]int{}, map[string]int{}
	for _, row := range data {
		in, fs := s.rowToMember(row, r)
		in.TermID = termID
		reported := map[string]bool{}
		for _, fe := range fs {
			reported[fe.Field] = true
		}
		for _, fe := range s.validateMember(&in, r, true, true) {
			e := row.fieldErr(memberFieldColumn[fe.Field], fe.Key, fe.Args)
			if !reported[e.Field] { // one message per cell: the cell's own reading error wins
				fs = append(fs, e)
			}
		}
		mr := memberRow{row: row.num, in: in}
		if in.IDNumber != "" && IDNumberProblem(in.IDNumber, s.today()) == "" {
			mr.hash, _ = s.Secret.Hash(in.IDNumber)
			if other, dup := seenID[mr.hash]; dup {
				fs = append(fs, row.fieldErr("id_number", "err.org.duplicate_in_file", map[string]any{"Other": other}))
			} else {
				seenID[mr.hash] = row.num
			}
			mr.personID = byHash[mr.hash].id
			if mr.personID == 0 {
				afs, err := attachCheck(ctx, tx, mr.hash, in.Name, 0)
				if err != nil {
					return nil, err
				}
				for _, fe := range afs {
					fs = append(fs, row.fieldErr(memberFieldColumn[fe.Field], fe.Key, fe.Args))
				}
			}
		}
		if in.Phone != "" {
			if other, dup := seenPhone[in.Phone]; dup {
				fs = append(fs, row.fieldErr("phone", "err.org.duplicate_in_file", map[string]any{"Other": other}))
			} else {
				seenPhone[in.Phone] = row.num
			}
			if p, ok := byPhone[in.Phone]; ok && p.id != mr.personID {
				fs = append(fs, row.fieldErr("phone", "err.org.phone_taken", map[string]any{"Name": p.name}))
			}
		}
		errs = append(errs, fs...)
		plan = append(plan, mr)
	}
	if len(errs) > 0 {
		sortRowErrors(errs, idx, names)
		return nil, &apperr.Error{Code: apperr.Invalid, Key: "err.org.import_failed", Args: map[string]any{"Count": len(errs)}, Fields: errs}
	}
	return plan, nil
}

// memberFieldColumn maps the service's field names onto sheet column keys.
var memberFieldColumn = map[string]string{
	"name": "name", "gender": "gender", "id_number": "id_number", "birth_date": "birth_date", "ethnicity": "ethnicity",
	"phone": "phone", "email": "email", "employer": "employer", "job_title": "job_title", "sector_id": "sector",
	"affiliation": "affiliation", "positions": "positions", "groups": "groups", "status": "status",
	"skills": "skills", "resources": "resources", "joined_on": "joined_on", "left_on": "joined_on", "term_id": "name",
}

type personRef struct {
	id   int64
	name string
}

func existingPeople(ctx context.Context, q db.Querier, committeeID int64) (byHash, byPhone map[string]personRef, err error) {
	byHash, byPhone = map[string]personRef{}, map[string]personRef{}
	rows, err := q.QueryContext(ctx, `SELECT p.id, p.name, COALESCE(i.id_number_hash, ''), p.phone FROM people p
		LEFT JOIN identities i ON i.id = p.identity_id WHERE p.committee_id = $1`, committeeID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p personRef
		var hash, phone string
		if err := rows.Scan(&p.id, &p.name, &hash, &phone); err != nil {
			return nil, nil, err
		}
		if hash != "" {
			byHash[hash] = p
		}
		if phone != "" {
			byPhone[phone] = p
		}
	}
	return byHash, byPhone, rows.Err()
}

var roleInParens = regexp.MustCompile(`^(.+?)\s*[（(]\s*(.+?)\s*[)）]$`)

// rowToMember reads the cells into a MemberInput, reporting values that name
// nothing known (codes, sector, groups, dates, yes/no). Code values that are
// empty are left for validateMember to report as required.
func (s *Service) rowToMember(row sheetRow, r *refs) (MemberInput, []apperr.FieldError) {
	var fs []apperr.FieldError
	in := MemberInput{Name: row.get("name"), IDNumber: row.get("id_number"), Ethnicity: row.get("ethnicity"),
		Phone: row.get("phone"), Email: row.get("email"), Employer: row.get("employer"), JobTitle: row.get("job_title"),
		Skills: row.get("skills"), Resources: row.get("resources")}
	code := func(key, prefix string, list []string, dst *string, msg string) {
		v := row.get(key)
		if v == "" {
			return
		}
		c, ok := ParseCode(list, prefix, v)
		if !ok {
			fs = append(fs, row.fieldErr(key, msg, map[string]any{"Value": v}))
			c = "?"
		}
		*dst = c
	}
	code("gender", "gender", Genders, &in.Gender, "err.org.choice_invalid")
	code("affiliation", "affiliation", Affiliations, &in.Affiliation, "err.org.affiliation_unknown")
	code("status", "status", Statuses, &in.Status, "err.org.choice_invalid")
	for _, p := range splitList(row.get("positions")) {
		if p == "常委" || strings.EqualFold(p, "standing") || strings.EqualFold(p, "standing committee member") {
			in.Standing = true // 常委 is the standing-committee flag, not a position code
			continue
		}
		c, ok := ParseCode(Positions, "position", p)
		if !ok {
			fs = append(fs, row.fieldErr("positions", "err.org.position_unknown", map[string]any{"Value": p}))
			continue
		}
		in.Positions = append(in.Positions, c)
	}
	if v := row.get("standing"); v != "" {
		b, ok := parseYesNo(v, false)
		if !ok {
			fs = append(fs, row.fieldErr("standing", "err.org.yes_no", nil))
		}
		in.Standing = in.Standing || b
	}
	if v := row.get("sector"); v != "" {
		if id, ok := r.sectorByName(v); ok {
			in.SectorID = id
		} else {
			fs = append(fs, row.fieldErr("sector", "err.org.sector_unknown_named", map[string]any{"Value": v}))
			in.SectorID = -1
		}
	}
	for _, g := range splitList(row.get("groups")) {
		name, role := g, "member"
		if m := roleInParens.FindStringSubmatch(g); m != nil {
			name = m[1]
			c, ok := ParseCode(GroupRoles, "group_role", m[2])
			if !ok {
				fs = append(fs, row.fieldErr("groups", "err.org.choice_invalid", nil))
			}
			role = c
		}
		id, ok := r.groupByName(name)
		if !ok {
			fs = append(fs, row.fieldErr("groups", "err.org.group_unknown", map[string]any{"Value": name}))
			continue
		}
		if role != "" {
			in.Groups = append(in.Groups, GroupRole{GroupID: id, Role: role})
		}
	}
	for _, d := range []struct {
		key string
		dst *string
	}{{"birth_date", &in.BirthDate}, {"joined_on", &in.JoinedOn}} {
		v, ok := parseSheetDate(row.get(d.key))
		if !ok {
			fs = append(fs, row.fieldErr(d.key, "err.org.date_invalid", nil))
			v = ""
		}
		*d.dst = v
	}
	return in, fs
}

func (r *refs) sectorByName(name string) (int64, bool) {
	n := normHeader(name)
	for id, s := range r.sectors {
		if normHeader(s) == n {
			return id, true
		}
	}
	return 0, false
}

func (r *refs) groupByName(name string) (int64, bool) {
	n := normHeader(name)
	for id, g := range r.groups {
		if normHeader(g.Name) == n {
			return id, true
		}
	}
	return 0, false
}

// applyMembers writes the rows of a validated plan in order, stopping after
// the row that passes until (zero: no limit); res.Rows is how many it wrote,
// people the person of each of those rows.
func (s *Service) applyMembers(ctx context.Context, tx *sql.Tx, actor *auth.Actor, committeeID, termID int64, plan []memberRow, r *refs, until time.Time) (res ImportResult, people []int64, err error) {
	for i, mr := range plan {
		if i > 0 && !until.IsZero() && time.Now().After(until) {
			break
		}
		res.Rows = i + 1
		if mr.personID == 0 {
			m, err := s.insertMember(ctx, tx, actor, committeeID, mr.in, mr.hash, r)
			if err != nil {
				return res, people, err
			}
			people = append(people, m.PersonID)
			res.Created++
			continue
		}
		people = append(people, mr.personID)
		var mid int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM memberships WHERE committee_id = $1 AND term_id = $2 AND person_id = $3`,
			committeeID, termID, mr.personID).Scan(&mid)
		if errors.Is(err, sql.ErrNoRows) {
			if err := s.addMembership(ctx, tx, actor, committeeID, mr.personID, mr.in); err != nil {
				return res, people, err
			}
			res.Created++
			continue
		}
		if err != nil {
			return res, people, err
		}
		before, err := getMember(ctx, tx, mid)
		if err != nil {
			return res, people, err
		}
		if sameMember(before, mr.in) {
			res.Unchanged++
			continue
		}
		mr.in.Version = before.Version
		if _, err := s.updateMember(ctx, tx, actor, before, mr.in, mr.hash); err != nil {
			return res, people, err
		}
		res.Updated++
	}
	return res, people, nil
}

// addMembership seats an existing person in another term, refreshing their details.
func (s *Service) addMembership(ctx context.Context, tx *sql.Tx, actor *auth.Actor, committeeID, personID int64, in MemberInput) error {
	now := db.Now()
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO memberships (committee_id, person_id, term_id, sector_id, affiliation, positions,
		is_standing, is_party_member, status, skills, resources, joined_on, left_on, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$14) RETURNING id`,
		committeeID, personID, in.TermID, in.SectorID, in.Affiliation, strings.Join(in.Positions, ","), in.Standing,
		in.Affiliation == "cpc", in.Status, in.Skills, in.Resources, in.JoinedOn, in.LeftOn, now).Scan(&id)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE people SET name=$1, gender=$2, birth_date=$3, ethnicity=$4, phone=$5, email=$6,
		employer=$7, job_title=$8, updated_at=$9 WHERE id=$10 AND committee_id=$11`,
		in.Name, in.Gender, in.BirthDate, in.Ethnicity, in.Phone, in.Email, in.Employer, in.JobTitle, now, personID, committeeID); err != nil {
		return err
	}
	if err := syncShared(ctx, tx, actor, personID, sharedFields{in.Name, in.Gender, in.BirthDate}); err != nil {
		return err
	}
	if err := replaceGroups(ctx, tx, committeeID, id, in.Groups); err != nil {
		return err
	}
	m, err := getMember(ctx, tx, id)
	if err != nil {
		return err
	}
	return audit.Record(ctx, tx, actor, committeeID, "create", "membership", id, nil, m)
}

// sameMember reports whether writing in would change nothing.
func sameMember(m Member, in MemberInput) bool {
	if m.Name != in.Name || m.Gender != in.Gender || m.BirthDate != in.BirthDate || m.Ethnicity != in.Ethnicity ||
		m.Phone != in.Phone || m.Email != in.Email || m.Employer != in.Employer || m.JobTitle != in.JobTitle ||
		m.SectorID != in.SectorID || m.Affiliation != in.Affiliation || !slices.Equal(m.Positions, in.Positions) ||
		m.Standing != in.Standing || m.Status != in.Status || m.Skills != in.Skills || m.Resources != in.Resources ||
		m.JoinedOn != in.JoinedOn || len(m.Groups) != len(in.Groups) {
		return false
	}
	have := map[int64]string{}
	for _, g := range m.Groups {
		have[g.GroupID] = g.Role
	}
	for _, g := range in.Groups {
		if role, ok := have[g.GroupID]; !ok || role != g.Role {
			return false
		}
	}
	return true
}
