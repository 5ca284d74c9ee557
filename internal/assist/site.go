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

// SiteProjectKinds are the kinds of a demonstration site's projects: 爱心超市,
// 扶贫车间, 农家书屋, 其他.
var SiteProjectKinds = []string{"supermarket", "factory", "library", "other"}

// Site is a demonstration site (助推示范点) and what was given to it.
type Site struct {
	ID        int64         `json:"id"`
	Name      string        `json:"name"`
	VillageID int64         `json:"village_id,omitempty"`
	OpenedOn  civil.Date    `json:"opened_on"`
	Notes     string        `json:"notes"`
	Projects  []SiteProject `json:"projects"`
}

// SiteProject is one project of a site: its kind, the members and donors
// giving to it and the amount they gave.
type SiteProject struct {
	ID        int64  `json:"id,omitempty"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Donors    int    `json:"donors"`
	AmountFen int64  `json:"amount_fen"`
}

// CreateSite records a demonstration site with its projects (officers), in
// one transaction; a bad field refuses the whole site.
func (s *Service) CreateSite(ctx context.Context, actor *auth.Actor, in Site) (Site, error) {
	in.Name, in.Notes = strings.TrimSpace(in.Name), strings.TrimSpace(in.Notes)
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := auth.CheckScope(ctx, tx, actor, PermManage, actor.CommitteeID); err != nil {
			return err
		}
		var fe []apperr.FieldError
		bad := func(f, k string) { fe = append(fe, apperr.Field(f, k)) }
		if in.Name == "" {
			bad("name", "err.assist.required")
		}
		if in.OpenedOn.IsZero() || s.today().Before(in.OpenedOn) {
			bad("opened_on", "err.assist.date")
		}
		if in.VillageID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_villages WHERE id = $1 AND committee_id = $2`,
				in.VillageID, actor.CommitteeID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				bad("village", "err.assist.village_unknown")
			}
		}
		for i := range in.Projects {
			p := &in.Projects[i]
			p.Name = strings.TrimSpace(p.Name)
			field := func(f string) string { return "projects." + itoa(i) + "." + f }
			if !slices.Contains(SiteProjectKinds, p.Kind) {
				bad(field("kind"), "err.form.bad_choice")
			}
			if p.Name == "" {
				bad(field("name"), "err.assist.required")
			}
			if p.Donors < 0 || p.AmountFen < 0 {
				bad(field("amount"), "err.form.out_of_range")
			}
		}
		if len(fe) > 0 {
			return apperr.Fields(fe...)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_sites WHERE committee_id = $1 AND name = $2`,
			actor.CommitteeID, in.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.Fields(apperr.Field("name", "err.assist.site_exists"))
		}
		now := db.Now()
		var village any
		if in.VillageID != 0 {
			village = in.VillageID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO assist_sites (committee_id, name, village_id, opened_on, notes, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$6) RETURNING id`, actor.CommitteeID, in.Name, village, in.OpenedOn, in.Notes, now).Scan(&in.ID); err != nil {
			return err
		}
		for i := range in.Projects {
			p := &in.Projects[i]
			if err := tx.QueryRowContext(ctx, `INSERT INTO assist_site_projects (committee_id, site_id, kind, name, donors, amount_fen,
				created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$7) RETURNING id`, actor.CommitteeID, in.ID, p.Kind, p.Name,
				p.Donors, p.AmountFen, now).Scan(&p.ID); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, actor.CommitteeID, "create", "assist_site", in.ID, nil, in)
	})
	return in, err
}
