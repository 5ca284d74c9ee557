//go:build tools

// Package deps pins the chosen dependencies in go.mod before every area uses them.
package deps

import (
	_ "github.com/chromedp/chromedp"
	_ "github.com/go-ego/gse"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/riverqueue/river"
	_ "github.com/riverqueue/river/riverdriver/riverpgxv5"
	_ "github.com/riverqueue/river/riverdriver/riversqlite"
	_ "github.com/xuri/excelize/v2"
	_ "golang.org/x/crypto/argon2"
)
