package dbtest

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"time"

	"lvzhi/internal/db"
)

// Migrating a database costs seconds on a loaded PostgreSQL server (dozens of
// DDL statements, one commit per migration) and ~100ms on SQLite; a suite
// opens hundreds. So the schema is built once and cloned:
//
//   - SQLite: the template is a migrated file in $TMPDIR/lvzhi-dbtest named by
//     db.MigrationsDigest, built once (by whichever test binary needs it first;
//     written under a temporary name and renamed, so concurrent binaries never
//     see half a file) and reused by later runs until the migrations change.
//     Each test copies it.
//   - PostgreSQL: see pgpool.go (schemas migrated once and emptied for reuse).

// sqliteTmpl is the migrated template file of this test binary.
var sqliteTmpl struct {
	once sync.Once
	path string
	err  error
}

func sqliteTemplate() (string, error) {
	sqliteTmpl.once.Do(func() { sqliteTmpl.path, sqliteTmpl.err = buildSQLiteTemplate() })
	return sqliteTmpl.path, sqliteTmpl.err
}

func buildSQLiteTemplate() (string, error) {
	digest, err := (&db.DB{Engine: db.SQLite}).MigrationsDigest()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(os.TempDir(), "lvzhi-dbtest")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	final := filepath.Join(dir, "sqlite-"+digest+".db")
	if _, err := os.Stat(final); err == nil {
		now := time.Now()
		_ = os.Chtimes(final, now, now) // in use: keep it from pruning
		return final, nil
	}
	pruneTemplates(dir, final)
	tmp := fmt.Sprintf("%s.%d.%d.tmp", final, os.Getpid(), rand.Int64())
	defer removeSQLite(tmp)
	if err := migrateSQLiteFile(tmp); err != nil {
		return "", err
	}
	// Another binary may have renamed its copy in first; both are the same schema.
	if err := os.Rename(tmp, final); err != nil {
		return "", err
	}
	return final, nil
}

// migrateSQLiteFile migrates a new database at path and leaves it closed with
// everything in the main file (no -wal), so a plain copy is a whole database.
func migrateSQLiteFile(path string) error {
	ctx := context.Background()
	d, err := db.Open(ctx, path)
	if err != nil {
		return err
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return err
	}
	if _, err := d.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		d.Close()
		return err
	}
	if err := d.Close(); err != nil {
		return err
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		return fmt.Errorf("dbtest: %s-wal not checkpointed (%d bytes)", path, fi.Size())
	}
	return nil
}

// pruneTemplates removes templates of other schema versions and abandoned
// temporary files that nobody used for a day.
func pruneTemplates(dir, keep string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if info, err := e.Info(); err == nil && p != keep && time.Since(info.ModTime()) > 24*time.Hour {
			_ = os.Remove(p)
		}
	}
}

func removeSQLite(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(path + suffix)
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
