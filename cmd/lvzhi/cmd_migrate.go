package main

import (
	"context"
	"fmt"
)

func init() {
	commands["migrate"] = command{"bring the database schema up to date (required for PostgreSQL)", runMigrate}
}

func runMigrate(ctx context.Context, args []string) error {
	var c config
	fs := newFlags("migrate", commands["migrate"].summary)
	c.bind(fs)
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
	return nil
}
