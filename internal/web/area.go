package web

import "net/http"

// areaRoutes serves the areas that later issues fill in, so navigation is complete now.
func (s *Server) areaRoutes() {
	for path, title := range map[string]string{
		"/reports": "nav.reports",
	} {
		s.handle("GET "+path, func(w http.ResponseWriter, r *http.Request) error {
			if _, err := requireActor(r); err != nil {
				return err
			}
			s.render(w, r, "area.html", map[string]any{"Title": title})
			return nil
		})
	}
}
