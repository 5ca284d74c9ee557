package liaison

import (
	"context"
	"database/sql"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Campaign is a visit campaign such as 党组书记走访常委: between StartsOn and EndsOn
// each visitor visits each of their targets at least MinVisits times.
type Campaign struct {
	ID          int64        `json:"id"`
	CommitteeID int64        `json:"committee_id"`
	TermID      int64        `json:"term_id"`
	Kind        CampaignKind `json:"kind"`
	Name        string       `json:"name"`
	StartsOn    string       `json:"starts_on"`
	EndsOn      string       `json:"ends_on"`
	MinVisits   int          `json:"min_visits"`
	Notes       string       `json:"notes"`
	Version     int          `json:"version"`
	Targets     int          `json:"targets"` // number of targets
	Done        int          `json:"done"`    // targets visited at least MinVisits times
}

// CampaignInput is what a campaign is created or updated from. TermID 0 means
// the newest term; MinVisits 0 means 1.
type CampaignInput struct {
	TermID    int64        `json:"term_id"`
	Kind      CampaignKind `json:"kind"`
	Name      string       `json:"name"`
	StartsOn  string       `json:"starts_on"`
	EndsOn    string       `json:"ends_on"`
	MinVisits int          `json:"min_visits"`
	Notes     string       `json:"notes"`
}

type campaignRow struct {
	ID        int64        `json:"id"`
	TermID    int64        `json:"term_id"`
	Kind      CampaignKind `json:"kind"`
	Name      string       `json:"name"`
	StartsOn  string       `json:"starts_on"`
	EndsOn    string       `json:"ends_on"`
	MinVisits int          `json:"min_visits"`
	Notes     string       `json:"notes"`
	Version   int          `json:"version"`
}

func (c *Campaign) row() campaignRow {
	return campaignRow{c.ID, c.TermID, c.Kind, c.Name, c.StartsOn, c.EndsOn, c.MinVisits, c.Notes, c.Version}
}

const campaignSelect = `SELECT c.id, c.committee_id, c.term_id, c.kind, c.name, c.starts_on, c.ends_on, c.min_visits,
	c.notes, c.version,
	(SELECT COUNT(*) FROM liaison_targets t WHERE t.committee_id = c.committee_id AND t.campaign_id = c.id),
	(SELECT COUNT(*) FROM liaison_targets t WHERE t.committee_id = c.committee_id AND t.campaign_id = c.id
	   AND (SELECT COUNT(*) FROM liaison_contacts v WHERE v.committee_id = t.committee_id AND v.target_id = t.id
	        AND v.contact_on >= c.starts_on AND v.contact_on <= c.ends_on) >= c.min_visits)
	FROM liaison_campaigns c `

func scanCampaign(sc interface{ Scan(...any) error }) (*Campaign, error) {
	c := &Campaign{}
	err := sc.Scan(&c.ID, &c.CommitteeID, &c.TermID, &c.Kind, &c.Name, &c.StartsOn, &c.EndsOn, &c.MinVisits,
		&c.Notes, &c.Version, &c.Targets, &c.Done)
	return c, err
}

func loadCampaign(ctx context.Context, q db.Querier, id int64) (*Campaign, error) {
	c, err := scanCampaign(q.QueryRowContext(ctx, campaignSelect+`WHERE c.id = $1`, id))
	return c, notFoundIfNoRows(err)
}

// GetCampaign returns a campaign of a committee the actor reads.
func (s *Service) GetCampaign(ctx context.Context, actor *auth.Actor, id int64) (*Campaign, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	c, err := loadCampaign(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	ok, err := s.canRead(ctx, actor, c.CommitteeID, Person{})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.ErrNotFound
	}
	return c, nil
}

// ListCampaigns returns the campaigns of a committee (0: the actor's own), newest first.
func (s *Service) ListCampaigns(ctx context.Context, actor *auth.Actor, committeeID int64) ([]Campaign, error) {
	cid, err := s.readScope(ctx, actor, committeeID)
	if err != nil {
		return nil, err
	}
	return db.Query(ctx, s.DB, byValue(scanCampaign), campaignSelect+`WHERE c.committee_id = $1 ORDER BY c.starts_on DESC, c.id DESC`, cid)
}

// CreateCampaign starts a visit campaign in the actor's committee.
func (s *Service) CreateCampaign(ctx context.Context, actor *auth.Actor, in CampaignInput) (*Campaign, error) {
	if err := requireEdit(actor); err != nil {
		return nil, err
	}
	var out *Campaign
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.validateCampaign(ctx, tx, actor.CommitteeID, 0, &in); err != nil {
			return err
		}
		var id int64
		now := db.Now()
		err := tx.QueryRowContext(ctx, `INSERT INTO liaison_campaigns (committee_id, term_id, kind, name, starts_on, ends_on,
			min_visits, notes, version, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,1,$9,$9) RETURNING id`,
			actor.CommitteeID, in.TermID, string(in.Kind), in.Name, in.StartsOn, in.EndsOn, in.MinVisits, in.Notes, now).Scan(&id)
		if err != nil {
			return err
		}
		if out, err = loadCampaign(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "create", "liaison_campaign", id, nil, out.row())
	})
	return out, err
}

// UpdateCampaign changes a campaign at the given version. Kind and term are fixed
// once it has targets, since the targets were checked against them.
func (s *Service) UpdateCampaign(ctx context.Context, actor *auth.Actor, id int64, version int, in CampaignInput) (*Campaign, error) {
	if err := requireEdit(actor); err != nil {
		return nil, err
	}
	var out *Campaign
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := loadCampaign(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.CommitteeID != actor.CommitteeID {
			return apperr.ErrNotFound
		}
		if in.TermID == 0 {
			in.TermID = before.TermID
		}
		if err := s.validateCampaign(ctx, tx, actor.CommitteeID, id, &in); err != nil {
			return err
		}
		if before.Targets > 0 && (in.TermID != before.TermID || in.Kind != before.Kind) {
			return apperr.Fields(apperr.Field("kind", "err.liaison.campaign_locked"))
		}
		if err := db.ExecVersioned(ctx, tx, `UPDATE liaison_campaigns SET term_id = $1, kind = $2, name = $3, starts_on = $4,
			ends_on = $5, min_visits = $6, notes = $7, version = version + 1, updated_at = $8
			WHERE id = $9 AND committee_id = $10 AND version = $11`,
			in.TermID, string(in.Kind), in.Name, in.StartsOn, in.EndsOn, in.MinVisits, in.Notes, db.Now(),
			id, actor.CommitteeID, version); err != nil {
			return err
		}
		if out, err = loadCampaign(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "update", "liaison_campaign", id, before.row(), out.row())
	})
	return out, err
}

// DeleteCampaign removes a campaign that has no targets left.
func (s *Service) DeleteCampaign(ctx context.Context, actor *auth.Actor, id int64, version int) error {
	if err := requireEdit(actor); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := loadCampaign(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.CommitteeID != actor.CommitteeID {
			return apperr.ErrNotFound
		}
		if before.Targets > 0 {
			return apperr.New(apperr.Conflict, "err.liaison.campaign_has_targets")
		}
		if err := db.ExecVersioned(ctx, tx, `DELETE FROM liaison_campaigns WHERE id = $1 AND committee_id = $2 AND version = $3`,
			id, actor.CommitteeID, version); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "delete", "liaison_campaign", id, before.row(), nil)
	})
}

func (s *Service) validateCampaign(ctx context.Context, q db.Querier, cid, selfID int64, in *CampaignInput) error {
	var fe fieldErrs
	in.Name, in.Notes = strings.TrimSpace(in.Name), strings.TrimSpace(in.Notes)
	if in.MinVisits == 0 {
		in.MinVisits = 1
	}
	if !in.Kind.Valid() {
		fe.add("kind", "err.liaison.kind_invalid")
	}
	switch {
	case in.Name == "":
		fe.add("name", "err.required")
	case len([]rune(in.Name)) > 100:
		fe.add("name", "err.liaison.too_long", map[string]any{"Max": 100})
	}
	if in.MinVisits < 1 || in.MinVisits > 52 {
		fe.add("min_visits", "err.liaison.per_year_range", map[string]any{"Min": 1, "Max": 52})
	}
	fe.period("starts_on", in.StartsOn, "ends_on", in.EndsOn, true)
	fe.notes("notes", in.Notes)
	if in.TermID == 0 {
		var err error
		if in.TermID, err = s.newestTerm(ctx, cid); err != nil {
			return err
		}
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM terms WHERE id = $1 AND committee_id = $2`, in.TermID, cid).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		fe.add("term_id", "err.liaison.term_unknown")
	}
	if in.Name != "" {
		err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM liaison_campaigns WHERE committee_id = $1 AND name = $2 AND id <> $3`,
			cid, in.Name, selfID).Scan(&n)
		if err != nil {
			return err
		}
		if n > 0 {
			fe.add("name", "err.liaison.name_taken")
		}
	}
	return fe.err()
}

// Target is one visit a campaign plans: Visitor visits Target.
type Target struct {
	ID          int64  `json:"id"`
	CommitteeID int64  `json:"committee_id"`
	CampaignID  int64  `json:"campaign_id"`
	Visitor     Person `json:"visitor"`
	Target      Person `json:"target"`
	Visits      int    `json:"visits"`     // visits within the campaign's period
	LastVisit   string `json:"last_visit"` // date of the latest visit, '' if none
}

type targetRow struct {
	ID         int64 `json:"id"`
	CampaignID int64 `json:"campaign_id"`
	VisitorID  int64 `json:"visitor_id"`
	TargetID   int64 `json:"target_id"`
}

func (t *Target) row() targetRow {
	return targetRow{t.ID, t.CampaignID, t.Visitor.MembershipID, t.Target.MembershipID}
}

const targetSelect = `SELECT t.id, t.committee_id, t.campaign_id, t.visitor_id, vm.person_id, vp.name,
	t.target_id, tm.person_id, tp.name,
	(SELECT COUNT(*) FROM liaison_contacts v WHERE v.committee_id = t.committee_id AND v.target_id = t.id
	   AND v.contact_on >= c.starts_on AND v.contact_on <= c.ends_on),
	COALESCE((SELECT MAX(v.contact_on) FROM liaison_contacts v WHERE v.committee_id = t.committee_id AND v.target_id = t.id), '')
	FROM liaison_targets t JOIN liaison_campaigns c ON c.id = t.campaign_id
	JOIN memberships vm ON vm.id = t.visitor_id JOIN people vp ON vp.id = vm.person_id
	JOIN memberships tm ON tm.id = t.target_id JOIN people tp ON tp.id = tm.person_id `

func scanTarget(sc interface{ Scan(...any) error }) (*Target, error) {
	t := &Target{}
	err := sc.Scan(&t.ID, &t.CommitteeID, &t.CampaignID, &t.Visitor.MembershipID, &t.Visitor.PersonID, &t.Visitor.Name,
		&t.Target.MembershipID, &t.Target.PersonID, &t.Target.Name, &t.Visits, &t.LastVisit)
	return t, err
}

func loadTarget(ctx context.Context, q db.Querier, id int64) (*Target, error) {
	t, err := scanTarget(q.QueryRowContext(ctx, targetSelect+`WHERE t.id = $1`, id))
	return t, notFoundIfNoRows(err)
}

// ListTargets returns a campaign's targets with their visit counts, by visitor then target.
func (s *Service) ListTargets(ctx context.Context, actor *auth.Actor, campaignID int64) ([]Target, error) {
	c, err := s.GetCampaign(ctx, actor, campaignID)
	if err != nil {
		return nil, err
	}
	return s.listTargets(ctx, c.CommitteeID, campaignID, 0)
}

// MyTargets returns the campaign targets the actor visits, in its own committee.
func (s *Service) MyTargets(ctx context.Context, actor *auth.Actor) ([]Target, error) {
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if actor.PersonID == 0 || !auth.Can(actor, LogContact) {
		return nil, nil
	}
	return s.listTargets(ctx, actor.CommitteeID, 0, actor.PersonID)
}

func (s *Service) listTargets(ctx context.Context, cid, campaignID, visitorPerson int64) ([]Target, error) {
	return db.Query(ctx, s.DB, byValue(scanTarget), targetSelect+`WHERE t.committee_id = $1 AND (CAST($2 AS BIGINT) = 0 OR t.campaign_id = $2)
		AND (CAST($3 AS BIGINT) = 0 OR vm.person_id = $3) ORDER BY c.starts_on DESC, vp.name, t.visitor_id, tp.name, t.id`, cid, campaignID, visitorPerson)
}

// AddTargets plans visits by visitorID to each of targetIDs in one transaction;
// any refused target refuses them all, naming it.
func (s *Service) AddTargets(ctx context.Context, actor *auth.Actor, campaignID, visitorID int64, targetIDs []int64) ([]Target, error) {
	if err := requireEdit(actor); err != nil {
		return nil, err
	}
	var out []Target
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		c, err := loadCampaign(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		if c.CommitteeID != actor.CommitteeID {
			return apperr.ErrNotFound
		}
		visitor, targets, err := validateTargets(ctx, tx, c, visitorID, targetIDs)
		if err != nil {
			return err
		}
		for _, tg := range targets {
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO liaison_targets (committee_id, campaign_id, visitor_id, target_id, created_at)
				VALUES ($1,$2,$3,$4,$5) RETURNING id`, c.CommitteeID, c.ID, visitor.MembershipID, tg.MembershipID, db.Now()).Scan(&id)
			if err != nil {
				return err
			}
			t, err := loadTarget(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, actor, c.CommitteeID, "create", "liaison_target", id, nil, t.row()); err != nil {
				return err
			}
			out = append(out, *t)
		}
		return nil
	})
	return out, err
}

// validateTargets applies the campaign kind's rule to the visitor and each target.
func validateTargets(ctx context.Context, q db.Querier, c *Campaign, visitorID int64, targetIDs []int64) (*member, []*member, error) {
	var fe fieldErrs
	visitor, err := fe.member(ctx, q, c.CommitteeID, "visitor_id", visitorID)
	if err != nil {
		return nil, nil, err
	}
	if visitor != nil {
		switch {
		case visitor.TermID != c.TermID:
			fe.add("visitor_id", "err.liaison.term_mismatch")
		case c.Kind == KindSecretaryStanding && !visitor.IsSecretary():
			fe.add("visitor_id", "err.liaison.not_secretary", map[string]any{"Name": visitor.Name})
		case c.Kind == KindLeaderMember && !visitor.InPartyGroup():
			fe.add("visitor_id", "err.liaison.not_party_group", map[string]any{"Name": visitor.Name})
		}
	}
	if len(targetIDs) == 0 {
		fe.add("target_ids", "err.required")
	}
	var out []*member
	seen := map[int64]bool{}
	for _, id := range targetIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		m, err := fe.member(ctx, q, c.CommitteeID, "target_ids", id)
		if err != nil {
			return nil, nil, err
		}
		if m == nil {
			continue
		}
		name := map[string]any{"Name": m.Name}
		switch {
		case m.TermID != c.TermID:
			fe.add("target_ids", "err.liaison.term_mismatch")
		case visitor != nil && m.PersonID == visitor.PersonID:
			fe.add("target_ids", "err.liaison.same_person")
		case c.Kind == KindSecretaryStanding && !m.Standing:
			fe.add("target_ids", "err.liaison.not_standing", name)
		default:
			if visitor != nil {
				var n int
				err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM liaison_targets WHERE committee_id = $1 AND campaign_id = $2
					AND visitor_id = $3 AND target_id = $4`, c.CommitteeID, c.ID, visitor.MembershipID, m.MembershipID).Scan(&n)
				if err != nil {
					return nil, nil, err
				}
				if n > 0 {
					fe.add("target_ids", "err.liaison.target_exists", name)
				}
			}
		}
		out = append(out, m)
	}
	if err := fe.err(); err != nil {
		return nil, nil, err
	}
	return visitor, out, nil
}

// RemoveTarget takes a target off a campaign; one already visited stays.
func (s *Service) RemoveTarget(ctx context.Context, actor *auth.Actor, targetID int64) error {
	if err := requireEdit(actor); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		t, err := loadTarget(ctx, tx, targetID)
		if err != nil {
			return err
		}
		if t.CommitteeID != actor.CommitteeID {
			return apperr.ErrNotFound
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM liaison_contacts WHERE committee_id = $1 AND target_id = $2`,
			t.CommitteeID, t.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(apperr.Conflict, "err.liaison.target_has_visits")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM liaison_targets WHERE id = $1 AND committee_id = $2`, t.ID, t.CommitteeID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, t.CommitteeID, "delete", "liaison_target", t.ID, t.row(), nil)
	})
}
