package main

import (
	"context"
	"log/slog"
	"net/http"

	"lvzhi/internal/api"
	"lvzhi/internal/jobs"
	"lvzhi/internal/metrics"
	"lvzhi/internal/web"
)

func init() {
	wire = wireServer
}

// wireServer attaches metrics and the API to the web server and starts the
// background job runner; serve stops the runner (stopWorkers) after the HTTP
// server has drained. Areas register their job workers themselves
// (jobs.Register in their init functions), so nothing area-specific goes here.
func wireServer(ctx context.Context, srv *web.Server, log *slog.Logger) error {
	m := metrics.New(srv.DB)
	srv.Wrap = m.Middleware(srv.Route)
	if srv.Extra == nil {
		srv.Extra = map[string]http.Handler{}
	}
	srv.Extra["GET /metrics"] = m.Handler()
	srv.API = api.New(api.Deps{DB: srv.DB, Log: log, Auth: srv.Auth, Org: srv.Org, Liaison: srv.Liaison, Proposals: srv.Proposals,
		Figures: srv.Figures, Activities: srv.Activities, Assist: srv.Assist})

	runner, err := jobs.New(srv.DB, log)
	if err != nil {
		return err
	}
	if err := runner.Start(ctx); err != nil {
		_ = runner.Stop(ctx)
		return err
	}
	stopWorkers = runner.Stop
	return nil
}
