package tui

import (
	"context"
	"image/color"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"thonghanh/store"
	"thonghanh/store/seed"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
	"thonghanh/tui/internal/drive"
	"thonghanh/tui/internal/testdesk"
)

func TestMain(m *testing.M) { os.Exit(testdesk.Main(m)) }

// newDesk opens the TUI on a fresh copy of the demo desk at w×h.
func newDesk(t *testing.T, lang i18n.Lang, w, h int) (*Model, *drive.Driver, *store.DB) {
	t.Helper()
	db, _ := testdesk.Open(t)
	m, err := New(Options{Ctx: context.Background(), DB: db, Lang: lang, PrintDir: t.TempDir(), DemoPassword: seed.DemoPassword})
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, m)
	d.Send(tea.WindowSizeMsg{Width: w, Height: h})
	d.Until(func(tea.Model) bool { return m.sync.Pending > 0 }, 5*time.Second)
	return m, d, db
}

// newDriver drives the desk, keeping the pages' background results however
// late they come.
func newDriver(t *testing.T, m *Model) *drive.Driver {
	d := drive.New(t, m)
	d.Late = func(msg tea.Msg) bool { _, ok := msg.(common.ForPage); return ok }
	return d
}

// logIn types a demo account's name and password and waits for the desk.
func logIn(t *testing.T, d *drive.Driver, m *Model, user string) {
	t.Helper()
	d.Send(drive.Type(user)...)
	d.Send(drive.Key("tab"))
	d.Send(drive.Type(seed.DemoPassword)...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return m.loggedIn }, 10*time.Second)
	if m.opt.Syncer == nil {
		// The login is an audit entry, one more op to send: wait for the
		// frame's count read after it, or a screen shows the one before.
		counts, err := m.opt.DB.OutboxCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := counts[store.OpPending] + counts[store.OpInFlight]
		d.Until(func(tea.Model) bool { return m.sync.Pending == want }, 10*time.Second)
	}
	d.Send() // let the pages' first loads land
	waitLoaded(t, d, m)
}

// waitLoaded waits until the active page has read the store.
func waitLoaded(t *testing.T, d *drive.Driver, m *Model) {
	t.Helper()
	d.Until(func(tea.Model) bool {
		v := ansi.Strip(m.render())
		return !strings.Contains(v, "Đang tải") && !strings.Contains(v, "Loading")
	}, 10*time.Second)
}

// screen is the rendered view without colours, for assertions on text.
func screen(m *Model) string { return ansi.Strip(m.render()) }

// checkFrame asserts the view is exactly w×h cells at most.
func checkFrame(t *testing.T, m *Model, w, h int) {
	t.Helper()
	lines := strings.Split(m.render(), "\n")
	if len(lines) != h {
		t.Errorf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got > w {
			t.Errorf("line %d is %d wide, want ≤ %d: %q", i, got, w, ansi.Strip(l))
		}
	}
}

func TestLoginScreen(t *testing.T) {
	m, d, _ := newDesk(t, i18n.Vi, 80, 24)
	v := m.View()
	if !v.AltScreen {
		t.Error("the desk must own the alt screen")
	}
	s := screen(m)
	for _, want := range []string{"Đăng nhập", "UBND Xã Tân Mỹ Chánh, máy 1", "21/09/2021 08:00", "canbo", "duyet", "kiemtra", "quantri", "mật khẩu: " + seed.DemoPassword} {
		if !strings.Contains(s, want) {
			t.Errorf("login screen lacks %q:\n%s", want, s)
		}
	}
	checkFrame(t, m, 80, 24)
	golden.RequireEqual(t, d.View())
}

func TestLoginScreenWide(t *testing.T) {
	m, d, _ := newDesk(t, i18n.En, 120, 40)
	checkFrame(t, m, 120, 40)
	if s := screen(m); !strings.Contains(s, "Log in") || !strings.Contains(s, "Demo mode") {
		t.Errorf("English login screen:\n%s", s)
	}
	golden.RequireEqual(t, d.View())
}

func TestLoginHidesDemoAccountsOutsideDemo(t *testing.T) {
	db, _ := testdesk.Open(t)
	if err := db.SetSetting(context.Background(), "demo", []byte("0")); err != nil {
		t.Fatal(err)
	}
	m, err := New(Options{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, m)
	d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	if s := screen(m); strings.Contains(s, "canbo") || strings.Contains(s, "demo") {
		t.Errorf("demo accounts shown outside demo mode:\n%s", s)
	}
}

func TestLoginWrongPasswordThenLocked(t *testing.T) {
	m, d, _ := newDesk(t, i18n.Vi, 80, 24)
	d.Send(drive.Type("canbo")...)
	d.Send(drive.Key("tab"))
	for i := 1; i <= store.MaxFailedLogins; i++ {
		d.Send(drive.Type("sai")...)
		d.Send(drive.Key("enter"))
		d.Until(func(tea.Model) bool { return !m.login.Busy() }, 5*time.Second)
		s := screen(m)
		if i < store.MaxFailedLogins && !strings.Contains(s, "Sai tên đăng nhập hoặc mật khẩu") {
			t.Fatalf("try %d: no wrong-password message:\n%s", i, s)
		}
	}
	if s := screen(m); !strings.Contains(s, "khóa") {
		t.Fatalf("after %d failures the account should be locked:\n%s", store.MaxFailedLogins, s)
	}
	// Even the right password is refused while locked, with the store's message.
	d.Send(drive.Type(seed.DemoPassword)...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return !m.login.Busy() }, 5*time.Second)
	if m.loggedIn || !strings.Contains(screen(m), "tạm khóa") {
		t.Fatalf("locked account logged in:\n%s", screen(m))
	}
}

func TestApproverGetsSignerClerkDoesNot(t *testing.T) {
	for _, tc := range []struct {
		user   string
		signer bool
		tab    common.Tab
	}{
		{"duyet", true, common.TabQueue},
		{"canbo", false, common.TabIntake},
		{"kiemtra", false, common.TabCheck},
	} {
		t.Run(tc.user, func(t *testing.T) {
			m, d, _ := newDesk(t, i18n.Vi, 80, 24)
			logIn(t, d, m, tc.user)
			if (m.base.Signer != nil) != tc.signer {
				t.Errorf("signer unlocked = %v, want %v", m.base.Signer != nil, tc.signer)
			}
			if m.active != tc.tab {
				t.Errorf("landed on tab %d, want %d", m.active, tc.tab)
			}
			checkFrame(t, m, 80, 24)
		})
	}
}

func TestTabsByNumberAndAlt(t *testing.T) {
	m, d, _ := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "duyet")
	d.Send(drive.Key("3"))
	if m.active != common.TabPermits {
		t.Fatalf("3 → tab %d", m.active)
	}
	d.Send(drive.Key("1"))
	if m.active != common.TabIntake {
		t.Fatalf("1 → tab %d", m.active)
	}
	// The ID input has focus: digits are typed, not tabs.
	d.Send(drive.Key("2"))
	if m.active != common.TabIntake {
		t.Fatalf("a digit typed into the intake form switched to tab %d", m.active)
	}
	d.Send(drive.Key("alt+2"))
	if m.active != common.TabQueue {
		t.Fatalf("alt+2 → tab %d", m.active)
	}
	d.Send(drive.Key("6"))
	if m.active != common.TabSync {
		t.Fatalf("6 → tab %d", m.active)
	}
}

func TestForbiddenTab(t *testing.T) {
	m, d, _ := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "kiemtra")
	d.Send(drive.Key("alt+2"))
	if s := screen(m); m.active != common.TabQueue || !strings.Contains(s, "Tài khoản kiểm tra không dùng được màn hình này") {
		t.Errorf("a checker on the queue tab:\n%s", s)
	}
	checkFrame(t, m, 80, 24)
}

func TestHelpToggleAndResize(t *testing.T) {
	m, d, _ := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "duyet")
	short := screen(m)
	d.Send(drive.Key("?"))
	if !m.help.ShowAll {
		t.Fatal("? did not open the full help")
	}
	checkFrame(t, m, 80, 24)
	if full := screen(m); full == short || !strings.Contains(full, "chuyển đơn vị") || !strings.Contains(full, "đánh dấu tất cả") || !strings.Contains(full, "đăng xuất") {
		t.Errorf("full help:\n%s", full)
	}
	d.Send(drive.Key("?"))
	d.Send(tea.WindowSizeMsg{Width: 132, Height: 43})
	checkFrame(t, m, 132, 43)
	if w, h := m.pageSize(); w != 132 || h != 43-5 {
		t.Errorf("page size after resize %d×%d", w, h)
	}
	d.Send(tea.WindowSizeMsg{Width: 40, Height: 10})
	if s := screen(m); !strings.Contains(s, "quá nhỏ") {
		t.Errorf("a tiny terminal should say so:\n%s", s)
	}
}

func TestLightBackground(t *testing.T) {
	m, d, _ := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "duyet")
	dark := m.render()
	d.Send(tea.BackgroundColorMsg{Color: lightGrey})
	if m.styles.IsDark {
		t.Fatal("a light background kept the dark styles")
	}
	if m.render() == dark {
		t.Error("the light styles draw the same as the dark ones")
	}
}

// newSyncDesk is newDesk at 80×24 with s for the sync client, logged in
// as the approver.
func newSyncDesk(t *testing.T, s *fakeSyncer) (*Model, *drive.Driver, *store.DB) {
	t.Helper()
	db, _ := testdesk.Open(t)
	m, err := New(Options{DB: db, Syncer: s})
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, m)
	d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	logIn(t, d, m, "duyet")
	return m, d, db
}

func TestSyncKeyAndState(t *testing.T) {
	s := &fakeSyncer{state: common.SyncState{Online: true, Pending: 7}}
	m, d, _ := newSyncDesk(t, s)
	if !strings.Contains(screen(m), "Trực tuyến · 7 chờ gửi") {
		t.Errorf("header sync state:\n%s", screen(m))
	}
	d.Send(drive.Key("s"))
	if s.calls != 1 {
		t.Errorf("s called SyncNow %d times", s.calls)
	}
	// A decision is pushed at once, not at the next timed round.
	d.Send(drive.Key("2"))
	waitLoaded(t, d, m)
	d.Send(drive.Key("a"), drive.Key("y"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã duyệt 1/1 hồ sơ") }, 10*time.Second)
	if s.calls != 2 {
		t.Errorf("after an approval SyncNow was called %d times, want 2", s.calls)
	}
}

func TestOfflinePendingFromOutbox(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	counts, err := db.OutboxCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d.Until(func(tea.Model) bool { return m.sync.Pending == counts[store.OpPending] }, 5*time.Second)
	want := "Ngoại tuyến · " + i18n.Vi.Int(counts[store.OpPending]) + " chờ gửi"
	if !strings.Contains(screen(m), want) {
		t.Errorf("header lacks %q:\n%s", want, screen(m))
	}
}

var lightGrey = color.RGBA{R: 0xf5, G: 0xf5, B: 0xf5, A: 0xff}

type fakeSyncer struct {
	state common.SyncState
	calls int
}

func (f *fakeSyncer) SyncState() common.SyncState { return f.state }
func (f *fakeSyncer) SyncNow()                    { f.calls++ }

// TestBusyCentreIsNoError: a round the centre told to come back later
// (429) shows as the centre being busy, with the ops still counted as
// waiting, not as a sync error; a real error still shows as one.
func TestBusyCentreIsNoError(t *testing.T) {
	s := &fakeSyncer{state: common.SyncState{Online: true, Pending: 12, Busy: true,
		LastError: "máy chủ tỉnh đang bận: các thay đổi vẫn giữ trên máy, gửi lại sau 40 giây"}}
	m, _, _ := newSyncDesk(t, s)
	if sc := screen(m); !strings.Contains(sc, "máy chủ bận, gửi sau") || strings.Contains(sc, "lỗi đồng bộ") || !strings.Contains(sc, "12 chờ gửi") {
		t.Errorf("a busy centre should read as busy, not as an error:\n%s", sc)
	}
	checkFrame(t, m, 80, 24)
	s2 := &fakeSyncer{state: common.SyncState{Online: false, Pending: 12, LastError: "dial tcp: connection refused"}}
	m2, _, _ := newSyncDesk(t, s2)
	if sc := screen(m2); !strings.Contains(sc, "lỗi đồng bộ") {
		t.Errorf("a failed round should still read as a sync error:\n%s", sc)
	}
}
