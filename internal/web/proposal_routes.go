package web

// proposalRoutes registers the proposal pages (owned by the proposal area's web files).
func (s *Server) proposalRoutes() {}
