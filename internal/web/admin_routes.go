package web

// adminRoutes registers the admin pages (owned by the admin area's web files).
func (s *Server) adminRoutes() {}
