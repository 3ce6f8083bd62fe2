// Package footer is the frame's help: one line of the active page's main
// keys and the frame's own, or with ? every key in columns.
package footer

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Keys are what the footer lists: the page's keys, then the frame's.
type Keys struct {
	PageShort []key.Binding
	PageFull  [][]key.Binding
	Frame     []key.Binding
}

// View draws the help at width w: the short line, or (h.ShowAll) the
// page's columns with the frame's beside them when the terminal is wide
// enough, else underneath.
func View(h *help.Model, k Keys, w int) string {
	if !h.ShowAll {
		short := append(append([]key.Binding(nil), k.PageShort...), k.Frame...)
		// bubbles/help lets the last item overflow when not even its
		// ellipsis fits; cut it to the width.
		return ansi.Truncate(h.ShortHelpView(short), w, "…")
	}
	page := h.FullHelpView(k.PageFull)
	frame := h.FullHelpView([][]key.Binding{k.Frame})
	if page == "" {
		return frame
	}
	if lipgloss.Width(page)+lipgloss.Width(h.FullSeparator)+lipgloss.Width(frame) <= w {
		return lipgloss.JoinHorizontal(lipgloss.Top, page, h.FullSeparator, frame)
	}
	return page + "\n" + frame
}
