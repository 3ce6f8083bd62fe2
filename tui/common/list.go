package common

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
