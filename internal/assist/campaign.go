package assist

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/figure"
)

// Campaign is a push with a period, its 助推 categories (a list the
// committee sets: 七个助推 in Fuyuan) and targets on the programme's figures
// (the 百日会战: so many households helped into industry by its end).
type Campaign struct {
	ID          int64      `json:"id"`
	CommitteeID int64      `json:"committee_id"`
	Name        string     `json:"name"`
	StartsOn    civil.Date `json:"starts_on"`
	EndsOn      civil.Date `json:"ends_on"`
	Categories  []string   `json:"categories"`
	Notes       string     `json:"notes"`
	Targets     []Target   `json:"targets"`
	Version     int        `json:"version"`
}

// Target is one goal of a campaign on one figure, and its progress: the
// figure's value over the campaign's period up to today.
type Target struct {
	Category string `json:"category"`
	FigureID string `json:"figure_id"`
	Target   int64  `json:"target"`
	Progress int64  `json:"progress"`
}

// CampaignInput is a campaign as entered.
type CampaignInput struct {
	Name       string     `json:"name"`
	StartsOn   civil.Date `json:"starts_on"`
	EndsOn     civil.Date `json:"ends_on"`
	Categories []string   `json:"categories,omitempty"`
	Notes      string     `json:"notes,omitempty"`
	Targets    []Target   `json:"targets"`
}

func (in *CampaignInput) validate() error {
	in.Name, in.Notes = strings.TrimSpace(in.Name), strings.TrimSpace(in.Notes)
	var fe []apperr.FieldError
	if in.Name == "" {
		fe = append(fe, apperr.Field("name", "err.assist.required"))
	}
	if in.StartsOn.IsZero() {
		fe = append(fe, apperr.Field("starts_on", "err.assist.required"))
	}
	if in.EndsOn.IsZero() || in.EndsOn.Before(in.StartsOn) {
		fe = append(fe, apperr.Field("ends_on", "err.assist.date"))
	}
	var cats []string
	for _, c := range in.Categories {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(cats, c) {
			cats = append(cats, c)
		}
	}
	in.Categories = cats
	seen := map[[2]string]bool{}
	for i, t := range in.Targets {
		field := "targets." + itoa(i)
		if _, ok := lookup(t.FigureID); !ok {
			fe = append(fe, apperr.Field(field+".figure_id", "err.form.bad_choice"))
		}
		if t.Category != "" && !slices.Contains(cats, t.Category) {
			fe = append(fe, apperr.Field(field+".category", "err.form.bad_choice"))
		}
		if t.Target < 0 {
			fe = append(fe, apperr.Field(field+".target", "err.form.out_of_range"))
		}
		k := [2]string{t.Category, t.FigureID}
		if seen[k] {
			fe = append(fe, apperr.Field(field+".figure_id", "err.assist.target_duplicate"))
		}
		seen[k] = true
	}
	if len(fe) > 0 {
		return apperr.Fields(fe...)
	}
	return nil
}

// CreateCampaign starts a campaign with its categories and targets (officers).
func (s *Service) CreateCampaign(ctx context.Context, actor *auth.Actor, in CampaignInput) (Campaign, error) {
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermManage, actor.CommitteeID); err != nil {
			return err
		}
		if err := in.validate(); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_campaigns WHERE committee_id = $1 AND name = $2`,
			actor.CommitteeID, in.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.Fields(apperr.Field("name", "err.assist.campaign_exists"))
		}
		now := db.Now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO assist_campaigns (committee_id, name, starts_on, ends_on, categories, notes,
			created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING id`, actor.CommitteeID, in.Name, in.StartsOn, in.EndsOn,
			strings.Join(in.Categories, "\n"), in.Notes, now).Scan(&id); err != nil {
			return err
		}
		for _, t := range in.Targets {
			if _, err := tx.ExecContext(ctx, `INSERT INTO assist_campaign_targets (committee_id, campaign_id, category, figure_id, target)
				VALUES ($1,$2,$3,$4,$5)`, actor.CommitteeID, id, t.Category, t.FigureID, t.Target); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "create", "assist_campaign", id, nil, in)
	})
	if err != nil {
		return Campaign{}, err
	}
	cs, err := s.campaigns(ctx, actor, actor.CommitteeID, id)
	if err != nil || len(cs) == 0 {
		return Campaign{}, err
	}
	return cs[0], nil
}

// ListCampaigns lists a committee's campaigns, newest first, with each
// target's progress (readers of the programme).
func (s *Service) ListCampaigns(ctx context.Context, actor *auth.Actor, committeeID int64) ([]Campaign, error) {
	return s.campaigns(ctx, actor, committeeID, 0)
}

func (s *Service) campaigns(ctx context.Context, actor *auth.Actor, cid, only int64) ([]Campaign, error) {
	var out []Campaign
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermView, cid); err != nil {
			return err
		}
		var a db.Args
		where := `committee_id = ` + a.Add(cid)
		if only != 0 {
			where += ` AND id = ` + a.Add(only)
		}
		var err error
		out, err = db.Query(ctx, tx, func(sc db.Scanner) (Campaign, error) {
			var c Campaign
			var cats string
			err := sc.Scan(&c.ID, &c.CommitteeID, &c.Name, &c.StartsOn, &c.EndsOn, &cats, &c.Notes, &c.Version)
			c.Categories = strings.FieldsFunc(cats, func(r rune) bool { return r == '\n' })
			return c, err
		}, `SELECT id, committee_id, name, starts_on, ends_on, categories, notes, version FROM assist_campaigns WHERE `+where+
			` ORDER BY starts_on DESC, id DESC`, a...)
		if err != nil {
			return err
		}
		for i := range out {
			if out[i].Targets, err = db.Query(ctx, tx, func(sc db.Scanner) (Target, error) {
				var t Target
				return t, sc.Scan(&t.Category, &t.FigureID, &t.Target)
			}, `SELECT category, figure_id, target FROM assist_campaign_targets WHERE campaign_id = $1 ORDER BY id`, out[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		if err := s.progress(ctx, actor, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// progress fills each target's progress from the figure over the campaign's
// period up to today (one figure computation per campaign).
func (s *Service) progress(ctx context.Context, actor *auth.Actor, c *Campaign) error {
	if len(c.Targets) == 0 {
		return nil
	}
	to := c.EndsOn
	if t := s.today(); t.Before(to) {
		to = t
	}
	vs, err := s.Source().Figures(ctx, actor, figure.Filter{CommitteeID: c.CommitteeID, From: c.StartsOn, To: to})
	if err != nil {
		return err
	}
	for i, t := range c.Targets {
		for _, v := range vs {
			if v.ID == t.FigureID {
				c.Targets[i].Progress = v.Value
			}
		}
	}
	return nil
}
