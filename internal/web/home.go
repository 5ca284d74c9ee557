package web

import (
	"context"
	"html/template"
	"net/http"

	"lvzhi/internal/auth"
)

// The 工作台 (workbench) on "/": for each area, what waits for the reader,
// as counts that open the lists they count. Each area adds its tiles with
// one registration, from an init function in its own file:
//
//	func init() { registerTiles(activityTiles) }
//
// A provider returns nil when its area has nothing for the reader.

// homeTile is one count on the workbench and the list it opens.
type homeTile struct {
	Label string       // i18n key of what is counted
	Count int          // the number shown (ignored when Value is set)
	Value string       // a figure shown as it is (a rate), instead of Count
	Link  template.URL // the list behind the count, filtered to exactly these
	Warn  bool         // draws attention (overdue)
}

// homeSection is one area's tiles under its heading.
type homeSection struct {
	Title string // i18n key
	Tiles []homeTile
}

// tileProvider builds an area's section of the reader's workbench.
type tileProvider func(ctx context.Context, s *Server, a *auth.Actor) (*homeSection, error)

// tileProviders are the registered providers, in registration order.
var tileProviders []tileProvider

// registerTiles adds an area's workbench tiles.
func registerTiles(p tileProvider) { tileProviders = append(tileProviders, p) }

// home is the landing page: the reader's workbench and the areas' tiles, or
// an introduction for the public.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	var data any
	if a := actorOf(r); a != nil {
		var sections []homeSection
		for _, p := range tileProviders {
			sec, err := p(r.Context(), s, a)
			if err != nil {
				return err
			}
			if sec != nil && len(sec.Tiles) > 0 {
				sections = append(sections, *sec)
			}
		}
		data = map[string]any{"Roles": a.Roles, "Workbench": sections}
	}
	s.render(w, r, "home.html", data)
	return nil
}
