package proposal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// Publication (公开): with the first proposer's consent, the proposal office
// publishes a replied proposal: its texts and delivered replies appear on the
// public pages (no login) with contact details redacted. Withdrawing consent
// takes it off at once.

// Timeline actions of publication (not steps of the workflow table: they
// change no state).
const (
	ActConsent   Action = "publish_consent"
	ActPublish   Action = "publish"
	ActUnpublish Action = "unpublish"
)

// SetPublishConsent records the first proposer's consent to publication (or
// its withdrawal, which unpublishes). Only the first proposer may give it.
func (s *Service) SetPublishConsent(ctx context.Context, actor *auth.Actor, ref Ref, consent bool) (*Proposal, error) {
	if _, err := loadSegmenter(); err != nil {
		return nil, err
	}
	return s.run(ctx, actor, ref, func(o *op) error {
		sg, err := o.mySigner()
		if err != nil {
			return err
		}
		if sg == nil || sg.Role != "first" {
			return apperr.New(apperr.Forbidden, "err.figures.only_first_proposer_consents")
		}
		if o.p.PublishConsent == consent {
			return nil
		}
		wasPublished := o.p.Published
		o.p.PublishConsent = consent
		if !consent && o.p.Published {
			o.p.Published = false
			if _, err := o.tx.ExecContext(ctx, `DELETE FROM proposal_publications WHERE proposal_id = $1`, o.p.ID); err != nil {
				return err
			}
		}
		return o.savePublication(ActConsent, fmt.Sprint(consent),
			map[string]any{"publish_consent": !consent, "published": wasPublished},
			map[string]any{"publish_consent": consent, "published": o.p.Published})
	})
}

// Publish publishes a replied (or closed) proposal whose first proposer
// consented (proposal office).
func (s *Service) Publish(ctx context.Context, actor *auth.Actor, ref Ref) (*Proposal, error) {
	if !auth.Can(actor, PermPublish) {
		if actor == nil {
			return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
		}
		if _, err := s.visible(ctx, actor, ref.ID); err != nil {
			return nil, err
		}
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	if _, err := loadSegmenter(); err != nil {
		return nil, err
	}
	return s.run(ctx, actor, ref, func(o *op) error {
		switch {
		case !slices.Contains(repliedStates, o.p.State):
			return apperr.New(apperr.Conflict, "err.figures.publish_not_replied")
		case !o.p.PublishConsent:
			return apperr.New(apperr.Conflict, "err.figures.publish_no_consent")
		case o.p.Published:
			return apperr.New(apperr.Conflict, "err.figures.already_published")
		}
		o.p.Published = true
		if _, err := o.tx.ExecContext(ctx, `INSERT INTO proposal_publications (proposal_id, committee_id, published_on, published_by, created_at)
			VALUES ($1, $2, $3, $4, $5)`, o.p.ID, o.p.CommitteeID, o.today, nullID(actor.UserID), db.Now()); err != nil {
			return err
		}
		return o.savePublication(ActPublish, "", map[string]any{"published": false},
			map[string]any{"published": true, "published_on": o.today.String()})
	})
}

// Unpublish takes a published proposal off the public pages (proposal office), saying why.
func (s *Service) Unpublish(ctx context.Context, actor *auth.Actor, ref Ref, note string) (*Proposal, error) {
	note = strings.TrimSpace(note)
	if !auth.Can(actor, PermPublish) {
		if actor == nil {
			return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
		}
		if _, err := s.visible(ctx, actor, ref.ID); err != nil {
			return nil, err
		}
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	if _, err := loadSegmenter(); err != nil {
		return nil, err
	}
	return s.run(ctx, actor, ref, func(o *op) error {
		if !o.p.Published {
			return apperr.New(apperr.Conflict, "err.figures.not_published")
		}
		if note == "" {
			return invalid("note", "err.required")
		}
		o.p.Published = false
		if _, err := o.tx.ExecContext(ctx, `DELETE FROM proposal_publications WHERE proposal_id = $1`, o.p.ID); err != nil {
			return err
		}
		return o.savePublication(ActUnpublish, note, map[string]any{"published": true}, map[string]any{"published": false, "note": note})
	})
}

// savePublication saves the proposal, audits the change, writes the timeline
// event and refreshes the derived rows (the search's publication marker).
func (o *op) savePublication(a Action, note string, before, after map[string]any) error {
	o.p.UpdatedAt = db.Now()
	if err := saveProposal(o.ctx, o.tx, o.p); err != nil {
		return err
	}
	if err := o.audit("proposal."+string(a), "proposal", o.p.ID, before, after); err != nil {
		return err
	}
	if err := o.event(0, a, o.p.State, o.p.State, note); err != nil {
		return err
	}
	return refreshDerived(o.ctx, o.tx, o.p.ID)
}

// PublicQuery filters the public list. Zero values do not filter.
type PublicQuery struct {
	CommitteeID int64
	Q           string
	Theme       Theme
	UnitID      int64
	Year        int
	Offset      int
	Limit       int // default 20, at most 100
}

// PublicItem is one published proposal in the public list.
type PublicItem struct {
	ID          int64      `json:"id"`
	Committee   string     `json:"committee"`
	Number      string     `json:"number"`
	Title       string     `json:"title"`
	Theme       Theme      `json:"theme"`
	Year        int        `json:"year"`
	Units       []string   `json:"units"`
	Classes     []string   `json:"classes"`
	PublishedOn civil.Date `json:"published_on"`
}

// PublicPage is one page of the public list.
type PublicPage struct {
	Words  []string     `json:"words,omitempty"`
	Items  []PublicItem `json:"items"`
	Total  int          `json:"total"`
	Offset int          `json:"offset"`
	Limit  int          `json:"limit"`
}

// PublicList lists published proposals for anyone, newest first (best match
// first when searching).
func (s *Service) PublicList(ctx context.Context, in PublicQuery) (*PublicPage, error) {
	if in.Limit <= 0 || in.Limit > 100 {
		in.Limit = 20
	}
	in.Offset = max(in.Offset, 0)
	if in.Theme != "" && !slices.Contains(Themes, in.Theme) {
		return nil, apperr.Fields(apperr.Field("theme", "err.figures.bad_filter"))
	}
	page := &PublicPage{Offset: in.Offset, Limit: in.Limit}
	var err error
	if page.Words, err = checkQuery(in.Q); err != nil {
		return nil, err
	}
	// Every committee's public list reads every committee: catch up all (only
	// what changed since the change-queue job last ran).
	roll := "/"
	if in.CommitteeID != 0 {
		roll = ""
	}
	if _, err := s.CatchUp(ctx, in.CommitteeID, roll); err != nil {
		return nil, err
	}
	b := &db.Args{}
	from := ` FROM proposal_publications pub JOIN proposals p ON p.id = pub.proposal_id JOIN committees c ON c.id = p.committee_id`
	order := `pub.published_on DESC, p.id DESC`
	if len(page.Words) > 0 {
		all := []string{publishedMarker}
		if in.CommitteeID != 0 {
			all = append(all, committeeMarker(in.CommitteeID))
		}
		from += ` JOIN (` + matchSQL(s.DB, b, append(all, page.Words...), nil) + `) mt ON mt.pid = p.id`
		order = `mt.score DESC, p.id DESC`
	}
	w := []string{`p.is_published`}
	if in.CommitteeID != 0 {
		w = append(w, `p.committee_id = `+b.Add(in.CommitteeID))
	}
	if in.Theme != "" {
		w = append(w, `p.theme = `+b.Add(string(in.Theme)))
	}
	if in.Year != 0 {
		w = append(w, `p.year = `+b.Add(in.Year))
	}
	if in.UnitID != 0 {
		w = append(w, `p.id IN (SELECT a.proposal_id FROM proposal_assignments a WHERE a.unit_id = `+b.Add(in.UnitID)+`)`)
	}
	cond := ` WHERE ` + strings.Join(w, " AND ")
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*)`+from+cond, *b...).Scan(&page.Total); err != nil {
		return nil, err
	}
	page.Items, err = db.Query(ctx, s.DB, func(sc db.Scanner) (PublicItem, error) {
		var it PublicItem
		err := sc.Scan(&it.ID, &it.Committee, &it.Number, &it.Title, &it.Theme, &it.Year, &it.PublishedOn)
		it.Title = Redact(it.Title)
		return it, err
	}, `SELECT p.id, c.name, p.number, p.title, p.theme, p.year, pub.published_on`+from+cond+
		` ORDER BY `+order+` LIMIT `+b.Add(in.Limit)+` OFFSET `+b.Add(in.Offset), *b...)
	if err != nil {
		return nil, err
	}
	for i := range page.Items {
		it := &page.Items[i]
		reps, err := publicReplies(ctx, s.DB, it.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range reps {
			if !slices.Contains(it.Units, r.Unit) {
				it.Units = append(it.Units, r.Unit)
			}
			if !slices.Contains(it.Classes, r.Class) {
				it.Classes = append(it.Classes, r.Class)
			}
		}
	}
	return page, nil
}

// PublicReply is a delivered reply as published.
type PublicReply struct {
	Unit       string     `json:"unit"`
	Round      int        `json:"round"`
	Class      string     `json:"class"`
	ClassLabel string     `json:"class_label"`
	Body       string     `json:"body"`
	On         civil.Date `json:"on"`
}

// PublicProposal is a published proposal as anyone may read it: no contact
// details, no attachments, no evaluations, no names of unit staff.
type PublicProposal struct {
	ID          int64         `json:"id"`
	Committee   string        `json:"committee"`
	Number      string        `json:"number"`
	Title       string        `json:"title"`
	Theme       Theme         `json:"theme"`
	Year        int           `json:"year"`
	Proposer    string        `json:"proposer"`
	Matter      string        `json:"matter"`
	Analysis    string        `json:"analysis"`
	Suggestions string        `json:"suggestions"`
	Replies     []PublicReply `json:"replies"`
	PublishedOn civil.Date    `json:"published_on"`
}

// PublicGet returns a published proposal; anything else is apperr.ErrNotFound.
func (s *Service) PublicGet(ctx context.Context, id int64) (*PublicProposal, error) {
	var pp PublicProposal
	var cid int64
	err := s.DB.QueryRowContext(ctx, `SELECT p.id, p.committee_id, c.name, p.number, p.title, p.theme, p.year,
		COALESCE(pe.name, p.body_name), p.matter, p.analysis, p.suggestions, pub.published_on
		FROM proposals p JOIN proposal_publications pub ON pub.proposal_id = p.id JOIN committees c ON c.id = p.committee_id
		LEFT JOIN memberships m ON m.id = p.first_proposer_id LEFT JOIN people pe ON pe.id = m.person_id
		WHERE p.id = $1 AND p.is_published`, id).Scan(&pp.ID, &cid, &pp.Committee, &pp.Number, &pp.Title, &pp.Theme, &pp.Year,
		&pp.Proposer, &pp.Matter, &pp.Analysis, &pp.Suggestions, &pp.PublishedOn)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	pp.Title, pp.Matter, pp.Analysis, pp.Suggestions = Redact(pp.Title), Redact(pp.Matter), Redact(pp.Analysis), Redact(pp.Suggestions)
	if pp.Replies, err = publicReplies(ctx, s.DB, id); err != nil {
		return nil, err
	}
	classes, err := listClasses(ctx, s.DB, cid)
	if err != nil {
		return nil, err
	}
	for i := range pp.Replies {
		for _, c := range classes {
			if c.Code == pp.Replies[i].Class {
				pp.Replies[i].ClassLabel = c.LabelZh
			}
		}
	}
	return &pp, nil
}

func publicReplies(ctx context.Context, q db.Querier, id int64) ([]PublicReply, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (PublicReply, error) {
		var r PublicReply
		err := sc.Scan(&r.Unit, &r.Round, &r.Class, &r.Body, &r.On)
		r.Body = Redact(r.Body)
		return r, err
	}, `SELECT u.name, r.round, r.result_class, r.body, r.delivered_on FROM proposal_replies r
		JOIN proposal_assignments a ON a.id = r.assignment_id JOIN units u ON u.id = a.unit_id
		WHERE r.proposal_id = $1 AND r.status = 'delivered' ORDER BY r.round, a.id`, id)
}

// PublicFacets are the choices of the public list's filters.
type PublicFacets struct {
	Committees []Option `json:"committees"`
	Units      []Option `json:"units"` // of the chosen committee
	Years      []int    `json:"years"`
}

// Option is one choice of a select.
type Option struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// PublicChoices returns the committees, units (of committeeID) and years that
// have published proposals.
func (s *Service) PublicChoices(ctx context.Context, committeeID int64) (*PublicFacets, error) {
	var pf PublicFacets
	opts := func(q string, args ...any) ([]Option, error) {
		return db.Query(ctx, s.DB, func(sc db.Scanner) (Option, error) {
			var o Option
			return o, sc.Scan(&o.ID, &o.Name)
		}, q, args...)
	}
	var err error
	if pf.Committees, err = opts(`SELECT DISTINCT c.id, c.name FROM proposal_publications pub JOIN committees c ON c.id = pub.committee_id ORDER BY c.name, c.id`); err != nil {
		return nil, err
	}
	if committeeID != 0 {
		if pf.Units, err = opts(`SELECT DISTINCT u.id, u.name FROM proposal_publications pub JOIN proposal_assignments a ON a.proposal_id = pub.proposal_id
			JOIN units u ON u.id = a.unit_id WHERE pub.committee_id = $1 ORDER BY u.name, u.id`, committeeID); err != nil {
			return nil, err
		}
	}
	pf.Years, err = db.Column[int](ctx, s.DB, `SELECT DISTINCT p.year FROM proposal_publications pub JOIN proposals p ON p.id = pub.proposal_id ORDER BY p.year DESC`)
	return &pf, err
}
