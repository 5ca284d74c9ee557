package duty_test

import (
	"fmt"

	"lvzhi/internal/apperr"
)

func field(i int, name string) string { return fmt.Sprintf("rules[%d].%s", i, name) }

func apperrFields(err error) []string {
	var out []string
	if e := apperr.As(err); e != nil {
		for _, f := range e.Fields {
			out = append(out, f.Field)
		}
	}
	return out
}
