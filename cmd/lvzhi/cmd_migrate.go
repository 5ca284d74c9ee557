package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"lvzhi/internal/db"
)

func init() {
	commands["migrate"] = command{"bring the database schema up to date (required for PostgreSQL); with --from, copy a SQLite database into PostgreSQL and compare", runMigrate}
}

func runMigrate(ctx context.Context, args []string) error {
	var c config
	fs := newFlags("migrate", commands["migrate"].summary)
	c.bind(fs)
	from := fs.String("from", "", "a SQLite file to copy into the (empty) PostgreSQL database given by --db, then compare table by table")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := c.open(ctx, false)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	cur, _, err := d.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("schema at version %d (%s)\n", cur, d.Engine)
	if *from == "" {
		return nil
	}
	return copyFrom(ctx, *from, d)
}

// copyFrom copies the SQLite file at path into d (PostgreSQL), then compares.
func copyFrom(ctx context.Context, path string, d *db.DB) error {
	if d.Engine != db.Postgres {
		return errors.New("migrate --from copies into PostgreSQL: give --db postgres://…")
	}
	if db.IsPostgresURL(path) {
		return errors.New("migrate --from takes a SQLite file")
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("migrate --from: %w", err)
	}
	src, err := db.Open(ctx, path)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := src.Migrate(ctx); err != nil {
		return err
	}
	if err := db.Copy(ctx, src, d); err != nil {
		return err
	}
	left, right, differ, err := db.Compare(ctx, src, d)
	if err != nil {
		return err
	}
	for i := range left {
		mark := "same"
		if left[i] != right[i] {
			mark = "DIFFERENT"
		}
		fmt.Printf("%-28s %8d rows  %s  %s\n", left[i].Table, left[i].Rows, left[i].Digest[:12], mark)
	}
	if len(differ) > 0 {
		return fmt.Errorf("copied, but %d table(s) differ: %s", len(differ), strings.Join(differ, ", "))
	}
	fmt.Printf("copied %d tables from %s; every table's rows and contents match\n", len(left), path)
	return nil
}
