// Package table is the one long-list widget of the desk (k9s's select table,
// lazygit's FilteredList): rows kept by the page, a slice of indices for the
// filter (copying no row), a window that draws only the rows on screen, and
// marks keyed by row ID that actions read as "the marked rows, or else the
// row under the cursor". Pages keep only their columns and their actions.
package table

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"thonghanh/tui/common"
)

// Table is a list of rows of type T, each named by the ID the page gives.
type Table[T any] struct {
	Win   common.Window
	Marks common.Marks

	rows []T
	view []int // indices into rows that pass the filter, in row order
	id   func(*T) string
	// gone are marked rows a new set of rows left out (a search the store
	// answered): still marked, so still what an action applies to.
	gone map[string]T
}

// New is an empty table whose rows are named by id.
func New[T any](id func(*T) string) Table[T] {
	return Table[T]{Marks: common.Marks{}, id: id}
}

// Rows are every row, filtered or not.
func (t *Table[T]) Rows() []T { return t.rows }

// Len is the number of rows that pass the filter.
func (t *Table[T]) Len() int { return len(t.view) }

// At is filtered row pos.
func (t *Table[T]) At(pos int) *T { return &t.rows[t.view[pos]] }

// ID is the ID of filtered row pos.
func (t *Table[T]) ID(pos int) string { return t.id(&t.rows[t.view[pos]]) }

// Filtered reports whether the index slice was ever built: narrowing an
// unbuilt view would keep nothing.
func (t *Table[T]) Filtered() bool { return t.view != nil }

// SetRows replaces the rows, keeping the cursor on its row when it stays;
// match (nil = every row) builds the new view.
func (t *Table[T]) SetRows(rows []T, match func(*T) bool) {
	keep := t.CursorID()
	if len(t.Marks) > 0 {
		if t.gone == nil {
			t.gone = map[string]T{}
		}
		for i := range t.rows {
			if id := t.id(&t.rows[i]); t.Marks.Has(id) {
				t.gone[id] = t.rows[i]
			}
		}
		for i := range rows {
			delete(t.gone, t.id(&rows[i]))
		}
	}
	t.rows = rows
	t.view = t.view[:0] // indices into the old rows mean nothing now
	t.Filter(match, false, keep)
}

// PruneMarks drops the marks of rows no longer present, for a list whose
// rows leave it for good (a decided application), where they would
// otherwise count in "n marked" forever.
func (t *Table[T]) PruneMarks() {
	if len(t.Marks) == 0 {
		return
	}
	present := make(map[string]bool, len(t.rows))
	for i := range t.rows {
		present[t.id(&t.rows[i])] = true
	}
	for id := range t.Marks {
		if !present[id] {
			delete(t.Marks, id)
		}
	}
	clear(t.gone)
}

// Filter rebuilds the slice of visible indices with match (nil = every
// row), then puts the cursor back on keep when it is still shown. narrow
// filters the current view instead of every row: the query only grew.
func (t *Table[T]) Filter(match func(*T) bool, narrow bool, keep string) {
	if narrow {
		out := t.view[:0]
		for _, i := range t.view {
			if match == nil || match(&t.rows[i]) {
				out = append(out, i)
			}
		}
		t.view = out
	} else {
		t.view = t.view[:0]
		for i := range t.rows {
			if match == nil || match(&t.rows[i]) {
				t.view = append(t.view, i)
			}
		}
	}
	t.Win.SetLen(len(t.view))
	t.MoveTo(keep)
}

// Refilter reapplies a filter keeping the cursor on its row.
func (t *Table[T]) Refilter(match func(*T) bool, narrow bool) {
	t.Filter(match, narrow, t.CursorID())
}

// MoveTo puts the cursor on the row named id when it is shown.
func (t *Table[T]) MoveTo(id string) {
	if id == "" {
		return
	}
	for pos, i := range t.view {
		if t.id(&t.rows[i]) == id {
			t.Win.Cursor = pos
			t.Win.Move(0)
			return
		}
	}
}

// Cursor is the row under the cursor.
func (t *Table[T]) Cursor() (*T, bool) {
	if t.Win.Cursor < 0 || t.Win.Cursor >= len(t.view) {
		return nil, false
	}
	return &t.rows[t.view[t.Win.Cursor]], true
}

// CursorID is the ID of the row under the cursor ("" when none).
func (t *Table[T]) CursorID() string {
	if r, ok := t.Cursor(); ok {
		return t.id(r)
	}
	return ""
}

// Targets are what an action applies to: the marked rows in row order
// (including marked rows the filter hides), or else the cursor row.
func (t *Table[T]) Targets() []T { return t.TargetsOf(false) }

// TargetsOf are Targets, or only the cursor row when cursorOnly (the clerk
// chose it over marked rows the filter hides).
func (t *Table[T]) TargetsOf(cursorOnly bool) []T {
	if len(t.Marks) == 0 || cursorOnly {
		if r, ok := t.Cursor(); ok {
			return []T{*r}
		}
		return nil
	}
	out := make([]T, 0, len(t.Marks))
	for i := range t.rows {
		if t.Marks.Has(t.id(&t.rows[i])) {
			out = append(out, t.rows[i])
		}
	}
	for id, r := range t.gone {
		if t.Marks.Has(id) {
			out = append(out, r)
		}
	}
	return out
}

// HiddenMarks counts the marked rows the filter hides.
func (t *Table[T]) HiddenMarks() int {
	if len(t.Marks) == 0 {
		return 0
	}
	shown := 0
	for _, i := range t.view {
		if t.Marks.Has(t.id(&t.rows[i])) {
			shown++
		}
	}
	return len(t.Marks) - shown
}

// HandleKey moves the cursor and sets marks for the list keys; it reports
// whether msg was one of them.
func (t *Table[T]) HandleKey(k common.ListKeys, msg tea.KeyPressMsg) bool {
	return k.Handle(msg, &t.Win, t.Marks, t.ID)
}

// SetHeight sets how many rows fit on screen.
func (t *Table[T]) SetHeight(h int) { t.Win.SetHeight(h) }

// Render draws rows [Offset, Offset+rows) with line, padded to rows lines,
// empty (when not "") standing first: the cost of a frame does not depend
// on the length of the list.
func (t *Table[T]) Render(rows int, empty string, line func(r *T, cursor, marked bool) string) string {
	start, end := t.Win.Visible()
	lines := make([]string, 0, rows)
	if empty != "" {
		lines = append(lines, empty)
	}
	for pos := start; pos < end; pos++ {
		r := &t.rows[t.view[pos]]
		lines = append(lines, line(r, pos == t.Win.Cursor, t.Marks.Has(t.id(r))))
	}
	for len(lines) < rows {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// Gutter is a row's first two columns: the cursor and the mark.
func Gutter(cursor, marked bool) string {
	switch {
	case cursor && marked:
		return "›●"
	case cursor:
		return "› "
	case marked:
		return " ●"
	}
	return "  "
}

// Line fits text to width and styles it: base, under the mark's style when
// marked, under the cursor's when under the cursor.
func Line(s *common.Styles, base lipgloss.Style, text string, width int, cursor, marked bool) string {
	line := common.Cell(text, width)
	if marked {
		base = base.Inherit(s.Mark)
	}
	if cursor {
		base = base.Inherit(s.Cursor)
	}
	return base.Render(line)
}

// Dialog boxes body in the dialog style, at most 72 columns wide.
func Dialog(s *common.Styles, width int, body string) string {
	w := min(72, width-4)
	return s.Dialog.Width(w).Render(lipgloss.NewStyle().Width(w - 4).Render(body))
}

// Spread puts left and right on one line of width w.
func Spread(left, right string, w int) string {
	lw, rw := lipgloss.Width(left), lipgloss.Width(right)
	if lw+rw+1 > w {
		return common.Truncate(left+" "+right, w)
	}
	return left + strings.Repeat(" ", w-lw-rw) + right
}

// Indices are the filtered rows' places in Rows, in order.
func (t *Table[T]) Indices() []int { return t.view }
