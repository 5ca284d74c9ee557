package main

import (
	"context"
	"flag"
	"fmt"

	"lvzhi/internal/audit"
)

func init() {
	commands["audit"] = command{"audit verify: check the audit log's hash chains for edited or deleted entries", runAudit}
}

func runAudit(ctx context.Context, args []string) error {
	var c config
	fs := newFlags("audit verify", "check the audit log's hash chains for edited or deleted entries")
	c.bind(fs)
	if len(args) > 0 && isHelp(args[0]) {
		fs.Usage()
		return flag.ErrHelp
	}
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("usage: lvzhi audit verify [flags]")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	d, err := c.open(ctx, true)
	if err != nil {
		return err
	}
	defer d.Close()
	n, problems, err := audit.Verify(ctx, d)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Println("BROKEN:", p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("audit log tampered: %d problem(s) in %d entries", len(problems), n)
	}
	fmt.Printf("audit log intact: %d entries verified\n", n)
	return nil
}
