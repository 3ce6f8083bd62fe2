package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"thonghanh/tui/i18n"
	"thonghanh/tui/internal/drive"
)

// TestIntakeIDStepKeysAt80: at the intake's ID number, at 80 columns, the
// footer keeps ctrl+f, esc and the tab key and ends in ? (an ID number
// never holds it), and ? lists every key of the step with the frame's,
// ctrl+l and ctrl+c among them; the ID number typed is left as it was.
func TestIntakeIDStepKeysAt80(t *testing.T) {
	for _, c := range []struct {
		lang        i18n.Lang
		user        string
		short, full []string
	}{
		{i18n.Vi, "canbo", []string{"ctrl+f tìm người", "esc làm lại", "alt+1–6 chuyển thẻ", "? trợ giúp"},
			[]string{"ctrl+f", "tìm người", "esc", "làm lại", "ctrl+l", "đăng xuất", "ctrl+c", "thoát", "alt+1–6"}},
		{i18n.Vi, "duyet", []string{"ctrl+f tìm người", "esc làm lại", "alt+1–7 chuyển thẻ", "? trợ giúp"},
			[]string{"ctrl+f", "ctrl+l", "đăng xuất", "ctrl+c", "thoát"}},
		{i18n.En, "canbo", []string{"ctrl+f", "esc", "alt+1–6", "? help"},
			[]string{"ctrl+f", "esc", "ctrl+l", "log out", "ctrl+c", "quit"}},
	} {
		t.Run(string(c.lang)+"/"+c.user, func(t *testing.T) {
			m, d, _ := newDesk(t, c.lang, 80, 24)
			logIn(t, d, m, c.user)
			if c.user != "canbo" {
				d.Send(drive.Key("alt+1"))
			}
			d.Send(drive.Type("0820")...)
			f := footerLine(m)
			for _, want := range c.short {
				if !strings.Contains(f, want) {
					t.Errorf("the ID step's footer lacks %q:\n%s", want, f)
				}
			}
			checkFrame(t, m, 80, 24)
			d.Send(drive.Key("?"))
			s := screen(m)
			for _, want := range c.full {
				if !strings.Contains(s, want) {
					t.Errorf("? should list %q:\n%s", want, s)
				}
			}
			if !strings.Contains(s, "> 0820") || strings.Contains(s, "0820?") {
				t.Errorf("? went into the ID number:\n%s", s)
			}
			checkFrame(t, m, 80, 24)
			d.Send(drive.Key("?"))
			if f := footerLine(m); !strings.Contains(f, c.short[0]) || strings.Contains(screen(m), "ctrl+l") {
				t.Errorf("? again should close the full help:\n%s", screen(m))
			}
			d.Send(drive.Type("1")...)
			if !strings.Contains(screen(m), "> 08201") {
				t.Errorf("digits after the help should carry on the ID number:\n%s", screen(m))
			}
		})
	}
}

// TestFindListHelpKey: on the Tìm người list ? opens the help (a name
// never holds ?) instead of going into the query, lists the list's keys
// (pgup/pgdn among them) and the frame's, and closes again; the query
// carries on as typed.
func TestFindListHelpKey(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	seedDuc(t, db)
	logIn(t, d, m, "canbo")
	d.Send(drive.Key("ctrl+f"))
	if f := footerLine(m); !strings.Contains(f, "esc về ô đang nhập") || !strings.Contains(f, "? trợ giúp") || !strings.Contains(f, "↑↓ chọn") {
		t.Errorf("the list's footer should keep esc, the arrows and ? at 80 columns:\n%s", f)
	}
	d.Send(drive.Type("nguyen")...)
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "người khớp") }, 10*time.Second)
	d.Send(drive.Key("?"))
	s := screen(m)
	if strings.Contains(s, "nguyen?") || !strings.Contains(s, "› nguyen") {
		t.Errorf("? went into the query:\n%s", s)
	}
	for _, want := range []string{"pgdn", "pgup", "esc", "enter", "ctrl+l", "đăng xuất", "ctrl+c"} {
		if !strings.Contains(s, want) {
			t.Errorf("? should list %q:\n%s", want, s)
		}
	}
	checkFrame(t, m, 80, 24)
	d.Send(drive.Key("?"))
	if strings.Contains(screen(m), "đăng xuất") {
		t.Errorf("? again should close the help:\n%s", screen(m))
	}
	d.Send(drive.Type(" van duc")...)
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), ducID) }, 10*time.Second)
	if s := screen(m); !strings.Contains(s, "› nguyen van duc") {
		t.Errorf("the query should carry on as typed:\n%s", s)
	}
	checkFrame(t, m, 80, 24)
}

// TestF1HelpWhereQuestionMarkIsText: in the route field, which may hold a
// ?, ? is text, and f1 opens the full help with the keys the footer has no
// room for (ctrl+f, ctrl+l, ctrl+c) and closes it again, the route as typed.
func TestF1HelpWhereQuestionMarkIsText(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "canbo")
	person, _ := returningResident(t, db)
	openPerson(d, m, person)
	for i := 0; i < 6 && focusedTitle(m) != "Lộ trình"; i++ {
		d.Send(drive.Key("enter"))
	}
	if focusedTitle(m) != "Lộ trình" {
		t.Fatalf("never reached the route:\n%s", screen(m))
	}
	d.Send(drive.Type("Chợ nào?")...)
	if s := screen(m); !strings.Contains(s, "Chợ nào?") || strings.Contains(s, "đăng xuất") {
		t.Fatalf("? in the route should be text, not the help:\n%s", s)
	}
	d.Send(drive.Key("f1"))
	s := screen(m)
	for _, want := range []string{"ctrl+f", "ctrl+l", "đăng xuất", "ctrl+c", "thoát", "f1"} {
		if !strings.Contains(s, want) {
			t.Errorf("f1 should list %q:\n%s", want, s)
		}
	}
	checkFrame(t, m, 80, 24)
	d.Send(drive.Key("f1"))
	if s := screen(m); strings.Contains(s, "đăng xuất") || !strings.Contains(s, "Chợ nào?") {
		t.Errorf("f1 again should close the help and keep the route:\n%s", s)
	}
}
