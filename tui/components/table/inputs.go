package table

import (
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"thonghanh/tui/common"
)

// Inputs are what a table page types into and shows its long work on: the
// filter box, the reason dialog and the progress bar of a bulk action.
type Inputs struct {
	Filter   Filter
	Reason   common.Reason
	Progress progress.Model
	Mode     Mode // the list, a dialog or a view over it
}

// NewInputs builds them in the styles of c.
func NewInputs(c common.Common, placeholder string, delay time.Duration) Inputs {
	in := Inputs{Filter: NewFilter(placeholder, delay), Reason: common.NewReason()}
	in.Progress = progress.New(progress.WithColors(c.Styles.ProgressFull), progress.WithFillCharacters('█', '░'))
	in.Progress.EmptyColor = c.Styles.ProgressEmpty
	in.restyle(c.Styles, c.Styles.IsDark)
	return in
}

// Update takes the messages that are the inputs' alone: the terminal's
// background colour, the filter's timer, keys and pastes, and a paste into
// the reason while it is open. handled is false for anything else; apply
// says the filter's query changed now.
func (in *Inputs) Update(c common.Common, msg tea.Msg) (handled, apply bool, cmd tea.Cmd) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		in.restyle(c.Styles, msg.IsDark())
		return true, false, nil
	case tea.PasteMsg:
		if in.Mode == ModeReason {
			_, cmd := in.Reason.Ask(msg, "")
			return true, false, cmd
		}
	}
	return in.Filter.Update(c, msg)
}

func (in *Inputs) restyle(s *common.Styles, isDark bool) {
	in.Progress.FullColor = s.ProgressFull
	in.Progress.EmptyColor = s.ProgressEmpty
	in.Filter.Input.SetStyles(textinput.DefaultStyles(isDark))
	in.Reason.Input.SetStyles(textinput.DefaultStyles(isDark))
}

// Mode is what a table page shows: every page has its list, the reason
// dialog over it and a row's full view; a page numbers its own modes (a
// confirmation, a QR) from ModeOwn on.
type Mode int

const (
	ModeList   Mode = iota
	ModeReason      // the reason dialog has the keys
	ModeDetail      // a row's full view, closed by Keys.Close
	ModeOwn         // the first of a page's own modes
)

// Typing is true while the filter or the reason has focus: letters and
// digits are text then, not keys.
func (in *Inputs) Typing() bool { return in.Filter.Active || in.Mode == ModeReason }

// Overlay takes a key while the reason dialog or a row's full view is up:
// the reason's keys (enter runs its action, esc drops it, required is said
// on an empty reason), or the keys that close the full view. It reports
// false in the list and in the page's own modes.
func (in *Inputs) Overlay(k Keys, msg tea.KeyPressMsg, required string) (handled bool, cmd tea.Cmd) {
	switch in.Mode {
	case ModeReason:
		closed, cmd := in.Reason.Ask(msg, required)
		if closed {
			in.Mode = ModeList
		}
		return true, cmd
	case ModeDetail:
		if key.Matches(msg, k.Close) {
			in.Mode = ModeList
		}
		return true, nil
	}
	return false, nil
}

// ReasonDialog is the reason dialog as every table page draws it: title,
// what the reason is for, the prompt under label, and the keys.
func (in *Inputs) ReasonDialog(s *common.Styles, width int, title, about, label, keys string) string {
	body := s.Title.Render(title) + "\n\n" + about + "\n" + in.Reason.View(s, label) + "\n" + s.Dim.Render(keys)
	return Dialog(s, width, body)
}
