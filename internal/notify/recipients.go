package notify

import (
	"context"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// UsersWithRole returns the enabled users of the committee holding any of roles
// (e.g. auth.RoleProposalOffice to tell the proposal office), ordered by id.
func UsersWithRole(ctx context.Context, q db.Querier, committeeID int64, roles ...auth.Role) ([]int64, error) {
	if len(roles) == 0 {
		return nil, nil
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	a := db.Args{committeeID}
	return ids(ctx, q, `SELECT DISTINCT u.id FROM users u JOIN user_roles r ON r.user_id = u.id AND r.committee_id = u.committee_id
		WHERE u.committee_id = $1 AND NOT u.disabled AND r.role IN `+db.In(&a, names)+` ORDER BY u.id`, a...)
}

// UsersOfUnit returns the enabled accounts of a handling unit (承办单位) of the committee.
func UsersOfUnit(ctx context.Context, q db.Querier, committeeID, unitID int64) ([]int64, error) {
	return ids(ctx, q, `SELECT id FROM users WHERE committee_id = $1 AND unit_id = $2 AND NOT disabled ORDER BY id`,
		committeeID, unitID)
}

// UsersOfPeople returns the enabled accounts of the given people (members: a
// proposal's signers, an activity's participants) in the committee.
func UsersOfPeople(ctx context.Context, q db.Querier, committeeID int64, personIDs ...int64) ([]int64, error) {
	var out []int64
	for _, p := range personIDs {
		got, err := ids(ctx, q, `SELECT id FROM users WHERE committee_id = $1 AND person_id = $2 AND NOT disabled ORDER BY id`,
			committeeID, p)
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	return out, nil
}

func ids(ctx context.Context, q db.Querier, query string, args ...any) ([]int64, error) {
	return db.Column[int64](ctx, q, query, args...)
}
