package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/storetest"
)

// TestScanVoucherNamesHouseholdAndMarket: at a market entrance, a genuine
// voucher's verdict carries the household and the market as the desk that
// issued it knows them (the QR leaves both names out), and a voucher for
// the commune's other market is WRONG_MARKET, with its own reason, and is
// not spent.
func TestScanVoucherNamesHouseholdAndMarket(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 60, 5)
	importFixture(t, db)
	approver, signer := storetest.Approver(t, db)
	_, vs := storetest.WeekOfVouchers(t, db, approver, signer)
	here, there := storetest.TwoMarkets(t, vs)
	checker := login(t, db, "kiemtra")
	scanner, err := db.NewScanner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := scanner.SetMarket(ctx, login(t, db, "canbo"), here.MarketID); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("a clerk set the market: %v", err)
	}
	if err := scanner.SetMarket(ctx, checker, "chợ không có"); store.ErrorCode(err) != store.ENotFound {
		t.Errorf("unknown market: %v", err)
	}
	if err := scanner.SetMarket(ctx, checker, store.Fold(here.MarketName)); err != nil {
		t.Fatal(err)
	}
	scan := func(v store.Voucher) store.ScanResult {
		t.Helper()
		at := v.SlotStart.Add(time.Minute)
		db.SetClock(func() time.Time { return at })
		r, err := scanner.Scan(ctx, checker, v.QR)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := scan(here)
	if r.Verdict != seal.Valid || r.Voucher == nil || r.Voucher.Representative == "" ||
		r.Voucher.Representative != here.Representative || r.Voucher.MarketName != here.MarketName || r.Voucher.HouseholdCode != here.HouseholdCode {
		t.Fatalf("voucher of this market: %s, %+v", r.Verdict, r.Voucher)
	}
	r = scan(there)
	if r.Verdict != seal.WrongMarket || !strings.Contains(r.Reason(false), there.MarketName) || !strings.Contains(r.Reason(false), here.MarketName) ||
		!strings.Contains(r.Reason(true), "a voucher for") {
		t.Fatalf("voucher of the other market: %s, %q / %q", r.Verdict, r.Reason(false), r.Reason(true))
	}
	if r.Event.Verdict != seal.WrongMarket {
		t.Errorf("logged as %s", r.Event.Verdict)
	}
	// Refused, not spent: at its own market's entrance it still lets the household in.
	if err := scanner.SetMarket(ctx, checker, there.MarketID); err != nil {
		t.Fatal(err)
	}
	if r := scan(there); r.Verdict != seal.Valid {
		t.Errorf("at its own market after a WRONG_MARKET: %s", r.Verdict)
	}
}
