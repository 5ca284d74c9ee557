package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"lvzhi/internal/audit"
	"lvzhi/internal/db"
	"lvzhi/internal/proposal"
	"lvzhi/internal/secret"
	"lvzhi/internal/web"
)

func init() {
	commands["serve"] = command{"serve the platform (flags and LVZHI_* environment)", runServe}
}

// serveFlags are the flags of serve and demo.
type serveFlags struct {
	config
	addr   string
	secure bool
	// metricsAddr, if set, serves /metrics there only (not on addr), so it
	// can be kept off the public network; metricsBound is where it listened.
	metricsAddr  string
	metricsBound string
	// pprof adds Go's profiler (/debug/pprof/) to the metrics listener; it
	// needs metricsAddr, so profiles are never served on the public address.
	pprof bool
	// ln, if set, is the listener already taken on addr (the demo takes it
	// before seeding, so a busy port fails at once).
	ln net.Listener
}

func (f *serveFlags) bind(fs *flag.FlagSet, defAddr string) {
	f.config.bind(fs)
	fs.StringVar(&f.addr, "addr", envOr("LVZHI_ADDR", defAddr), "listen address (env LVZHI_ADDR)")
	fs.StringVar(&f.metricsAddr, "metrics-addr", envOr("LVZHI_METRICS_ADDR", ""),
		"serve /metrics on this address only, e.g. 10.0.0.11:9090 on the monitoring network (env LVZHI_METRICS_ADDR); default: on --addr")
	fs.BoolVar(&f.pprof, "pprof", envOr("LVZHI_PPROF", "") != "",
		"serve Go's profiler at /debug/pprof/ on --metrics-addr (env LVZHI_PPROF; off by default; needs --metrics-addr)")
	fs.BoolVar(&f.secure, "secure-cookies", envOr("LVZHI_SECURE_COOKIES", "") != "", "mark cookies Secure when served over HTTPS (env LVZHI_SECURE_COOKIES)")
}

func runServe(ctx context.Context, args []string) error {
	var f serveFlags
	fs := newFlags("serve", commands["serve"].summary)
	f.bind(fs, ":8080")
	if err := fs.Parse(args); err != nil {
		return err
	}
	// A wrong key would otherwise surface only when someone enters an ID number.
	if box, err := secret.FromEnv(); err != nil {
		return fmt.Errorf("%w (see README: Configuration)", err)
	} else if box == nil {
		f.logger().Warn(secret.EnvKey + " is not set: citizen ID numbers can be neither stored nor revealed")
	}
	d, err := f.open(ctx, true)
	if err != nil {
		return err
	}
	defer d.Close()
	if !audit.Keyed() {
		f.logger().Warn("no audit key (" + audit.EnvKey + " or " + secret.EnvKey + "): the audit chains are plain hashes that anyone who can write the database can recompute")
	}
	return serve(ctx, &f, d, nil)
}

// serve runs the HTTP server until ctx ends, then shuts down gracefully.
// ready, if set, is called with the bound address once listening.
func serve(ctx context.Context, f *serveFlags, d *db.DB, ready func(addr string)) error {
	log := f.logger()
	// The resident set must stay under 150 MB (docs/BENCHMARKS.md, (c)). It is
	// the Go runtime's memory plus ~25 MB of mapped binary, SQLite's own
	// allocations outside the Go heap (~35 MB on the nation-scale database)
	// and the login hashes (7 MiB each, two at a time at most). With the
	// default GOGC=100 the heap grew to twice its ~30 MB live size while
	// browsing and a SQLite server peaked at 166 MB during logins; GOGC=50
	// keeps ~15 MB less at a few percent more GC CPU. The soft memory limit
	// makes the collector work harder before the budget is reached.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// 80 MiB of Go memory leaves room for the binary and SQLite's own
		// allocations under 150 MB resident (100 MiB let a burst of logins on
		// the nation-scale SQLite database peak at 163 MB; 80 MiB: 145 MB).
		debug.SetMemoryLimit(80 << 20)
	}
	// The Chinese word dictionary takes seconds to load: start it now, not on the first search.
	proposal.WarmUp()
	srv := web.New(d, log)
	srv.SecureCookies = f.secure
	if err := wire(ctx, srv, log); err != nil {
		return err
	}
	ms, err := serveMetrics(f, srv, log)
	if err != nil {
		return err
	}
	if ms != nil {
		defer ms.Close()
	}
	ln := f.ln
	if ln == nil {
		if ln, err = net.Listen("tcp", f.addr); err != nil {
			return err
		}
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	log.Info("listening", "addr", ln.Addr().String(), "db", string(d.Engine))
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return stopWorkers(sctx)
}

// serveMetrics moves /metrics to its own listener when --metrics-addr is set:
// the main address then answers 404 for it, so the public proxy need not
// filter it (docs/DEPLOY.md, Monitoring). It returns nil without one.
func serveMetrics(f *serveFlags, srv *web.Server, log *slog.Logger) (*http.Server, error) {
	if f.metricsAddr == "" {
		if f.pprof {
			return nil, errors.New("--pprof needs --metrics-addr: profiles are served on the metrics listener only")
		}
		return nil, nil
	}
	h, ok := srv.Extra["GET /metrics"]
	if !ok {
		return nil, errors.New("--metrics-addr: this server has no metrics")
	}
	delete(srv.Extra, "GET /metrics")
	ln, err := net.Listen("tcp", f.metricsAddr)
	if err != nil {
		return nil, fmt.Errorf("--metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	if f.pprof {
		mountPprof(mux)
		log.Warn("profiler enabled", "addr", f.metricsAddr, "path", "/debug/pprof/")
	}
	ms := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	f.metricsBound = ln.Addr().String()
	log.Info("metrics listening", "addr", f.metricsBound)
	go func() { _ = ms.Serve(ln) }()
	return ms, nil
}

// wire attaches the API, metrics and background workers (filled in by their owners).
var wire = func(ctx context.Context, srv *web.Server, log *slog.Logger) error { return nil }

// stopWorkers stops the background job runner.
var stopWorkers = func(ctx context.Context) error { return nil }
