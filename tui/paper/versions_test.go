package paper_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/skip2/go-qrcode"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
)

// TestDemoPermitQRVersions approves every permit the demo desk's approver
// may issue and reports the QR versions (level Q) of their seals, the
// README's distribution: every one must print with 0.8 mm modules in the
// permit's 70 mm box (version 15 or below).
func TestDemoPermitQRVersions(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetClock(func() time.Time { return time.Date(2021, 9, 21, 8, 0, 0, 0, store.Vietnam) })
	if _, err := seed.Demo(ctx, db, seed.Options{People: 200, PerCategory: 20, Seed: 1,
		PasswordParams: &store.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1}, KeyParams: &seal.CheapKeyParams}); err != nil {
		t.Fatal(err)
	}
	approver, _ := db.Login(ctx, "duyet", seed.DemoPassword)
	signer, err := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	queue, _ := db.Queue(ctx, approver.Unit)
	var ids []string
	for _, q := range queue {
		if q.Authority.Allowed {
			ids = append(ids, q.ID)
		}
	}
	res, err := db.Approve(ctx, approver, signer, ids)
	if err != nil || len(res) == 0 {
		t.Fatalf("approve: %v (%d)", err, len(res))
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
