package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/skip2/go-qrcode"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
	"thonghanh/store/slots"
	"thonghanh/store/storetest"
)

// sept22 is the first day of the test periods: the day after the clock.
var sept22 = storetest.Sept22

// importFixture loads testdata/ho-gia-dinh.csv into the demo commune: 8
// households in Ấp 1 and 8 in Ấp 2 (the demo zone), 4 in Ấp 3 (outside it).
func importFixture(t *testing.T, db *store.DB) {
	t.Helper()
	rows, err := parseFile(t, "ho-gia-dinh.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	clerk := login(t, db, "canbo")
	if _, err := db.ImportHouseholds(context.Background(), clerk, clerk.Unit, rows); err != nil {
		t.Fatal(err)
	}
}

func demoZone(t *testing.T, db *store.DB) store.Zone {
	t.Helper()
	zones, err := db.Zones(context.Background(), seed.DefaultUnit)
	if err != nil || len(zones) == 0 {
		t.Fatalf("demo zones: %v %v", zones, err)
	}
	return zones[0]
}

// verifyVouchers checks every voucher's QR at the start of its own slot and
// that no market slot holds more than its capacity.
func verifyVouchers(t *testing.T, db *store.DB, serials []string) []store.Voucher {
	t.Helper()
	ctx := context.Background()
	vs, err := db.Vouchers(ctx, store.VoucherFilter{Serials: serials})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != len(serials) {
		t.Fatalf("%d vouchers listed for %d serials", len(vs), len(serials))
	}
	checker := checkerFor(t, db)
	var at time.Time
	checker.Now = func() time.Time { return at }
	capacity := map[string]int{}
	for _, z := range mustZones(t, db) {
		ms, _ := db.Markets(ctx, z.ID)
		for _, m := range ms {
			capacity[m.ID] = m.Capacity
		}
	}
	load := map[string]int{}
	for i, v := range vs {
		if v.Serial != serials[i] {
			t.Fatalf("voucher %d is %s, want %s (serial order)", i, v.Serial, serials[i])
		}
		at = v.SlotStart.Add(time.Minute)
		r := checker.Verify(v.QR)
		if r.Verdict != seal.Valid {
			t.Fatalf("voucher %s verifies as %s (%s)", v.Serial, r.Verdict, r.Detail)
		}
		p := r.Payload
		if p.Kind != seal.KindVoucher || p.Category != 5 || p.Serial != v.Serial || p.Household != v.HouseholdCode ||
			p.IDNumber != v.IDNumber || !p.ValidFrom.Equal(v.SlotStart) || !p.ValidUntil.Equal(v.SlotEnd) ||
			len(p.Area) != 1 || p.Area[0] != seed.DefaultUnit || p.Unit != seed.DefaultUnit {
			t.Fatalf("voucher %s payload %+v does not match its row %+v", v.Serial, p, v)
		}
		// QR-FORMAT.md's budget: a voucher fits QR version 11 at level Q.
		q, err := qrcode.New(v.QR, qrcode.High)
		if err != nil {
			t.Fatal(err)
		}
		if q.VersionNumber > 11 {
			t.Fatalf("voucher %s needs QR version %d at Q (%d characters), the budget is 11", v.Serial, q.VersionNumber, len(v.QR))
		}
		at = v.SlotEnd.Add(10 * time.Minute)
		if r := checker.Verify(v.QR); r.Verdict != seal.Expired {
			t.Fatalf("voucher %s after its slot: %s", v.Serial, r.Verdict)
		}
		k := fmt.Sprint(v.MarketID, v.SlotStart.Unix())
		load[k]++
		if load[k] > capacity[v.MarketID] {
			t.Fatalf("market %s slot %s holds %d, capacity %d", v.MarketName, v.SlotStart, load[k], capacity[v.MarketID])
		}
	}
	return vs
}

func mustZones(t *testing.T, db *store.DB) []store.Zone {
	zs, err := db.Zones(context.Background(), seed.DefaultUnit)
	if err != nil {
		t.Fatal(err)
	}
	return zs
}

func TestIssueVouchersSealsEveryTripInOneTransaction(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 60, 5)
	importFixture(t, db)
	zone := demoZone(t, db)
	params := slots.Params{Start: sept22, Days: 7, TripsPerWeek: 2, SlotMinutes: 60, Pattern: slots.Alternate}
	plan, err := db.PlanVouchers(ctx, zone.ID, params)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Households) != 16 || plan.Count() != 32 || len(plan.Markets) != 2 || plan.AlreadyIssued != 0 {
		t.Fatalf("plan: %d households, %d vouchers, %d markets, %d already issued", len(plan.Households), plan.Count(),
			len(plan.Markets), plan.AlreadyIssued)
	}
	for _, h := range plan.Households {
		if h.Hamlet == "Ấp 3" {
			t.Fatalf("household %s of Ấp 3 is outside the zone", h.Code)
		}
	}
	for i, tr := range plan.Plan.Trips { // odd codes on odd days of the period
		if plan.Numbers[tr.Household]%2 != tr.PeriodDay()%2 {
			t.Fatalf("trip %d: household number %d on day %d", i, plan.Numbers[tr.Household], tr.PeriodDay())
		}
	}

	clerk := login(t, db, "canbo")
	approver := login(t, db, "duyet")
	signer, err := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	other := login(t, db, "duyet.28249") // before counting: a login is an audit entry
	before := map[string]int{"vouchers": count(t, db, "vouchers"), "audit": count(t, db, "audit"), "outbox": count(t, db, "outbox")}
	if _, err := db.IssueVouchers(ctx, clerk, signer, plan); store.ErrorCode(err) != store.EForbidden ||
		!strings.Contains(err.Error(), "chỉ người duyệt mới được phát phiếu") {
		t.Errorf("clerk issued: %v", err)
	}
	if _, err := db.IssueVouchers(ctx, other, signer, plan); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("another commune's approver issued: %v", err)
	}
	if _, err := db.IssueVouchers(ctx, approver, nil, plan); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("issued without a signer: %v", err)
	}
	for table, n := range before {
		if c := count(t, db, table); c != n {
			t.Fatalf("%s: refused issues wrote %d rows", table, c-n)
		}
	}

	serials, err := db.IssueVouchers(ctx, approver, signer, plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(serials) != 32 || serials[0] != "28291-1-2021-V000001" || serials[31] != "28291-1-2021-V000032" {
		t.Fatalf("serials %d: %s … %s", len(serials), serials[0], serials[len(serials)-1])
	}
	for table, want := range map[string]int{"vouchers": 32, "audit": 1, "outbox": 33} { // outbox: each voucher + the audit entry
		if got := count(t, db, table) - before[table]; got != want {
			t.Errorf("%s: %d rows written, want %d", table, got, want)
		}
	}
	vs := verifyVouchers(t, db, serials)
	if vs[0].UsedAt != (time.Time{}) || vs[0].Printed != 0 || vs[0].Revoked {
		t.Errorf("fresh voucher: %+v", vs[0])
	}
	one, err := db.Voucher(ctx, serials[5])
	if err != nil || one.Serial != serials[5] || one.QR != vs[5].QR {
		t.Errorf("Voucher(%s) = %+v, %v", serials[5], one, err)
	}
	if zoneList, _ := db.Vouchers(ctx, store.VoucherFilter{ZoneID: zone.ID}); len(zoneList) != 32 {
		t.Errorf("zone filter: %d vouchers", len(zoneList))
	}
	day, _ := db.Vouchers(ctx, store.VoucherFilter{SlotFrom: sept22, SlotUntil: sept22.AddDate(0, 0, 1)})
	for _, v := range day {
		if !v.SlotStart.After(sept22) || v.SlotStart.After(sept22.AddDate(0, 0, 1)) || v.HouseholdCode == "" {
			t.Errorf("day filter gave %+v", v)
		}
	}
	if len(day) == 0 || len(day) == 32 {
		t.Errorf("day filter: %d vouchers", len(day))
	}

	// The same households cannot get a second set for the same period.
	again, err := db.PlanVouchers(ctx, zone.ID, params)
	if err != nil || again.AlreadyIssued != 16 {
		t.Fatalf("second plan: %v, already issued %d", err, again.AlreadyIssued)
	}
	if _, err := db.IssueVouchers(ctx, approver, signer, again); store.ErrorCode(err) != store.EConflict {
		t.Errorf("second issue for the same period: %v", err)
	}
	if n := count(t, db, "vouchers"); n != 32 {
		t.Errorf("%d vouchers after a refused second issue", n)
	}
	if n, problem, err := db.VerifyAudit(ctx); err != nil || problem != nil || n == 0 {
		t.Fatalf("audit: %d %v %v", n, problem, err)
	}

	// A voucher is revoked like a permit: the serial joins the revocation list.
	if err := db.Revoke(ctx, other, serials[0], "Hộ đã chuyển đi"); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("another commune revoked our voucher: %v", err)
	}
	if err := db.Revoke(ctx, approver, serials[0], "Hộ đã chuyển đi"); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.Voucher(ctx, serials[0]); !v.Revoked {
		t.Error("revoked voucher not marked revoked")
	}
	if ok, _ := db.IsRevoked(ctx, serials[0]); !ok {
		t.Error("revoked voucher not on the revocation list")
	}
}

func TestIssueVouchersRefusesAStalePlan(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 60, 5)
	importFixture(t, db)
	zone := demoZone(t, db)
	plan, err := db.PlanVouchers(ctx, zone.ID, slots.Params{Start: sept22, Days: 3, TripsPerWeek: 3, SlotMinutes: 30, Pattern: slots.Spread})
	if err != nil {
		t.Fatal(err)
	}
	// The list changes after the preview: a representative is replaced.
	clerk := login(t, db, "canbo")
	if _, err := db.ImportHouseholds(ctx, clerk, clerk.Unit, []store.HouseholdRow{{Code: "TMC-001", Representative: "Nguyễn Văn Anh",
		IDNumber: "082061001001", Hamlet: "Ấp 1"}}); err != nil {
		t.Fatal(err)
	}
	approver := login(t, db, "duyet")
	signer, _ := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if _, err := db.IssueVouchers(ctx, approver, signer, plan); store.ErrorCode(err) != store.EConflict {
		t.Fatalf("stale plan issued: %v", err)
	}
	if n := count(t, db, "vouchers"); n != 0 {
		t.Fatalf("%d vouchers written from a stale plan", n)
	}
	// The plan's exported copies are for the screen: what is sealed is what
	// the database holds, read again in the issuing transaction.
	fresh, err := db.PlanVouchers(ctx, zone.ID, slots.Params{Start: sept22, Days: 3, TripsPerWeek: 3, SlotMinutes: 30, Pattern: slots.Spread})
	if err != nil {
		t.Fatal(err)
	}
	real := fresh.Households[0].IDNumber
	fresh.Households[0].IDNumber = "082199999999"
	fresh.Zone.Commune = 28249
	serials, err := db.IssueVouchers(ctx, approver, signer, fresh)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := db.Voucher(ctx, serials[0])
	if v.IDNumber != real || v.HouseholdCode != fresh.Households[0].Code {
		t.Errorf("sealed ID %s for %s, want the stored %s", v.IDNumber, v.HouseholdCode, real)
	}
	// A plan for a period already begun is refused too.
	if _, err := db.PlanVouchers(ctx, zone.ID, slots.Params{Start: sept22.AddDate(0, 0, -5), Days: 7, TripsPerWeek: 2,
		SlotMinutes: 60}); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("past period: %v", err)
	}
}

func TestShortageCreatesNothing(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 60, 5)
	importFixture(t, db)
	admin := login(t, db, "quantri")
	// Ấp 3's four households and a stall that takes one household an hour,
	// open one hour a day: 4 × 2 trips need 8 places, a week has 7.
	z, err := db.CreateZone(ctx, admin, store.Zone{Commune: admin.Unit, Name: "Vùng nguy cơ Ấp 3", Risk: store.RiskAtRisk, Hamlets: []string{"Ấp 3"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateMarket(ctx, admin, store.Market{ZoneID: z.ID, Name: "Điểm bán Ấp 3", Hamlets: []string{"Ấp 3"},
		OpenMinute: 7 * 60, CloseMinute: 8 * 60, Capacity: 1}); err != nil {
		t.Fatal(err)
	}
	before := map[string]int{"vouchers": count(t, db, "vouchers"), "audit": count(t, db, "audit"), "outbox": count(t, db, "outbox")}
	_, err = db.PlanVouchers(ctx, z.ID, slots.Params{Start: sept22, Days: 7, TripsPerWeek: 2, SlotMinutes: 60, Pattern: slots.Spread})
	var short *slots.ShortageError
	if !errors.As(err, &short) {
		t.Fatalf("want a shortage, got %v", err)
	}
	if short.Needed != 8 || short.Available != 7 || store.ErrorCode(err) != store.EInvalid ||
		!strings.Contains(err.Error(), "cần 8 lượt, chỉ có 7 lượt") {
		t.Errorf("shortage %d/%d: %v", short.Needed, short.Available, err)
	}
	for table, n := range before {
		if c := count(t, db, table); c != n {
			t.Errorf("%s: a shortage wrote %d rows", table, c-n)
		}
	}
}

// TestIssueManyVouchersNeverOverfills issues for a commune-sized list
// whose hamlets overflow their own market, so fallbacks happen.
func TestIssueManyVouchersNeverOverfills(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 60, 5)
	clerk := login(t, db, "canbo")
	rows := make([]store.HouseholdRow, 400)
	for i := range rows {
		hamlet := "Ấp 2" // three in four: more than the mobile stall's 200 places a day
		if i%4 == 0 {
			hamlet = "Ấp 1"
		}
		rows[i] = store.HouseholdRow{Code: fmt.Sprintf("TMC-%04d", i+1), Representative: "Nguyễn Văn Bình",
			IDNumber: fmt.Sprintf("0820%02d%06d", i%100, 100000+i), Hamlet: hamlet, Members: "3"}
	}
	if _, err := db.ImportHouseholds(ctx, clerk, clerk.Unit, rows); err != nil {
		t.Fatal(err)
	}
	zone := demoZone(t, db)
	plan, err := db.PlanVouchers(ctx, zone.ID, slots.Params{Start: sept22, Days: 7, TripsPerWeek: 5, SlotMinutes: 30, Pattern: slots.Spread})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Plan.Fallbacks == 0 {
		t.Error("no fallbacks: the test no longer overflows a market")
	}
	approver := login(t, db, "duyet")
	signer, _ := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	serials, err := db.IssueVouchers(ctx, approver, signer, plan)
	if err != nil {
		t.Fatal(err)
	}
	if len(serials) != 2000 {
		t.Fatalf("%d vouchers, want 2000", len(serials))
	}
	verifyVouchers(t, db, serials)
	for _, row := range plan.Capacity() {
		if row.Peak > row.PerSlot {
			t.Errorf("%s: peak %d over %d", row.Name, row.Peak, row.PerSlot)
		}
	}
}
