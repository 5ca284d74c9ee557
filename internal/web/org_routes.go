package web

// orgRoutes registers the org pages (owned by the org area's web files).
func (s *Server) orgRoutes() {}
