package table

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"thonghanh/tui/common"
)

// Filter is a list's query box: one line of input whose changes are applied
// once the clerk pauses (a 100,000-row queue is not refiltered on every
// letter, a search is not sent to the store for each one).
type Filter struct {
	Input   textinput.Model
	Active  bool   // the input has focus
	Applied string // the query the list shows now

	delay time.Duration
	seq   int
}

// tickMsg is a debounce timer's end; only the latest one applies.
type tickMsg struct{ seq int }

// NewFilter is an empty filter applying changes delay after the last key.
func NewFilter(placeholder string, delay time.Duration) Filter {
	in := textinput.New()
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = 40
	return Filter{Input: in, delay: delay}
}

// Value is the query typed, trimmed.
func (f *Filter) Value() string { return strings.TrimSpace(f.Input.Value()) }

// Focus gives the input the keys.
func (f *Filter) Focus() tea.Cmd {
	f.Active = true
	return f.Input.Focus()
}

// Update takes the filter's messages: its timer, and while it has focus
// its keys and pastes. handled is false for messages that are not the
// filter's (arrows while typing move through the results); apply says the
// query changed now (enter, esc, or the pause after typing).
func (f *Filter) Update(c common.Common, msg tea.Msg) (handled, apply bool, cmd tea.Cmd) {
	switch msg := msg.(type) {
	case tickMsg:
		return true, msg.seq == f.seq, nil
	case tea.PasteMsg:
		if !f.Active {
			return false, false, nil
		}
		f.Input, cmd = f.Input.Update(msg)
		return true, false, tea.Batch(cmd, f.schedule(c))
	case tea.KeyPressMsg:
		if !f.Active {
			return false, false, nil
		}
		switch {
		case msg.String() == "enter":
			f.blur()
			return true, true, nil
		case msg.String() == "esc":
			f.blur()
			f.Input.SetValue("")
			return true, true, nil
		case msg.Code == tea.KeyUp || msg.Code == tea.KeyDown:
			return false, false, nil
		}
		f.Input, cmd = f.Input.Update(msg)
		return true, false, tea.Batch(cmd, f.schedule(c))
	}
	return false, false, nil
}

func (f *Filter) blur() {
	f.Active = false
	f.Input.Blur()
	f.seq++ // a timer still running has nothing left to apply
}

func (f *Filter) schedule(c common.Common) tea.Cmd {
	f.seq++
	return c.After(f.delay, tickMsg{f.seq})
}

// View is the filter bar's query: the input while typing, the applied
// query, or hint.
func (f *Filter) View(s *common.Styles, hint string) string {
	switch {
	case f.Active:
		return s.Accent.Render("/ ") + f.Input.View()
	case f.Applied != "":
		return s.Accent.Render("/ " + f.Applied)
	}
	return s.Dim.Render(hint)
}
