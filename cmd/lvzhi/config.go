package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"lvzhi/internal/audit"
	"lvzhi/internal/db"
)

// config is what every command shares: where the data lives and how to log.
type config struct {
	dataDir string
	dsn     string
	logJSON bool
}

// envOr returns the environment variable's value, or def.
func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// bind registers the shared flags on fs, defaulting from the environment.
func (c *config) bind(fs *flag.FlagSet) {
	fs.StringVar(&c.dataDir, "data", envOr("LVZHI_DATA", "data"), "data directory for the SQLite file and backups (env LVZHI_DATA)")
	fs.StringVar(&c.dsn, "db", envOr("LVZHI_DB", ""), "database: a postgres:// URL, or a SQLite file path; default <data>/lvzhi.db (env LVZHI_DB)")
	fs.BoolVar(&c.logJSON, "log-json", os.Getenv("LVZHI_LOG_JSON") != "", "log as JSON lines (env LVZHI_LOG_JSON)")
}

func (c *config) databaseURL() string {
	if c.dsn != "" {
		return c.dsn
	}
	return filepath.Join(c.dataDir, "lvzhi.db")
}

func (c *config) logger() *slog.Logger {
	if c.logJSON {
		return slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

// open opens the database. SQLite migrates itself on open; PostgreSQL is
// migrated only by `lvzhi migrate`, and with check set an outdated schema is refused.
func (c *config) open(ctx context.Context, check bool) (*db.DB, error) {
	key, err := audit.KeyFromEnv()
	if err != nil {
		return nil, err
	}
	audit.SetKey(key) // every command that writes or checks the audit log keys its chains
	d, err := db.Open(ctx, c.databaseURL())
	if err != nil {
		return nil, err
	}
	if d.Engine == db.SQLite {
		if err := d.Migrate(ctx); err != nil {
			d.Close()
			return nil, err
		}
	}
	if check {
		if err := d.CheckSchema(ctx); err != nil {
			d.Close()
			return nil, err
		}
	}
	return d, nil
}

// newFlags returns a flag set whose --help prints the command's summary first.
func newFlags(name, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "lvzhi %s: %s\n\nFlags:\n", name, summary)
		fs.PrintDefaults()
	}
	return fs
}
