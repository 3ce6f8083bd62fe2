package table

import (
	"strings"

	"charm.land/lipgloss/v2"

	"thonghanh/tui/common"
)

// Screen is a table page laid out top to bottom: its title with the load
// state or the counts on the right, the filter bar, the column heads, the
// rows (or a dialog centred where they stand), a line about the cursor's
// row and a line for the job running or the last one's result. Queue and
// permits fill it in; the layout is the same on both.
type Screen struct {
	Title, Right string
	Filter       string
	Header       string
	Rows         int    // lines the rows take
	Body         string // the rows, drawn by Table.Render
	Dialog       string // when not "", drawn centred instead of the rows
	Cursor       string
	Bottom       string
}

// View joins the screen's lines for a terminal width columns wide.
func (sc Screen) View(width int) string {
	var b strings.Builder
	b.Grow(width * (sc.Rows + 5) * 3)
	b.WriteString(Spread(sc.Title, sc.Right, width))
	b.WriteByte('\n')
	b.WriteString(sc.Filter)
	b.WriteByte('\n')
	b.WriteString(sc.Header)
	b.WriteByte('\n')
	if sc.Dialog != "" {
		b.WriteString(lipgloss.Place(width, sc.Rows, lipgloss.Center, lipgloss.Center, sc.Dialog))
	} else {
		b.WriteString(sc.Body)
	}
	b.WriteByte('\n')
	b.WriteString(sc.Cursor)
	b.WriteByte('\n')
	b.WriteString(sc.Bottom)
	return b.String()
}

// LoadState is the right of a table page's title: the load's error, the
// words for "loading" before the first answer, or else counts followed by
// how many rows are marked.
func LoadState(s *common.Styles, loadErr string, loaded bool, loading, counts, marked string) string {
	switch {
	case loadErr != "":
		return s.Error.Render(loadErr)
	case !loaded:
		return s.Dim.Render(loading)
	}
	return s.Dim.Render(counts) + s.Accent.Render(marked)
}

// Details are the "label  value" lines of a row's full view: labels are
// message keys translated by t, and a value left empty leaves its line out.
type Details struct {
	Lines []string
	s     *common.Styles
	t     func(string) string
	width int
}

// labelWidth is the column of a full view's labels.
const labelWidth = 16

// NewDetails starts a row's full view width columns wide with its title
// and a blank line.
func NewDetails(s *common.Styles, t func(string) string, width int, title string) *Details {
	return &Details{Lines: []string{s.Title.Render(title), ""}, s: s, t: t, width: width}
}

// Add puts label and value on a line of their own when value is not empty;
// a long value wraps under itself, not under the label.
func (d *Details) Add(label, value string) {
	if value == "" {
		return
	}
	wrapped := lipgloss.NewStyle().Width(max(d.width-labelWidth, 20)).Render(value)
	indent := "\n" + strings.Repeat(" ", labelWidth)
	d.Lines = append(d.Lines, d.s.Label.Render(common.Cell(d.t(label), labelWidth))+strings.ReplaceAll(wrapped, "\n", indent))
}

// View wraps the lines to the width.
func (d *Details) View() string {
	return lipgloss.NewStyle().Width(d.width).Render(strings.Join(d.Lines, "\n"))
}
