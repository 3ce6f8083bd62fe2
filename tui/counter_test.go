package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/store/seed"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
	"thonghanh/tui/internal/drive"
)

// focusedTitle is the title of the form field that has the cursor: huh
// draws a thick bar before the focused field's lines.
func focusedTitle(m *Model) string {
	for _, l := range strings.Split(screen(m), "\n") {
		if strings.HasPrefix(l, "┃ ") {
			return strings.TrimSpace(strings.TrimPrefix(l, "┃ "))
		}
	}
	return ""
}

// TestTypingReplacesPrefilledText: a returning person's route is
// prefilled from their last application; typing a new one replaces it
// rather than adding to its end, and the footer shows how to clear a field.
func TestTypingReplacesPrefilledText(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "canbo")
	person, prev := returningResident(t, db)
	if prev.Route == "" {
		t.Fatal("the returning resident has no route to prefill")
	}
	openPerson(d, m, person)
	for i := 0; i < 6 && focusedTitle(m) != "Lộ trình"; i++ {
		d.Send(drive.Key("enter"))
	}
	if focusedTitle(m) != "Lộ trình" {
		t.Fatalf("never reached the route:\n%s", screen(m))
	}
	if s := screen(m); !strings.Contains(s, prev.Route) || !strings.Contains(s, "ctrl+u") {
		t.Errorf("the route field should show the previous route %q and ctrl+u in the footer:\n%s", prev.Route, s)
	}
	checkFrame(t, m, 80, 24)
	const route = "Nhà → Chợ Mỹ Tho"
	d.Send(drive.Type(route)...)
	for i := 0; i < 10 && !strings.Contains(screen(m), "Kiểm tra lại trước khi gửi"); i++ {
		d.Send(drive.Key("enter"))
	}
	d.Send(drive.Key("enter"))
	if strings.Contains(screen(m), "enter: vẫn gửi dù trùng") {
		d.Send(drive.Key("enter")) // sent anyway: it overlaps the person's pending application
	}
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã tiếp nhận hồ sơ") }, 5*time.Second)
	apps, err := db.ApplicationsOf(context.Background(), person.ID)
	if err != nil {
		t.Fatal(err)
	}
	if apps[0].Route != route {
		t.Errorf("route sent %q, want %q (typing should replace the prefilled %q)", apps[0].Route, route, prev.Route)
	}
}

// TestPastStartRefusedWhereTyped: a start date already gone is said under
// the date as it is typed, like an end before the start, and the form
// stays on the field; the review never sees it.
func TestPastStartRefusedWhereTyped(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "canbo")
	person, _ := returningResident(t, db)
	openPerson(d, m, person)
	for i := 0; i < 8 && focusedTitle(m) != "Từ ngày"; i++ {
		d.Send(drive.Key("enter"))
	}
	if focusedTitle(m) != "Từ ngày" {
		t.Fatalf("never reached the start date:\n%s", screen(m))
	}
	d.Send(drive.Type("20/09/2021")...) // the desk's clock says 21/09/2021
	d.Send(drive.Key("enter"))
	s := screen(m)
	if focusedTitle(m) != "Từ ngày" || !strings.Contains(s, "đã qua") {
		t.Errorf("a past start should be refused at the field (focus on %q):\n%s", focusedTitle(m), s)
	}
	if strings.Contains(s, "Kiểm tra lại trước khi gửi") {
		t.Errorf("a past start reached the review:\n%s", s)
	}
	checkFrame(t, m, 80, 24)
	// Too far ahead is said there too.
	d.Send(drive.Key("ctrl+u"))
	d.Send(drive.Type("21/12/2021")...)
	d.Send(drive.Key("enter"))
	if s := screen(m); focusedTitle(m) != "Từ ngày" || !strings.Contains(s, "quá xa") {
		t.Errorf("a start months ahead should be refused at the field:\n%s", s)
	}
	d.Send(drive.Key("ctrl+u"))
	d.Send(drive.Type("22/09/2021")...)
	d.Send(drive.Key("enter"))
	if focusedTitle(m) == "Từ ngày" {
		t.Errorf("tomorrow refused:\n%s", screen(m))
	}
}

// TestQueueFindsApplicationByNumber: the number the applicant is told to
// keep finds their application in the queue, typed as printed or in lower
// case, and the number column shows at 80 columns.
func TestQueueFindsApplicationByNumber(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "duyet")
	items, err := db.Queue(context.Background(), 28291)
	if err != nil || len(items) < 30 {
		t.Fatalf("queue: %d items, %v", len(items), err)
	}
	want := items[len(items)/2] // well below the first screen
	s := screen(m)
	if !strings.Contains(s, "Số hồ sơ") || !strings.Contains(s, items[0].Number) {
		t.Errorf("the number column should show at 80 columns:\n%s", s)
	}
	checkFrame(t, m, 80, 24)
	for _, q := range []string{want.Number, strings.ToLower(want.Number)} {
		d.Send(drive.Key("/"))
		d.Send(drive.Key("ctrl+u"))
		d.Send(drive.Type(q)...)
		d.Send(drive.Key("enter"))
		s := screen(m)
		if !strings.Contains(s, want.Number) || !strings.Contains(s, want.Name) || strings.Contains(s, "Không có hồ sơ nào khớp") {
			t.Errorf("searching %q should find %s (%s):\n%s", q, want.Number, want.Name, s)
		}
		if strings.Contains(s, items[0].Number+" ") && items[0].Number != want.Number {
			t.Errorf("searching %q kept %s too:\n%s", q, items[0].Number, s)
		}
	}
}

// TestPermitDetailShowsAllOfIt: enter on a permit shows the request it
// grants (purpose, area, route, hours, vehicle), who approved it, its
// prints and its scans, and a permit starting tomorrow is "chưa đến hạn".
func TestPermitDetailShowsAllOfIt(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	approveFirst(t, d, m, 1)
	ctx := context.Background()
	serial := m.pages[2].(interface{ CursorSerial() string }).CursorSerial()
	p, err := db.Permit(ctx, serial)
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.Application(ctx, p.ApplicationID)
	if err != nil {
		t.Fatal(err)
	}
	if !p.ValidFrom.After(db.Now()) {
		t.Fatalf("the demo's permit starts %s, not after the desk's clock", p.ValidFrom)
	}
	// A scan at the checkpoint, and a print, before the clerk looks.
	scanner, err := db.NewScanner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checker, err := db.Login(ctx, "kiemtra", seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scanner.Scan(ctx, checker, p.QR); err != nil {
		t.Fatal(err)
	}
	d.Send(drive.Key("p"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã in 1 giấy") }, 30*time.Second)

	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Lượt quét") }, 5*time.Second)
	s := screen(m)
	for _, want := range []string{"Chưa đến hạn", store.PurposeName(a.Purpose), a.Route, "Tân Mỹ Chánh",
		"duyệt: ", "1 lần · lần cuối 21/09/2021", "1 lượt · lần cuối 21/09/2021", a.Number} {
		if want != "" && !strings.Contains(s, want) {
			t.Errorf("the permit's full view lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Còn hạn") {
		t.Errorf("a permit starting tomorrow is shown as valid now:\n%s", s)
	}
	if a.HasHours && !strings.Contains(s, store.FormatMinutes(a.HoursFrom)) {
		t.Errorf("the full view lacks the hours %s:\n%s", store.FormatMinutes(a.HoursFrom), s)
	}
	checkFrame(t, m, 80, 24)
	d.Send(drive.Key("esc"))
	if s := screen(m); !strings.Contains(s, "Chưa đến hạn") {
		t.Errorf("the line under the list should say the permit is not yet valid:\n%s", s)
	}
}

// footerLine is the last line of the screen: the keys.
func footerLine(m *Model) string {
	lines := strings.Split(strings.TrimRight(screen(m), "\n"), "\n")
	return lines[len(lines)-1]
}

// TestTabKeysSameEverywhere: one key switches tabs from every screen, the
// footer says it in the same words everywhere, and digits typed into a
// field (the vouchers' number of days, typed straight onto the field) are
// the field's, never a tab change.
func TestTabKeysSameEverywhere(t *testing.T) {
	m, d, _ := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "duyet")
	for _, tab := range []common.Tab{common.TabIntake, common.TabQueue, common.TabPermits, common.TabVouchers, common.TabSync, common.TabAdmin} {
		d.Send(drive.Key(fmt.Sprintf("alt+%d", int(tab)+1)))
		if m.active != tab {
			t.Fatalf("alt+%d → tab %d", int(tab)+1, m.active)
		}
		if f := footerLine(m); !strings.Contains(f, "alt+1–7 chuyển thẻ") || strings.Contains(f, " 1–7 chuyển thẻ") {
			t.Errorf("tab %d: the footer should say alt+1–7 chuyển thẻ as everywhere:\n%s", tab, f)
		}
	}
	d.Send(drive.Key("alt+4"))
	d.Send(drive.Key("down"), drive.Key("down")) // the number of days
	d.Send(drive.Type("14")...)
	if m.active != common.TabVouchers {
		t.Fatalf("digits typed onto the days field switched to tab %d", m.active)
	}
	d.Send(drive.Key("enter"))
	if s := screen(m); !strings.Contains(s, "Số ngày ‹14›") {
		t.Errorf("14 typed onto the days field:\n%s", s)
	}
	checkFrame(t, m, 80, 24)
}

// TestStatusMessagesEnd: a status line goes when it is no longer true
// ("Đang đồng bộ…" once the round ends, "Đã đăng xuất." once someone logs
// in), and one too long for the line is cut with a sign that ? shows it
// whole, which it does.
func TestStatusMessagesEnd(t *testing.T) {
	s := &fakeSyncer{state: common.SyncState{Online: true}}
	m, d, db := newSyncDesk(t, s)

	d.Send(drive.Key("s"))
	if !strings.Contains(screen(m), "Đang đồng bộ") {
		t.Fatalf("s should say the sync started:\n%s", screen(m))
	}
	s.state = common.SyncState{Online: true, Running: true}
	d.Send(tickMsg(time.Now()))
	if !strings.Contains(screen(m), "Đang đồng bộ") {
		t.Errorf("the sync still runs, its line went:\n%s", screen(m))
	}
	s.state = common.SyncState{Online: true, LastSuccess: db.Now()}
	d.Send(tickMsg(time.Now()))
	if sc := screen(m); strings.Contains(sc, "Đang đồng bộ") || !strings.Contains(sc, "Đã đồng bộ") {
		t.Errorf("the round ended: its line should say so:\n%s", sc)
	}

	d.Send(drive.Key("ctrl+l"))
	if !strings.Contains(screen(m), "Đã đăng xuất.") {
		t.Fatalf("ctrl+l:\n%s", screen(m))
	}
	logIn(t, d, m, "duyet")
	if strings.Contains(screen(m), "Đã đăng xuất.") {
		t.Errorf("logged in again, the line still says logged out:\n%s", screen(m))
	}

	long := "Không gửi được 3 hồ sơ lên máy chủ tỉnh: máy chủ trả lời rằng chứng chỉ của máy này đã hết hạn, " +
		"hãy nhờ quản trị viên cấp lại mã ghép nối rồi chạy thonghanh enroll trên máy này."
	d.Send(common.StatusMsg{Kind: common.StatusError, Text: long})
	lines := strings.Split(screen(m), "\n")
	if status := lines[len(lines)-2]; !strings.HasSuffix(strings.TrimSpace(status), "?") {
		t.Errorf("a cut status line should end with ?:\n%q", status)
	}
	d.Send(drive.Key("?"))
	if got := strings.Join(strings.Fields(screen(m)), " "); !strings.Contains(got, long) {
		t.Errorf("? should show the whole status:\n%s", screen(m))
	}
	checkFrame(t, m, 80, 24)
}

// TestActingWithMarksHiddenByFilter: approving while marked rows are
// hidden by the filter says so and lets the clerk choose the row shown or
// the marked ones; the help names esc for clearing the marks.
func TestActingWithMarksHiddenByFilter(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "duyet")
	ctx := context.Background()
	items, err := db.Queue(ctx, 28291)
	if err != nil {
		t.Fatal(err)
	}
	d.Send(drive.Key("space"), drive.Key("space")) // the first two rows
	if f := footerLine(m); !strings.Contains(f, "esc bỏ dấu") {
		t.Errorf("with rows marked the footer should say esc clears them:\n%s", f)
	}
	var shown store.QueueItem
	for _, it := range items[2:] {
		if it.Authority.Allowed {
			shown = it
			break
		}
	}
	d.Send(drive.Key("/"))
	d.Send(drive.Type(shown.Number)...)
	d.Send(drive.Key("enter"))
	d.Send(drive.Key("a"))
	s := screen(m)
	if !strings.Contains(s, "Đã đánh dấu 2 dòng, trong đó 2 dòng không hiện vì bộ lọc") || !strings.Contains(s, "c: chỉ dòng đang chọn") {
		t.Fatalf("approving with the marks hidden should ask first:\n%s", s)
	}
	checkFrame(t, m, 80, 24)
	d.Send(drive.Key("c"))
	if s := screen(m); !strings.Contains(s, "Duyệt 1 hồ sơ") {
		t.Fatalf("c should approve only the row shown:\n%s", s)
	}
	d.Send(drive.Key("y"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã duyệt 1/1 hồ sơ") }, 10*time.Second)
	for _, it := range []store.QueueItem{items[0], items[1], shown} {
		a, err := db.Application(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := store.StatusPending
		if it.ID == shown.ID {
			want = store.StatusApproved
		}
		if a.Status != want {
			t.Errorf("%s is %s, want %s", it.Number, a.Status, want)
		}
	}
}

// TestBirthDateSaysItsFormatInVietnamese: the date fields show their
// format as a Vietnamese clerk writes it, not dd/mm/yyyy.
func TestBirthDateSaysItsFormatInVietnamese(t *testing.T) {
	m, d, _ := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "canbo")
	d.Send(drive.Type("082195001234")...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Người mới") }, 5*time.Second)
	d.Send(drive.Type("Võ Minh Tâm")...)
	d.Send(drive.Key("enter"))
	if s := screen(m); strings.Contains(s, "dd/mm/yyyy") || !strings.Contains(s, "ngày/tháng/năm") {
		t.Errorf("the birth date's placeholder:\n%s", s)
	}
}
