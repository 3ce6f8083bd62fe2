// Package storetest builds the demo desks that tests of several rooms share
// (store, tui, cmd): a desk seeded on 21 September 2021 at 08:00 with cheap
// password and key costs, its approver's first permits, the demo commune's
// households and a week of their market vouchers; and the process's CPU
// time, which benchmarks report beside wall time.
//
// Its room is tests: only tests and their helpers (tui/internal/testdesk)
// import it, never a program. It uses the store's exported API only, as any
// caller does.
package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
	"thonghanh/store/slots"
)

// Sept21 is the day the province's QR permits started, 08:00: the demo
// desk's clock.
var Sept21 = time.Date(2021, 9, 21, 8, 0, 0, 0, store.Vietnam)

// CheapPasswords are argon2id costs for tests.
var CheapPasswords = store.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1}

// Desk opens (creating) the desk database at file, its clock fixed at
// Sept21, seeded with the demo province (people and perCategory as
// seed.Options). It is closed when the test ends; closing it earlier (to
// hand the file to a command) is fine.
func Desk(tb testing.TB, file string, people, perCategory int) *store.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, file)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	db.SetClock(func() time.Time { return Sept21 })
	if _, err := seed.Demo(ctx, db, seed.Options{People: people, PerCategory: perCategory, Seed: 1,
		PasswordParams: &CheapPasswords, KeyParams: &seal.CheapKeyParams}); err != nil {
		tb.Fatal(err)
	}
	return db
}

// Approver logs in the demo desk's approver and unlocks its signing key.
func Approver(tb testing.TB, db *store.DB) (store.Officer, *seal.Signer) {
	tb.Helper()
	ctx := context.Background()
	approver, err := db.Login(ctx, "duyet", seed.DemoPassword)
	if err != nil {
		tb.Fatal(err)
	}
	signer, err := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		tb.Fatal(err)
	}
	return approver, signer
}

// ApproveFirst approves the first n applications of the approver's queue
// that it may decide, in one call, and returns the results: each must be a
// permit. With n < 0 it tries every one, and returns the results as they
// are (a demo holder's second paper is refused).
func ApproveFirst(tb testing.TB, db *store.DB, approver store.Officer, signer *seal.Signer, n int) []store.DecisionResult {
	tb.Helper()
	ctx := context.Background()
	queue, err := db.Queue(ctx, approver.Unit)
	if err != nil {
		tb.Fatal(err)
	}
	var ids []string
	for _, q := range queue {
		if q.Authority.Allowed && (n < 0 || len(ids) < n) {
			ids = append(ids, q.ID)
		}
	}
	res, err := db.Approve(ctx, approver, signer, ids)
	if err != nil {
		tb.Fatal(err)
	}
	if n < 0 {
		return res
	}
	if len(res) != n {
		tb.Fatalf("approved %d applications, want %d", len(res), n)
	}
	for _, r := range res {
		if r.Err != nil || r.Serial == "" {
			tb.Fatalf("approve %s: %v", r.ApplicationID, r.Err)
		}
	}
	return res
}

// Households imports n households of the approver's commune, TMC-001… in
// two hamlets, each represented by representative(i).
func Households(tb testing.TB, db *store.DB, officer store.Officer, n int, representative func(i int) string) {
	tb.Helper()
	var rows []store.HouseholdRow
	for i := range n {
		rows = append(rows, store.HouseholdRow{Code: fmt.Sprintf("TMC-%03d", i+1), Representative: representative(i),
			IDNumber: fmt.Sprintf("08217%d%06d", i%10, 500+i), Hamlet: fmt.Sprintf("Ấp %d", 1+i%2)})
	}
	if _, err := db.ImportHouseholds(context.Background(), officer, officer.Unit, rows); err != nil {
		tb.Fatal(err)
	}
}

// Sept22 is the first day of the vouchers WeekOfVouchers issues.
var Sept22 = time.Date(2021, 9, 22, 0, 0, 0, 0, store.Vietnam)

// WeekOfVouchers plans and issues, for the households of the approver's
// commune's first zone, a week of market trips from Sept22 (two a week,
// one-hour slots, markets alternating) and returns their serials, in the
// order issued, and the vouchers as the desk lists them.
func WeekOfVouchers(tb testing.TB, db *store.DB, approver store.Officer, signer *seal.Signer) ([]string, []store.Voucher) {
	tb.Helper()
	ctx := context.Background()
	zones, err := db.Zones(ctx, approver.Unit)
	if err != nil || len(zones) == 0 {
		tb.Fatalf("zones of %d: %v %v", approver.Unit, zones, err)
	}
	plan, err := db.PlanVouchers(ctx, zones[0].ID, slots.Params{Start: Sept22, Days: 7, TripsPerWeek: 2, SlotMinutes: 60, Pattern: slots.Alternate})
	if err != nil {
		tb.Fatal(err)
	}
	serials, err := db.IssueVouchers(ctx, approver, signer, plan)
	if err != nil {
		tb.Fatal(err)
	}
	vs, err := db.Vouchers(ctx, store.VoucherFilter{Serials: serials})
	if err != nil {
		tb.Fatal(err)
	}
	return serials, vs
}

// TwoMarkets returns the first voucher of vs and the first one for another
// market: the test's premise is that the plan used two.
func TwoMarkets(tb testing.TB, vs []store.Voucher) (here, there store.Voucher) {
	tb.Helper()
	if len(vs) == 0 {
		tb.Fatal("no vouchers")
	}
	here = vs[0]
	for _, v := range vs {
		if v.MarketID != here.MarketID {
			return here, v
		}
	}
	tb.Fatal("test premise: the plan uses one market only")
	return here, here
}
