package proposal

import (
	"context"
	"testing"

	"lvzhi/internal/apperr"
)

type fakeSimilar struct{ got string }

func (f *fakeSimilar) Similar(_ context.Context, committeeID int64, title, text string, excludeID int64, limit int) ([]Summary, error) {
	f.got = title
	return []Summary{{ID: 1, Title: "earlier"}}, nil
}

// TestSimilarHook: the similarity engine is called through the hook, only for
// proposals the actor may see.
func TestSimilarHook(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		p := f.seed(Submitted)
		if got, err := f.svc.SimilarTo(f.ctx, f.office, p.ID, 5); err != nil || got != nil {
			t.Fatalf("without a hook: %v %v", got, err)
		}
		fs := &fakeSimilar{}
		f.svc.Similar = fs
		got, err := f.svc.SimilarTo(f.ctx, f.office, p.ID, 5)
		if err != nil || len(got) != 1 || fs.got != p.Title {
			t.Fatalf("%v %v %q", got, err, fs.got)
		}
		_, err = f.svc.SimilarTo(f.ctx, f.members[3], p.ID, 5)
		wantCode(t, err, apperr.NotFound)
	})
}
