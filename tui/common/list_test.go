package common

import (
	"fmt"
	"slices"
	"testing"

	tea "charm.land/bubbletea/v2"

	"thonghanh/tui/i18n"
)

func TestWindow(t *testing.T) {
	var w Window
	w.SetHeight(5)
	w.SetLen(100)
	w.Move(7)
	if w.Cursor != 7 || w.Offset != 3 {
		t.Errorf("after 7 down: cursor %d offset %d", w.Cursor, w.Offset)
	}
	w.Page(1)
	if w.Cursor != 11 {
		t.Errorf("page down: cursor %d", w.Cursor)
	}
	w.Bottom()
	if s, e := w.Visible(); w.Cursor != 99 || s != 95 || e != 100 {
		t.Errorf("bottom: cursor %d visible %d–%d", w.Cursor, s, e)
	}
	w.SetLen(3) // a filter left three rows
	if s, e := w.Visible(); w.Cursor != 2 || s != 0 || e != 3 {
		t.Errorf("after filtering: cursor %d visible %d–%d", w.Cursor, s, e)
	}
	w.SetLen(0)
	if s, e := w.Visible(); w.Cursor != 0 || s != 0 || e != 0 {
		t.Errorf("empty: cursor %d visible %d–%d", w.Cursor, s, e)
	}
	w.Move(-5)
	if w.Cursor != 0 {
		t.Errorf("up on empty: %d", w.Cursor)
	}
}

func TestMarks(t *testing.T) {
	m := Marks{}
	m.Toggle("a")
	m.Set("b")
	m.Toggle("a")
	if m.Has("a") || !m.Has("b") || len(m) != 1 {
		t.Errorf("marks %v", m)
	}
	m.Clear()
	if len(m) != 0 {
		t.Error("clear")
	}
}

func TestCell(t *testing.T) {
	if got := Cell("Nguyễn Văn Đức", 8); got != "Nguyễn …" {
		t.Errorf("Cell cut = %q", got)
	}
	if got := Cell("Lan", 5); got != "Lan  " {
		t.Errorf("Cell pad = %q", got)
	}
	if got := CellRight("2×", 3); got != " 2×" {
		t.Errorf("CellRight = %q", got)
	}
}

func TestListKeysMoveAndMark(t *testing.T) {
	keys := NewKeyMap(i18n.Vi).ListKeys()
	rows := []string{"r0", "r1", "r2", "r3", "r4", "r5"}
	w := Window{}
	w.SetHeight(3)
	w.SetLen(len(rows))
	marks := Marks{}
	press := func(code rune, mod tea.KeyMod) bool {
		return keys.Handle(tea.KeyPressMsg{Code: code, Mod: mod}, &w, marks, func(i int) string { return rows[i] })
	}
	marked := func() []string {
		var out []string
		for id := range marks {
			out = append(out, id)
		}
		slices.Sort(out)
		return out
	}
	press(tea.KeySpace, 0) // marks r0, moves to r1
	press(tea.KeyDown, tea.ModShift)
	press(tea.KeyDown, tea.ModShift) // r1, r2, r3
	if got := fmt.Sprint(marked()); got != "[r0 r1 r2 r3]" || w.Cursor != 3 {
		t.Fatalf("after space and shift+down ×2: marks %s, cursor %d", got, w.Cursor)
	}
	press(tea.KeyUp, 0)
	press(tea.KeySpace, 0) // unmarks r2
	if got := fmt.Sprint(marked()); got != "[r0 r1 r3]" {
		t.Fatalf("space on a marked row: marks %s", got)
	}
	press('a', tea.ModCtrl)
	if len(marks) != len(rows) {
		t.Fatalf("ctrl+a marked %d of %d", len(marks), len(rows))
	}
	press('a', tea.ModCtrl)
	if len(marks) != 0 {
		t.Fatalf("a second ctrl+a left %d marks", len(marks))
	}
	press(tea.KeyEnd, 0)
	if s, e := w.Visible(); w.Cursor != 5 || s != 3 || e != 6 {
		t.Errorf("end: cursor %d visible %d–%d", w.Cursor, s, e)
	}
	if press('x', 0) {
		t.Error("x is not a list key")
	}
	empty := Window{}
	empty.SetLen(0)
	if !keys.Handle(tea.KeyPressMsg{Code: tea.KeySpace}, &empty, marks, func(int) string { panic("no rows") }) || len(marks) != 0 {
		t.Error("space on an empty list should do nothing")
	}
}
