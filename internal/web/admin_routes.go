package web

// adminRoutes registers the admin pages: users, API tokens and the audit log.
// Every handler checks its action first (admins only); users and tokens of
// other committees are not found.
func (s *Server) adminRoutes() {
	s.handle("GET /admin", s.adminUsers)
	s.handle("GET /admin/users/new", s.adminUserNew)
	s.handle("POST /admin/users", s.adminUserCreate)
	s.handle("POST /admin/users/provision", s.adminProvision)
	s.handle("GET /admin/users/{id}", s.adminUser)
	s.handle("POST /admin/users/{id}", s.adminUserUpdate)
	s.handle("POST /admin/users/{id}/password", s.adminUserReset)
	s.handle("POST /admin/users/{id}/disable", s.adminUserDisable)
	s.handle("POST /admin/users/{id}/enable", s.adminUserEnable)
	s.handle("POST /admin/users/{id}/tokens", s.adminTokenCreate)
	s.handle("GET /admin/tokens", s.adminTokens)
	s.handle("POST /admin/tokens/{id}/revoke", s.adminTokenRevoke)
	s.handle("GET /admin/audit", s.adminAudit)
	s.handle("POST /admin/audit/verify", s.adminAuditVerify)
}
