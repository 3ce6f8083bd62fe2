package table

import (
	"time"

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
// the reason while it is open (reasonOpen). handled is false for anything
// else; apply says the filter's query changed now.
func (in *Inputs) Update(c common.Common, msg tea.Msg, reasonOpen bool) (handled, apply bool, cmd tea.Cmd) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		in.restyle(c.Styles, msg.IsDark())
		return true, false, nil
	case tea.PasteMsg:
		if reasonOpen {
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
