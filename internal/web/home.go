package web

import "net/http"

// home is the landing page: tiles per area for users, an introduction for the public.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	var data any
	if a := actorOf(r); a != nil {
		data = map[string]any{"Roles": a.Roles}
	}
	s.render(w, r, "home.html", data)
	return nil
}
