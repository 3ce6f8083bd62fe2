package vouchers

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"thonghanh/store"
	"thonghanh/store/households"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
	"thonghanh/tui/internal/drive"
	"thonghanh/tui/internal/testdesk"
)

func TestMain(m *testing.M) { os.Exit(testdesk.Main(m)) }

// host stands in for the frame: it delivers ForPage messages to the page
// and keeps the status lines the page asks for.
type host struct {
	page   common.Page
	status []common.StatusMsg
}

func (h *host) Init() tea.Cmd { return h.page.Init() }

func (h *host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ForPage:
		if msg.Tab != common.TabVouchers {
			return h, nil
		}
		var cmd tea.Cmd
		h.page, cmd = h.page.Update(msg.Msg)
		return h, cmd
	case common.StatusMsg:
		h.status = append(h.status, msg)
		return h, nil
	}
	var cmd tea.Cmd
	h.page, cmd = h.page.Update(msg)
	return h, cmd
}

func (h *host) View() tea.View { return tea.NewView(h.page.View()) }

type desk struct {
	t    *testing.T
	db   *store.DB
	d    *drive.Driver
	h    *host
	dir  string
	prin string
}

func (k *desk) model() *Model { return k.h.page.(*Model) }

// screen is the page as the clerk reads it: no colours.
func (k *desk) screen() string { return ansi.Strip(k.d.View()) }

// checkFits asserts the page fits the 80×24 it was given.
func (k *desk) checkFits() {
	k.t.Helper()
	lines := strings.Split(k.d.View(), "\n")
	if len(lines) > 24 {
		k.t.Errorf("view has %d lines, more than 24:\n%s", len(lines), k.screen())
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > 80 {
			k.t.Errorf("line %d is %d columns wide: %q", i+1, w, ansi.Strip(l))
		}
	}
}

func (k *desk) keys(names ...string) {
	for _, n := range names {
		k.d.Send(drive.Key(n))
	}
}

func (k *desk) typeText(s string) { k.d.Send(drive.Type(s)...) }

// paste delivers s as a terminal paste (a file path dragged onto the window).
func (k *desk) paste(s string) { k.d.Send(tea.PasteMsg{Content: s}) }

// open builds the page at 80×24 for user (signing key unlocked for an approver).
func open(t *testing.T, user string) *desk {
	t.Helper()
	ctx := context.Background()
	db, _ := testdesk.Open(t)
	officer, err := db.Login(ctx, user, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	var signer *seal.Signer
	if officer.Has(store.RoleApprover) {
		if signer, err = db.UnlockSigner(ctx, officer, seed.DemoPassword); err != nil {
			t.Fatal(err)
		}
	}
	units, _ := db.Units(ctx)
	dk, _ := db.Desk(ctx)
	printDir := t.TempDir()
	c := common.Common{Ctx: ctx, Lang: i18n.Vi, Styles: common.NewStyles(true), Keys: common.NewKeyMap(i18n.Vi),
		Width: 80, Height: 24, DB: db, Units: units, Desk: dk, Officer: officer, Signer: signer, PrintDir: printDir,
		Tab: common.TabVouchers}
	p := New(c)
	p.SetSize(80, 24)
	h := &host{page: p}
	return &desk{t: t, db: db, d: drive.New(t, h), h: h, dir: t.TempDir(), prin: printDir}
}

func (k *desk) writeFile(name, text string) string {
	path := filepath.Join(k.dir, name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		k.t.Fatal(err)
	}
	return path
}

func fixture(t *testing.T) string {
	b, err := os.ReadFile(filepath.Join("..", "..", "store", "testdata", "ho-gia-dinh.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (k *desk) importFixture() {
	k.t.Helper()
	rows, err := households.ParseCSV(strings.NewReader(fixture(k.t)))
	if err != nil {
		k.t.Fatal(err)
	}
	o := k.model().c.Officer
	if _, err := k.db.ImportHouseholds(context.Background(), o, o.Unit, rows); err != nil {
		k.t.Fatal(err)
	}
	k.keys("r")
}

func TestClerkImportsAndPreviewsButCannotIssue(t *testing.T) {
	k := open(t, "canbo")
	k.checkFits()
	if s := k.screen(); !strings.Contains(s, "Phiếu đi chợ") || !strings.Contains(s, "chưa có hộ nào") {
		t.Fatalf("empty commune:\n%s", s)
	}

	// A list with bad rows: every one is shown and nothing is imported.
	bad := k.writeFile("loi.csv", `Mã hộ;Họ và tên chủ hộ;Số CCCD;Ấp;Số điện thoại;Số nhân khẩu
TMC-101;Nguyễn Văn Bảy;082070001101;Ấp 1;0912000111;3
TMC-102;Lê Thị Tám;082171001102;Ấp 1;;2
TMC-101;Trần Văn Chín;082072001103;Ấp 2;;2
TMC-104;Phạm Thị Mười 😷;082173001104;Ấp 2;;2
TMC-105;Võ Văn Mười Một;082074001105;;;1
TMC-106;Đỗ Thị Hai;0821750011;Ấp 1;;2
`)
	k.keys("i")
	if !k.model().Typing() {
		t.Fatal("import path input does not take keys")
	}
	k.paste(bad)
	k.keys("enter")
	k.d.Until(func(tea.Model) bool { return k.model().mode == modeProblems }, 5*time.Second)
	s := k.screen()
	for _, want := range []string{"loi.csv: 4 lỗi, chưa nhập hộ nào",
		`dòng 4, cột "Mã hộ": mã hộ "TMC-101" trùng với dòng 2`,
		`dòng 5, cột "Họ và tên chủ hộ": chứa ký tự không in được`,
		`dòng 6, cột "Ấp": không được để trống`,
		`dòng 7, cột "Số CCCD": phải có 12 số (CCCD) hoặc 9 số (CMND)`} {
		if !strings.Contains(s, want) {
			t.Errorf("problems view lacks %q:\n%s", want, s)
		}
	}
	k.checkFits()
	if n, _ := k.db.Households(context.Background(), store.HouseholdFilter{Commune: seed.DefaultUnit}); len(n) != 0 {
		t.Fatalf("%d households imported from a bad list", len(n))
	}

	// The refused rows are the shared table's: / finds some among them once
	// the clerk pauses, esc clears the search, esc again closes the list.
	k.keys("/")
	if !k.model().Typing() {
		t.Fatal("the search among refused rows does not take keys")
	}
	k.typeText("cccd")
	k.d.Until(func(tea.Model) bool { return k.model().find.Applied == "cccd" }, 5*time.Second)
	s = k.screen()
	if !strings.Contains(s, `dòng 7, cột "Số CCCD"`) || strings.Contains(s, `dòng 4, cột "Mã hộ"`) || !strings.Contains(s, "1/4 lỗi") {
		t.Errorf("searching the refused rows for cccd:\n%s", s)
	}
	k.checkFits()
	k.keys("esc")
	if s := k.screen(); !strings.Contains(s, `dòng 4, cột "Mã hộ"`) || k.model().mode != modeProblems {
		t.Errorf("esc in the search did not bring every refused row back:\n%s", s)
	}
	k.keys("esc")

	// The good list: imported, and the preview appears.
	good := k.writeFile("ho-gia-dinh.csv", fixture(t))
	k.keys("i")
	if v := k.model().input.Value(); v != bad {
		t.Errorf("import input after a refusal holds %q, want the refused file again", v)
	}
	k.keys("ctrl+u")
	k.paste(good)
	k.keys("enter")
	k.d.Until(func(tea.Model) bool { return k.model().plan != nil && !k.model().busy }, 5*time.Second)
	s = k.screen()
	for _, want := range []string{"Đã nhập ho-gia-dinh.csv: thêm 20 hộ", "Vùng ‹Vùng nguy cơ cao Xã Tân Mỹ Chánh›", "16 hộ · 2 chợ",
		"Chợ Xã Tân Mỹ Chánh · 40 hộ/khung", "Điểm bán hàng lưu động Ấp 2 · 25 hộ/khung", "T4 22", "T3 28", "06:00",
		"32 phiếu · 16 hộ × 2 lượt", "Giờ sớm/muộn chia", "Chia chẵn/lẻ"} {
		if !strings.Contains(s, want) {
			t.Errorf("preview lacks %q:\n%s", want, s)
		}
	}
	k.checkFits()

	// A clerk may not issue: the page says so and nothing is written.
	k.keys("a")
	if m := k.model(); m.mode != modeForm || !strings.Contains(k.screen(), "Chỉ người duyệt mới được phát phiếu.") {
		t.Errorf("clerk pressing a: mode %d\n%s", m.mode, k.screen())
	}
	if len(k.h.status) == 0 || k.h.status[len(k.h.status)-1].Kind != common.StatusError {
		t.Errorf("no error status for the clerk: %+v", k.h.status)
	}
	var n int
	k.db.SQL().QueryRow(`SELECT COUNT(*) FROM vouchers`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d vouchers written by a clerk", n)
	}
}

func TestParametersStepAndType(t *testing.T) {
	k := open(t, "canbo")
	k.importFixture()
	m := k.model()
	// ↓ to the start date: it cannot go before today.
	k.keys("down", "left", "left")
	if got := store.FormatDate(m.start); got != "21/09/2021" {
		t.Errorf("start after two steps back = %s, want today 21/09/2021", got)
	}
	if !strings.Contains(k.screen(), "Ngày bắt đầu không được trước hôm nay.") {
		t.Errorf("no warning for a past start:\n%s", k.screen())
	}
	// Days: typed. 14 days do not fit 80 columns: ] shows the rest.
	k.keys("down", "enter")
	if !m.Typing() {
		t.Fatal("enter on the days field does not open an input")
	}
	k.keys("backspace")
	k.typeText("14")
	k.keys("enter")
	k.d.Until(func(tea.Model) bool { return m.plan != nil && m.plan.Plan.Days == 14 }, 5*time.Second)
	if s := k.screen(); !strings.Contains(s, "Số ngày ‹14›") || !strings.Contains(s, "[ ] ngày 1–12/14") {
		t.Errorf("14 days:\n%s", s)
	}
	k.keys("]")
	if s := k.screen(); !strings.Contains(s, "13–14/14") || !strings.Contains(s, "T2 04") {
		t.Errorf("later days:\n%s", s)
	}
	k.checkFits()
	// A wrong value is refused with its reason and leaves the field as it was.
	k.keys("down", "enter", "backspace")
	k.typeText("9")
	k.keys("enter")
	if m.trips != 2 || !strings.Contains(k.screen(), "Giá trị không hợp lệ") {
		t.Errorf("trips 9 accepted: %d\n%s", m.trips, k.screen())
	}
	k.keys("esc")
	// Slot length and pattern step with the arrows.
	k.keys("down", "left", "left", "down", "right")
	k.d.Until(func(tea.Model) bool { return m.plan != nil && !m.planning }, 5*time.Second)
	if m.slotLen != 30 || m.pattern.String() != "chia đều" || !strings.Contains(k.screen(), "Khung ‹30 phút›") &&
		!strings.Contains(k.screen(), "Khung 30 phút") {
		t.Errorf("slot %d pattern %s\n%s", m.slotLen, m.pattern, k.screen())
	}
	if m.plan.Plan.SlotMinutes != 30 || m.plan.Plan.Pattern.String() != "chia đều" {
		t.Errorf("preview not redone: %d min, %s", m.plan.Plan.SlotMinutes, m.plan.Plan.Pattern)
	}
	// Help lists the page's keys.
	var help []string
	for _, b := range m.ShortHelp() {
		help = append(help, b.Help().Key+" "+b.Help().Desc)
	}
	if got := strings.Join(help, ", "); !strings.Contains(got, "a phát phiếu") || !strings.Contains(got, "i nhập danh sách hộ") {
		t.Errorf("short help: %s", got)
	}
	if len(m.FullHelp()) < 2 {
		t.Errorf("full help: %v", m.FullHelp())
	}
}

func TestApproverIssuesThenPrints(t *testing.T) {
	k := open(t, "duyet")
	k.importFixture()
	m := k.model()
	k.d.Until(func(tea.Model) bool { return m.plan != nil }, 5*time.Second)
	k.keys("a")
	if m.mode != modeConfirm || !strings.Contains(k.screen(), "Phát 32 phiếu đi chợ cho 16 hộ, 22/09/2021–28/09/2021?") {
		t.Fatalf("confirmation:\n%s", k.screen())
	}
	k.checkFits()
	k.keys("n")
	if m.mode != modeForm {
		t.Fatalf("n did not cancel")
	}
	k.keys("a", "y")
	k.d.Until(func(tea.Model) bool { return len(m.issued) > 0 && m.plan != nil && !m.planning }, 10*time.Second)
	if len(m.issued) != 32 || !strings.Contains(k.screen(), "Đã phát 32 phiếu (28291-1-2021-V000001 … 28291-1-2021-V000032). Bấm p để in.") {
		t.Fatalf("after issue (%d):\n%s", len(m.issued), k.screen())
	}
	// The preview now says the period is taken, and a second issue is refused.
	if m.plan.AlreadyIssued != 16 || !strings.Contains(k.screen(), "16 hộ đã có phiếu trong đợt này") {
		t.Errorf("second preview: %d\n%s", m.plan.AlreadyIssued, k.screen())
	}
	k.keys("a")
	if m.mode != modeForm {
		t.Error("a second issue for the same period asked for confirmation")
	}

	k.keys("p")
	k.d.Until(func(tea.Model) bool { return !m.printing && m.notice != "" && strings.Contains(m.notice, "Đã in") }, 20*time.Second)
	if s := k.screen(); !strings.HasPrefix(m.notice, "Đã in 32 phiếu (8 phiếu mỗi tờ A4): "+k.prin) || !strings.Contains(s, "Đã in 32 phiếu") {
		t.Fatalf("after print: %q\n%s", m.notice, s)
	}
	files, _ := filepath.Glob(filepath.Join(k.prin, "phieu-di-cho-*.pdf"))
	if len(files) != 1 {
		t.Fatalf("PDFs in the print folder: %v", files)
	}
	if m.done != 32 || m.total != 32 {
		t.Errorf("progress ended at %d/%d", m.done, m.total)
	}
	v, _ := k.db.Voucher(context.Background(), m.issued[0])
	if v.Printed != 1 {
		t.Errorf("voucher printed %d times", v.Printed)
	}
	k.checkFits()
	// Another period on screen: p no longer means the batch just issued.
	k.keys("down", "right")
	if len(m.issued) != 0 {
		t.Errorf("after changing the period, p would still print the %d vouchers issued before", len(m.issued))
	}
}

func TestShortageIsShownWithItsNumbers(t *testing.T) {
	k := open(t, "duyet")
	ctx := context.Background()
	admin, _ := k.db.Login(ctx, "quantri", seed.DemoPassword)
	z, err := k.db.CreateZone(ctx, admin, store.Zone{Commune: admin.Unit, Name: "Vùng nguy cơ Ấp 3", Risk: store.RiskAtRisk, Hamlets: []string{"Ấp 3"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.db.CreateMarket(ctx, admin, store.Market{ZoneID: z.ID, Name: "Điểm bán Ấp 3", Hamlets: []string{"Ấp 3"},
		OpenMinute: 7 * 60, CloseMinute: 8 * 60, Capacity: 1}); err != nil {
		t.Fatal(err)
	}
	k.importFixture()
	m := k.model()
	k.keys("right")                                                             // the second zone
	k.keys("down", "down", "down", "right", "right", "right", "right", "right") // 7 trips a week
	k.keys("down", "down", "right")                                             // spread: odd/even has 4 odd days for 7 trips
	k.d.Until(func(tea.Model) bool { return m.trips == 7 && m.pattern.String() == "chia đều" && !m.planning }, 5*time.Second)
	s := k.screen()
	if !strings.Contains(s, "Cần 28 lượt, có 7 lượt: thiếu 21 lượt.") || !strings.Contains(s, "Không đủ chỗ: cần 28 lượt, chỉ có 7 lượt (1 chợ × 7 ngày") {
		t.Fatalf("shortage:\n%s", s)
	}
	k.checkFits()
	k.keys("a")
	if m.mode != modeForm || !strings.Contains(k.screen(), "Chưa có kế hoạch chia lượt để phát.") {
		t.Errorf("issue during a shortage:\n%s", k.screen())
	}
}

// The colours of the load table: green below 70% of a slot's capacity,
// yellow up to it, red above (which a plan never has; drawn as a guard).
func TestLoadColours(t *testing.T) {
	k := open(t, "canbo")
	m := k.model()
	s := m.c.Styles
	for _, tt := range []struct {
		load, capacity int
		want           string
	}{{1, 40, s.OK.Render("x")}, {27, 40, s.OK.Render("x")}, {28, 40, s.Warn.Render("x")}, {40, 40, s.Warn.Render("x")},
		{41, 40, s.Error.Bold(true).Render("x")}} {
		if got := m.cellStyle(tt.load, tt.capacity).Render("x"); got != tt.want {
			t.Errorf("%d/%d rendered %q, want %q", tt.load, tt.capacity, got, tt.want)
		}
	}
	k.importFixture()
	k.d.Until(func(tea.Model) bool { return m.plan != nil }, 5*time.Second)
	m.plan.Plan.Load[0][0][0] = 41 // a broken plan must show, not hide
	if !strings.Contains(k.d.View(), s.Error.Bold(true).Render(common.CellRight("41", dayWidth))) {
		t.Errorf("an over-capacity slot is not drawn red:\n%s", k.screen())
	}
}

// TestTypingReplacesPrefilledValue: a value put in an input for the clerk
// (the file refused a moment ago, the number of days) goes when they type
// or paste over it, and the keys under the page say ctrl+u clears it.
func TestTypingReplacesPrefilledValue(t *testing.T) {
	k := open(t, "canbo")
	bad := k.writeFile("ho_bad.csv", "Mã hộ;Họ và tên chủ hộ;Số CCCD;Ấp;Số điện thoại;Số nhân khẩu\nTMC-105;Võ Văn Mười Một;082074001105;;;1\n")
	k.keys("i")
	k.paste(bad)
	k.keys("enter")
	k.d.Until(func(tea.Model) bool { return !k.model().busy }, 5*time.Second)
	if k.model().mode != modeProblems {
		t.Fatalf("the bad file was not refused row by row:\n%s", k.screen())
	}
	k.keys("esc", "i")
	if v := k.model().input.Value(); v != bad {
		t.Fatalf("import input after a refusal holds %q, want the refused file", v)
	}
	var help []string
	for _, b := range k.model().ShortHelp() {
		help = append(help, b.Help().Key)
	}
	if !strings.Contains(strings.Join(help, " "), "ctrl+u") {
		t.Errorf("keys under the import box: %v, want ctrl+u among them", help)
	}
	good := k.writeFile("ho_good.csv", fixture(t))
	k.paste(good)
	if v := k.model().input.Value(); v != good {
		t.Errorf("pasting over the refused file gave %q, want %q", v, good)
	}
	k.keys("enter")
	k.d.Until(func(tea.Model) bool { return !k.model().busy && !k.model().planning }, 5*time.Second)
	if s := k.screen(); !strings.Contains(s, "Đã nhập ho_good.csv") {
		t.Fatalf("the good file was not imported:\n%s", s)
	}

	// The days field opens holding 7: typing 10 makes it 10, not 710.
	m := k.model()
	k.keys("down", "down", "enter")
	k.typeText("10")
	k.keys("enter")
	k.d.Until(func(tea.Model) bool { return m.plan != nil && !m.planning }, 5*time.Second)
	if m.days != 10 {
		t.Errorf("days after typing 10 over 7 = %d\n%s", m.days, k.screen())
	}
}

// TestImportSaysSkippedRows: a list as Excel saves it, with a blank row
// and its totals row, is imported and the page says which lines it passed
// over.
func TestImportSaysSkippedRows(t *testing.T) {
	k := open(t, "canbo")
	path := k.writeFile("ho.csv", "STT;Mã hộ;Họ và tên chủ hộ;Số CCCD;Ấp\n1;TMC-001;Nguyễn Văn An;082070001101;Ấp 1\n;;;;\n"+
		"2;TMC-002;Lê Thị Bình;082171001102;Ấp 2\n;Tổng cộng: 2 hộ;;;\n")
	k.keys("i")
	k.paste(path)
	k.keys("enter")
	k.d.Until(func(tea.Model) bool { return !k.model().busy && !k.model().planning }, 5*time.Second)
	s := strings.Join(strings.Fields(k.screen()), " ")
	if !strings.Contains(s, "thêm 2 hộ") || !strings.Contains(s, "Bỏ qua 2 dòng không phải hộ: dòng 3 (trống), dòng 5 (tổng cộng)") {
		t.Errorf("the import should say what it skipped:\n%s", k.screen())
	}
	k.checkFits()
}

// TestPlainWords: the preview says how evenly early and late slots fall in
// words a clerk uses, and a file that is not there is said in Vietnamese,
// not in the operating system's English.
func TestPlainWords(t *testing.T) {
	k := open(t, "canbo")
	k.keys("i")
	k.paste(filepath.Join(k.dir, "khong-co.csv"))
	k.keys("enter")
	k.d.Until(func(tea.Model) bool { return !k.model().busy }, 5*time.Second)
	s := k.screen()
	if strings.Contains(s, "no such file") || strings.Contains(s, "open ") || !strings.Contains(s, "Không có tệp") {
		t.Errorf("a missing file should be said in Vietnamese:\n%s", s)
	}
	k.keys("esc")
	k.importFixture()
	k.d.Until(func(tea.Model) bool { return k.model().plan != nil && !k.model().planning }, 5*time.Second)
	s = k.screen()
	if strings.Contains(s, "độ lệch") || !strings.Contains(s, "Giờ sớm/muộn chia") {
		t.Errorf("the fairness line should be plain words:\n%s", s)
	}
}
