package check

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"thonghanh/store/seal"
	"thonghanh/store/seed"
	"thonghanh/store/storetest"
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
	db := storetest.Desk(t, filepath.Join(t.TempDir(), "desk.db"), 20, 1)
	var now time.Time
	db.SetClock(func() time.Time { return now })
	now = storetest.Sept21
	approver, signer := storetest.Approver(t, db)
	storetest.Households(t, db, approver, 8, func(i int) string { return fmt.Sprintf("Trương Thị Thảo %c", 'A'+i) })
	_, vs := storetest.WeekOfVouchers(t, db, approver, signer)
	here, there := storetest.TwoMarkets(t, vs)
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
