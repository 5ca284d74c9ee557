// Package org keeps the organisation of a committee: the committee tree, terms and
// sessions, sectors, groups, people and memberships, handling units and the liaison chain.
package org

import "lvzhi/internal/db"

// Service is the organisation use cases.
type Service struct {
	DB *db.DB
}

// NewService returns the organisation service over d.
func NewService(d *db.DB) *Service { return &Service{DB: d} }
