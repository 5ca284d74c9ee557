package proposal

import (
	"context"
	"database/sql"
	"io"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/i18n"
)

// ExportLedger writes the ledger of a session (its registered proposals by
// number, merged ones left out) in the layout of LedgerTemplate, so that
// importing it into an empty committee and exporting again gives the same
// cells. A row holds round 1 as the ledger knows it: the first replying unit's
// dates (every replying unit shares the row's dates on import) and the first
// proposer's evaluation.
func (s *Service) ExportLedger(ctx context.Context, actor *auth.Actor, sessionID int64, lang string, w io.Writer) error {
	if actor == nil {
		return apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if !auth.Can(actor, PermView) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	sh, err := newLedgerSheet(lang)
	if err != nil {
		return err
	}
	defer sh.Close()
	err = s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		ss, err := loadSession(ctx, tx, actor.CommitteeID, sessionID)
		if err != nil {
			return err
		}
		if ss == nil {
			return apperr.ErrNotFound
		}
		ids, err := db.Column[int64](ctx, tx, `SELECT id FROM proposals WHERE committee_id = $1 AND session_id = $2
			AND seq IS NOT NULL AND state <> 'MERGED' ORDER BY seq`, actor.CommitteeID, sessionID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			cells, err := ledgerRowOf(ctx, tx, id, lang)
			if err != nil {
				return err
			}
			if err := sh.Row(cells...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = sh.WriteTo(w)
	return err
}

// ledgerRowOf is one proposal's ledger row, in the order of ledgerCols.
func ledgerRowOf(ctx context.Context, q db.Querier, id int64, lang string) ([]any, error) {
	p, err := loadProposal(ctx, q, id)
	if err != nil {
		return nil, err
	}
	signers, err := listSigners(ctx, q, id)
	if err != nil {
		return nil, err
	}
	as, err := listAssignments(ctx, q, id)
	if err != nil {
		return nil, err
	}
	contacts, err := listContacts(ctx, q, id)
	if err != nil {
		return nil, err
	}
	replies, err := listReplies(ctx, q, id)
	if err != nil {
		return nil, err
	}
	evals, err := listEvaluations(ctx, q, id)
	if err != nil {
		return nil, err
	}
	var sector string
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(se.name, '') FROM memberships m LEFT JOIN sectors se ON se.id = m.sector_id
		WHERE m.id = $1`, p.FirstProposerID).Scan(&sector); err != nil {
		return nil, err
	}
	label := func(prefix, code string) string {
		if code == "" {
			return ""
		}
		return i18n.T(lang, prefix+code)
	}
	var first string
	var co, units []string
	for _, sg := range signers {
		switch {
		case sg.Role == "first":
			first = sg.Name
		case sg.Status == Signed:
			co = append(co, sg.Name)
		}
	}
	var coSigned civil.Date
	for _, sg := range signers {
		if sg.Role == "co" && sg.Status == Signed && coSigned.IsZero() && !sg.RespondedAt.IsZero() {
			coSigned = civil.Of(sg.RespondedAt)
		}
	}
	var lead *Assignment
	for i := range as {
		units = append(units, as[i].UnitName)
		if lead == nil && as[i].Role.Replies() {
			lead = &as[i]
		}
	}
	var due, accepted, contactOn, repliedOn, approvedOn, evaluatedOn civil.Date
	var method, class, letter, rating string
	if lead != nil {
		due = lead.OriginalDueOn
		if !lead.AcceptedAt.IsZero() {
			accepted = civil.Of(lead.AcceptedAt)
		}
		for _, c := range contacts {
			if c.AssignmentID == lead.ID && c.Round == 1 {
				contactOn, method = c.On, label("proposal.method.", string(c.Method))
				break
			}
		}
		for _, r := range replies {
			if r.AssignmentID == lead.ID && r.Round == 1 {
				repliedOn, approvedOn, class, letter = r.SubmittedOn, r.DeliveredOn, r.ResultClass, r.Body
			}
		}
	}
	for _, e := range evals {
		if e.Round == 1 && e.MembershipID == p.FirstProposerID {
			rating, evaluatedOn = label("proposal.rating.", string(e.Overall)), civil.Of(e.CreatedAt)
		}
	}
	mode := label("proposal.mode.", string(p.Mode))
	return []any{
		p.Number, p.Title, first, co, sector, label("proposal.theme.", string(p.Theme)), label("proposal.category.", string(p.Category)),
		units, mode, ledgerDate(p.SubmittedOn), ledgerDate(coSigned), ledgerDate(p.RegisteredOn), ledgerDate(p.AssignedOn),
		ledgerDate(due), ledgerDate(accepted), ledgerDate(contactOn), method, ledgerDate(repliedOn), ledgerDate(approvedOn),
		class, rating, ledgerDate(evaluatedOn), ledgerDate(p.ClosedOn), p.Matter, p.Analysis, p.Suggestions, letter,
	}, nil
}
