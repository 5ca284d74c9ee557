package activity

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/proposal"
)

// 社情民意: members (and groups) submit reports on public sentiment; staff
// edit them and record their adoption (采用) at a level, with the bulletin
// issue and leaders' instructions. A proposal declined and converted to
// 社情民意 becomes an item linked to it (ConvertProposal).

// SqmyState is a 社情民意 item's state.
type SqmyState string

// The states.
const (
	SqmySubmitted  SqmyState = "submitted"
	SqmyEdited     SqmyState = "edited"
	SqmyAdopted    SqmyState = "adopted"
	SqmyNotAdopted SqmyState = "not_adopted"
)

// SqmyStates lists the states.
var SqmyStates = []SqmyState{SqmySubmitted, SqmyEdited, SqmyAdopted, SqmyNotAdopted}

// Levels are the levels at which an item can be adopted.
var Levels = []string{"county", "city", "province", "national"}

// The 社情民意 actions (staff).
const (
	SqmyEdit    Action = "sqmy_edit"
	SqmyAdopt   Action = "sqmy_adopt"
	SqmyDecline Action = "sqmy_decline"
	SqmyMerge   Action = "sqmy_merge" // 合并: other items fold into this one (MergeSqmy)
)

// SqmyTable is the 社情民意 workflow (staff only): state × action → state.
// Adopting an adopted item again records adoption at another level.
var SqmyTable = map[SqmyState]map[Action]SqmyState{
	SqmySubmitted: {SqmyEdit: SqmyEdited, SqmyAdopt: SqmyAdopted, SqmyDecline: SqmyNotAdopted, SqmyMerge: SqmyEdited},
	SqmyEdited:    {SqmyEdit: SqmyEdited, SqmyAdopt: SqmyAdopted, SqmyDecline: SqmyNotAdopted, SqmyMerge: SqmyEdited},
	SqmyAdopted:   {SqmyAdopt: SqmyAdopted},
}

// Sqmy is one 社情民意 item.
type Sqmy struct {
	ID            int64         `json:"id"`
	CommitteeID   int64         `json:"committee_id"`
	Title         string        `json:"title"`
	Content       string        `json:"content"`
	PersonID      int64         `json:"person_id,omitempty"`
	PersonName    string        `json:"person_name,omitempty"`
	GroupID       int64         `json:"group_id,omitempty"`
	GroupName     string        `json:"group_name,omitempty"`
	SubmittedOn   civil.Date    `json:"submitted_on"`
	State         SqmyState     `json:"state"`
	Level         string        `json:"level,omitempty"`
	AdoptedOn     civil.Date    `json:"adopted_on"`
	BulletinIssue string        `json:"bulletin_issue,omitempty"`
	ProposalID    int64         `json:"proposal_id,omitempty"`
	MergedInto    int64         `json:"merged_into,omitempty"` // the item this one was merged into
	Merged        []Sqmy        `json:"merged,omitempty"`      // the items merged into this one (SqmyItem)
	EnteredLater  bool          `json:"entered_later"`
	Version       int           `json:"version"`
	Instructions  []Instruction `json:"instructions,omitempty"`
	NInstructions int           `json:"n_instructions"`
}

const sqmyCols = `s.id, s.committee_id, s.title, s.content, COALESCE(s.person_id, 0), COALESCE(p.name, ''), COALESCE(s.group_id, 0),
	COALESCE(g.name, ''), s.submitted_on, s.state, s.level, s.adopted_on, s.bulletin_issue, COALESCE(s.proposal_id, 0),
	COALESCE(s.merged_into, 0), s.entered_later, s.version, (SELECT COUNT(*) FROM activity_instructions i WHERE i.committee_id = s.committee_id AND i.sqmy_id = s.id)`

const sqmyFrom = ` FROM sqmy_items s LEFT JOIN people p ON p.id = s.person_id LEFT JOIN org_groups g ON g.id = s.group_id`

func scanSqmy(sc db.Scanner) (Sqmy, error) {
	var s Sqmy
	err := sc.Scan(&s.ID, &s.CommitteeID, &s.Title, &s.Content, &s.PersonID, &s.PersonName, &s.GroupID, &s.GroupName,
		&s.SubmittedOn, &s.State, &s.Level, &s.AdoptedOn, &s.BulletinIssue, &s.ProposalID, &s.MergedInto, &s.EnteredLater, &s.Version, &s.NInstructions)
	return s, err
}

// sqmyVisibleSQL: committee readers read every item of their committee (and
// below); a member reads the items they submitted.
func sqmyVisibleSQL(arg func(any) string, actor *auth.Actor) string {
	var or []string
	if actor != nil {
		if auth.Can(actor, PermView) {
			or = append(or, scopeSQL(arg, actor, "s"))
		}
		if actor.PersonID != 0 && auth.Can(actor, PermSubmit) {
			or = append(or, `(s.committee_id = `+arg(actor.CommitteeID)+` AND s.person_id = `+arg(actor.PersonID)+`)`)
		}
	}
	if len(or) == 0 {
		return `1 = 0`
	}
	return `(` + strings.Join(or, ` OR `) + `)`
}

// SqmyInput is a new item. Members submit their own (today); staff enter
// items of any member or group, with a past date when Past.
type SqmyInput struct {
	Title       string     `json:"title"`
	Content     string     `json:"content"`
	PersonID    int64      `json:"person_id,omitempty"`
	GroupID     int64      `json:"group_id,omitempty"`
	SubmittedOn civil.Date `json:"submitted_on"`
	Past        bool       `json:"past"`
}

// SubmitSqmy records a 社情民意 item.
func (s *Service) SubmitSqmy(ctx context.Context, actor *auth.Actor, committeeID int64, in SqmyInput) (*Sqmy, error) {
	staff := actor.Has(auth.RoleStaff)
	perm := PermSubmit
	if staff {
		perm = PermManage
	}
	var out *Sqmy
	err := s.write(ctx, actor, committeeID, perm, func(tx *sql.Tx) error {
		if !staff {
			in.PersonID, in.GroupID, in.SubmittedOn, in.Past = actor.PersonID, 0, s.today(), false
		}
		return insertSqmy(ctx, tx, actor, committeeID, in, 0, s.today(), &out)
	})
	return out, err
}

// insertSqmy validates and writes a new item (today: the latest date it may carry).
func insertSqmy(ctx context.Context, tx *sql.Tx, actor *auth.Actor, committeeID int64, in SqmyInput, proposalID int64, today civil.Date, out **Sqmy) error {
	in.Title, in.Content = strings.TrimSpace(in.Title), strings.TrimSpace(in.Content)
	fs := checkText(nil, "title", in.Title, 200, true)
	fs = checkText(fs, "content", in.Content, 20000, false)
	fs = dateRequired(fs, "submitted_on", in.SubmittedOn)
	if in.PersonID == 0 && in.GroupID == 0 && proposalID == 0 {
		fs = append(fs, apperr.Field("person_id", "err.activity.sqmy_author"))
	}
	if in.PersonID != 0 && !exists(ctx, tx, `SELECT COUNT(*) FROM people WHERE id = $1 AND committee_id = $2`, in.PersonID, committeeID) {
		fs = append(fs, apperr.Field("person_id", "err.form.bad_choice"))
	}
	if in.GroupID != 0 && !exists(ctx, tx, `SELECT COUNT(*) FROM org_groups WHERE id = $1 AND committee_id = $2`, in.GroupID, committeeID) {
		fs = append(fs, apperr.Field("group_id", "err.form.bad_choice"))
	}
	if !in.SubmittedOn.IsZero() && today.Before(in.SubmittedOn) {
		fs = append(fs, apperr.Field("submitted_on", "err.activity.past_in_future"))
	}
	if err := orInvalid(fs); err != nil {
		return err
	}
	now := db.Now()
	var by, at any
	if in.Past {
		by, at = actor.UserID, now
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO sqmy_items (committee_id, title, content, person_id, group_id, submitted_on, state,
		proposal_id, entered_later, entered_by, entered_at, version, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,'submitted',$7,$8,$9,$10,1,$11,$11) RETURNING id`,
		committeeID, in.Title, in.Content, nullID(in.PersonID), nullID(in.GroupID), in.SubmittedOn, nullID(proposalID), in.Past, by, at, now).Scan(&id)
	if err != nil {
		return err
	}
	item, err := scanSqmy(tx.QueryRowContext(ctx, `SELECT `+sqmyCols+sqmyFrom+` WHERE s.id = $1`, id))
	if err != nil {
		return err
	}
	*out = &item
	return recordChange(ctx, tx, actor, committeeID, "activity.sqmy_submit", EntitySqmy, id, nil, item)
}

// ConvertProposal creates the 社情民意 item of a proposal the office declined
// and converted (proposals.converted_to = 'sqmy') before the conversion made
// it by itself (convertHook), linked to it; a proposal is converted once.
func (s *Service) ConvertProposal(ctx context.Context, actor *auth.Actor, proposalID int64) (*Sqmy, error) {
	c, err := committeeOf(ctx, s.DB, "proposals", proposalID)
	if err != nil {
		return nil, err
	}
	var out *Sqmy
	err = s.write(ctx, actor, c, PermManage, func(tx *sql.Tx) error {
		var err error
		out, err = convertTx(ctx, tx, actor, c, proposalID, s.today())
		return err
	})
	return out, err
}

func init() {
	proposal.OnConvert(convertHook)
	proposal.OnConvertedLookup(sqmyOfProposal)
}

// sqmyOfProposal is the id of the item a converted proposal became, for the
// proposal's page to link back to it: 0 when there is none or the actor may
// not read it (a link that opens "not found" helps no one).
func sqmyOfProposal(ctx context.Context, tx *sql.Tx, actor *auth.Actor, committeeID, proposalID int64) (int64, error) {
	var id int64
	var b db.Args
	q := `SELECT s.id FROM sqmy_items s WHERE s.committee_id = ` + b.Add(committeeID) + ` AND s.proposal_id = ` + b.Add(proposalID) +
		` AND ` + sqmyVisibleSQL(b.Add, actor)
	err := tx.QueryRowContext(ctx, q, b...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// convertHook runs inside the proposal office's Convert: a proposal converted
// to 社情民意 becomes an item on the conversion's date, in the same
// transaction (the conversion fails if the item cannot be made).
func convertHook(ctx context.Context, tx *sql.Tx, actor *auth.Actor, p *proposal.Proposal, on civil.Date) error {
	if p.ConvertedTo != proposal.ToSQMY {
		return nil
	}
	_, err := convertTx(ctx, tx, actor, p.CommitteeID, p.ID, on)
	return err
}

// convertTx makes the item of a converted proposal: its title and matter, by
// its first proposer, or by the group named like the proposing body (a body's
// proposal without such a group has no author; the link names its source).
func convertTx(ctx context.Context, tx *sql.Tx, actor *auth.Actor, c, proposalID int64, on civil.Date) (*Sqmy, error) {
	var title, matter, state, conv, body string
	var person int64
	err := tx.QueryRowContext(ctx, `SELECT p.title, p.matter, p.state, p.converted_to, p.body_name, COALESCE(m.person_id, 0)
		FROM proposals p LEFT JOIN memberships m ON m.id = p.first_proposer_id WHERE p.id = $1`, proposalID).
		Scan(&title, &matter, &state, &conv, &body, &person)
	if err != nil {
		return nil, errNoRows(err)
	}
	if state != "NOT_REGISTERED" || conv != string(proposal.ToSQMY) {
		return nil, apperr.New(apperr.Conflict, "err.activity.not_converted")
	}
	if exists(ctx, tx, `SELECT COUNT(*) FROM sqmy_items WHERE committee_id = $1 AND proposal_id = $2`, c, proposalID) {
		return nil, apperr.New(apperr.Conflict, "err.activity.already_converted")
	}
	in := SqmyInput{Title: title, Content: matter, PersonID: person, SubmittedOn: on}
	if person == 0 && body != "" {
		ids, err := db.Column[int64](ctx, tx, `SELECT id FROM org_groups WHERE committee_id = $1 AND name = $2 ORDER BY id`, c, body)
		if err != nil {
			return nil, err
		}
		if len(ids) > 0 {
			in.GroupID = ids[0]
		}
	}
	var out *Sqmy
	return out, insertSqmy(ctx, tx, actor, c, in, proposalID, on, &out)
}

// SqmyChange is a staff step on an item: edit (title, content), adopt
// (level, date, bulletin issue) or decline.
type SqmyChange struct {
	Action        Action     `json:"action"`
	Title         string     `json:"title,omitempty"`
	Content       string     `json:"content,omitempty"`
	Level         string     `json:"level,omitempty"`
	AdoptedOn     civil.Date `json:"adopted_on"`
	BulletinIssue string     `json:"bulletin_issue,omitempty"`
}

// ChangeSqmy applies a staff step to an item through SqmyTable.
func (s *Service) ChangeSqmy(ctx context.Context, actor *auth.Actor, ref Ref, ch SqmyChange) (*Sqmy, error) {
	c, err := committeeOf(ctx, s.DB, "sqmy_items", ref.ID)
	if err != nil {
		return nil, err
	}
	var out *Sqmy
	err = s.write(ctx, actor, c, PermManage, func(tx *sql.Tx) error {
		it, err := scanSqmy(tx.QueryRowContext(ctx, `SELECT `+sqmyCols+sqmyFrom+` WHERE s.id = $1`, ref.ID))
		if err != nil {
			return errNoRows(err)
		}
		if ref.Version != 0 && ref.Version != it.Version {
			return apperr.ErrConflict
		}
		if it.MergedInto != 0 {
			return apperr.New(apperr.Conflict, "err.activity.sqmy_merged")
		}
		next, ok := SqmyTable[it.State][ch.Action]
		if !ok || ch.Action == SqmyMerge {
			return apperr.New(apperr.Conflict, "err.activity.sqmy_state."+string(it.State))
		}
		before := it
		switch ch.Action {
		case SqmyEdit:
			it.Title, it.Content = strings.TrimSpace(ch.Title), strings.TrimSpace(ch.Content)
			fs := checkText(nil, "title", it.Title, 200, true)
			if err := orInvalid(checkText(fs, "content", it.Content, 20000, false)); err != nil {
				return err
			}
		case SqmyAdopt:
			var fs []apperr.FieldError
			if !contains(Levels, ch.Level) {
				fs = append(fs, apperr.Field("level", "err.form.bad_choice"))
			}
			fs = dateRequired(fs, "adopted_on", ch.AdoptedOn)
			fs = checkText(fs, "bulletin_issue", strings.TrimSpace(ch.BulletinIssue), 50, false)
			if err := orInvalid(fs); err != nil {
				return err
			}
			it.Level, it.AdoptedOn, it.BulletinIssue = ch.Level, ch.AdoptedOn, strings.TrimSpace(ch.BulletinIssue)
		}
		it.State = next
		if err := db.ExecVersioned(ctx, tx, `UPDATE sqmy_items SET title = $1, content = $2, state = $3, level = $4, adopted_on = $5,
			bulletin_issue = $6, version = version + 1, updated_at = $7 WHERE id = $8 AND version = $9`,
			it.Title, it.Content, it.State, it.Level, it.AdoptedOn, it.BulletinIssue, db.Now(), it.ID, it.Version); err != nil {
			return err
		}
		it.Version++
		out = &it
		return recordChange(ctx, tx, actor, c, "activity."+string(ch.Action), EntitySqmy, it.ID, before, it)
	})
	return out, err
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// SqmyFilter selects items.
type SqmyFilter struct {
	CommitteeID int64     `json:"committee_id"`
	Year        int       `json:"year,omitempty"`
	State       SqmyState `json:"state,omitempty"`
	Page        int       `json:"page,omitempty"`
	PageSize    int       `json:"-"`
}

// SqmyList lists the items the actor may read in a committee, newest first, and the total.
func (s *Service) SqmyList(ctx context.Context, actor *auth.Actor, f SqmyFilter) ([]Sqmy, int, error) {
	var out []Sqmy
	total := 0
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		sc, err := auth.LoadScope(ctx, tx, f.CommitteeID)
		if err != nil {
			return err
		}
		if !auth.Sees(actor, sc) {
			return apperr.ErrNotFound
		}
		var b db.Args
		where := `s.committee_id = ` + b.Add(f.CommitteeID) + ` AND ` + sqmyVisibleSQL(b.Add, actor) + yearRange(&b, "s.submitted_on", f.Year)
		if f.State != "" {
			where += ` AND s.state = ` + b.Add(f.State)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqmy_items s WHERE `+where, b...).Scan(&total); err != nil {
			return err
		}
		out, err = db.Query(ctx, tx, scanSqmy, `SELECT `+sqmyCols+sqmyFrom+` WHERE `+where+` ORDER BY s.submitted_on DESC, s.id DESC`+pageSQL(f.Page, f.PageSize), b...)
		return err
	})
	return out, total, err
}

// SqmyItem returns one item the actor may read, with its instructions.
func (s *Service) SqmyItem(ctx context.Context, actor *auth.Actor, id int64) (*Sqmy, error) {
	var out *Sqmy
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		var b db.Args
		it, err := scanSqmy(tx.QueryRowContext(ctx, `SELECT `+sqmyCols+sqmyFrom+` WHERE s.id = `+b.Add(id)+` AND `+sqmyVisibleSQL(b.Add, actor), b...))
		if err != nil {
			return errNoRows(err)
		}
		if it.Instructions, err = listInstructions(ctx, tx, "sqmy_id", id); err != nil {
			return err
		}
		if it.Merged, err = db.Query(ctx, tx, scanSqmy, `SELECT `+sqmyCols+sqmyFrom+` WHERE s.merged_into = $1 ORDER BY s.submitted_on, s.id`, id); err != nil {
			return err
		}
		out = &it
		return nil
	})
	return out, err
}

// MergeSqmy folds items into the item of into (合并, staff): several members
// reporting one matter become one item that goes on to adoption. Each merged
// item keeps its row and author (they still count as submitted) and points to
// into; it takes no further step. Every item must be of into's committee, not
// merged, and in a state SqmyTable lets merge (submitted or edited).
func (s *Service) MergeSqmy(ctx context.Context, actor *auth.Actor, into Ref, from []int64) (*Sqmy, error) {
	c, err := committeeOf(ctx, s.DB, "sqmy_items", into.ID)
	if err != nil {
		return nil, err
	}
	var out *Sqmy
	err = s.write(ctx, actor, c, PermManage, func(tx *sql.Tx) error {
		load := func(id int64) (Sqmy, error) {
			it, err := scanSqmy(tx.QueryRowContext(ctx, `SELECT `+sqmyCols+sqmyFrom+` WHERE s.id = $1 AND s.committee_id = $2`, id, c))
			if err != nil {
				return it, errNoRows(err)
			}
			if it.MergedInto != 0 {
				return it, apperr.New(apperr.Conflict, "err.activity.sqmy_merged")
			}
			if _, ok := SqmyTable[it.State][SqmyMerge]; !ok {
				return it, apperr.New(apperr.Conflict, "err.activity.sqmy_state."+string(it.State))
			}
			return it, nil
		}
		target, err := load(into.ID)
		if err != nil {
			return err
		}
		if into.Version != 0 && into.Version != target.Version {
			return apperr.ErrConflict
		}
		if len(from) == 0 {
			return apperr.Fields(apperr.Field("from", "err.activity.required"))
		}
		now := db.Now()
		for _, id := range from {
			if id == into.ID {
				return apperr.Fields(apperr.Field("from", "err.activity.merge_self"))
			}
			src, err := load(id)
			if errors.Is(err, apperr.ErrNotFound) {
				return apperr.Fields(apperr.Field("from", "err.form.bad_choice"))
			}
			if err != nil {
				return err
			}
			if err := db.ExecVersioned(ctx, tx, `UPDATE sqmy_items SET merged_into = $1, version = version + 1, updated_at = $2
				WHERE id = $3 AND version = $4`, into.ID, now, id, src.Version); err != nil {
				return err
			}
			if err := recordChange(ctx, tx, actor, c, "activity.sqmy_merged", EntitySqmy, id, nil, map[string]any{"merged_into": into.ID}); err != nil {
				return err
			}
		}
		next := SqmyTable[target.State][SqmyMerge]
		if err := db.ExecVersioned(ctx, tx, `UPDATE sqmy_items SET state = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4`,
			next, now, into.ID, target.Version); err != nil {
			return err
		}
		it, err := scanSqmy(tx.QueryRowContext(ctx, `SELECT `+sqmyCols+sqmyFrom+` WHERE s.id = $1`, into.ID))
		if err != nil {
			return err
		}
		out = &it
		return recordChange(ctx, tx, actor, c, "activity."+string(SqmyMerge), EntitySqmy, into.ID, map[string]any{"state": target.State},
			map[string]any{"state": next, "merged": from})
	})
	return out, err
}
