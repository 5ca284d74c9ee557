package proposal

import (
	"context"
	"database/sql"
	"io"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/docx"
	"lvzhi/internal/i18n"
)

// The documents the office prints (.docx): a proposal's official form
// (提案表) and a session's compilation (提案汇编: every registered proposal by
// number, with its replies where they are published).

// ProposalForm writes the 提案表 of a proposal the actor may read, in lang.
func (s *Service) ProposalForm(ctx context.Context, actor *auth.Actor, id int64, lang string, w io.Writer) error {
	d, err := s.Get(ctx, actor, id)
	if err != nil {
		return err
	}
	committee, err := committeeName(ctx, s.DB, d.CommitteeID)
	if err != nil {
		return err
	}
	doc := docx.New()
	doc.Title(i18n.T(lang, "doc.form.title", map[string]any{"Committee": committee}))
	doc.Table(formRows(d, lang))
	texts(doc, d, lang)
	_, err = doc.WriteTo(w)
	return err
}

// Compilation writes the 提案汇编 of a session of the actor's committee:
// registered proposals by number (merged ones are in their lead's), each
// with its texts, and the delivered replies of those whose replies are published.
func (s *Service) Compilation(ctx context.Context, actor *auth.Actor, sessionID int64, lang string, w io.Writer) error {
	if actor == nil {
		return apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if !auth.Can(actor, PermView) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	var ids []int64
	var sessionName, committee string
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT name FROM plenary_sessions WHERE id = $1 AND committee_id = $2`, sessionID, actor.CommitteeID).
			Scan(&sessionName)
		if err == sql.ErrNoRows {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		if committee, err = committeeName(ctx, tx, actor.CommitteeID); err != nil {
			return err
		}
		ids, err = db.Column[int64](ctx, tx, `SELECT id FROM proposals WHERE committee_id = $1 AND session_id = $2
			AND seq IS NOT NULL AND state <> 'MERGED' ORDER BY seq`, actor.CommitteeID, sessionID)
		return err
	})
	if err != nil {
		return err
	}
	doc := docx.New()
	doc.Title(i18n.T(lang, "doc.compilation.title", map[string]any{"Committee": committee, "Session": sessionName}))
	doc.Line("", i18n.T(lang, "doc.compilation.count", map[string]any{"N": len(ids)}))
	for _, id := range ids {
		d, err := s.Get(ctx, actor, id)
		if err != nil {
			return err
		}
		doc.PageBreak()
		doc.Heading(d.Number + "　" + d.Title)
		for _, r := range formRows(d, lang)[2:] {
			if r[1] != "" {
				doc.Line(r[0], r[1])
			}
		}
		texts(doc, d, lang)
		if d.Published {
			replies(doc, d, lang)
		}
	}
	_, err = doc.WriteTo(w)
	return err
}

func committeeName(ctx context.Context, q db.Querier, id int64) (string, error) {
	var name string
	err := q.QueryRowContext(ctx, `SELECT name FROM committees WHERE id = $1`, id).Scan(&name)
	return name, err
}

// formRows are the 提案表's label–value rows (number and title first).
func formRows(d *Detail, lang string) [][2]string {
	label := func(key string) string { return i18n.T(lang, "doc.form."+key) }
	number := d.Number
	if number == "" {
		number = label("not_registered")
	}
	proposer := d.FirstProposerName
	if d.Kind == Body {
		proposer = d.BodyName
	}
	var co, units []string
	for _, sg := range d.Signers {
		if sg.Role == "co" && sg.Status == Signed {
			co = append(co, sg.Name)
		}
	}
	for _, a := range d.Assignments {
		u := a.UnitName
		if a.Role == RoleLead {
			u += label("lead")
		}
		units = append(units, u)
	}
	mode := ""
	if d.Mode != "" {
		mode = i18n.T(lang, "proposal.mode."+string(d.Mode))
	}
	category := ""
	if d.Category != "" {
		category = i18n.T(lang, "proposal.category."+string(d.Category))
	}
	return [][2]string{
		{label("number"), number},
		{label("case_title"), d.Title},
		{label("proposer"), proposer},
		{label("co_signers"), strings.Join(co, "、")},
		{label("theme"), i18n.T(lang, "proposal.theme."+string(d.Theme))},
		{label("category"), category},
		{label("submitted_on"), dateText(d.SubmittedOn)},
		{label("registered_on"), dateText(d.RegisteredOn)},
		{label("units"), strings.TrimSpace(strings.Join(units, "、") + " " + mode)},
	}
}

func dateText(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// texts adds the proposal's three texts under their headings.
func texts(doc *docx.Doc, d *Detail, lang string) {
	for _, t := range []struct{ key, text string }{{"matter", d.Matter}, {"analysis", d.Analysis}, {"suggestions", d.Suggestions}} {
		doc.Heading(i18n.T(lang, "doc.form."+t.key))
		doc.Para(t.text)
	}
}

// replies adds the delivered replies, the latest round of each unit.
func replies(doc *docx.Doc, d *Detail, lang string) {
	unit := map[int64]string{}
	for _, a := range d.Assignments {
		unit[a.ID] = a.UnitName
	}
	for _, r := range d.Replies {
		if r.Status != "delivered" {
			continue
		}
		doc.Heading(i18n.T(lang, "doc.compilation.reply", map[string]any{"Unit": unit[r.AssignmentID], "Round": r.Round}))
		doc.Para(r.Body)
	}
}
