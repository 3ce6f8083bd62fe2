package tui

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
	"thonghanh/tui/internal/drive"
)

// outboxOps counts the outbox rows of entity id with op.
func outboxOps(t *testing.T, db *store.DB, entity, id, op string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM outbox WHERE entity = ? AND entity_id = ? AND op = ?`, entity, id, op).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitStatus waits for the status line to say want.
func waitStatus(t *testing.T, d *drive.Driver, m *Model, want string) {
	t.Helper()
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), want) }, 10*time.Second)
}

// typeField empties the focused field and types s into it.
func typeField(d *drive.Driver, s string) {
	d.Send(drive.Key("ctrl+u"))
	d.Send(drive.Type(s)...)
}

// TestAdminZonesMarketsOfficers: the unit's admin keeps zones, markets and
// accounts from the Quản trị tab, by keys at 80×24: each is added, edited
// and deactivated (after a confirmation), lands in the store with its
// outbox op, and bad input is said under its field — an emoji, an hour
// that is none, a number that is none, a bidi control, a common password,
// two passwords that differ — while decomposed (NFD) text is kept as NFC.
func TestAdminZonesMarketsOfficers(t *testing.T) {
	ctx := context.Background()
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "quantri")
	unit := m.base.Officer.Unit
	d.Send(drive.Key("alt+7"))
	waitLoaded(t, d, m)
	s := screen(m)
	if m.active != common.TabAdmin || !strings.Contains(s, "7 Quản trị") || !strings.Contains(s, "Khu vực") {
		t.Fatalf("alt+7 should open Quản trị:\n%s", s)
	}
	if f := footerLine(m); !strings.Contains(f, "alt+1–7 chuyển thẻ") {
		t.Errorf("the footer should say alt+1–7 chuyển thẻ:\n%s", f)
	}
	checkFrame(t, m, 80, 24)

	// A zone: an emoji in its name is refused where typed.
	d.Send(drive.Key("n"))
	if !strings.Contains(screen(m), "Thêm vùng nguy cơ") || !m.pages[common.TabAdmin].Typing() {
		t.Fatalf("n should open the zone form:\n%s", screen(m))
	}
	if f := footerLine(m); !strings.Contains(f, "ctrl+u xóa ô") || !strings.Contains(f, "alt+1–7 chuyển thẻ") {
		t.Errorf("a form's footer should show ctrl+u and the tab key:\n%s", f)
	}
	d.Send(drive.Type("Vùng 😷")...)
	d.Send(drive.Key("enter"))
	if s := screen(m); !strings.Contains(s, "không in được") {
		t.Errorf("an emoji should be refused under the name:\n%s", s)
	}
	d.Send(drive.Type("7")...) // digits typed into a field are the field's
	if m.active != common.TabAdmin {
		t.Fatalf("a digit typed into the form switched to tab %d", m.active)
	}
	typeField(d, "Vu\u0300ng A\u0302\u0301p 3") // NFD, as some keyboards send it
	d.Send(drive.Key("enter"))
	d.Send(drive.Key("right")) // nguy cơ cao → nguy cơ rất cao
	d.Send(drive.Key("enter"))
	d.Send(drive.Type("Ấp\u202e3")...) // a bidi override, which reads backwards
	d.Send(drive.Key("enter"))
	if s := screen(m); !strings.Contains(s, "ký tự định dạng ẩn") {
		t.Errorf("a bidi control should be refused under the hamlets:\n%s", s)
	}
	typeField(d, "Ấp 3")
	checkFrame(t, m, 80, 24)
	d.Send(drive.Key("enter"))
	waitStatus(t, d, m, "Đã khoanh Vùng Ấp 3")
	zones, _ := db.Zones(ctx, unit)
	i := slices.IndexFunc(zones, func(z store.Zone) bool { return z.Name == "Vùng Ấp 3" })
	if i < 0 {
		t.Fatalf("the zone is not in the store (NFC name): %+v", zones)
	}
	zone := zones[i]
	if zone.Risk != store.RiskVeryHigh || !slices.Equal(zone.Hamlets, []string{"Ấp 3"}) || outboxOps(t, db, "zone", zone.ID, "create") != 1 {
		t.Errorf("zone %+v (outbox %d)", zone, outboxOps(t, db, "zone", zone.ID, "create"))
	}

	// A market in it: the cursor on the new zone picks it.
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Vùng Ấp 3") }, 10*time.Second)
	d.Send(drive.Key("G"), drive.Key("right"))
	d.Send(drive.Key("n"))
	if s := screen(m); !strings.Contains(s, "‹Vùng Ấp 3›") {
		t.Fatalf("the market form should pick the zone under the cursor:\n%s", s)
	}
	d.Send(drive.Key("enter"))
	d.Send(drive.Type("Chợ Ấp 3")...)
	d.Send(drive.Key("enter"))
	d.Send(drive.Type("25:00-26:00")...)
	d.Send(drive.Key("enter"))
	if s := screen(m); !strings.Contains(s, "không đúng dạng") {
		t.Errorf("an hour that is none should be refused under the hours:\n%s", s)
	}
	typeField(d, "06:00-09:00")
	d.Send(drive.Key("enter"))
	d.Send(drive.Type("nhiều")...)
	d.Send(drive.Key("enter"))
	if s := screen(m); !strings.Contains(s, "Phải là một số nguyên") {
		t.Errorf("a capacity that is no number should be refused:\n%s", s)
	}
	typeField(d, "15")
	d.Send(drive.Key("enter"))
	d.Send(drive.Type("Ấp 3")...)
	d.Send(drive.Key("enter"))
	waitStatus(t, d, m, "Đã thêm Chợ Ấp 3")
	markets, _ := db.Markets(ctx, zone.ID)
	if len(markets) != 1 || markets[0].Capacity != 15 || markets[0].OpenMinute != 6*60 || outboxOps(t, db, "market", markets[0].ID, "create") != 1 {
		t.Fatalf("markets of the zone: %+v", markets)
	}
	// Edited: the prefilled capacity is replaced by what is typed.
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Chợ Ấp 3") }, 10*time.Second)
	d.Send(drive.Key("G"), drive.Key("e"))
	d.Send(drive.Key("enter"), drive.Key("enter"))
	d.Send(drive.Type("30")...)
	d.Send(drive.Key("enter"), drive.Key("enter"))
	waitStatus(t, d, m, "Đã sửa chợ Chợ Ấp 3")
	if markets, _ = db.Markets(ctx, zone.ID); len(markets) != 1 || markets[0].Capacity != 30 {
		t.Errorf("after the edit: %+v", markets)
	}

	// An account: a common password and a mistyped repeat are refused in
	// their fields.
	d.Send(drive.Key("right"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "quantri (bạn)") }, 10*time.Second)
	d.Send(drive.Key("n"))
	d.Send(drive.Type("canbo3")...)
	d.Send(drive.Key("enter"))
	d.Send(drive.Type("Phạm Văn Bình")...)
	d.Send(drive.Key("enter"), drive.Key("enter"), drive.Key("enter")) // a clerk, head position
	d.Send(drive.Type("password1")...)
	d.Send(drive.Key("enter"))
	if s := screen(m); !strings.Contains(s, "phổ biến") {
		t.Errorf("a common password should be refused under the field:\n%s", s)
	}
	typeField(d, "Binh-tam-2021x")
	d.Send(drive.Key("enter"))
	d.Send(drive.Type("Binh-tam-2021y")...)
	d.Send(drive.Key("enter"))
	if s := screen(m); !strings.Contains(s, "không giống nhau") {
		t.Errorf("two passwords that differ should be refused:\n%s", s)
	}
	checkFrame(t, m, 80, 24)
	typeField(d, "Binh-tam-2021x")
	d.Send(drive.Key("enter"))
	waitStatus(t, d, m, "Đã tạo tài khoản canbo3")
	officers, _ := db.OfficersOfUnit(ctx, unit)
	j := slices.IndexFunc(officers, func(o store.Officer) bool { return o.Username == "canbo3" })
	if j < 0 || officers[j].FullName != "Phạm Văn Bình" || !slices.Equal(officers[j].Roles, []store.Role{store.RoleClerk}) {
		t.Fatalf("canbo3 in the store: %+v", officers)
	}
	newbie := officers[j]
	if outboxOps(t, db, "officer", newbie.ID, "create") != 1 {
		t.Error("the new account has no outbox op")
	}
	if got, err := db.Login(ctx, "canbo3", "Binh-tam-2021x"); err != nil || !got.MustChangePassword {
		t.Errorf("the temporary password should be changed at the first login: %+v %v", got, err)
	}

	// Edited: name, role (approver) and position (deputy).
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "canbo3") }, 10*time.Second)
	d.Send(drive.Key("g"))
	for range j {
		d.Send(drive.Key("down"))
	}
	d.Send(drive.Key("e"))
	if s := screen(m); !strings.Contains(s, "Sửa tài khoản canbo3") {
		t.Fatalf("e should edit canbo3:\n%s", s)
	}
	d.Send(drive.Type("Phạm Văn An")...) // replaces the prefilled name
	d.Send(drive.Key("enter"), drive.Key("right"), drive.Key("enter"), drive.Key("right"), drive.Key("enter"))
	waitStatus(t, d, m, "Đã sửa tài khoản canbo3")
	if got, _ := db.Officer(ctx, newbie.ID); got.FullName != "Phạm Văn An" || !got.Has(store.RoleApprover) || got.Position != store.PositionDeputy {
		t.Errorf("after the edit: %+v", got)
	}

	// Deactivated after a confirmation; n keeps it.
	d.Send(drive.Key("d"))
	if s := screen(m); !strings.Contains(s, "Vô hiệu hóa tài khoản canbo3") {
		t.Fatalf("d should ask first:\n%s", s)
	}
	d.Send(drive.Key("n"))
	if got, _ := db.Officer(ctx, newbie.ID); !got.Active {
		t.Fatal("n deactivated the account")
	}
	d.Send(drive.Key("d"), drive.Key("y"))
	waitStatus(t, d, m, "Đã vô hiệu hóa tài khoản canbo3")
	if got, _ := db.Officer(ctx, newbie.ID); got.Active || outboxOps(t, db, "officer", newbie.ID, "deactivate") != 1 {
		t.Errorf("the account is still active, or has no outbox op: %+v", got)
	}
	// Not oneself: the store's refusal is said.
	me := slices.IndexFunc(officers, func(o store.Officer) bool { return o.Username == "quantri" })
	d.Send(drive.Key("g"))
	for range me {
		d.Send(drive.Key("down"))
	}
	d.Send(drive.Key("d"), drive.Key("y"))
	waitStatus(t, d, m, "không tự vô hiệu hóa tài khoản của mình")

	// The zone is lifted, with its market.
	d.Send(drive.Key("left"), drive.Key("left"), drive.Key("G"), drive.Key("d"))
	if s := screen(m); !strings.Contains(s, "Gỡ vùng “Vùng Ấp 3”") {
		t.Fatalf("d should ask before lifting the zone:\n%s", s)
	}
	d.Send(drive.Key("enter"))
	waitStatus(t, d, m, "Đã gỡ vùng Vùng Ấp 3")
	if zs, _ := db.Zones(ctx, unit); slices.ContainsFunc(zs, func(z store.Zone) bool { return z.ID == zone.ID }) {
		t.Error("the lifted zone is still listed")
	}
	if outboxOps(t, db, "zone", zone.ID, "deactivate") != 1 {
		t.Error("lifting the zone has no outbox op")
	}

	// ? lists the keys.
	d.Send(drive.Key("?"))
	s = screen(m)
	for _, want := range [][2]string{{"n", "thêm"}, {"e/enter", "sửa"}, {"d", "vô hiệu hóa"}, {"←/→", "khu vực·chợ·cán bộ"}, {"ctrl+r", "tải lại"}} {
		if !regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(want[0]) + `\s+` + regexp.QuoteMeta(want[1])).MatchString(s) {
			t.Errorf("the full help lacks %s %s:\n%s", want[0], want[1], s)
		}
	}
	checkFrame(t, m, 80, 24)
}

// TestAdminTabHiddenFromClerk: a clerk has no Quản trị tab (not even
// dimmed), its key does nothing, and the footer names the tabs they have.
func TestAdminTabHiddenFromClerk(t *testing.T) {
	m, d, _ := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "canbo")
	if s := screen(m); strings.Contains(s, "Quản trị") || strings.Contains(s, " 7 ") {
		t.Errorf("a clerk sees the admin tab:\n%s", s)
	}
	d.Send(drive.Key("alt+7"))
	if m.active == common.TabAdmin {
		t.Error("alt+7 opened the admin tab for a clerk")
	}
	if f := footerLine(m); !strings.Contains(f, "alt+1–6 chuyển thẻ") {
		t.Errorf("a clerk's footer should say alt+1–6:\n%s", f)
	}
}

// TestAdminApproverKeepsZonesNotAccounts: an approver has the tab and
// keeps zones, but the store's rule leaves accounts to admins: n on the
// accounts says so and opens no form. Every tab keeps its number on the
// bar at 80 columns.
func TestAdminApproverKeepsZonesNotAccounts(t *testing.T) {
	m, d, _ := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "duyet")
	s := screen(m)
	for _, n := range []string{"1 Tiếp nhận", "2 Hàng chờ", " 3 ", " 4 ", " 5 ", " 6 ", "7 Quản trị"} {
		if !strings.Contains(strings.Split(s, "\n")[2], n) {
			t.Errorf("the tab bar lacks %q:\n%s", n, s)
		}
	}
	d.Send(drive.Key("7"))
	waitLoaded(t, d, m)
	if m.active != common.TabAdmin {
		t.Fatalf("7 → tab %d", m.active)
	}
	d.Send(drive.Key("left"), drive.Key("n"))
	waitStatus(t, d, m, "Chỉ quản trị viên của đơn vị mới được quản lý tài khoản cán bộ")
	if m.pages[common.TabAdmin].Typing() {
		t.Error("a form opened for an approver")
	}
	d.Send(drive.Key("right"), drive.Key("n"))
	if !strings.Contains(screen(m), "Thêm vùng nguy cơ") {
		t.Errorf("an approver should add zones:\n%s", screen(m))
	}
	checkFrame(t, m, 80, 24)
}

// TestAdminReactivate: what is deactivated stays in the Quản trị tab,
// marked, and r on it brings it back after a confirmation, at 80×24: a
// lifted zone (its markets stay closed, as the question says), then its
// market, then an account. The footer offers r on such a row and d on a
// row in force; r on a row in force, d or e on a deactivated one, say why
// not. Each return lands in the store with its outbox op.
func TestAdminReactivate(t *testing.T) {
	ctx := context.Background()
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "quantri")
	admin := m.base.Officer
	unit := admin.Unit
	zone, err := db.CreateZone(ctx, admin, store.Zone{Commune: unit, Name: "Vùng Ấp 5", Risk: store.RiskHigh})
	if err != nil {
		t.Fatal(err)
	}
	market, err := db.CreateMarket(ctx, admin, store.Market{ZoneID: zone.ID, Name: "Chợ Ấp 5", OpenMinute: 360, CloseMinute: 540, Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	d.Send(drive.Key("alt+7"))
	waitLoaded(t, d, m)
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Vùng Ấp 5") }, 10*time.Second)

	// Lifted from the tab: the row stays, marked, and the footer offers r.
	d.Send(drive.Key("G"))
	if f := footerLine(m); !strings.Contains(f, "d vô hiệu hóa") || strings.Contains(f, "r khôi phục") {
		t.Errorf("on a zone in force the footer offers d, not r:\n%s", f)
	}
	d.Send(drive.Key("r"))
	waitStatus(t, d, m, "Vùng Vùng Ấp 5 đang có hiệu lực")
	d.Send(drive.Key("d"), drive.Key("y"))
	waitStatus(t, d, m, "Đã gỡ vùng Vùng Ấp 5")
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "đã gỡ · toàn xã") }, 10*time.Second)
	if f := footerLine(m); !strings.Contains(f, "r khôi phục") || strings.Contains(f, "d vô hiệu hóa") {
		t.Errorf("on a lifted zone the footer offers r, not d:\n%s", f)
	}
	checkFrame(t, m, 80, 24)
	d.Send(drive.Key("e"))
	waitStatus(t, d, m, "Vùng đã được gỡ: khôi phục (r) trước khi sửa")
	if m.pages[common.TabAdmin].Typing() {
		t.Fatal("e opened a form on a lifted zone")
	}
	d.Send(drive.Key("right"), drive.Key("G"))
	if s := screen(m); !strings.Contains(s, "Chợ Ấp 5") || !strings.Contains(s, "đã đóng · 06:00–09:00") {
		t.Errorf("the lifted zone's market should be listed closed:\n%s", s)
	}
	d.Send(drive.Key("left"))

	// r asks first, says the markets stay closed; n keeps it lifted.
	d.Send(drive.Key("r"))
	s := screen(m)
	if !strings.Contains(s, "Khôi phục vùng “Vùng Ấp 5”?") || !strings.Contains(s, "vẫn đóng") {
		t.Fatalf("r should ask first, saying the markets stay closed:\n%s", s)
	}
	if f := footerLine(m); !strings.Contains(f, "y/enter") {
		t.Errorf("the question's footer should say y/enter:\n%s", f)
	}
	checkFrame(t, m, 80, 24)
	d.Send(drive.Key("n"))
	if zs, _ := db.Zones(ctx, unit); slices.ContainsFunc(zs, func(z store.Zone) bool { return z.ID == zone.ID }) {
		t.Fatal("n brought the zone back")
	}
	d.Send(drive.Key("r"), drive.Key("y"))
	waitStatus(t, d, m, "Đã khôi phục vùng Vùng Ấp 5")
	if zs, _ := db.Zones(ctx, unit); !slices.ContainsFunc(zs, func(z store.Zone) bool { return z.ID == zone.ID }) ||
		outboxOps(t, db, "zone", zone.ID, "reactivate") != 1 {
		t.Errorf("the zone is not back in force, or has no outbox op: %+v", zs)
	}
	if ms, _ := db.Markets(ctx, zone.ID); len(ms) != 0 {
		t.Errorf("the zone's return reopened its markets: %+v", ms)
	}

	// Its market: e and d say it is closed; r reopens it.
	d.Send(drive.Key("right"), drive.Key("G"))
	d.Until(func(tea.Model) bool { return strings.Contains(footerLine(m), "r khôi phục") }, 10*time.Second)
	d.Send(drive.Key("d"))
	waitStatus(t, d, m, "Chợ Chợ Ấp 5 đã đóng: r để mở lại")
	d.Send(drive.Key("r"))
	if s := screen(m); !strings.Contains(s, "Mở lại chợ “Chợ Ấp 5”?") {
		t.Fatalf("r should ask before reopening the market:\n%s", s)
	}
	d.Send(drive.Key("enter"))
	waitStatus(t, d, m, "Đã mở lại chợ Chợ Ấp 5")
	if ms, _ := db.Markets(ctx, zone.ID); len(ms) != 1 || outboxOps(t, db, "market", market.ID, "reactivate") != 1 {
		t.Errorf("the market is not open again, or has no outbox op: %+v", ms)
	}
	d.Until(func(tea.Model) bool { return !strings.Contains(screen(m), "đã đóng") }, 10*time.Second)

	// An account closed at this desk comes back and logs in again.
	officers, _ := db.OfficersOfUnit(ctx, unit)
	j := slices.IndexFunc(officers, func(o store.Officer) bool { return o.Username == "canbo" })
	if j < 0 {
		t.Fatalf("no canbo in %+v", officers)
	}
	if err := db.DeactivateOfficer(ctx, admin, officers[j].ID); err != nil {
		t.Fatal(err)
	}
	d.Send(drive.Key("right"), drive.Key("ctrl+r"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "đã vô hiệu hóa") }, 10*time.Second)
	d.Send(drive.Key("g"))
	for range j {
		d.Send(drive.Key("down"))
	}
	if f := footerLine(m); !strings.Contains(f, "r khôi phục") {
		t.Errorf("on a closed account the footer offers r:\n%s", f)
	}
	d.Send(drive.Key("r"))
	if s := screen(m); !strings.Contains(s, "Khôi phục tài khoản canbo") {
		t.Fatalf("r should ask before reactivating canbo:\n%s", s)
	}
	checkFrame(t, m, 80, 24)
	d.Send(drive.Key("y"))
	waitStatus(t, d, m, "Đã khôi phục tài khoản canbo")
	if got, _ := db.Officer(ctx, officers[j].ID); !got.Active || outboxOps(t, db, "officer", got.ID, "reactivate") != 1 {
		t.Errorf("canbo is not active again, or has no outbox op: %+v", got)
	}

	// ? lists r with the other keys.
	d.Send(drive.Key("?"))
	if s := screen(m); !regexp.MustCompile(`(^|\s)r\s+khôi phục`).MatchString(s) {
		t.Errorf("the full help lacks r khôi phục:\n%s", s)
	}
}

// TestAdminReactivateEnglish: the same keys say it in English.
func TestAdminReactivateEnglish(t *testing.T) {
	ctx := context.Background()
	m, d, db := newDesk(t, i18n.En, 80, 24)
	logIn(t, d, m, "quantri")
	zone, err := db.CreateZone(ctx, m.base.Officer, store.Zone{Commune: m.base.Officer.Unit, Name: "Zone Five", Risk: store.RiskHigh})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeactivateZone(ctx, m.base.Officer, zone.ID); err != nil {
		t.Fatal(err)
	}
	d.Send(drive.Key("alt+7"))
	waitLoaded(t, d, m)
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "lifted · whole commune") }, 10*time.Second)
	d.Send(drive.Key("G"))
	if f := footerLine(m); !strings.Contains(f, "r reactivate") {
		t.Errorf("the footer should offer r reactivate:\n%s", f)
	}
	d.Send(drive.Key("r"))
	if s := screen(m); !strings.Contains(s, "Bring zone “Zone Five” back?") || !strings.Contains(s, "stay closed") {
		t.Fatalf("the question in English:\n%s", s)
	}
	checkFrame(t, m, 80, 24)
	d.Send(drive.Key("y"))
	waitStatus(t, d, m, "Zone Zone Five is back in force.")
}
