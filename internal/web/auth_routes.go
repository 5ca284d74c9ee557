package web

// authRoutes registers the auth pages (owned by the auth area's web files).
func (s *Server) authRoutes() {}
