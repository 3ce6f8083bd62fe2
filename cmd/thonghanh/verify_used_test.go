package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
)

// TestVerifyHonoursTheDeskUses: `verify --db` on a voucher the desk knows as
// used says ALREADY_USED; on an unused one it says VALID and, plainly, that
// it recorded nothing, so the voucher stays unused.
func TestVerifyHonoursTheDeskUses(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a demo desk")
	}
	ctx := context.Background()
	path, err := prepareDemoDesk(ctx, filepath.Join(t.TempDir(), "desk"), seed.DefaultUnit, false, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	db := openTestStore(t, path)
	vs := issueDemoVouchers(t, db, store.InVietnam(time.Now()).AddDate(0, 0, 1))
	used, unused := vs[0], vs[1]
	at := used.SlotStart.Add(time.Minute)
	db.SetClock(func() time.Time { return at })
	checker, err := db.Login(ctx, "kiemtra", seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	scanner, err := db.NewScanner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := scanner.Scan(ctx, checker, used.QR); err != nil || r.Verdict != seal.Valid {
		t.Fatalf("scan at the entrance: %s %v", r.Verdict, err)
	}
	r := runVerifyCmd(t, "", "--db", path, "--at", at.Format(time.RFC3339), used.QR)
	if r.code != exitFail || !strings.Contains(r.out, "Phiếu đã được sử dụng") {
		t.Errorf("a used voucher: exit %d\n%s%s", r.code, r.out, r.errOut)
	}
	scans := func() int {
		var n int
		db.SQL().QueryRow(`SELECT COUNT(*) FROM scan_events`).Scan(&n)
		return n
	}
	before := scans()
	r = runVerifyCmd(t, "", "--db", path, "--at", unused.SlotStart.Add(time.Minute).Format(time.RFC3339), unused.QR)
	if r.code != exitOK || !strings.Contains(r.errOut, "verify không ghi lượt quét") {
		t.Errorf("an unused voucher: exit %d\n%s%s", r.code, r.out, r.errOut)
	}
	if scans() != before {
		t.Errorf("verify recorded a scan")
	}
}
