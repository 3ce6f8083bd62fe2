package admin

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"thonghanh/store"
	"thonghanh/tui/common"
)

// choice is one value a choice field offers.
type choice struct {
	label string
	value any
}

// field is one line of a form: a text input (shown or secret) or a choice
// cycled with ←/→. storeField is the store's name for it, so an error the
// store gives on submit lands under the field it is about.
type field struct {
	label, storeField string
	input             textinput.Model
	text              bool
	choices           []choice
	pick              int
	err               string
	pre               common.Prefilled
	// check says what is wrong with the field as typed ("" = nothing),
	// reading the other fields through the form.
	check func(f *form) string
}

func (fl *field) value() string { return fl.input.Value() }

func (fl *field) chosen() any {
	if len(fl.choices) == 0 {
		return nil
	}
	return fl.choices[fl.pick].value
}

// form is the add or edit dialog of one record. Each field is checked with
// the store's own normalisers as it is left; a field that is wrong keeps
// the cursor and says why under itself.
type form struct {
	title  string
	fields []*field
	focus  int
	err    string // the store's refusal not about one field
	busy   bool
	submit func(f *form) tea.Cmd
}

func newTextField(label, storeField, value string, width int, secret bool) *field {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 200
	in.SetWidth(width)
	if secret {
		in.EchoMode = textinput.EchoPassword
		in.EchoCharacter = '•'
	}
	in.SetValue(value)
	fl := &field{label: label, storeField: storeField, input: in, text: true}
	fl.pre.Arm(value)
	return fl
}

func newChoiceField(label, storeField string, choices []choice, pick int) *field {
	return &field{label: label, storeField: storeField, choices: choices, pick: max(min(pick, len(choices)-1), 0)}
}

// focusOn moves the cursor to field i.
func (f *form) focusOn(i int) tea.Cmd {
	for _, fl := range f.fields {
		fl.input.Blur()
	}
	f.focus = max(min(i, len(f.fields)-1), 0)
	if fl := f.fields[f.focus]; fl.text {
		return fl.input.Focus()
	}
	return nil
}

// checkField checks field i, keeping its error; it reports whether it is right.
func (f *form) checkField(i int) bool {
	fl := f.fields[i]
	fl.err = ""
	if fl.check != nil {
		fl.err = fl.check(f)
	}
	return fl.err == ""
}

// formKeys are the form's keys.
type formKeys struct {
	Next, Prev, Submit, Cancel, Pick, Clear key.Binding
}

func newFormKeys(c common.Common) formKeys {
	return formKeys{
		Next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", c.T("admin.key.next"))),
		Prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", c.T("admin.key.prev"))),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("admin.key.submit"))),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("admin.key.cancel"))),
		Pick:   key.NewBinding(key.WithKeys("left", "right", "space"), key.WithHelp("←/→", c.T("admin.key.pick"))),
		Clear:  common.ClearKey(c.T("admin.key.clear")),
	}
}

// update handles a key or paste in the form: done is true when it closes
// (cancelled); cmd submits or moves the cursor.
func (f *form) update(k formKeys, msg tea.Msg) (done bool, cmd tea.Cmd) {
	if f.busy {
		return false, nil
	}
	fl := f.fields[f.focus]
	if kp, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(kp, k.Cancel):
			return true, nil
		case key.Matches(kp, k.Submit):
			if !f.checkField(f.focus) {
				return false, nil
			}
			if f.focus < len(f.fields)-1 {
				return false, f.focusOn(f.focus + 1)
			}
			for i := range f.fields {
				if !f.checkField(i) {
					return false, f.focusOn(i)
				}
			}
			f.err, f.busy = "", true
			return false, f.submit(f)
		case key.Matches(kp, k.Next):
			if !f.checkField(f.focus) {
				return false, nil
			}
			return false, f.focusOn((f.focus + 1) % len(f.fields))
		case key.Matches(kp, k.Prev):
			return false, f.focusOn((f.focus + len(f.fields) - 1) % len(f.fields))
		case !fl.text && key.Matches(kp, k.Pick):
			step := 1
			if kp.String() == "left" {
				step = len(fl.choices) - 1
			}
			fl.pick = (fl.pick + step) % len(fl.choices)
			fl.err = ""
			return false, nil
		}
	}
	if !fl.text {
		return false, nil
	}
	if fl.pre.Replaces(msg) {
		fl.input.SetValue("")
	}
	var c tea.Cmd
	fl.input, c = fl.input.Update(msg)
	fl.err = ""
	return false, c
}

// refused puts the store's error under the field it names, or under the
// form when it names none of them.
func (f *form) refused(c common.Common, err error) tea.Cmd {
	f.busy = false
	var se *store.Error
	if errors.As(err, &se) && se.Field != "" {
		for i, fl := range f.fields {
			if fl.storeField == se.Field {
				fl.err = common.UpperFirst(se.MessageText(c.English()))
				return f.focusOn(i)
			}
		}
	}
	f.err = c.ErrorText(err)
	return nil
}

// view draws the form at width w.
func (f *form) view(c common.Common, w int) string {
	s := c.Styles
	labelW := 0
	for _, fl := range f.fields {
		labelW = max(labelW, lipgloss.Width(fl.label))
	}
	lines := []string{s.Title.Render(f.title), ""}
	for i, fl := range f.fields {
		mark := "  "
		if i == f.focus {
			mark = "› "
		}
		val := fl.input.View()
		if !fl.text {
			val = "‹" + fl.choices[fl.pick].label + "›"
		}
		lines = append(lines, common.Truncate(mark+common.Cell(fl.label, labelW)+"  "+val, w))
		if fl.err != "" {
			indent := labelW + 4
			wrapped := lipgloss.NewStyle().Width(max(w-indent, 20)).Render(fl.err)
			for _, l := range strings.Split(wrapped, "\n") {
				lines = append(lines, s.Error.Render(common.Truncate(strings.Repeat(" ", indent)+strings.TrimRight(l, " "), w)))
			}
		}
	}
	if f.err != "" {
		lines = append(lines, "", s.Error.Render(common.Truncate(f.err, w)))
	}
	if f.busy {
		lines = append(lines, "", s.Dim.Render(c.T("admin.saving")))
	}
	return strings.Join(lines, "\n")
}
