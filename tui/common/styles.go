package common

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles are the desk's colours and text attributes, built for a dark or a
// light terminal background. Pages use these and define none of their own,
// so the whole desk switches together.
type Styles struct {
	IsDark bool

	HeaderBar   lipgloss.Style // first header line: brand, unit, clock
	HeaderLine  lipgloss.Style // second header line: officer, sync
	TabActive   lipgloss.Style
	TabInactive lipgloss.Style
	TabDisabled lipgloss.Style

	Title  lipgloss.Style // a page's heading
	Label  lipgloss.Style // field names in detail views
	Dim    lipgloss.Style // secondary text, rows this unit may not decide
	Bold   lipgloss.Style
	Accent lipgloss.Style // counts, marks, the active filter

	OK    lipgloss.Style
	Warn  lipgloss.Style
	Error lipgloss.Style
	Info  lipgloss.Style

	TableHeader lipgloss.Style
	Cursor      lipgloss.Style // the row under the cursor
	Mark        lipgloss.Style // the mark glyph of a marked row
	Dialog      lipgloss.Style // a bordered box (confirmation, reason)
	Input       lipgloss.Style // a one-line text input's frame

	Help help.Styles

	// ProgressFull and ProgressEmpty colour bubbles/progress bars.
	ProgressFull, ProgressEmpty color.Color
}

// NewStyles builds the styles for a dark (true) or light background.
func NewStyles(isDark bool) *Styles {
	ld := lipgloss.LightDark(isDark)
	c := lipgloss.Color
	fg := ld(c("#1F2937"), c("#E5E7EB"))
	dim := ld(c("#6B7280"), c("#8B93A1"))
	accent := ld(c("#1D4ED8"), c("#7DD3FC"))
	red := ld(c("#B91C1C"), c("#F87171"))
	green := ld(c("#047857"), c("#34D399"))
	amber := ld(c("#B45309"), c("#FBBF24"))
	barBg := ld(c("#DBEAFE"), c("#1E3A8A"))
	barFg := ld(c("#1E3A8A"), c("#F8FAFC"))
	cursorBg := ld(c("#E0E7FF"), c("#334155"))

	s := &Styles{IsDark: isDark}
	s.HeaderBar = lipgloss.NewStyle().Bold(true).Foreground(barFg).Background(barBg)
	s.HeaderLine = lipgloss.NewStyle().Foreground(dim)
	s.TabActive = lipgloss.NewStyle().Bold(true).Foreground(barFg).Background(barBg).Padding(0, 1)
	s.TabInactive = lipgloss.NewStyle().Foreground(fg).Padding(0, 1)
	s.TabDisabled = lipgloss.NewStyle().Foreground(dim).Padding(0, 1)
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Label = lipgloss.NewStyle().Foreground(dim)
	s.Dim = lipgloss.NewStyle().Foreground(dim)
	s.Bold = lipgloss.NewStyle().Bold(true)
	s.Accent = lipgloss.NewStyle().Foreground(accent)
	s.OK = lipgloss.NewStyle().Foreground(green)
	s.Warn = lipgloss.NewStyle().Foreground(amber)
	s.Error = lipgloss.NewStyle().Foreground(red)
	s.Info = lipgloss.NewStyle().Foreground(accent)
	s.TableHeader = lipgloss.NewStyle().Bold(true).Foreground(dim)
	s.Cursor = lipgloss.NewStyle().Background(cursorBg)
	s.Mark = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Dialog = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1)
	s.Input = lipgloss.NewStyle().Foreground(fg).Background(ld(c("#F1F5F9"), c("#1F2937")))
	s.Help = help.DefaultStyles(isDark)
	s.ProgressFull = accent
	s.ProgressEmpty = ld(c("#E5E7EB"), c("#374151"))
	return s
}
