package main

import (
	"context"
	"fmt"
	"os"

	"lvzhi/internal/account"
	"lvzhi/internal/gen"
	"lvzhi/internal/secret"
)

func init() {
	commands["gen"] = command{"generate a realistic deployment for trials and benchmarks: --scale county|province|nation", runGen}
}

func runGen(ctx context.Context, args []string) error {
	var c config
	fs := newFlags("gen", commands["gen"].summary)
	c.bind(fs)
	scale := fs.String("scale", "county", "county (1 committee, ~300 members), province (147 committees, ~30,000) or nation (3,205 committees, ~650,000)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same data")
	password := fs.String("password", "", "password of every generated user (default: a random one, printed)")
	memberUsers := fs.Bool("member-users", false, "give every member a login also above county scale")
	proposals := fs.String("proposals", "", "generate the year's proposals: yes or no (default: yes; ~0.8 million at nation scale, "+
		"with their figures and search rows: 10-15 minutes)")
	households := fs.Int("households", 0, "registered poor households (三送三帮) per county committee (default: 2,000 at county scale, "+
		"none above; -1: none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sc, err := gen.ParseScale(*scale)
	if err != nil {
		return err
	}
	pw := *password
	if pw == "" {
		pw = account.GeneratePassword()
	}
	if p := account.PasswordProblem(pw); p != "" {
		return fmt.Errorf("password refused: %s", p)
	}
	// One hash for every generated user: argon2id costs ~50 ms each.
	hash, err := account.HashPassword(pw, account.DefaultPasswordParams)
	if err != nil {
		return err
	}
	o := gen.Options{Scale: sc, Seed: *seed, PasswordHash: hash, Proposals: *proposals, Households: *households, Progress: os.Stdout}
	if *memberUsers {
		o.MemberUsers = memberUsers
	}
	// Citizen ID numbers only when they can be stored encrypted.
	box, err := secret.FromEnv()
	if err != nil {
		return err
	}
	if box == nil {
		fmt.Println("gen: no " + secret.EnvKey + ": citizen ID numbers are left empty")
	}
	o.IDBox = box
	d, err := c.open(ctx, true)
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := gen.Run(ctx, d, o)
	if err != nil {
		return err
	}
	var code string
	if err := d.QueryRowContext(ctx, `SELECT code FROM committees WHERE id = $1`, res.RootID).Scan(&code); err != nil {
		return err
	}
	fmt.Printf("\n登录 Logins: <委员会代码 committee code>-admin|staff|proposal|leader|assist, e.g. %s-admin", code)
	if sc == gen.County {
		fmt.Printf(", %s-m0001 (委员 member), %s-u01 (承办单位 unit)", code, code)
	}
	fmt.Printf("\n密码 Password: %s\n", pw)
	return nil
}
