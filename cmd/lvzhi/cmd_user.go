package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"lvzhi/internal/account"
	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/i18n"
)

func init() {
	commands["user"] = command{"user create|reset-password|disable|enable|list|token: manage accounts and API tokens from the command line", runUser}
}

const userUsage = `usage:
  lvzhi user create --committee CODE --username U --name N --role admin[,staff] [--password P] [--person ID] [--unit ID]
  lvzhi user reset-password --username U [--password P]
  lvzhi user disable --username U
  lvzhi user enable --username U
  lvzhi user list --committee CODE
  lvzhi user token --username U [--name N] [--days D]
Without --password a password is generated and printed once; a token's secret is printed once.`

func runUser(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New(userUsage)
	}
	sub, rest := args[0], args[1:]
	if isHelp(sub) {
		sub, rest = "", []string{"--help"}
	} else if !slices.Contains([]string{"create", "reset-password", "disable", "enable", "list", "token"}, sub) {
		return fmt.Errorf("unknown subcommand %q\n%s", sub, userUsage)
	}
	var (
		c                                          config
		committee, username, name, roles, password string
		person, unit                               int64
		days                                       int
	)
	fs := newFlags(strings.TrimSpace("user "+sub), commands["user"].summary)
	c.bind(fs)
	fs.StringVar(&committee, "committee", "", "committee code")
	fs.StringVar(&username, "username", "", "username")
	fs.StringVar(&name, "name", "", "display name")
	fs.StringVar(&roles, "role", "", "roles, comma-separated: "+joinRoles())
	fs.StringVar(&password, "password", "", "password (default: generate one)")
	fs.Int64Var(&person, "person", 0, "id of the person a member account is linked to")
	fs.Int64Var(&unit, "unit", 0, "id of the handling unit a unit account is linked to")
	fs.IntVar(&days, "days", account.DefaultTokenDays, "token: days until the token expires")
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, userUsage)
		}
		return err
	}
	d, err := c.open(ctx, true)
	if err != nil {
		return err
	}
	defer d.Close()
	s := account.NewService(d)
	u := &userCmd{s: s}
	switch sub {
	case "create":
		err = u.create(ctx, committee, username, name, roles, password, person, unit)
	case "reset-password":
		err = u.reset(ctx, username, password)
	case "disable", "enable":
		err = u.setDisabled(ctx, username, sub == "disable")
	case "list":
		err = u.list(ctx, committee)
	case "token":
		err = u.token(ctx, username, name, days)
	default:
		return fmt.Errorf("unknown subcommand %q\n%s", sub, userUsage)
	}
	return explain(err)
}

type userCmd struct{ s *account.Service }

// cliActor acts for the command line in a committee, as an administrator.
func cliActor(committeeID int64) *auth.Actor {
	a := auth.System(committeeID)
	a.Name = "cli"
	return a
}

func (u *userCmd) committee(ctx context.Context, code string) (int64, error) {
	if code == "" {
		return 0, errors.New("--committee is required")
	}
	id, err := u.s.CommitteeByCode(ctx, code)
	if errors.Is(err, apperr.ErrNotFound) {
		return 0, fmt.Errorf("no committee with code %q", code)
	}
	return id, err
}

func (u *userCmd) create(ctx context.Context, code, username, name, roles, password string, person, unit int64) error {
	cid, err := u.committee(ctx, code)
	if err != nil {
		return err
	}
	var rs []auth.Role
	for _, r := range strings.Split(roles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			rs = append(rs, auth.Role(r))
		}
	}
	generated := password == ""
	if generated {
		password = account.GeneratePassword()
	}
	user, err := u.s.CreateUser(ctx, cliActor(cid), account.NewUser{Username: username, DisplayName: name, Password: password,
		Roles: rs, PersonID: person, UnitID: unit})
	if err != nil {
		return err
	}
	fmt.Printf("created user %s (id %d) in %s with roles %s\n", user.Username, user.ID, code, joinRolesOf(user.Roles))
	if generated {
		fmt.Printf("password: %s\n", password)
	}
	return nil
}

func (u *userCmd) byUsername(ctx context.Context, username string) (*auth.Actor, account.User, error) {
	if username == "" {
		return nil, account.User{}, errors.New("--username is required")
	}
	cid, err := u.s.CommitteeOfUser(ctx, username)
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, account.User{}, fmt.Errorf("no user %q", username)
	}
	if err != nil {
		return nil, account.User{}, err
	}
	a := cliActor(cid)
	user, err := u.s.UserByUsername(ctx, a, username)
	return a, user, err
}

func (u *userCmd) reset(ctx context.Context, username, password string) error {
	a, user, err := u.byUsername(ctx, username)
	if err != nil {
		return err
	}
	generated := password == ""
	if generated {
		password = account.GeneratePassword()
	}
	if err := u.s.ResetPassword(ctx, a, user.ID, password); err != nil {
		return err
	}
	fmt.Printf("password of %s reset; every session of the user ended\n", user.Username)
	if generated {
		fmt.Printf("password: %s\n", password)
	}
	return nil
}

// token creates an API token for the user (an integration's account) and
// prints its secret once, as the admin page does.
func (u *userCmd) token(ctx context.Context, username, name string, days int) error {
	a, user, err := u.byUsername(ctx, username)
	if err != nil {
		return err
	}
	if name == "" {
		name = "cli"
	}
	tok, secret, err := u.s.CreateTokenFor(ctx, a, user.ID, name, days)
	if err != nil {
		return err
	}
	fmt.Printf("token %d for %s, expires %s\n", tok.ID, user.Username, tok.ExpiresAt.Format("2006-01-02"))
	fmt.Printf("secret: %s\n", secret)
	return nil
}

func (u *userCmd) setDisabled(ctx context.Context, username string, disabled bool) error {
	a, user, err := u.byUsername(ctx, username)
	if err != nil {
		return err
	}
	if err := u.s.SetDisabled(ctx, a, user.ID, disabled); err != nil {
		return err
	}
	if disabled {
		fmt.Printf("user %s disabled; every session of the user ended\n", user.Username)
	} else {
		fmt.Printf("user %s enabled\n", user.Username)
	}
	return nil
}

func (u *userCmd) list(ctx context.Context, code string) error {
	cid, err := u.committee(ctx, code)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSERNAME\tNAME\tROLES\tSTATUS")
	for page := 1; ; page++ {
		users, more, err := u.s.ListUsers(ctx, cliActor(cid), account.UserFilter{Page: page, PerPage: 200})
		if err != nil {
			return err
		}
		for _, x := range users {
			status := "active"
			if x.Disabled {
				status = "disabled"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", x.ID, x.Username, x.DisplayName, joinRolesOf(x.Roles), status)
		}
		if !more {
			break
		}
	}
	return tw.Flush()
}

// explain turns field errors into readable text (English, for operators).
func explain(err error) error {
	e := apperr.As(err)
	if e == nil {
		return err
	}
	msg, fields := e.Key, e.Fields
	var b strings.Builder
	b.WriteString(i18n.T("en", msg, e.Args))
	for _, f := range fields {
		flagName := map[string]string{"display_name": "name", "roles": "role", "person_id": "person", "unit_id": "unit"}[f.Field]
		if flagName == "" {
			flagName = f.Field
		}
		fmt.Fprintf(&b, "\n  --%s: %s", flagName, i18n.T("en", f.Key, f.Args))
	}
	return errors.New(b.String())
}

func joinRoles() string { return joinRolesOf(auth.AllRoles) }

func joinRolesOf(rs []auth.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}
