package tui

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"thonghanh/store"
	"thonghanh/store/seed"
	"thonghanh/tui/common"
	"thonghanh/tui/internal/testdesk"
)

// These tests run the desk in a real Bubble Tea program (teatest) and look
// at the final model and the store, never at the raw output, which v2's
// renderer sends as changed cells only.

func startProgram(t *testing.T) (*teatest.TestModel, *store.DB) {
	t.Helper()
	db, _ := testdesk.Open(t)
	m, err := New(Options{DB: db, PrintDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24)), db
}

func press(code rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: code} }

// settle gives the program's background commands (argon2, the store) time
// to answer before the next keys.
func settle() { time.Sleep(400 * time.Millisecond) }

func programLogIn(tm *teatest.TestModel, user string) {
	tm.Type(user)
	tm.Send(press(tea.KeyTab))
	tm.Type(seed.DemoPassword)
	tm.Send(press(tea.KeyEnter))
	settle()
}

func TestProgramApprove(t *testing.T) {
	tm, db := startProgram(t)
	programLogIn(tm, "duyet")
	tm.Send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	tm.Send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	tm.Type("a")
	tm.Type("y")
	settle()
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(60*time.Second)).(*Model)
	if !final.loggedIn || final.active != common.TabQueue {
		t.Fatalf("logged in %v, tab %d", final.loggedIn, final.active)
	}
	ps, err := db.Permits(context.Background(), store.PermitFilter{Unit: 28291})
	if err != nil || len(ps) != 2 {
		t.Fatalf("%d permits issued (%v), want 2", len(ps), err)
	}
}

func TestProgramWalkIn(t *testing.T) {
	tm, db := startProgram(t)
	person, prev := returningResident(t, db)
	programLogIn(tm, "canbo")
	tm.Type(person.IDNumber)
	tm.Send(press(tea.KeyEnter))
	settle()
	for range 9 {
		tm.Send(press(tea.KeyEnter))
		time.Sleep(50 * time.Millisecond)
	}
	settle()
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(60*time.Second)).(*Model)
	if final.active != common.TabIntake {
		t.Fatalf("tab %d", final.active)
	}
	apps, err := db.ApplicationsOf(context.Background(), person.ID)
	if err != nil || len(apps) < 2 || apps[0].ID == prev.ID {
		t.Fatalf("no new application (%d, %v):\n%s", len(apps), err, screen(final))
	}
}

func TestProgramQuitFromLogin(t *testing.T) {
	tm, _ := startProgram(t)
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(60*time.Second)).(*Model)
	if final.loggedIn {
		t.Fatal("nobody logged in")
	}
}

// TestProgramWalkInTypedAhead sends every key at once, as a paste or a
// fast typist would: keys typed while the person is looked up, or while
// the form moves between fields, must land where they were meant to.
func TestProgramWalkInTypedAhead(t *testing.T) {
	tm, db := startProgram(t)
	person, prev := returningResident(t, db)
	programLogIn(tm, "canbo")
	tm.Type(person.IDNumber)
	for range 10 {
		tm.Send(press(tea.KeyEnter))
	}
	settle()
	settle()
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	final := tm.FinalModel(t, teatest.WithFinalTimeout(60*time.Second)).(*Model)
	apps, err := db.ApplicationsOf(context.Background(), person.ID)
	if err != nil || len(apps) < 2 || apps[0].ID == prev.ID {
		t.Fatalf("no new application (%d, %v):\n%s", len(apps), err, screen(final))
	}
	if apps[0].Route != prev.Route || apps[0].Category != prev.Category {
		t.Errorf("typed-ahead application %+v", apps[0])
	}
}
