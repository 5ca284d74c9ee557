package activity

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/changes"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// The area's other records: outputs with instructions and follow-ups, and the
// simple ledgers (speeches, study articles, publicity, culture volumes). Each
// is written by staff (PermManage) in one transaction with audit.Record and a
// change mark, and read by the committee's readers (PermView).

// write runs fn in a transaction after checking the actor may take action
// perm in the committee (another committee's: not found).
func (s *Service) write(ctx context.Context, actor *auth.Actor, committeeID int64, perm auth.Action, fn func(tx *sql.Tx) error) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, perm, committeeID); err != nil {
			return err
		}
		return fn(tx)
	})
}

// committeeOf returns the committee of a row of table (not found when absent).
func committeeOf(ctx context.Context, q db.Querier, table string, id int64) (int64, error) {
	ids, err := db.Column[int64](ctx, q, `SELECT committee_id FROM `+table+` WHERE id = $1`, id)
	if err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, apperr.ErrNotFound
	}
	return ids[0], nil
}

// recordChange audits a change and marks it in the change queue.
func recordChange(ctx context.Context, tx *sql.Tx, actor *auth.Actor, committeeID int64, action, entity string, id int64, before, after any) error {
	if err := audit.Record(ctx, tx, actor, committeeID, action, entity, id, before, after); err != nil {
		return err
	}
	return changes.Mark(ctx, tx, committeeID, entity, id)
}

func yearRange(b *db.Args, col string, year int) string {
	if year == 0 {
		return ""
	}
	y := strconv.Itoa(year)
	return ` AND ` + col + ` >= ` + b.Add(y+"-01-01") + ` AND ` + col + ` <= ` + b.Add(y+"-12-31")
}

func dateRequired(fs []apperr.FieldError, field string, d civil.Date) []apperr.FieldError {
	if d.IsZero() {
		return append(fs, apperr.Field(field, "err.activity.required"))
	}
	return fs
}

func orInvalid(fs []apperr.FieldError) error {
	if len(fs) > 0 {
		return apperr.Fields(fs...)
	}
	return nil
}

// OutputKind is the kind of an output.
type OutputKind string

// The output kinds.
const (
	OutMinutes        OutputKind = "minutes"         // 纪要
	OutProposalReport OutputKind = "proposal_report" // 建议案
	OutConsultReport  OutputKind = "consult_report"  // 协商专报
	OutResearchReport OutputKind = "research_report" // 调研报告
)

// OutputKinds lists the output kinds.
var OutputKinds = []OutputKind{OutMinutes, OutProposalReport, OutConsultReport, OutResearchReport}

// Output is a document an activity produced, and where it went.
type Output struct {
	ID            int64         `json:"id"`
	CommitteeID   int64         `json:"committee_id"`
	ActivityID    int64         `json:"activity_id,omitempty"`
	ActivityTitle string        `json:"activity_title,omitempty"`
	Kind          OutputKind    `json:"kind"`
	Number        string        `json:"number"`
	Title         string        `json:"title"`
	DatedOn       civil.Date    `json:"dated_on"`
	SentTo        string        `json:"sent_to"`
	ToParty       bool          `json:"to_party"`
	EnteredLater  bool          `json:"entered_later"`
	Version       int           `json:"version"`
	Instructions  []Instruction `json:"instructions,omitempty"`
	Followups     []Followup    `json:"followups,omitempty"`
	Files         []File        `json:"files,omitempty"` // the documents themselves (files.go)
	NInstructions int           `json:"n_instructions"`
	NFollowups    int           `json:"n_followups"`
}

// OutputInput is what staff enter for an output.
type OutputInput struct {
	ActivityID int64      `json:"activity_id"`
	Kind       OutputKind `json:"kind"`
	Number     string     `json:"number"`
	Title      string     `json:"title"`
	DatedOn    civil.Date `json:"dated_on"`
	SentTo     string     `json:"sent_to"`
	ToParty    bool       `json:"to_party"`
	Past       bool       `json:"past"` // entered later (补录)
}

const outputCols = `o.id, o.committee_id, COALESCE(o.activity_id, 0), COALESCE(a.title, ''), o.kind, o.number, o.title, o.dated_on,
	o.sent_to, o.to_party, o.entered_later, o.version,
	(SELECT COUNT(*) FROM activity_instructions i WHERE i.committee_id = o.committee_id AND i.output_id = o.id),
	(SELECT COUNT(*) FROM activity_followups f WHERE f.committee_id = o.committee_id AND f.output_id = o.id)`

const outputFrom = ` FROM activity_outputs o LEFT JOIN activities a ON a.id = o.activity_id`

func scanOutput(sc db.Scanner) (Output, error) {
	var o Output
	err := sc.Scan(&o.ID, &o.CommitteeID, &o.ActivityID, &o.ActivityTitle, &o.Kind, &o.Number, &o.Title, &o.DatedOn,
		&o.SentTo, &o.ToParty, &o.EnteredLater, &o.Version, &o.NInstructions, &o.NFollowups)
	return o, err
}

// OutputFilter selects outputs.
type OutputFilter struct {
	CommitteeID int64      `json:"committee_id"`
	ActivityID  int64      `json:"activity_id,omitempty"`
	Kind        OutputKind `json:"kind,omitempty"`
	Year        int        `json:"year,omitempty"`
	Page        int        `json:"page,omitempty"`
	PageSize    int        `json:"-"` // 0: ListPageSize; -1: all
}

func listOutputs(ctx context.Context, q db.Querier, f OutputFilter) ([]Output, error) {
	var b db.Args
	where := `o.committee_id = ` + b.Add(f.CommitteeID)
	if f.ActivityID != 0 {
		where += ` AND o.activity_id = ` + b.Add(f.ActivityID)
	}
	if f.Kind != "" {
		where += ` AND o.kind = ` + b.Add(f.Kind)
	}
	where += yearRange(&b, "o.dated_on", f.Year)
	return db.Query(ctx, q, scanOutput, `SELECT `+outputCols+outputFrom+` WHERE `+where+` ORDER BY o.dated_on DESC, o.id DESC`+pageSQL(f.Page, f.PageSize), b...)
}

func pageSQL(page, size int) string {
	if size == 0 {
		size = ListPageSize
	}
	if size < 0 {
		return ""
	}
	return ` LIMIT ` + strconv.Itoa(size) + ` OFFSET ` + strconv.Itoa((max(page, 1)-1)*size)
}

// Outputs lists a committee's outputs (committee readers).
func (s *Service) Outputs(ctx context.Context, actor *auth.Actor, f OutputFilter) ([]Output, error) {
	var out []Output
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermView, f.CommitteeID); err != nil {
			return err
		}
		var err error
		out, err = listOutputs(ctx, tx, f)
		return err
	})
	return out, err
}

// Output returns one output with its instructions and follow-ups.
func (s *Service) Output(ctx context.Context, actor *auth.Actor, id int64) (*Output, error) {
	var out *Output
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		c, err := committeeOf(ctx, tx, "activity_outputs", id)
		if err != nil {
			return err
		}
		if _, err := auth.CheckScope(ctx, tx, actor, PermView, c); err != nil {
			return err
		}
		o, err := scanOutput(tx.QueryRowContext(ctx, `SELECT `+outputCols+outputFrom+` WHERE o.id = $1`, id))
		if err != nil {
			return err
		}
		if o.Instructions, err = listInstructions(ctx, tx, "output_id", id); err != nil {
			return err
		}
		if o.Followups, err = db.Query(ctx, tx, scanFollowup, `SELECT `+followupCols+followupFrom+` WHERE f.output_id = $1 ORDER BY f.due_on, f.id`, id); err != nil {
			return err
		}
		if o.Files, err = listOutputFiles(ctx, tx, id); err != nil {
			return err
		}
		out = &o
		return nil
	})
	return out, err
}

func (in *OutputInput) validate(ctx context.Context, q db.Querier, committeeID int64) error {
	in.Number, in.Title, in.SentTo = strings.TrimSpace(in.Number), strings.TrimSpace(in.Title), strings.TrimSpace(in.SentTo)
	var fs []apperr.FieldError
	ok := false
	for _, k := range OutputKinds {
		ok = ok || k == in.Kind
	}
	if !ok {
		fs = append(fs, apperr.Field("kind", "err.form.bad_choice"))
	}
	fs = checkText(fs, "title", in.Title, 200, true)
	fs = checkText(fs, "number", in.Number, 50, false)
	fs = checkText(fs, "sent_to", in.SentTo, 200, false)
	fs = dateRequired(fs, "dated_on", in.DatedOn)
	if in.ActivityID != 0 && !exists(ctx, q, `SELECT COUNT(*) FROM activities WHERE id = $1 AND committee_id = $2`, in.ActivityID, committeeID) {
		fs = append(fs, apperr.Field("activity_id", "err.form.bad_choice"))
	}
	return orInvalid(fs)
}

// CreateOutput records an output (staff); Past marks it entered later.
func (s *Service) CreateOutput(ctx context.Context, actor *auth.Actor, committeeID int64, in OutputInput) (*Output, error) {
	var out *Output
	err := s.write(ctx, actor, committeeID, PermManage, func(tx *sql.Tx) error {
		if err := in.validate(ctx, tx, committeeID); err != nil {
			return err
		}
		now := db.Now()
		var by, at any
		if in.Past {
			by, at = actor.UserID, now
		}
		o := Output{CommitteeID: committeeID, ActivityID: in.ActivityID, Kind: in.Kind, Number: in.Number, Title: in.Title,
			DatedOn: in.DatedOn, SentTo: in.SentTo, ToParty: in.ToParty, EnteredLater: in.Past, Version: 1}
		err := tx.QueryRowContext(ctx, `INSERT INTO activity_outputs (committee_id, activity_id, kind, number, title, dated_on, sent_to,
			to_party, entered_later, entered_by, entered_at, version, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,1,$12,$12) RETURNING id`,
			committeeID, nullID(in.ActivityID), in.Kind, in.Number, in.Title, in.DatedOn, in.SentTo, in.ToParty, in.Past, by, at, now).Scan(&o.ID)
		if err != nil {
			return err
		}
		out = &o
		return recordChange(ctx, tx, actor, committeeID, "activity.output_create", EntityOutput, o.ID, nil, in)
	})
	return out, err
}

// Instruction is a leader's written instruction (批示).
type Instruction struct {
	ID      int64      `json:"id"`
	Leader  string     `json:"leader"`
	Content string     `json:"content"`
	GivenOn civil.Date `json:"given_on"`
}

// InstructionInput is a 批示 on an output or a 社情民意 item (exactly one).
type InstructionInput struct {
	OutputID int64      `json:"output_id,omitempty"`
	SqmyID   int64      `json:"sqmy_id,omitempty"`
	Leader   string     `json:"leader"`
	Content  string     `json:"content"`
	GivenOn  civil.Date `json:"given_on"`
}

func listInstructions(ctx context.Context, q db.Querier, col string, id int64) ([]Instruction, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (Instruction, error) {
		var i Instruction
		return i, sc.Scan(&i.ID, &i.Leader, &i.Content, &i.GivenOn)
	}, `SELECT id, leader, content, given_on FROM activity_instructions WHERE `+col+` = $1 ORDER BY given_on, id`, id)
}

// AddInstruction records a leader's instruction on an output or a 社情民意 item (staff).
func (s *Service) AddInstruction(ctx context.Context, actor *auth.Actor, in InstructionInput) (*Instruction, error) {
	table, target := "activity_outputs", in.OutputID
	if in.SqmyID != 0 {
		table, target = "sqmy_items", in.SqmyID
	}
	if (in.OutputID == 0) == (in.SqmyID == 0) {
		return nil, apperr.Fields(apperr.Field("target", "err.form.bad_choice"))
	}
	c, err := committeeOf(ctx, s.DB, table, target)
	if err != nil {
		return nil, err
	}
	var out *Instruction
	err = s.write(ctx, actor, c, PermManage, func(tx *sql.Tx) error {
		in.Leader, in.Content = strings.TrimSpace(in.Leader), strings.TrimSpace(in.Content)
		fs := checkText(nil, "leader", in.Leader, 100, true)
		fs = checkText(fs, "content", in.Content, 4000, false)
		fs = dateRequired(fs, "given_on", in.GivenOn)
		if err := orInvalid(fs); err != nil {
			return err
		}
		i := Instruction{Leader: in.Leader, Content: in.Content, GivenOn: in.GivenOn}
		err := tx.QueryRowContext(ctx, `INSERT INTO activity_instructions (committee_id, output_id, sqmy_id, leader, content, given_on, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, c, nullID(in.OutputID), nullID(in.SqmyID), in.Leader, in.Content, in.GivenOn, db.Now()).Scan(&i.ID)
		if err != nil {
			return err
		}
		out = &i
		entity := EntityOutput
		if in.SqmyID != 0 {
			entity = EntitySqmy
		}
		if err := audit.Record(ctx, tx, actor, c, "activity.instruction", "activity_instruction", i.ID, nil, in); err != nil {
			return err
		}
		return changes.Mark(ctx, tx, c, entity, target)
	})
	return out, err
}

// Followup is one follow-up item (跟踪问效) on an output.
type Followup struct {
	ID       int64      `json:"id"`
	OutputID int64      `json:"output_id,omitempty"`
	Matter   string     `json:"matter"`
	UnitID   int64      `json:"unit_id,omitempty"`
	UnitName string     `json:"unit_name,omitempty"`
	DueOn    civil.Date `json:"due_on"`
	Status   string     `json:"status"` // open, closed
	Feedback string     `json:"feedback"`
	ClosedOn civil.Date `json:"closed_on"`
	Version  int        `json:"version"`
}

// FollowupInput is a new follow-up item.
type FollowupInput struct {
	OutputID int64      `json:"output_id"`
	Matter   string     `json:"matter"`
	UnitID   int64      `json:"unit_id"`
	DueOn    civil.Date `json:"due_on"`
}

const followupCols = `f.id, COALESCE(f.output_id, 0), f.matter, COALESCE(f.unit_id, 0), COALESCE(u.name, ''), f.due_on, f.status, f.feedback, f.closed_on, f.version`
const followupFrom = ` FROM activity_followups f LEFT JOIN units u ON u.id = f.unit_id`

func scanFollowup(sc db.Scanner) (Followup, error) {
	var f Followup
	err := sc.Scan(&f.ID, &f.OutputID, &f.Matter, &f.UnitID, &f.UnitName, &f.DueOn, &f.Status, &f.Feedback, &f.ClosedOn, &f.Version)
	return f, err
}

// AddFollowup adds a follow-up item to an output (staff).
func (s *Service) AddFollowup(ctx context.Context, actor *auth.Actor, in FollowupInput) (*Followup, error) {
	c, err := committeeOf(ctx, s.DB, "activity_outputs", in.OutputID)
	if err != nil {
		return nil, err
	}
	var out *Followup
	err = s.write(ctx, actor, c, PermManage, func(tx *sql.Tx) error {
		in.Matter = strings.TrimSpace(in.Matter)
		fs := checkText(nil, "matter", in.Matter, 1000, true)
		fs = dateRequired(fs, "due_on", in.DueOn)
		if in.UnitID != 0 && !exists(ctx, tx, `SELECT COUNT(*) FROM units WHERE id = $1 AND committee_id = $2`, in.UnitID, c) {
			fs = append(fs, apperr.Field("unit_id", "err.form.bad_choice"))
		}
		if err := orInvalid(fs); err != nil {
			return err
		}
		now := db.Now()
		f := Followup{OutputID: in.OutputID, Matter: in.Matter, UnitID: in.UnitID, DueOn: in.DueOn, Status: "open", Version: 1}
		if err := tx.QueryRowContext(ctx, `INSERT INTO activity_followups (committee_id, output_id, matter, unit_id, due_on, status, version, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,'open',1,$6,$6) RETURNING id`, c, in.OutputID, in.Matter, nullID(in.UnitID), in.DueOn, now).Scan(&f.ID); err != nil {
			return err
		}
		out = &f
		return recordChange(ctx, tx, actor, c, "activity.followup_create", "activity_followup", f.ID, nil, in)
	})
	return out, err
}

// CloseFollowup closes a follow-up item with the unit's feedback (staff).
func (s *Service) CloseFollowup(ctx context.Context, actor *auth.Actor, ref Ref, feedback string) (*Followup, error) {
	c, err := committeeOf(ctx, s.DB, "activity_followups", ref.ID)
	if err != nil {
		return nil, err
	}
	var out *Followup
	err = s.write(ctx, actor, c, PermManage, func(tx *sql.Tx) error {
		f, err := scanFollowup(tx.QueryRowContext(ctx, `SELECT `+followupCols+followupFrom+` WHERE f.id = $1`, ref.ID))
		if err != nil {
			return err
		}
		if f.Status == "closed" {
			return apperr.New(apperr.Conflict, "err.activity.followup_closed")
		}
		feedback = strings.TrimSpace(feedback)
		if err := orInvalid(checkText(nil, "feedback", feedback, 4000, true)); err != nil {
			return err
		}
		if ref.Version == 0 {
			ref.Version = f.Version
		}
		before := f
		f.Status, f.Feedback, f.ClosedOn = "closed", feedback, s.today()
		if err := db.ExecVersioned(ctx, tx, `UPDATE activity_followups SET status = 'closed', feedback = $1, closed_on = $2,
			version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5`, feedback, f.ClosedOn, db.Now(), ref.ID, ref.Version); err != nil {
			return err
		}
		f.Version++
		out = &f
		return recordChange(ctx, tx, actor, c, "activity.followup_close", "activity_followup", f.ID, before, f)
	})
	return out, err
}

// Ledger kinds: the simple records counted by the figures.

// Speech is a 大会发言.
type Speech struct {
	ID       int64      `json:"id"`
	PersonID int64      `json:"person_id,omitempty"`
	Speaker  string     `json:"speaker"`
	Title    string     `json:"title"`
	Mode     string     `json:"mode"` // written, oral
	Adopted  bool       `json:"adopted"`
	GivenOn  civil.Date `json:"given_on"`
}

// AddSpeech records a speech (staff).
func (s *Service) AddSpeech(ctx context.Context, actor *auth.Actor, committeeID int64, in Speech) (*Speech, error) {
	in.Speaker, in.Title = strings.TrimSpace(in.Speaker), strings.TrimSpace(in.Title)
	fs := checkText(nil, "speaker", in.Speaker, 100, true)
	fs = checkText(fs, "title", in.Title, 200, true)
	if in.Mode != "written" && in.Mode != "oral" {
		fs = append(fs, apperr.Field("mode", "err.form.bad_choice"))
	}
	fs = dateRequired(fs, "given_on", in.GivenOn)
	return addLedger(ctx, s, actor, committeeID, fs, &in, in.PersonID, "activity_speeches", `(committee_id, person_id, speaker, title, mode, adopted, given_on, version, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,1,$8)`, []any{in.Speaker, in.Title, in.Mode, in.Adopted, in.GivenOn}, func(id int64) { in.ID = id })
}

// Article is a 学习专栏 theory article, collected and maybe published.
type Article struct {
	ID           int64      `json:"id"`
	PersonID     int64      `json:"person_id,omitempty"`
	Author       string     `json:"author"`
	Title        string     `json:"title"`
	CollectedOn  civil.Date `json:"collected_on"`
	Published    bool       `json:"published"`
	JournalIssue string     `json:"journal_issue"`
}

// AddArticle records a collected article (staff).
func (s *Service) AddArticle(ctx context.Context, actor *auth.Actor, committeeID int64, in Article) (*Article, error) {
	in.Author, in.Title, in.JournalIssue = strings.TrimSpace(in.Author), strings.TrimSpace(in.Title), strings.TrimSpace(in.JournalIssue)
	fs := checkText(nil, "author", in.Author, 100, true)
	fs = checkText(fs, "title", in.Title, 200, true)
	fs = checkText(fs, "journal_issue", in.JournalIssue, 50, in.Published)
	fs = dateRequired(fs, "collected_on", in.CollectedOn)
	return addLedger(ctx, s, actor, committeeID, fs, &in, in.PersonID, "activity_articles", `(committee_id, person_id, author, title, collected_on, published, journal_issue, version, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,1,$8)`, []any{in.Author, in.Title, in.CollectedOn, in.Published, in.JournalIssue}, func(id int64) { in.ID = id })
}

// Publicity is a TV episode or a news article.
type Publicity struct {
	ID          int64      `json:"id"`
	Kind        string     `json:"kind"` // tv, article
	Title       string     `json:"title"`
	Outlet      string     `json:"outlet"`
	PublishedOn civil.Date `json:"published_on"`
}

// AddPublicity records a publicity item (staff).
func (s *Service) AddPublicity(ctx context.Context, actor *auth.Actor, committeeID int64, in Publicity) (*Publicity, error) {
	in.Title, in.Outlet = strings.TrimSpace(in.Title), strings.TrimSpace(in.Outlet)
	fs := checkText(nil, "title", in.Title, 200, true)
	fs = checkText(fs, "outlet", in.Outlet, 100, false)
	if in.Kind != "tv" && in.Kind != "article" {
		fs = append(fs, apperr.Field("kind", "err.form.bad_choice"))
	}
	fs = dateRequired(fs, "published_on", in.PublishedOn)
	return addLedger(ctx, s, actor, committeeID, fs, &in, 0, "activity_publicity", `(committee_id, kind, title, outlet, published_on, version, created_at)
		VALUES ($1,$2,$3,$4,$5,1,$6)`, []any{in.Kind, in.Title, in.Outlet, in.PublishedOn}, func(id int64) { in.ID = id })
}

// Volume is a compiled volume (辑) of cultural-history materials.
type Volume struct {
	ID         int64      `json:"id"`
	Title      string     `json:"title"`
	VolumeNo   int        `json:"volume_no"`
	Articles   int        `json:"articles"`
	CompiledOn civil.Date `json:"compiled_on"`
}

// AddVolume records a 文史资料 volume (staff).
func (s *Service) AddVolume(ctx context.Context, actor *auth.Actor, committeeID int64, in Volume) (*Volume, error) {
	in.Title = strings.TrimSpace(in.Title)
	fs := checkText(nil, "title", in.Title, 200, true)
	if in.VolumeNo < 1 || in.VolumeNo > 10000 {
		fs = append(fs, outOfRange("volume_no", 1, 10000))
	}
	if in.Articles < 0 || in.Articles > 100000 {
		fs = append(fs, outOfRange("articles", 0, 100000))
	}
	fs = dateRequired(fs, "compiled_on", in.CompiledOn)
	return addLedger(ctx, s, actor, committeeID, fs, &in, 0, "activity_culture_volumes", `(committee_id, title, volume_no, articles, compiled_on, version, created_at)
		VALUES ($1,$2,$3,$4,$5,1,$6)`, []any{in.Title, in.VolumeNo, in.Articles, in.CompiledOn}, func(id int64) { in.ID = id })
}

// addLedger inserts one simple record: $1 is the committee, then the person
// (when personCol), then vals, then the creation time.
func addLedger[T any](ctx context.Context, s *Service, actor *auth.Actor, committeeID int64, fs []apperr.FieldError, rec *T,
	personID int64, table, insert string, vals []any, setID func(int64)) (*T, error) {
	err := s.write(ctx, actor, committeeID, PermManage, func(tx *sql.Tx) error {
		withPerson := strings.Contains(insert, "person_id")
		if withPerson && personID != 0 && !exists(ctx, tx, `SELECT COUNT(*) FROM people WHERE id = $1 AND committee_id = $2`, personID, committeeID) {
			fs = append(fs, apperr.Field("person_id", "err.form.bad_choice"))
		}
		if err := orInvalid(fs); err != nil {
			return err
		}
		args := []any{committeeID}
		if withPerson {
			args = append(args, nullID(personID))
		}
		args = append(args, vals...)
		args = append(args, db.Now())
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO `+table+` `+insert+` RETURNING id`, args...).Scan(&id); err != nil {
			return err
		}
		setID(id)
		return recordChange(ctx, tx, actor, committeeID, "activity.create", table, id, nil, rec)
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// errNoRows maps sql.ErrNoRows to not found.
func errNoRows(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.ErrNotFound
	}
	return err
}
