// Package tabs is the frame's tab bar: each tab's number key and title,
// the active one lit, the ones the officer may not open dimmed.
package tabs

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"thonghanh/tui/common"
)

// Tab is one entry of the bar.
type Tab struct {
	Number   int    // the key that opens it
	Title    string // in the desk's language
	Active   bool
	Disabled bool
}

// View draws the bar at width w. When the titles do not fit, the dimmed
// tabs, then the longest of the others but the active one, are shown by
// their number alone: every key stays on the bar, and the tab in use keeps
// its name.
func View(s *common.Styles, tabs []Tab, w int) string {
	short := make([]bool, len(tabs))
	render := func(i int) string {
		t := tabs[i]
		label := fmt.Sprintf("%d %s", t.Number, t.Title)
		if short[i] {
			label = fmt.Sprint(t.Number)
		}
		switch {
		case t.Active:
			return s.TabActive.Render(label)
		case t.Disabled:
			return s.TabDisabled.Render(label)
		}
		return s.TabInactive.Render(label)
	}
	width := func() int {
		n := 0
		for i := range tabs {
			n += lipgloss.Width(render(i))
		}
		return n
	}
	for i, t := range tabs {
		if width() <= w {
			break
		}
		short[i] = t.Disabled && !t.Active
	}
	for width() > w {
		longest := -1
		for i, t := range tabs {
			if !t.Active && !short[i] && (longest < 0 || len([]rune(t.Title)) > len([]rune(tabs[longest].Title))) {
				longest = i
			}
		}
		if longest < 0 {
			break
		}
		short[longest] = true
	}
	var b strings.Builder
	for i := range tabs {
		b.WriteString(render(i))
	}
	return ansi.Truncate(b.String(), w, "…")
}
