package assist

import (
	"bytes"
	"testing"
)

// TestImportBulkRows: households imported in several batches have the rows
// the form writes — members sealed to their own row's id (each reveals its
// number), masked, hashed, defaults filled — one audit entry per batch, and
// ids after them stay free (a household registered afterwards on the form
// is stored without a clash on either engine).
func TestImportBulkRows(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		old := importBatch
		importBatch = 2
		t.Cleanup(func() { importBatch = old })
		for _, v := range []string{"中安街道", "墨红镇"} {
			if _, err := f.svc.CreateVillage(f.ctx, f.officer, v, "一村", ""); err != nil {
				f.must(err)
			}
		}
		res, err := f.svc.ImportHouseholds(f.ctx, f.officer, bytes.NewReader(benchWorkbook(t, 5)))
		f.must(err)
		if res.Created != 5 || res.Rows != 10 {
			t.Fatalf("result %+v", res)
		}
		list, total, err := f.svc.ListHouseholds(f.ctx, f.officer, HouseholdFilter{Limit: 10})
		f.must(err)
		if total != 5 {
			t.Fatalf("%d households", total)
		}
		seen := map[string]bool{}
		for _, h := range list {
			d, err := f.svc.GetHousehold(f.ctx, f.officer, h.ID)
			f.must(err)
			if len(d.Members) != 2 || d.HeadName != "户主"+d.RegistryID || d.IncomeFen != 350000 || d.Members[1].Schooling != "在校" {
				t.Errorf("household %+v", d.Household)
			}
			for _, m := range d.Members {
				rv, err := f.svc.RevealIDNumber(f.ctx, f.officer, m.ID)
				f.must(err)
				if len(rv.IDNumber) != 18 || seen[rv.IDNumber] || m.IDMasked == "" || rv.IDNumber[:4] != m.IDMasked[:4] {
					t.Errorf("member %d: %q (masked %q)", m.ID, rv.IDNumber, m.IDMasked)
				}
				seen[rv.IDNumber] = true
				var hash string
				f.must(f.d.QueryRowContext(f.ctx, `SELECT id_number_hash FROM assist_household_members WHERE id = $1`, m.ID).Scan(&hash))
				if want, _ := f.svc.Secret.Hash(rv.IDNumber); hash != want {
					t.Errorf("member %d hash", m.ID)
				}
			}
		}
		var batches int
		f.must(f.d.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'import_create' AND entity = 'assist_household'`).Scan(&batches))
		if batches != 3 {
			t.Errorf("%d batch audit entries, want 3", batches)
		}
		h := f.household("AFTER1", 0, 90)
		if h.ID == 0 || len(h.Members) == 0 {
			t.Errorf("a household after the import: %+v", h)
		}
		// Importing the same file again changes nothing.
		res, err = f.svc.ImportHouseholds(f.ctx, f.officer, bytes.NewReader(benchWorkbook(t, 5)))
		f.must(err)
		if res.Unchanged != 5 || res.Created != 0 {
			t.Errorf("re-import %+v", res)
		}
	})
}
