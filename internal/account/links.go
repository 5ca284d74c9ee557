package account

import (
	"context"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Option is an id and a name for a select list.
type Option struct {
	ID   int64
	Name string
}

// LinkOptions returns the people and handling units of the actor's committee
// that a user account can be linked to (admins only), by name.
func (s *Service) LinkOptions(ctx context.Context, actor *auth.Actor) (people, units []Option, err error) {
	if !auth.Can(actor, auth.ManageUsers) {
		return nil, nil, forbidden()
	}
	if people, err = options(ctx, s.DB, `SELECT id, name FROM people WHERE committee_id = $1 ORDER BY name, id LIMIT 5000`, actor.CommitteeID); err != nil {
		return nil, nil, err
	}
	units, err = options(ctx, s.DB, `SELECT id, name FROM units WHERE committee_id = $1 ORDER BY name, id LIMIT 5000`, actor.CommitteeID)
	return people, units, err
}

func options(ctx context.Context, q db.Querier, query string, args ...any) ([]Option, error) {
	return db.Query(ctx, q, func(sc db.Scanner) (Option, error) {
		var o Option
		err := sc.Scan(&o.ID, &o.Name)
		return o, err
	}, query, args...)
}
