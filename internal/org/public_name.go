package org

import (
	"context"

	"lvzhi/internal/db"
)

// PublicName is the name of the committee a deployment serves, for pages
// shown before anyone logs in (the login page): the one top committee's name,
// or "" when the deployment holds none or several. A committee's name is
// public; nothing else about it is read.
func (s *Service) PublicName(ctx context.Context) (string, error) {
	names, err := db.Column[string](ctx, s.DB, `SELECT name FROM committees WHERE parent_id IS NULL ORDER BY id LIMIT 2`)
	if err != nil || len(names) != 1 {
		return "", err
	}
	return names[0], nil
}
