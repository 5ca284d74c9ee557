package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"lvzhi/internal/demo"
	"lvzhi/internal/secret"
)

func init() {
	commands["demo"] = command{"seed a demo county committee (fresh SQLite in a temporary or given --data directory) and serve it", runDemo}
}

func runDemo(ctx context.Context, args []string) error {
	var f serveFlags
	fs := newFlags("demo", commands["demo"].summary)
	f.bind(fs, "127.0.0.1:8080")
	data := fs.Lookup("data")
	data.Usage, data.DefValue = "data directory to keep the demo in (default: a new temporary directory, removed when the demo stops)", ""
	if err := fs.Parse(args); err != nil {
		return err
	}
	// Take the port first: a busy one fails now, not after a minute of seeding.
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fmt.Errorf("演示无法监听 %s（端口可能已被占用）: %w\nthe demo cannot listen on %s (is the port in use?): stop the other program, or choose another address, e.g. --addr 127.0.0.1:8081", f.addr, err, f.addr)
	}
	f.ln = ln
	defer ln.Close()
	cleanup, err := demoDataDir(fs, &f)
	if err != nil {
		return err
	}
	defer cleanup()
	box, err := demoKey(f.dataDir)
	if err != nil {
		return err
	}
	d, err := f.open(ctx, true)
	if err != nil {
		return err
	}
	defer d.Close()
	fmt.Println("正在准备演示数据 Preparing the demo data …")
	res, err := demo.Seed(ctx, d, box)
	if err != nil {
		return err
	}
	return serve(ctx, &f, d, func(addr string) {
		printDemo(res, addr, f.databaseURL())
	})
}

// demoDataDir gives the demo a fresh temporary data directory unless --data
// or --db was given; the returned cleanup removes it (and nothing given).
func demoDataDir(fs *flag.FlagSet, f *serveFlags) (func(), error) {
	if flagSet(fs, "data") || flagSet(fs, "db") {
		return func() {}, nil
	}
	dir, err := os.MkdirTemp("", "lvzhi-demo-")
	if err != nil {
		return nil, err
	}
	f.dataDir = dir
	return func() {
		if err := os.RemoveAll(dir); err != nil {
			fmt.Fprintln(os.Stderr, "lvzhi demo: removing", dir+":", err)
		}
	}, nil
}

// flagSet reports whether the flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// demoKey returns the encryption key for ID numbers: LVZHI_KEY if set, else a
// key kept in the demo's data directory, which is then exported so that the
// server's services use the same key.
func demoKey(dir string) (*secret.Box, error) {
	if os.Getenv(secret.EnvKey) != "" {
		return secret.FromEnv()
	}
	path := filepath.Join(dir, "demo.key")
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, err
		}
		b = []byte(secret.NewKey())
		err = os.WriteFile(path, b, 0o600)
	}
	if err != nil {
		return nil, err
	}
	key := strings.TrimSpace(string(b))
	if err := os.Setenv(secret.EnvKey, key); err != nil {
		return nil, err
	}
	return secret.FromBase64(key)
}

func printDemo(res *demo.Result, addr, dbPath string) {
	host := addr
	if strings.HasPrefix(host, "[::]:") || strings.HasPrefix(host, "0.0.0.0:") {
		host = "127.0.0.1" + host[strings.LastIndex(host, ":"):]
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n履职 Lvzhi 演示 demo: %s政协（虚构 fictional）· 第九届 · 九届二次会议 %d\n", demo.CountyName, res.Year)
	if res.Seeded {
		fmt.Fprintf(&b, "已生成 Seeded: %d 名委员 members, %d 件提案 proposals\n", demo.Members, res.Proposals)
	}
	fmt.Fprintf(&b, "数据库 Database: %s\n", dbPath)
	fmt.Fprintf(&b, "地址 Address: http://%s/\n\n", host)
	row := func(role, user, pw, name string) {
		b.WriteString(pad(role, 32) + pad(user, 14) + pad(pw, 20) + name + "\n")
	}
	row("角色 Role", "用户名 User", "密码 Password", "姓名 Name")
	for _, l := range res.Logins {
		row(l.RoleZh+" "+l.RoleEn, l.Username, l.Password, l.Name)
	}
	b.WriteString("\n按 Ctrl+C 停止 Press Ctrl+C to stop.\n")
	fmt.Print(b.String())
}

// pad fills s with spaces to width terminal columns, counting CJK characters as two.
func pad(s string, width int) string {
	w := 0
	for _, r := range s {
		w++
		if r >= 0x2E80 {
			w++
		}
	}
	if w >= width {
		return s + " "
	}
	return s + strings.Repeat(" ", width-w)
}
