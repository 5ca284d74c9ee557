// Package proposal runs the life of a proposal (提案) from draft to published result.
package proposal

import "lvzhi/internal/db"

// Service is the proposal use cases.
type Service struct {
	DB *db.DB
}

// NewService returns the proposal service over d.
func NewService(d *db.DB) *Service { return &Service{DB: d} }
