package auth

import (
	"context"
	"net/http"

	"lvzhi/internal/db"
)

// Service is accounts, sessions and API tokens.
type Service struct {
	DB *db.DB
}

// NewService returns the account service over d.
func NewService(d *db.DB) *Service { return &Service{DB: d} }

// ActorFromRequest returns the logged-in actor for a request's session cookie,
// or nil for an anonymous visitor.
func (s *Service) ActorFromRequest(ctx context.Context, r *http.Request) (*Actor, error) {
	return nil, nil // TODO(auth helper): sessions
}
