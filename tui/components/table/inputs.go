package table

import (
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
)

// Inputs are what a table page types into and shows its long work on: the
// filter box, the reason dialog and the progress bar of a bulk action.
type Inputs struct {
	Filter   Filter
	Reason   common.Reason
	Progress progress.Model
	Mode     Mode // the list, a dialog or a view over it

	scope scopeAsk // while Mode is ModeScope
}

// scopeAsk is an action waiting for the clerk to say what it is for.
type scopeAsk struct {
	hidden, marked int
	act            func(cursorOnly bool) tea.Cmd
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
	ModeScope       // marked rows are hidden by the filter: for them, or the cursor's row?
	ModeOwn         // the first of a page's own modes
)

// Typing is true while the filter or the reason has focus: letters and
// digits are text then, not keys.
func (in *Inputs) Typing() bool {
	return in.Filter.Active || in.Mode == ModeReason || in.Mode == ModeScope
}

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
	case ModeScope:
		act := in.scope.act
		switch msg.String() {
		case "enter", "m":
			in.Mode, in.scope = ModeList, scopeAsk{}
			return true, act(false)
		case "c":
			in.Mode, in.scope = ModeList, scopeAsk{}
			return true, act(true)
		case "esc", "n":
			in.Mode, in.scope = ModeList, scopeAsk{}
		}
		return true, nil
	}
	return false, nil
}

// Scoped runs act on the marked rows, unless some of them (hidden of
// marked) are hidden by the filter: then it first asks whether the action
// is for every marked row or only the row under the cursor, since acting
// on rows the clerk cannot see must not come as a surprise.
func (in *Inputs) Scoped(hidden, marked int, act func(cursorOnly bool) tea.Cmd) tea.Cmd {
	if hidden == 0 {
		return act(false)
	}
	in.Mode, in.scope = ModeScope, scopeAsk{hidden: hidden, marked: marked, act: act}
	return nil
}

// ScopeDialog is the question Scoped asks, in the desk's language.
func (in *Inputs) ScopeDialog(c common.Common) string {
	s := c.Styles
	body := s.Title.Render(c.T("table.scope.title")) + "\n\n" +
		c.Tf("table.scope.text", c.Lang.Int(in.scope.marked), c.Lang.Int(in.scope.hidden)) + "\n\n" +
		s.Dim.Render(c.Tf("table.scope.keys", c.Lang.Int(in.scope.marked)))
	return Dialog(s, c.Width, body)
}

// ScopeKeys are the question's keys, for the footer.
func ScopeKeys(c common.Common) []key.Binding {
	return []key.Binding{
		key.NewBinding(key.WithKeys("enter", "m"), key.WithHelp("enter/m", c.T("table.scope.marked"))),
		key.NewBinding(key.WithKeys("c"), key.WithHelp("c", c.T("table.scope.cursor"))),
		key.NewBinding(key.WithKeys("esc", "n"), key.WithHelp("esc", c.T("key.cancel"))),
	}
}

func init() {
	i18n.Register(map[string]i18n.Text{
		"table.scope.title":  {Vi: "Có dòng đã đánh dấu bị bộ lọc ẩn", En: "Marked rows are hidden by the filter"},
		"table.scope.text":   {Vi: "Đã đánh dấu %s dòng, trong đó %s dòng không hiện vì bộ lọc.", En: "%s rows are marked; %s of them are not shown because of the filter."},
		"table.scope.keys":   {Vi: "enter/m: làm với cả %s dòng đã đánh dấu · c: chỉ dòng đang chọn · esc: hủy", En: "enter/m: all %s marked rows · c: only the row under the cursor · esc: cancel"},
		"table.scope.marked": {Vi: "mọi dòng đã đánh dấu", En: "every marked row"},
		"table.scope.cursor": {Vi: "chỉ dòng đang chọn", En: "only this row"},
	})
}

// ReasonDialog is the reason dialog as every table page draws it: title,
// what the reason is for, the prompt under label, and the keys.
func (in *Inputs) ReasonDialog(s *common.Styles, width int, title, about, label, keys string) string {
	body := s.Title.Render(title) + "\n\n" + about + "\n" + in.Reason.View(s, label) + "\n" + s.Dim.Render(keys)
	return Dialog(s, width, body)
}
