package civil

import (
	"errors"
	"testing"
)

// TestParseErrors: a badly written date and a well-written impossible one fail differently.
func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		in   string
		want error
	}{
		{"1988-02-29", nil}, {"1988-02-30", ErrNoSuchDate}, {"2025-13-01", ErrNoSuchDate}, {"2025-00-10", ErrNoSuchDate},
		{"2025-1-01", ErrFormat}, {"2025/01/01", ErrFormat}, {"二〇二五年", ErrFormat}, {"", ErrFormat}, {"2025-01-01x", ErrFormat},
	} {
		_, err := Parse(c.in)
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("Parse(%q) = %v, want %v", c.in, err, c.want)
		}
	}
}
