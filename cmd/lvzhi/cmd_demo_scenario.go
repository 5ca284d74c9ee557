package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"lvzhi/internal/db"
	"lvzhi/internal/scenario"
	"lvzhi/internal/secret"
)

// scenarios are the worked scenarios `lvzhi demo --scenario` loads.
var scenarios = map[string]func(ctx context.Context, d *db.DB, opt scenario.Options) (*scenario.Result, error){
	"fuyuan-2018": scenario.Fuyuan2018,
	"qinghe-2021": scenario.Qinghe2021,
}

// scenarioNames lists the known scenarios, sorted.
func scenarioNames() string {
	names := make([]string, 0, len(scenarios))
	for n := range scenarios {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// runScenario builds the named scenario (once per database) and serves it.
func runScenario(ctx context.Context, f *serveFlags, d *db.DB, box *secret.Box, name string) error {
	build := scenarios[name]
	fmt.Printf("正在构建场景 Building the scenario %s …\n", name)
	res, err := build(ctx, d, scenario.Options{IDBox: box})
	if err != nil {
		return err
	}
	return serve(ctx, f, d, func(addr string) {
		host := addr
		if strings.HasPrefix(host, "[::]:") || strings.HasPrefix(host, "0.0.0.0:") {
			host = "127.0.0.1" + host[strings.LastIndex(host, ":"):]
		}
		var b strings.Builder
		fmt.Fprintf(&b, "\n履职 Lvzhi 场景 scenario %s（虚构 fictional）· %d\n", name, res.Year)
		if !res.Seeded {
			b.WriteString("数据库中已有该场景，未重复构建 Already in the database, not built again\n")
		}
		fmt.Fprintf(&b, "数据库 Database: %s\n地址 Address: http://%s/\n\n", f.databaseURL(), host)
		for _, l := range res.Logins {
			b.WriteString(pad(string(l.Role), 20) + pad(l.Username, 16) + pad(scenario.DefaultPassword, 20) + l.Name + "\n")
		}
		b.WriteString("\n按 Ctrl+C 停止 Press Ctrl+C to stop.\n")
		fmt.Print(b.String())
	})
}
