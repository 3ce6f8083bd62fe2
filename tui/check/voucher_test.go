package check

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
	"thonghanh/store/slots"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
)

// TestVoucherVerdictNamesHouseholdAndMarket: at the entrance of one of the
// commune's two markets, a voucher's verdict names the household's
// representative and the market from the desk's voucher rows; a voucher
// for the other market is refused as Sai chợ, naming both; a desk that has
// never synced says that other entrances' uses may be missing.
func TestVoucherVerdictNamesHouseholdAndMarket(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var now time.Time
	db.SetClock(func() time.Time { return now })
	now = time.Date(2021, 9, 21, 8, 0, 0, 0, store.Vietnam)
	if _, err := seed.Demo(ctx, db, seed.Options{People: 20, PerCategory: 1, Seed: 1,
		PasswordParams: &store.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1}, KeyParams: &seal.CheapKeyParams}); err != nil {
		t.Fatal(err)
	}
	approver, err := db.Login(ctx, "duyet", seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	var rows []store.HouseholdRow
	for i := range 8 {
		rows = append(rows, store.HouseholdRow{Code: fmt.Sprintf("TMC-%03d", i+1), Representative: fmt.Sprintf("Trương Thị Thảo %c", 'A'+i),
			IDNumber: fmt.Sprintf("08217%d%06d", i%10, 500+i), Hamlet: fmt.Sprintf("Ấp %d", 1+i%2)})
	}
	if _, err := db.ImportHouseholds(ctx, approver, approver.Unit, rows); err != nil {
		t.Fatal(err)
	}
	zones, _ := db.Zones(ctx, approver.Unit)
	plan, err := db.PlanVouchers(ctx, zones[0].ID, slots.Params{Start: time.Date(2021, 9, 22, 0, 0, 0, 0, store.Vietnam),
		Days: 7, TripsPerWeek: 2, SlotMinutes: 60, Pattern: slots.Alternate})
	if err != nil {
		t.Fatal(err)
	}
	serials, err := db.IssueVouchers(ctx, approver, signer, plan)
	if err != nil {
		t.Fatal(err)
	}
	vs, err := db.Vouchers(ctx, store.VoucherFilter{Serials: serials})
	if err != nil {
		t.Fatal(err)
	}
	here := vs[0]
	var there store.Voucher
	for _, v := range vs {
		if v.MarketID != here.MarketID {
			there = v
			break
		}
	}
	if there.Serial == "" {
		t.Fatal("test premise: one market only")
	}
	checker, err := db.Login(ctx, "kiemtra", seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	units, _ := db.Units(ctx)
	c := common.Common{Ctx: ctx, Lang: i18n.Vi, Styles: common.NewStyles(true), Keys: common.NewKeyMap(i18n.Vi),
		Width: 80, Height: 19, DB: db, Units: units, Officer: checker, Tab: common.TabCheck}
	m := NewAt(seed.DefaultUnit, here.MarketID)(c).(*Model)
	update := pageUpdate(m)
	drive(t, update, m.Init()())
	if !strings.Contains(ansi.Strip(m.View()), "Chợ: "+here.MarketName) {
		t.Fatalf("the entrance's market is not shown:\n%s", ansi.Strip(m.View()))
	}

	now = here.SlotStart.Add(time.Minute)
	drive(t, update, keystrokes(here.QR)...)
	view := ansi.Strip(m.View())
	assertFits(t, m.View(), 80, 19)
	for _, want := range []string{"H Ợ P   L Ệ", strings.ToUpper(here.Representative), "hộ " + here.HouseholdCode,
		"Chợ        " + here.MarketName, "Lối vào khác có thể đã dùng phiếu này: máy chưa đồng bộ lần nào"} {
		if !strings.Contains(view, want) {
			t.Errorf("voucher of this market: no %q:\n%s", want, view)
		}
	}

	now = there.SlotStart.Add(time.Minute)
	drive(t, update, keystrokes(there.QR)...)
	view = ansi.Strip(m.View())
	if m.Verdict() != seal.WrongMarket {
		t.Fatalf("voucher of the other market: %s", m.Verdict())
	}
	for _, want := range []string{"S A I   C H Ợ", "phiếu dành cho " + there.MarketName + "; đây là lối vào " + here.MarketName,
		strings.ToUpper(there.Representative)} {
		if !strings.Contains(view, want) {
			t.Errorf("voucher of the other market: no %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "Lối vào khác có thể") {
		t.Errorf("a refused voucher warns of other entrances:\n%s", view)
	}
}
