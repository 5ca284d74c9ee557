package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"lvzhi/internal/audit"
	"lvzhi/internal/db"
)

func init() {
	commands["audit"] = command{"audit verify | checkpoint | rekey: check the audit log's keyed hash chains against the checkpoints kept outside the database", runAudit}
}

const auditUsage = `usage: lvzhi audit verify|checkpoint|rekey [flags]
  verify      check every chain (keyed with the audit key), that every committee with records has one,
              and each chain against its last checkpoint in the checkpoint file
  checkpoint  append every chain's head to the checkpoint file (run it with each backup; keep the file off the database machine)
  rekey       once, after setting the audit key: key the chains written before it (after checking them)`

func runAudit(ctx context.Context, args []string) error {
	var c config
	fs := newFlags("audit", "verify | checkpoint | rekey")
	c.bind(fs)
	checkpoints := fs.String("checkpoints", os.Getenv(audit.EnvCheckpoints),
		"the checkpoint file (env "+audit.EnvCheckpoints+"); default <data>/audit-checkpoints.jsonl")
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(fs.Output(), auditUsage)
		fs.Usage()
		return flag.ErrHelp
	}
	if len(args) == 0 || (args[0] != "verify" && args[0] != "checkpoint" && args[0] != "rekey") {
		return errors.New(auditUsage)
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *checkpoints == "" {
		*checkpoints = filepath.Join(c.dataDir, "audit-checkpoints.jsonl")
	}
	d, err := c.open(ctx, true)
	if err != nil {
		return err
	}
	defer d.Close()
	switch args[0] {
	case "checkpoint":
		marks, err := audit.AppendCheckpoint(ctx, d, *checkpoints)
		if err != nil {
			return err
		}
		fmt.Printf("checkpoint of %d chain(s) appended to %s\n", len(marks), *checkpoints)
		return nil
	case "rekey":
		n, err := audit.Rekey(ctx, d)
		if err != nil {
			return err
		}
		fmt.Printf("%d entries keyed; now run lvzhi audit checkpoint\n", n)
		return nil
	}
	return auditVerify(ctx, d, *checkpoints)
}

func auditVerify(ctx context.Context, d *db.DB, path string) error {
	marks := map[int64]audit.Mark{}
	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Printf("WARNING: no checkpoint file at %s: entries deleted from the end of a chain, or a whole chain, cannot be detected (run lvzhi audit checkpoint with each backup)\n", path)
	case err != nil:
		return err
	default:
		marks, err = audit.ReadCheckpoints(f)
		f.Close()
		if err != nil {
			return err
		}
	}
	if !audit.Keyed() {
		fmt.Println("WARNING: no audit key (" + audit.EnvKey + " or LVZHI_KEY): the chains are plain hashes, which anyone who can write the database can recompute")
	}
	n, problems, err := audit.VerifyAll(ctx, d, marks)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Println("BROKEN:", p)
	}
	if len(problems) > 0 {
		return fmt.Errorf("audit log tampered: %d problem(s) in %d entries", len(problems), n)
	}
	fmt.Printf("audit log intact: %d entries verified, %d chain(s) matched their last checkpoint\n", n, len(marks))
	return nil
}
