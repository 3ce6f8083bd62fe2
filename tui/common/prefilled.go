package common

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Prefilled is an input's text put there for the clerk (a returning
// person's last route, the file refused a moment ago): the first letter
// typed or the first paste replaces it, as in a selected text box, and a
// key that moves or deletes keeps it to be edited. Either way only the
// first key decides.
type Prefilled struct{ armed bool }

// Arm starts watching an input that now holds value; an empty one has
// nothing to replace.
func (p *Prefilled) Arm(value string) { p.armed = value != "" }

// Replaces reports whether msg, the first key or paste since Arm, replaces
// the text. Messages that are neither leave the input as it is.
func (p *Prefilled) Replaces(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		armed := p.armed
		p.armed = false
		return armed
	case tea.KeyPressMsg:
		armed := p.armed
		p.armed = false
		return armed && msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt) == 0
	}
	return false
}

// ClearKey is ctrl+u, which empties a text input (the cursor being at its
// end): the footer shows it wherever one has focus.
func ClearKey(help string) key.Binding {
	return key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", help))
}

// Clearing are the keys that empty a text input from wherever its cursor
// is: to its end, then everything before the cursor.
var Clearing = []tea.KeyPressMsg{{Code: tea.KeyEnd}, {Code: 'u', Mod: tea.ModCtrl}}
