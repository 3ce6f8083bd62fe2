package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
	"thonghanh/tui/check"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
	"thonghanh/tui/internal/drive"
	"thonghanh/tui/internal/testdesk"
	"thonghanh/tui/login"
)

// gate stands between the desk and the answers of one background step (the
// password check, a page's load) and holds them until the test sends
// openGate: the step takes exactly as long as the test wants, so keys typed
// meanwhile are typed ahead of it on any machine, at any speed.
type gate struct {
	*Model
	hold func(tea.Msg) bool
	held []tea.Msg
	open bool
}

type openGate struct{}

func (g *gate) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(openGate); ok {
		g.open = true
		var cmds []tea.Cmd
		for _, h := range g.held {
			_, cmd := g.Model.Update(h)
			cmds = append(cmds, cmd)
		}
		g.held = nil
		return g, tea.Batch(cmds...)
	}
	if !g.open && g.hold(msg) {
		g.held = append(g.held, msg)
		return g, nil
	}
	_, cmd := g.Model.Update(msg)
	return g, cmd
}

// gatedDesk is the demo desk at 80×24 with hold's answers held.
func gatedDesk(t *testing.T, hold func(tea.Msg) bool) (*Model, *gate, *drive.Driver, *store.DB) {
	t.Helper()
	db, _ := testdesk.Open(t)
	m, err := New(Options{DB: db, PrintDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	g := &gate{Model: m, hold: hold}
	d := drive.New(t, g)
	d.Late = func(msg tea.Msg) bool { _, ok := msg.(common.ForPage); return ok }
	d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	return m, g, d, db
}

func loginAnswer(msg tea.Msg) bool { _, ok := msg.(login.DoneMsg); return ok }

// TestTypedAheadDuringLogin: the clerk types the ID number while the desk
// still says "Đang kiểm tra mật khẩu…"; every digit lands in the intake
// form's ID field once the login is through.
func TestTypedAheadDuringLogin(t *testing.T) {
	m, g, d, db := gatedDesk(t, loginAnswer)
	person, _ := returningResident(t, db)
	d.Send(drive.Type("canbo")...)
	d.Send(drive.Key("tab"))
	d.Send(drive.Type(seed.DemoPassword)...)
	d.Send(drive.Key("enter"))
	if len(g.held) != 1 || !strings.Contains(screen(m), "Đang kiểm tra mật khẩu…") {
		t.Fatalf("the password check is not held (%d answers):\n%s", len(g.held), screen(m))
	}
	d.Send(drive.Type(person.IDNumber)...)
	if m.loggedIn || !strings.Contains(screen(m), "Đang kiểm tra mật khẩu…") {
		t.Fatalf("the login went on before its answer:\n%s", screen(m))
	}
	d.Send(openGate{})
	if !m.loggedIn || m.active != common.TabIntake {
		t.Fatalf("logged in %v, tab %d", m.loggedIn, m.active)
	}
	if s := screen(m); !strings.Contains(s, person.IDNumber) {
		t.Fatalf("the ID number %s typed during the password check is not in the form:\n%s", person.IDNumber, s)
	}
	checkFrame(t, m, 80, 24)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), person.FullName) }, time.Minute)
}

// TestTypedAheadRefusedLogin: keys typed while a wrong password is checked
// were meant for the desk, not for the password field the refusal returns
// to.
func TestTypedAheadRefusedLogin(t *testing.T) {
	m, _, d, _ := gatedDesk(t, func(tea.Msg) bool { return false })
	d.Send(drive.Type("canbo")...)
	d.Send(drive.Key("tab"))
	d.Send(drive.Type("sai")...)
	d.Press(drive.Key("enter"))
	d.Press(drive.Type("0820")...)
	d.Until(func(tea.Model) bool { return !m.login.Busy() }, time.Minute)
	if s := screen(m); strings.Contains(lineWith(s, "Mật khẩu"), "•") || !strings.Contains(s, "Sai tên đăng nhập hoặc mật khẩu") {
		t.Fatalf("keys typed during the check went into the password field:\n%s", s)
	}
	d.Send(drive.Type(seed.DemoPassword)...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return m.loggedIn || !m.login.Busy() }, time.Minute)
	if !m.loggedIn {
		t.Fatalf("the right password was refused:\n%s", screen(m))
	}
}

// TestTypedAheadDuringTabChange: a scanner sends a whole permit code, Enter
// included, right behind the key that opens the checkpoint tab, while the
// checkpoint is still loading its lists; the code is checked once they are
// in.
func TestTypedAheadDuringTabChange(t *testing.T) {
	checkLoads := func(msg tea.Msg) bool {
		fp, ok := msg.(common.ForPage)
		return ok && fp.Tab == common.TabCheck
	}
	m, _, d, db := gatedDesk(t, checkLoads)
	logIn(t, d, m, "duyet")
	d.Send(drive.Key("a"), drive.Key("y"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã duyệt 1/1 hồ sơ") }, time.Minute)
	ps, err := db.Permits(context.Background(), store.PermitFilter{Unit: 28291})
	if err != nil || len(ps) == 0 {
		t.Fatalf("no permit to scan (%v)", err)
	}
	d.Press(drive.Key("alt+5"))
	d.Press(drive.Type(ps[0].QR)...)
	d.Press(drive.Key("enter"))
	page := m.pages[common.TabCheck].(*check.Model)
	if m.active != common.TabCheck || page.Verdict() != "" {
		t.Fatalf("tab %d, verdict %q before the checkpoint loaded", m.active, page.Verdict())
	}
	d.Send(openGate{})
	d.Until(func(tea.Model) bool { return page.Verdict() != "" }, time.Minute)
	if v := page.Verdict(); v == seal.Malformed {
		t.Fatalf("the code typed during the tab change arrived broken: %s\n%s", v, screen(m))
	}
	checkFrame(t, m, 80, 24)
}

// TestFindPersonTypedAhead: an ID number, enter and n typed into the
// search in one burst, faster than the store answers: enter waits for the
// answer to the whole query and opens the person, and n takes their
// application; nothing typed is lost to the answers still on their way.
func TestFindPersonTypedAhead(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	seedDuc(t, db)
	logIn(t, d, m, "canbo")
	d.Press(drive.Key("ctrl+f"))
	d.Press(drive.Type(ducID)...)
	d.Press(drive.Key("enter"), drive.Key("n"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "✓ Nguyễn Văn Đức") }, 10*time.Second)
	if s := screen(m); !strings.Contains(s, ducID) {
		t.Errorf("the burst should end in Đức's new application:\n%s", s)
	}
	checkFrame(t, m, 80, 24)
}

// lineWith is the first line of s that holds sub.
func lineWith(s, sub string) string {
	for l := range strings.SplitSeq(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}
