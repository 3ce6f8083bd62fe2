// Package tabs is the frame's tab bar: each tab's number key and title,
// the active one lit, the ones the officer may not open dimmed.
package tabs

import (
	"fmt"
	"strings"

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

// View draws the bar at width w.
func View(s *common.Styles, tabs []Tab, w int) string {
	var b strings.Builder
	for _, t := range tabs {
		label := fmt.Sprintf("%d %s", t.Number, t.Title)
		switch {
		case t.Active:
			b.WriteString(s.TabActive.Render(label))
		case t.Disabled:
			b.WriteString(s.TabDisabled.Render(label))
		default:
			b.WriteString(s.TabInactive.Render(label))
		}
	}
	return ansi.Truncate(b.String(), w, "…")
}
