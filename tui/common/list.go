package common

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Window is the cursor and scroll offset of a long list whose rows the page
// keeps itself (lazygit-style): the page filters into a slice of indices and
// renders only rows [Offset, Offset+Height). Every move is O(1) whatever the
// length, so a queue of 100,000 costs what a queue of 100 does.
type Window struct {
	Cursor int // index into the page's filtered rows
	Offset int // first visible row
	Height int // rows that fit on screen
	Len    int // rows after filtering
}

// SetLen sets the row count after a filter changed, keeping the cursor in range.
func (w *Window) SetLen(n int) {
	w.Len = n
	w.clamp()
}

// SetHeight sets how many rows fit.
func (w *Window) SetHeight(h int) {
	w.Height = max(h, 1)
	w.clamp()
}

// Move moves the cursor by delta rows (negative is up).
func (w *Window) Move(delta int) {
	w.Cursor += delta
	w.clamp()
}

// Page moves by one screenful.
func (w *Window) Page(dir int) { w.Move(dir * max(w.Height-1, 1)) }

// Top moves to the first row.
func (w *Window) Top() { w.Cursor = 0; w.clamp() }

// Bottom moves to the last row.
func (w *Window) Bottom() { w.Cursor = w.Len - 1; w.clamp() }

// Scroll moves the window itself by delta rows, the cursor riding on its
// first row: for a list that is read rather than acted on (a preview, a
// file's refused rows), where there is no row to point at.
func (w *Window) Scroll(delta int) {
	w.Offset = max(min(w.Offset+delta, w.Len-w.Height), 0)
	w.Cursor = w.Offset
}

// Visible returns the half-open range of rows on screen.
func (w *Window) Visible() (start, end int) {
	return w.Offset, min(w.Offset+w.Height, w.Len)
}

func (w *Window) clamp() {
	if w.Height < 1 {
		w.Height = 1
	}
	w.Cursor = max(min(w.Cursor, w.Len-1), 0)
	if w.Cursor < w.Offset {
		w.Offset = w.Cursor
	}
	if w.Cursor >= w.Offset+w.Height {
		w.Offset = w.Cursor - w.Height + 1
	}
	w.Offset = max(min(w.Offset, w.Len-w.Height), 0)
}

// Marks is a set of marked rows keyed by record ID (k9s-style): marks survive
// filtering and reloading, and actions apply to the marked rows or else the
// row under the cursor.
type Marks map[string]struct{}

// Toggle marks id, or unmarks it when marked.
func (m Marks) Toggle(id string) {
	if _, ok := m[id]; ok {
		delete(m, id)
		return
	}
	m[id] = struct{}{}
}

// Has reports whether id is marked.
func (m Marks) Has(id string) bool { _, ok := m[id]; return ok }

// Set marks id.
func (m Marks) Set(id string) { m[id] = struct{}{} }

// Clear removes every mark.
func (m Marks) Clear() { clear(m) }

// ListKeys are the keys of a long list with marks, shared by the queue and
// the issued permits so both move and mark alike.
type ListKeys struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Mark, MarkUp, MarkDown, MarkAll       key.Binding
}

// ListKeys returns the list keys of k.
func (k *KeyMap) ListKeys() ListKeys {
	return ListKeys{Up: k.Up, Down: k.Down, PageUp: k.PageUp, PageDown: k.PageDown, Home: k.Home, End: k.End,
		Mark: k.Mark, MarkUp: k.MarkUp, MarkDown: k.MarkDown, MarkAll: k.MarkAll}
}

// Handle moves w and sets marks for the list keys, rowID(i) being the
// record ID of filtered row i; it reports whether msg was one of them.
// space marks the cursor's row and moves on; shift+arrows mark both the row
// left and the row reached; ctrl+a marks every filtered row, or unmarks them
// when all already are.
func (k ListKeys) Handle(msg tea.KeyPressMsg, w *Window, marks Marks, rowID func(i int) string) bool {
	markCursor := func() {
		if w.Cursor >= 0 && w.Cursor < w.Len {
			marks.Set(rowID(w.Cursor))
		}
	}
	switch {
	case key.Matches(msg, k.Up):
		w.Move(-1)
	case key.Matches(msg, k.Down):
		w.Move(1)
	case key.Matches(msg, k.PageUp):
		w.Page(-1)
	case key.Matches(msg, k.PageDown):
		w.Page(1)
	case key.Matches(msg, k.Home):
		w.Top()
	case key.Matches(msg, k.End):
		w.Bottom()
	case key.Matches(msg, k.Mark):
		if w.Cursor >= 0 && w.Cursor < w.Len {
			marks.Toggle(rowID(w.Cursor))
			w.Move(1)
		}
	case key.Matches(msg, k.MarkDown), key.Matches(msg, k.MarkUp):
		dir := 1
		if key.Matches(msg, k.MarkUp) {
			dir = -1
		}
		markCursor()
		w.Move(dir)
		markCursor()
	case key.Matches(msg, k.MarkAll):
		all := true
		for i := range w.Len {
			if !marks.Has(rowID(i)) {
				all = false
				break
			}
		}
		for i := range w.Len {
			if all {
				delete(marks, rowID(i))
			} else {
				marks.Set(rowID(i))
			}
		}
	default:
		return false
	}
	return true
}
