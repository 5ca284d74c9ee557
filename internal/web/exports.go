package web

import (
	"net/http"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/export"
	"lvzhi/internal/figure"
	"lvzhi/internal/sheet"
)

// Background exports (package export): the progress page, which polls
// itself with htmx until the file is ready, and the download. Only the user
// who asked sees either; anyone else gets not found.

func init() {
	// The export job composes the same figures as the server's pages.
	export.Figures = func(d *db.DB) *figure.Registry { return New(d, nil).Figures }
}

func (s *Server) exportRoutes() {
	s.handle("GET /exports/{id}", s.exportPage)
	s.handle("GET /exports/{id}/file", s.exportFile)
}

// exports is the exports service over the server's figures.
func (s *Server) exports() *export.Service { return export.NewService(s.DB, s.Figures) }

func (s *Server) exportPage(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.exports().Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	pct := 0
	if e.Total > 0 {
		pct = min(100, e.Done*100/e.Total)
	}
	s.render(w, r, "exports/show.html", map[string]any{
		"Export": e, "Percent": pct, "Expires": e.ExpiresAt.In(civil.Shanghai).Format("2006-01-02 15:04"), "Finished": e.Status == export.Done || e.Status == export.Failed,
	})
	return nil
}

func (s *Server) exportFile(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	e, b, err := s.exports().File(r.Context(), a, id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", sheet.ContentType)
	w.Header().Set("Content-Disposition", sheet.Disposition(e.FileName))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(b)
	return err
}
