package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"lvzhi/internal/db"
)

func init() {
	commands["backup"] = command{"write a consistent copy of the SQLite database, also while serving (PostgreSQL: prints the pg_dump command)", runBackup}
}

func runBackup(ctx context.Context, args []string) error {
	var c config
	fs := newFlags("backup", commands["backup"].summary)
	c.bind(fs)
	out := fs.String("out", "", "backup file; default <data>/backups/lvzhi-YYYYMMDD-HHMMSS.db (.dump for PostgreSQL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stamp := time.Now().Format("20060102-150405")
	dsn := c.databaseURL()
	if db.IsPostgresURL(dsn) {
		if *out == "" {
			*out = "lvzhi-" + stamp + ".dump"
		}
		printPostgresBackup(dsn, *out)
		return nil
	}
	if *out == "" {
		*out = filepath.Join(c.dataDir, "backups", "lvzhi-"+stamp+".db")
	}
	size, err := backupSQLite(ctx, dsn, *out)
	if err != nil {
		return err
	}
	fmt.Printf("backup written: %s (%d bytes, integrity ok)\n", *out, size)
	return nil
}

// backupSQLite copies the SQLite database at src to out with VACUUM INTO on a
// connection of its own. VACUUM INTO reads one snapshot, so the copy is
// consistent even while the server keeps writing (WAL lets both proceed). The
// copy is written beside out, checked with PRAGMA integrity_check, made
// readable by the owner only (it holds personal data) and then renamed to out.
func backupSQLite(ctx context.Context, src, out string) (int64, error) {
	if _, err := os.Stat(src); err != nil {
		return 0, fmt.Errorf("no database to back up: %w", err)
	}
	if _, err := os.Stat(out); err == nil {
		return 0, fmt.Errorf("%s exists already; choose another --out", out)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o750); err != nil {
		return 0, err
	}
	d, err := db.Open(ctx, src)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	tmp := out + ".partial"
	_ = os.Remove(tmp)
	if _, err := d.ExecContext(ctx, `VACUUM INTO $1`, tmp); err != nil {
		_ = os.Remove(tmp)
		return 0, fmt.Errorf("copy database: %w", err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return 0, err
	}
	if err := checkIntegrity(ctx, tmp); err != nil {
		_ = os.Remove(tmp)
		return 0, err
	}
	if err := os.Rename(tmp, out); err != nil {
		return 0, err
	}
	st, err := os.Stat(out)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// checkIntegrity opens a SQLite file and runs PRAGMA integrity_check.
func checkIntegrity(ctx context.Context, path string) error {
	d, err := db.Open(ctx, path)
	if err != nil {
		return err
	}
	defer d.Close()
	var res string
	if err := d.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("check copy: %w", err)
	}
	if res != "ok" {
		return errors.New("copy failed its integrity check: " + res)
	}
	return nil
}

// printPostgresBackup explains the PostgreSQL backup: pg_dump is the tool, and
// it must match the server's major version, so lvzhi does not run it itself.
// The password is never printed.
func printPostgresBackup(dsn, out string) {
	shown := dsn
	if u, err := url.Parse(dsn); err == nil {
		if u.User != nil {
			u.User = url.User(u.User.Username())
		}
		shown = u.String()
	}
	fmt.Printf(`PostgreSQL is backed up with pg_dump (the client's major version must be at least the server's).
It takes a consistent snapshot while lvzhi keeps serving. Give the password with PGPASSWORD or ~/.pgpass.

  pg_dump --format=custom --no-owner --file=%s '%s'

Restore into a new, empty database, then start lvzhi on it:

  createdb lvzhi_restored
  pg_restore --no-owner --dbname=lvzhi_restored %s
`, out, shown, out)
}
