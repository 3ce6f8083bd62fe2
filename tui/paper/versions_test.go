package paper_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"thonghanh/store/storetest"

	"github.com/skip2/go-qrcode"
)

// TestDemoPermitQRVersions approves every permit the demo desk's approver
// may issue and reports the QR versions (level Q) of their seals, the
// README's distribution: every one must print with 0.8 mm modules in the
// permit's 70 mm box (version 15 or below).
func TestDemoPermitQRVersions(t *testing.T) {
	ctx := context.Background()
	db := storetest.Desk(t, filepath.Join(t.TempDir(), "desk.db"), 200, 20)
	approver, signer := storetest.Approver(t, db)
	res := storetest.ApproveFirst(t, db, approver, signer, -1)
	if len(res) == 0 {
		t.Fatal("nothing approved")
	}
	versions := map[int]int{}
	for _, r := range res {
		if r.Serial == "" {
			continue
		}
		p, err := db.Permit(ctx, r.Serial)
		if err != nil {
			t.Fatal(err)
		}
		q, err := qrcode.New(p.QR, qrcode.High)
		if err != nil {
			t.Fatal(err)
		}
		versions[q.VersionNumber]++
		if q.VersionNumber > 15 {
			t.Errorf("%s: %d characters need version %d: modules under 0.8 mm", r.Serial, len(p.QR), q.VersionNumber)
		}
	}
	keys := make([]int, 0, len(versions))
	for v := range versions {
		keys = append(keys, v)
	}
	slices.Sort(keys)
	line := ""
	for _, v := range keys {
		line += fmt.Sprintf(" v%d: %d,", v, versions[v])
	}
	t.Logf("%d demo permits, QR versions at Q:%s", len(res), line)
}
