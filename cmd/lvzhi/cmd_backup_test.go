package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lvzhi/internal/db"
)

// TestBackupWhileWriting copies a database while other connections keep
// inserting rows: the copy passes PRAGMA integrity_check, holds at least every
// row committed before the backup began, and its rows are whole.
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "lvzhi.db")
	d, err := db.Open(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	insert := func(i int) error {
		_, err := d.ExecContext(ctx, `INSERT INTO committees (level, name, code, path, created_at) VALUES ('county', $1, $2, '/', $3)`,
			fmt.Sprintf("县政协%d", i), fmt.Sprintf("C%d", i), db.Now())
		return err
	}
	const before = 500
	for i := range before {
		if err := insert(i); err != nil {
			t.Fatal(err)
		}
	}

	var written atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := insert(100000*(w+1) + i); err != nil {
					t.Errorf("concurrent insert: %v", err)
					return
				}
				written.Add(1)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond) // writers are running
	out := filepath.Join(dir, "backups", "copy.db")
	size, err := backupSQLite(ctx, src, out)
	afterBackup := written.Load()
	time.Sleep(50 * time.Millisecond)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if afterBackup == 0 {
		t.Fatal("no concurrent writes happened during the backup")
	}
	st, err := os.Stat(out)
	if err != nil || st.Size() != size || size == 0 {
		t.Fatalf("backup file: %v size %d reported %d", err, st.Size(), size)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("backup readable by others: %v", st.Mode().Perm())
	}
	if _, err := os.Stat(out + ".partial"); !os.IsNotExist(err) {
		t.Fatal("partial file left behind")
	}
	if err := checkIntegrity(ctx, out); err != nil {
		t.Fatal(err)
	}
	c, err := db.Open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var n, broken int
	if err := c.QueryRowContext(ctx, `SELECT count(*) FROM committees`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if err := c.QueryRowContext(ctx, `SELECT count(*) FROM committees WHERE name = '' OR code = ''`).Scan(&broken); err != nil {
		t.Fatal(err)
	}
	if n < before || n > before+int(afterBackup)+3 || broken != 0 {
		t.Fatalf("copy holds %d committees (%d broken); %d before, %d written by the end of the backup", n, broken, before, afterBackup)
	}
	if err := c.CheckSchema(ctx); err != nil {
		t.Fatalf("copy's schema: %v", err)
	}
	if _, err := backupSQLite(ctx, src, out); err == nil {
		t.Fatal("overwrote an existing backup")
	}
}
