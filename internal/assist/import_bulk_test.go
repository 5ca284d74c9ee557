package assist

import (
	"bytes"
	"testing"

	"lvzhi/internal/apperr"
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
		// Importing the same households again, saved as CSV, changes nothing.
		res, err = f.svc.ImportHouseholds(f.ctx, f.officer, bytes.NewReader(benchCSV(t, 5)))
		f.must(err)
		if res.Unchanged != 5 || res.Created != 0 {
			t.Errorf("re-import %+v", res)
		}
		// Two more as CSV: created; a CSV without a required column, or not a table: refused, nothing written.
		res, err = f.svc.ImportHouseholds(f.ctx, f.officer, bytes.NewReader(benchCSV(t, 7)))
		f.must(err)
		if res.Created != 2 || res.Unchanged != 5 {
			t.Errorf("CSV import %+v", res)
		}
		noVillage := bytes.Replace(benchCSV(t, 9), []byte("村（社区）"), []byte("村名"), 1)
		if _, err := f.svc.ImportHouseholds(f.ctx, f.officer, bytes.NewReader(noVillage)); code(err) != apperr.Invalid ||
			apperr.As(err).Key != "err.assist.import_header" {
			t.Errorf("CSV without the village column: %v", err)
		}
		if _, err := f.svc.ImportHouseholds(f.ctx, f.officer, bytes.NewReader([]byte("hello, world\nno table here"))); code(err) != apperr.Invalid ||
			apperr.As(err).Key != "err.assist.import_file" {
			t.Errorf("a text file: %v", err)
		}
		if _, total, _ := f.svc.ListHouseholds(f.ctx, f.officer, HouseholdFilter{}); total != 8 {
			t.Errorf("%d households after the refused files, want 8", total)
		}
	})
}
