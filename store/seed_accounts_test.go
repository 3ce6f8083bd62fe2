package store_test

import (
	"context"
	"testing"

	"thonghanh/store"
)

// TestDemoGivesEveryUnitAChecker: every unit of the demo has a checker
// account, so a second demo desk of any unit can run `thonghanh check`.
func TestDemoGivesEveryUnitAChecker(t *testing.T) {
	db, _ := demoDB(t, 20, 1)
	ctx := context.Background()
	units, err := db.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM officers WHERE username LIKE 'kiemtra.%'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if all := len(units.All()); n != all {
		t.Errorf("%d checker accounts for %d units", n, all)
	}
	o := login(t, db, "kiemtra.815")
	if o.Unit != 815 || store.MayScan(o) != nil || o.Has(store.RoleClerk) {
		t.Errorf("kiemtra.815 is %+v", o)
	}
}
