package login

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"thonghanh/store"
	"thonghanh/tui/common"
)

// The password-change step: an officer whose password no longer meets the
// rules (store.Login says so) sets a new one, typed twice, before anything
// else. The rules and the change are the store's (ChangePassword); this
// step only collects the two entries and shows the store's answer.

// mustChangeMsg: the password was right but must be changed first.
type mustChangeMsg struct {
	officer store.Officer
	old     string
}

// changeFailedMsg: the store refused the new password.
type changeFailedMsg struct{ err error }

type changeStep struct {
	officer       store.Officer
	old           string
	first, second textinput.Model
	focus         int // 0 the new password, 1 its repeat
	busy          bool
	err           string
}

func (m *Model) startChange(msg mustChangeMsg) tea.Cmd {
	c := &changeStep{officer: msg.officer, old: msg.old}
	for _, in := range []*textinput.Model{&c.first, &c.second} {
		*in = textinput.New()
		in.Prompt = ""
		in.CharLimit = 128
		in.SetWidth(24)
		in.EchoMode = textinput.EchoPassword
		in.EchoCharacter = '•'
		in.SetStyles(textinput.DefaultStyles(m.c.Styles.IsDark))
	}
	m.busy, m.err = false, ""
	m.password.SetValue("")
	m.change = c
	return c.first.Focus()
}

func (c *changeStep) setFocus(i int) tea.Cmd {
	c.focus = i
	if i == 0 {
		c.second.Blur()
		return c.first.Focus()
	}
	c.first.Blur()
	return c.second.Focus()
}

func (m *Model) updateChange(msg tea.Msg) (common.Page, tea.Cmd) {
	c := m.change
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		c.first.SetStyles(textinput.DefaultStyles(msg.IsDark()))
		c.second.SetStyles(textinput.DefaultStyles(msg.IsDark()))
		return m, nil
	case changeFailedMsg:
		c.busy = false
		c.err = m.describe(msg.err)
		c.first.SetValue("")
		c.second.SetValue("")
		return m, c.setFocus(0)
	case tea.KeyPressMsg:
		if c.busy {
			return m, nil
		}
		switch {
		case key.Matches(msg, m.keys.Submit):
			if c.focus == 0 {
				return m, c.setFocus(1)
			}
			return m, m.submitChange()
		case key.Matches(msg, m.keys.Next), key.Matches(msg, m.keys.Prev):
			return m, c.setFocus(1 - c.focus)
		}
	}
	var cmd tea.Cmd
	if c.focus == 0 {
		c.first, cmd = c.first.Update(msg)
	} else {
		c.second, cmd = c.second.Update(msg)
	}
	return m, cmd
}

// submitChange asks the store to change the password in the background
// (a new hash, and an approver's desk key wrapped again), then finishes the
// login with the new password.
func (m *Model) submitChange() tea.Cmd {
	c := m.change
	if c.first.Value() != c.second.Value() {
		c.err = m.c.T("login.change.mismatch")
		c.first.SetValue("")
		c.second.SetValue("")
		return c.setFocus(0)
	}
	c.busy, c.err = true, ""
	db, ctx, lang := m.c.DB, m.c.Ctx, m.c.Lang
	o, old, next := c.officer, c.old, c.first.Value()
	return func() tea.Msg {
		if err := db.ChangePassword(ctx, o, old, next); err != nil {
			return changeFailedMsg{err}
		}
		o.MustChangePassword = false
		return finish(ctx, db, lang, o, next)
	}
}

func (m *Model) viewChange() string {
	c := m.change
	minLen := store.MinPasswordLength
	if c.officer.Has(store.RoleApprover) || c.officer.Has(store.RoleAdmin) {
		minLen = store.MinSignerPasswordLength
	}
	box := m.formBox(formBox{
		title: m.c.T("login.change.title"), sub: c.officer.FullName + " (" + c.officer.Username + ")",
		note: m.c.Tf("login.change.why", minLen), labelWidth: 18, width: 60,
		focus: c.focus, names: []string{m.c.T("login.change.new"), m.c.T("login.change.again")},
		inputs: []textinput.Model{c.first, c.second},
		busy:   c.busy, busyText: m.c.T("login.change.busy"), err: c.err,
	})
	return lipgloss.Place(m.c.Width, m.c.Height, lipgloss.Center, lipgloss.Center, box)
}
