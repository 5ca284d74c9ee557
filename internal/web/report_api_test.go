package web

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"lvzhi/internal/api"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// apiClient is the JSON API over the harness's database and services, with a
// token for one harness user.
type apiClient struct {
	t     *testing.T
	srv   *httptest.Server
	token string
}

func (h *harness) apiAs(role string, committee int64) *apiClient {
	h.t.Helper()
	a := api.New(api.Deps{DB: h.DB, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Figures: h.Server.Figures, Reports: h.Server.Reports})
	mux := http.NewServeMux()
	mux.Handle(api.Prefix+"/", a)
	srv := httptest.NewServer(mux)
	h.t.Cleanup(srv.Close)
	_, secret, err := h.Server.Auth.CreateToken(context.Background(), auth.System(committee), h.Users[role], "test")
	h.must(err)
	return &apiClient{t: h.t, srv: srv, token: secret}
}

func (c *apiClient) get(path string, v any) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.srv.URL+api.Prefix+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("API %s: %d %s", path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		c.t.Fatal(err)
	}
}

// figureQuery is a records query in one spelling (the web's fig= is the API's
// figure=), for comparing links.
func figureQuery(t *testing.T, raw string) string {
	t.Helper()
	q, err := url.ParseQuery(html.UnescapeString(raw))
	if err != nil {
		t.Fatal(err)
	}
	if v := q.Get("fig"); v != "" {
		q.Del("fig")
		q.Set("figure", v)
	}
	return q.Encode()
}

var recordsAnchor = regexp.MustCompile(`href="/figures/records\?([^"]*)">([^<]*)</a>`)

// TestReportViewsMatchAPI: the dashboard, the roll-up and a bulletin show the
// same figures, values and records on the page and over the API.
func TestReportViewsMatchAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		h.seedReportProposal()
		year := strconv.Itoa(db.Now().Year())
		// The dashboard: the chart data block against the API's bars.
		page := h.text(h.get("staff", "/reports/dashboard"))
		var web struct {
			Charts []struct {
				ID   string
				Kind string
				Bars []struct {
					Name     string
					Value    float64
					Link     string
					Row, Col string
				}
			}
		}
		if err := json.Unmarshal([]byte(between(page, `id="dash-data">`, `</script>`)), &web); err != nil {
			t.Fatal(err)
		}
		var dash api.DashboardAnswer
		h.apiAs("staff", h.A.ID).get("/reports/dashboard", &dash)
		if len(web.Charts) != len(dash.Charts) || len(dash.Charts) == 0 {
			t.Fatalf("page %d charts, API %d", len(web.Charts), len(dash.Charts))
		}
		registered := false
		for i, c := range dash.Charts {
			w := web.Charts[i]
			if w.ID != c.ID || w.Kind != c.Kind || len(w.Bars) != len(c.Bars) {
				t.Fatalf("chart %d: page %s with %d bars, API %s with %d", i, w.ID, len(w.Bars), c.ID, len(c.Bars))
			}
			for j, b := range c.Bars {
				v := float64(b.Figure.Value)
				if b.Figure.Unit == "fen" {
					v /= 100
				}
				wb := w.Bars[j]
				if wb.Name != b.Label || wb.Value != v || wb.Row != b.Row || wb.Col != b.Col || figureQuery(t, wb.Link[len("/figures/records?"):]) != figureQuery(t, b.Records) {
					t.Errorf("%s bar %d: page %+v, API %+v", c.ID, j, wb, b)
				}
				registered = registered || (b.Figure.ID == "proposals.registered" && b.Figure.Value == 1)
			}
		}
		if !registered {
			t.Error("the seeded proposal is on no bar")
		}
		// The roll-up: every cell's link and value.
		page = h.text(h.get("prefecture", "/reports/rollup?level=county&year="+year))
		cells := map[string]string{}
		for _, m := range recordsAnchor.FindAllStringSubmatch(page, -1) {
			cells[figureQuery(t, m[1])] = m[2]
		}
		var ru api.RollUpAnswer
		h.apiAs("prefecture", h.Pref.ID).get("/reports/rollup?level=county&year="+year, &ru)
		n := 0
		for _, row := range ru.Rows {
			for i, col := range ru.Columns {
				key := figureQuery(t, col.Filter+"&figure="+row.ID)
				if got, ok := cells[key]; !ok || got != row.Shown[i] {
					t.Errorf("%s in %s: page %q (shown %v), API %q", row.ID, col.Name, got, ok, row.Shown[i])
				}
				n++
			}
		}
		if n == 0 || n != len(cells) {
			t.Errorf("API %d cells, page %d", n, len(cells))
		}
		// A bulletin: the same sentences.
		page = html.UnescapeString(h.text(h.get("staff", "/reports/bulletins?kind=proposal_summary&year="+year)))
		var doc api.ReportDocument
		h.apiAs("staff", h.A.ID).get("/reports/bulletins?kind=proposal_summary&year="+year, &doc)
		sentences := 0
		for _, s := range doc.Sections {
			for _, st := range s.Sentences {
				sentences++
				if !regexp.MustCompile(regexp.QuoteMeta(st.Text)).MatchString(page) {
					t.Errorf("the page lacks the API's sentence %q", st.Text)
				}
			}
		}
		if sentences == 0 {
			t.Error("no sentences")
		}
	})
}
