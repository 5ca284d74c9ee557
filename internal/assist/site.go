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
)

// Site is a demonstration site (示范点) with its projects.
type Site struct {
	ID          int64      `json:"id"`
	CommitteeID int64      `json:"committee_id"`
	Name        string     `json:"name"`
	VillageID   int64      `json:"village_id,omitempty"`
	OpenedOn    civil.Date `json:"opened_on"`
	Notes       string     `json:"notes"`
	Projects    []Project  `json:"projects"`
}

// Project is one project of a site: 爱心超市 (supermarket), 扶贫工厂
// (factory), 爱心书屋 (library) or another, with its donations.
type Project struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Donors    int    `json:"donors"`
	AmountFen int64  `json:"amount_fen"`
}

// SiteInput is a site as entered.
type SiteInput struct {
	Name      string     `json:"name"`
	VillageID int64      `json:"village_id"`
	OpenedOn  civil.Date `json:"opened_on"`
	Notes     string     `json:"notes"`
}

// ProjectKinds are the kinds of site project.
var ProjectKinds = []string{"supermarket", "factory", "library", "other"}

// CreateSite adds a demonstration site (officers).
func (s *Service) CreateSite(ctx context.Context, actor *auth.Actor, in SiteInput) (Site, error) {
	var out Site
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermManage, actor.CommitteeID); err != nil {
			return err
		}
		in.Name, in.Notes = strings.TrimSpace(in.Name), strings.TrimSpace(in.Notes)
		var fe []apperr.FieldError
		if in.Name == "" {
			fe = append(fe, apperr.Field("name", "err.assist.required"))
		}
		if in.OpenedOn.IsZero() || s.today().Before(in.OpenedOn) {
			fe = append(fe, apperr.Field("opened_on", "err.assist.date"))
		}
		var village any
		if in.VillageID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_villages WHERE id = $1 AND committee_id = $2`, in.VillageID,
				actor.CommitteeID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				fe = append(fe, apperr.Field("village", "err.assist.village_unknown"))
			}
			village = in.VillageID
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_sites WHERE committee_id = $1 AND name = $2`, actor.CommitteeID, in.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			fe = append(fe, apperr.Field("name", "err.assist.site_exists"))
		}
		if len(fe) > 0 {
			return apperr.Fields(fe...)
		}
		now := db.Now()
		out = Site{CommitteeID: actor.CommitteeID, Name: in.Name, VillageID: in.VillageID, OpenedOn: in.OpenedOn, Notes: in.Notes}
		if err := tx.QueryRowContext(ctx, `INSERT INTO assist_sites (committee_id, name, village_id, opened_on, notes, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$6) RETURNING id`, actor.CommitteeID, in.Name, village, in.OpenedOn, in.Notes, now).Scan(&out.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "create", "assist_site", out.ID, nil, out)
	})
	return out, err
}

// AddProject adds a project to a site of the actor's committee (officers).
func (s *Service) AddProject(ctx context.Context, actor *auth.Actor, siteID int64, p Project) (Project, error) {
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermManage, actor.CommitteeID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_sites WHERE id = $1 AND committee_id = $2`, siteID, actor.CommitteeID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.ErrNotFound
		}
		p.Name = strings.TrimSpace(p.Name)
		var fe []apperr.FieldError
		if !slices.Contains(ProjectKinds, p.Kind) {
			fe = append(fe, apperr.Field("kind", "err.form.bad_choice"))
		}
		if p.Name == "" {
			fe = append(fe, apperr.Field("name", "err.assist.required"))
		}
		if p.Donors < 0 || p.AmountFen < 0 {
			fe = append(fe, apperr.Field("amount", "err.form.out_of_range"))
		}
		if len(fe) > 0 {
			return apperr.Fields(fe...)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO assist_site_projects (committee_id, site_id, kind, name, donors, amount_fen,
			created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING id`, actor.CommitteeID, siteID, p.Kind, p.Name, p.Donors,
			p.AmountFen, db.Now()).Scan(&p.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "create", "assist_site_project", p.ID, nil, p)
	})
	return p, err
}

// ListSites lists a committee's sites with their projects (readers).
func (s *Service) ListSites(ctx context.Context, actor *auth.Actor, committeeID int64) ([]Site, error) {
	var out []Site
	err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermView, committeeID); err != nil {
			return err
		}
		var err error
		if out, err = db.Query(ctx, tx, func(sc db.Scanner) (Site, error) {
			var st Site
			return st, sc.Scan(&st.ID, &st.CommitteeID, &st.Name, &st.VillageID, &st.OpenedOn, &st.Notes)
		}, `SELECT id, committee_id, name, COALESCE(village_id, 0), opened_on, notes FROM assist_sites WHERE committee_id = $1
			ORDER BY opened_on, id`, committeeID); err != nil {
			return err
		}
		for i := range out {
			if out[i].Projects, err = db.Query(ctx, tx, func(sc db.Scanner) (Project, error) {
				var p Project
				return p, sc.Scan(&p.ID, &p.Kind, &p.Name, &p.Donors, &p.AmountFen)
			}, `SELECT id, kind, name, donors, amount_fen FROM assist_site_projects WHERE site_id = $1 ORDER BY id`, out[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}
