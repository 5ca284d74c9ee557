package activity

import (
	"context"
	"database/sql"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
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
)

// SqmyTable is the 社情民意 workflow (staff only): state × action → state.
// Adopting an adopted item again records adoption at another level.
var SqmyTable = map[SqmyState]map[Action]SqmyState{
	SqmySubmitted: {SqmyEdit: SqmyEdited, SqmyAdopt: SqmyAdopted, SqmyDecline: SqmyNotAdopted},
	SqmyEdited:    {SqmyEdit: SqmyEdited, SqmyAdopt: SqmyAdopted, SqmyDecline: SqmyNotAdopted},
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
	EnteredLater  bool          `json:"entered_later"`
	Version       int           `json:"version"`
	Instructions  []Instruction `json:"instructions,omitempty"`
	NInstructions int           `json:"n_instructions"`
}

const sqmyCols = `s.id, s.committee_id, s.title, s.content, COALESCE(s.person_id, 0), COALESCE(p.name, ''), COALESCE(s.group_id, 0),
	COALESCE(g.name, ''), s.submitted_on, s.state, s.level, s.adopted_on, s.bulletin_issue, COALESCE(s.proposal_id, 0),
	s.entered_later, s.version, (SELECT COUNT(*) FROM activity_instructions i WHERE i.committee_id = s.committee_id AND i.sqmy_id = s.id)`

const sqmyFrom = ` FROM sqmy_items s LEFT JOIN people p ON p.id = s.person_id LEFT JOIN org_groups g ON g.id = s.group_id`

func scanSqmy(sc db.Scanner) (Sqmy, error) {
	var s Sqmy
	err := sc.Scan(&s.ID, &s.CommitteeID, &s.Title, &s.Content, &s.PersonID, &s.PersonName, &s.GroupID, &s.GroupName,
		&s.SubmittedOn, &s.State, &s.Level, &s.AdoptedOn, &s.BulletinIssue, &s.ProposalID, &s.EnteredLater, &s.Version, &s.NInstructions)
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
		return s.insertSqmy(ctx, tx, actor, committeeID, in, 0, &out)
	})
	return out, err
}

func (s *Service) insertSqmy(ctx context.Context, tx *sql.Tx, actor *auth.Actor, committeeID int64, in SqmyInput, proposalID int64, out **Sqmy) error {
	in.Title, in.Content = strings.TrimSpace(in.Title), strings.TrimSpace(in.Content)
	fs := checkText(nil, "title", in.Title, 200, true)
	fs = checkText(fs, "content", in.Content, 20000, false)
	fs = dateRequired(fs, "submitted_on", in.SubmittedOn)
	if in.PersonID == 0 && in.GroupID == 0 {
		fs = append(fs, apperr.Field("person_id", "err.activity.sqmy_author"))
	}
	if in.PersonID != 0 && !exists(ctx, tx, `SELECT COUNT(*) FROM people WHERE id = $1 AND committee_id = $2`, in.PersonID, committeeID) {
		fs = append(fs, apperr.Field("person_id", "err.form.bad_choice"))
	}
	if in.GroupID != 0 && !exists(ctx, tx, `SELECT COUNT(*) FROM org_groups WHERE id = $1 AND committee_id = $2`, in.GroupID, committeeID) {
		fs = append(fs, apperr.Field("group_id", "err.form.bad_choice"))
	}
	if !in.SubmittedOn.IsZero() && s.today().Before(in.SubmittedOn) {
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
// and converted (proposals.converted_to = 'sqmy'), linked to it; a proposal
// is converted once.
func (s *Service) ConvertProposal(ctx context.Context, actor *auth.Actor, proposalID int64) (*Sqmy, error) {
	c, err := committeeOf(ctx, s.DB, "proposals", proposalID)
	if err != nil {
		return nil, err
	}
	var out *Sqmy
	err = s.write(ctx, actor, c, PermManage, func(tx *sql.Tx) error {
		var title, matter, state, conv string
		var person int64
		err := tx.QueryRowContext(ctx, `SELECT p.title, p.matter, p.state, p.converted_to, COALESCE(m.person_id, 0)
			FROM proposals p LEFT JOIN memberships m ON m.id = p.first_proposer_id WHERE p.id = $1`, proposalID).
			Scan(&title, &matter, &state, &conv, &person)
		if err != nil {
			return errNoRows(err)
		}
		if state != "NOT_REGISTERED" || conv != "sqmy" {
			return apperr.New(apperr.Conflict, "err.activity.not_converted")
		}
		if exists(ctx, tx, `SELECT COUNT(*) FROM sqmy_items WHERE committee_id = $1 AND proposal_id = $2`, c, proposalID) {
			return apperr.New(apperr.Conflict, "err.activity.already_converted")
		}
		in := SqmyInput{Title: title, Content: matter, PersonID: person, SubmittedOn: s.today()}
		if person == 0 {
			return apperr.New(apperr.Conflict, "err.activity.not_converted")
		}
		return s.insertSqmy(ctx, tx, actor, c, in, proposalID, &out)
	})
	return out, err
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
		next, ok := SqmyTable[it.State][ch.Action]
		if !ok {
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
		out = &it
		return nil
	})
	return out, err
}
