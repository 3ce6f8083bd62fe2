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
// Always are the frame's keys the short line never cuts (the tab key, the
// help): they close it on every screen, however many keys the page has.
type Keys struct {
	PageShort []key.Binding
	PageFull  [][]key.Binding
	Frame     []key.Binding
	Always    []key.Binding
}

// View draws the help at width w: the short line, or (h.ShowAll) the
// page's columns with the frame's beside them when the terminal is wide
// enough, else underneath.
func View(h *help.Model, k Keys, w int) string {
	if !h.ShowAll {
		short := append(append([]key.Binding(nil), k.PageShort...), k.Frame...)
		if len(k.Always) == 0 {
			// bubbles/help lets the last item overflow when not even its
			// ellipsis fits; cut it to the width.
			return ansi.Truncate(h.ShortHelpView(short), w, "…")
		}
		always := h.ShortHelpView(k.Always)
		room := w - lipgloss.Width(always) - lipgloss.Width(h.ShortSeparator)
		if room < 8 {
			return ansi.Truncate(always, w, "…")
		}
		if len(short) == 0 {
			return always
		}
		// Whole keys only: the page's last ones give way, a half-cut
		// "f chuy…" says nothing.
		left := ""
		for n := len(short); n > 0; n-- {
			if v := h.ShortHelpView(short[:n]); lipgloss.Width(v) <= room {
				left = v
				break
			}
		}
		if left == "" {
			return always
		}
		return left + h.Styles.ShortSeparator.Inline(true).Render(h.ShortSeparator) + always
	}
	page := h.FullHelpView(k.PageFull)
	frame := h.FullHelpView([][]key.Binding{append(append([]key.Binding(nil), k.Always...), k.Frame...)})
	if page == "" {
		return frame
	}
	if lipgloss.Width(page)+lipgloss.Width(h.FullSeparator)+lipgloss.Width(frame) <= w {
		return lipgloss.JoinHorizontal(lipgloss.Top, page, h.FullSeparator, frame)
	}
	return page + "\n" + frame
}
