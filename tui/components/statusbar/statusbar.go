// Package statusbar is the frame's one-line notice above the help: what a
// page or the frame says (common.Status), for a while.
package statusbar

import (
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"thonghanh/tui/common"
)

// Lifetime is how long a notice stays.
const Lifetime = 10 * time.Second

// Model is the notice shown and until when.
type Model struct {
	msg  common.StatusMsg
	till time.Time
}

// Set shows msg from now on for Lifetime.
func (m *Model) Set(msg common.StatusMsg, now time.Time) { m.msg, m.till = msg, now.Add(Lifetime) }

// Clear removes the notice.
func (m *Model) Clear() { *m = Model{} }

// Tick clears the notice once its time is up.
func (m *Model) Tick(now time.Time) {
	if !m.till.IsZero() && now.After(m.till) {
		m.Clear()
	}
}

// Text is the notice shown ("" when there is none).
func (m *Model) Text() string { return m.msg.Text }

// Cut reports whether the notice is too long for one line of width w.
func (m *Model) Cut(w int) bool { return ansi.StringWidth(" "+m.msg.Text) > w }

func (m *Model) style(s *common.Styles) lipgloss.Style {
	return map[common.StatusKind]lipgloss.Style{common.StatusInfo: s.Info, common.StatusOK: s.OK,
		common.StatusWarn: s.Warn, common.StatusError: s.Error}[m.msg.Kind]
}

// View draws the notice at width w ("" when there is none); one too long
// ends in "… ?": the full help (?) shows it whole (Full).
func (m *Model) View(s *common.Styles, w int) string {
	if m.msg.Text == "" {
		return ""
	}
	if !m.Cut(w) {
		return m.style(s).Render(" " + m.msg.Text)
	}
	return m.style(s).Render(ansi.Truncate(" "+m.msg.Text, max(w-3, 1), "…")) + s.Dim.Render(" ?")
}

// Full is a notice cut on its line, whole and wrapped to width w ("" when
// it fits its line).
func (m *Model) Full(s *common.Styles, w int) string {
	if m.msg.Text == "" || !m.Cut(w) {
		return ""
	}
	return m.style(s).Width(w).Render(m.msg.Text)
}
