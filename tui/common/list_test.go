package common

import "testing"

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
