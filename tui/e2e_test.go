package tui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"thonghanh/store"
	"thonghanh/store/seed"
	"thonghanh/tui/common"
	"thonghanh/tui/internal/drive"
	"thonghanh/tui/internal/testdesk"
)

// These tests run the desk in a real Bubble Tea program (teatest) and look
// at the screens the model drew and at the store, never at the raw output,
// which v2's renderer sends as changed cells only. They wait for what the
// screen says, never for a while: on a busy machine every step may take
// ten times as long.

// probe is the desk as the program runs it, keeping every screen it drew
// since the test last looked, for the test's goroutine to wait on.
type probe struct {
	*Model
	mu      sync.Mutex
	screens []string
	changed chan struct{}
}

func (p *probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.Model.Update(msg)
	s := screen(p.Model)
	p.mu.Lock()
	if n := len(p.screens); n == 0 || p.screens[n-1] != s {
		p.screens = append(p.screens, s)
	}
	p.mu.Unlock()
	select {
	case p.changed <- struct{}{}:
	default:
	}
	return p, cmd
}

// waitFor waits until a screen drawn since the last wait satisfies cond,
// and keeps only the screens after it.
func (p *probe) waitFor(t *testing.T, what string, cond func(string) bool) {
	t.Helper()
	net := time.NewTimer(drive.SafetyNet)
	defer net.Stop()
	for {
		p.mu.Lock()
		for i, s := range p.screens {
			if cond(s) {
				p.screens = p.screens[i:]
				p.mu.Unlock()
				return
			}
		}
		last := ""
		if n := len(p.screens); n > 0 {
			last = p.screens[n-1]
			p.screens = p.screens[n-1:]
		}
		p.mu.Unlock()
		select {
		case <-p.changed:
		case <-net.C:
			t.Fatalf("no screen %s within %s; the last:\n%s", what, drive.SafetyNet, last)
		}
	}
}

// mark forgets every screen but the last, and returns it: the next wait
// looks only at what is drawn from now on.
func (p *probe) mark() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := len(p.screens)
	if n == 0 {
		return ""
	}
	p.screens = p.screens[n-1:]
	return p.screens[0]
}

func startProgram(t *testing.T) (*teatest.TestModel, *probe, *store.DB) {
	t.Helper()
	db, _ := testdesk.Open(t)
	m, err := New(Options{DB: db, PrintDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	p := &probe{Model: m, changed: make(chan struct{}, 1)}
	return teatest.NewTestModel(t, p, teatest.WithInitialTermSize(80, 24)), p, db
}

// final quits the program and returns the desk as it ended.
func final(t *testing.T, tm *teatest.TestModel) *Model {
	t.Helper()
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	return tm.FinalModel(t, teatest.WithFinalTimeout(drive.SafetyNet)).(*probe).Model
}

func press(code rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: code} }

// programLogIn types a demo account's name and password. What is typed
// next is held until the login is through (the product rule TestTypedAhead
// pins down), so nothing waits here.
func programLogIn(tm *teatest.TestModel, user string) {
	tm.Type(user)
	tm.Send(press(tea.KeyTab))
	tm.Type(seed.DemoPassword)
	tm.Send(press(tea.KeyEnter))
}

// loaded is a logged-in screen whose page has read the store.
func loaded(s string) bool {
	return strings.Contains(s, "1 Tiếp nhận  2 Hàng chờ") && !strings.Contains(s, "Đang tải")
}

func TestProgramApprove(t *testing.T) {
	tm, p, db := startProgram(t)
	programLogIn(tm, "duyet")
	p.waitFor(t, "with the queue", loaded)
	tm.Send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	tm.Send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	tm.Type("a")
	tm.Type("y")
	p.waitFor(t, "with the approval's result", func(s string) bool { return strings.Contains(s, "Đã duyệt") })
	final := final(t, tm)
	if !final.loggedIn || final.active != common.TabQueue {
		t.Fatalf("logged in %v, tab %d", final.loggedIn, final.active)
	}
	ps, err := db.Permits(context.Background(), store.PermitFilter{Unit: 28291})
	if err != nil || len(ps) != 2 {
		t.Fatalf("%d permits issued (%v), want 2", len(ps), err)
	}
}

// TestProgramWalkIn is a clerk who looks at the screen between keys: each
// Enter once the one before has moved the form on.
func TestProgramWalkIn(t *testing.T) {
	tm, p, db := startProgram(t)
	person, prev := returningResident(t, db)
	programLogIn(tm, "canbo")
	tm.Type(person.IDNumber)
	tm.Send(press(tea.KeyEnter))
	p.waitFor(t, "with the person", func(s string) bool { return strings.Contains(s, person.FullName) })
	for range 12 {
		before := intakeStep(p.mark())
		if before == "done" {
			break
		}
		tm.Send(press(tea.KeyEnter))
		p.waitFor(t, "after Enter on "+before, func(s string) bool { now := intakeStep(s); return now != "" && now != before })
	}
	final := final(t, tm)
	if final.active != common.TabIntake {
		t.Fatalf("tab %d", final.active)
	}
	apps, err := db.ApplicationsOf(context.Background(), person.ID)
	if err != nil || len(apps) < 2 || apps[0].ID == prev.ID {
		t.Fatalf("no new application (%d, %v):\n%s", len(apps), err, screen(final))
	}
}

func TestProgramQuitFromLogin(t *testing.T) {
	tm, _, _ := startProgram(t)
	if final := final(t, tm); final.loggedIn {
		t.Fatal("nobody logged in")
	}
}

// TestProgramWalkInTypedAhead sends every key at once, as a paste or a
// fast typist would: keys typed while the password is checked, while the
// person is looked up, or while the form moves between fields, must land
// where they were meant to.
func TestProgramWalkInTypedAhead(t *testing.T) {
	tm, p, db := startProgram(t)
	person, prev := returningResident(t, db)
	programLogIn(tm, "canbo")
	tm.Type(person.IDNumber)
	for range 11 { // the last confirms that it overlaps the person's pending application
		tm.Send(press(tea.KeyEnter))
	}
	p.waitFor(t, "with the application received", func(s string) bool { return strings.Contains(s, "Đã tiếp nhận hồ sơ") })
	final := final(t, tm)
	apps, err := db.ApplicationsOf(context.Background(), person.ID)
	if err != nil || len(apps) < 2 || apps[0].ID == prev.ID {
		t.Fatalf("no new application (%d, %v):\n%s", len(apps), err, screen(final))
	}
	if apps[0].Route != prev.Route || apps[0].Category != prev.Category {
		t.Errorf("typed-ahead application %+v", apps[0])
	}
}

// intakeStep is where the intake screen s is: the field with focus, the
// review, the application received; "" while the form moves between them.
func intakeStep(s string) string {
	switch {
	case strings.Contains(s, "Đã tiếp nhận hồ sơ"):
		return "done"
	case strings.Contains(s, "vẫn gửi dù trùng"):
		return "review, overlap confirmed"
	case strings.Contains(s, "Kiểm tra lại trước khi gửi:"):
		return "review"
	}
	for l := range strings.SplitSeq(s, "\n") {
		if t := strings.TrimSpace(l); strings.HasPrefix(t, "┃ ") {
			return t
		}
	}
	return ""
}
