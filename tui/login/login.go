// Package login is the desk's login screen: username and masked password,
// checked by the store (argon2id, five failures lock the account for five
// minutes); an approver's login also unlocks the desk's signing key. In demo
// mode (setting "demo" = "1") and given the demo's password (DemoPassword,
// from cmd) it lists the demo accounts, never otherwise.
//
// Its room is the two inputs and the messages about them. It decides nothing
// about passwords or lockouts (store.DB.Login does) and hands the frame a
// DoneMsg; it never builds pages.
package login

import (
	"context"
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
)

// DoneMsg reports a successful login to the frame.
type DoneMsg struct {
	Officer store.Officer
	Signer  *seal.Signer // nil unless an approver's key was unlocked
	Warning string       // e.g. an approver whose key could not be unlocked
}

type failedMsg struct{ err error }

// demoAccounts are the seed's short demo logins, in the order shown.
var demoAccounts = []string{"canbo", "duyet", "kiemtra", "quantri"}

// Model is the login screen.
type Model struct {
	c        common.Common
	desk     store.Desk
	user     textinput.Model
	password textinput.Model
	focus    int // 0 user, 1 password
	busy     bool
	err      string
	demo     []store.Officer // demo accounts, only in demo mode
	demoPass string          // the demo's password, printed above them
	keys     keyMap
	change   *changeStep // set while a weak password is being replaced (change.go)
}

type keyMap struct {
	Next, Prev, Submit key.Binding
}

// Option sets up the login screen.
type Option func(*Model)

// DemoPassword is the password the demo seeds every account with: a demo
// desk's login screen lists its accounts under it. The screen knows it only
// from its caller, so the desk's code carries no demo data.
func DemoPassword(p string) Option { return func(m *Model) { m.demoPass = p } }

// New builds the login screen for the desk's unit.
func New(c common.Common, desk store.Desk, opts ...Option) *Model {
	m := &Model{c: c, desk: desk}
	for _, o := range opts {
		o(m)
	}
	m.user = textinput.New()
	m.user.Prompt = ""
	m.user.CharLimit = 64
	m.user.SetWidth(24)
	m.password = textinput.New()
	m.password.Prompt = ""
	m.password.CharLimit = 128
	m.password.SetWidth(24)
	m.password.EchoMode = textinput.EchoPassword
	m.password.EchoCharacter = '•'
	m.keys = keyMap{
		Next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", c.T("login.key.next"))),
		Prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", c.T("login.key.prev"))),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("login.key.submit"))),
	}
	if v, ok, _ := c.DB.Setting(c.Ctx, "demo"); ok && string(v) == "1" && m.demoPass != "" {
		if officers, err := c.DB.OfficersOfUnit(c.Ctx, desk.Unit); err == nil {
			for _, name := range demoAccounts {
				for _, o := range officers {
					if o.Username == name {
						m.demo = append(m.demo, o)
					}
				}
			}
			if len(m.demo) == 0 { // a second demo desk: its unit's own accounts
				m.demo = officers[:min(len(officers), len(demoAccounts))]
			}
		}
	}
	m.inputStyles(c.Styles.IsDark)
	m.user.Focus()
	return m
}

// Init starts the cursor.
func (m *Model) Init() tea.Cmd { return m.user.Focus() }

// Update handles typing and submission.
func (m *Model) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	if msg, ok := msg.(mustChangeMsg); ok {
		return m, m.startChange(msg)
	}
	if m.change != nil {
		return m.updateChange(msg)
	}
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		m.inputStyles(msg.IsDark())
		return m, nil
	case failedMsg:
		m.busy = false
		m.err = m.describe(msg.err)
		m.password.SetValue("")
		return m, m.setFocus(1)
	case tea.KeyPressMsg:
		if m.busy {
			return m, nil
		}
		switch {
		case key.Matches(msg, m.keys.Submit):
			if m.focus == 0 {
				return m, m.setFocus(1)
			}
			return m, m.submit()
		case key.Matches(msg, m.keys.Next):
			return m, m.setFocus(1 - m.focus)
		case key.Matches(msg, m.keys.Prev):
			return m, m.setFocus(1 - m.focus)
		}
	}
	var cmd tea.Cmd
	if m.focus == 0 {
		m.user, cmd = m.user.Update(msg)
	} else {
		m.password, cmd = m.password.Update(msg)
	}
	return m, cmd
}

func (m *Model) setFocus(i int) tea.Cmd {
	m.focus = i
	if i == 0 {
		m.password.Blur()
		return m.user.Focus()
	}
	m.user.Blur()
	return m.password.Focus()
}

// submit checks the password in the background: argon2id takes a moment,
// and unlocking an approver's key another.
func (m *Model) submit() tea.Cmd {
	user, password := strings.TrimSpace(m.user.Value()), m.password.Value()
	if user == "" {
		m.err = m.c.T("login.err.nouser")
		return m.setFocus(0)
	}
	m.busy, m.err = true, ""
	db, ctx, lang := m.c.DB, m.c.Ctx, m.c.Lang
	return func() tea.Msg {
		o, err := db.Login(ctx, user, password)
		if err != nil {
			return failedMsg{err}
		}
		if o.MustChangePassword {
			return mustChangeMsg{officer: o, old: password}
		}
		return finish(ctx, db, lang, o, password)
	}
}

// finish completes a login: an approver's password also unlocks the desk's
// signing key.
func finish(ctx context.Context, db *store.DB, lang i18n.Lang, o store.Officer, password string) DoneMsg {
	done := DoneMsg{Officer: o}
	if o.Has(store.RoleApprover) {
		signer, err := db.UnlockSigner(ctx, o, password)
		if err != nil {
			done.Warning = lang.T("login.warn.nosigner") + ": " + errorText(lang, err)
		}
		done.Signer = signer
	}
	return done
}

// describe turns a login error into a line for the clerk: the store's own
// Vietnamese message (it says how many tries are left, or until when the
// account is locked), or its English meaning.
func (m *Model) describe(err error) string { return errorText(m.c.Lang, err) }

func errorText(lang i18n.Lang, err error) string {
	var e *store.Error
	if !errors.As(err, &e) {
		return lang.T("login.err.internal") + ": " + err.Error()
	}
	return common.UpperFirst(e.Text(lang == i18n.En))
}

// Busy reports that a password is being checked or changed.
func (m *Model) Busy() bool { return m.busy || m.change != nil && m.change.busy }

// SetSize records the area.
func (m *Model) SetSize(w, h int) { m.c.Width, m.c.Height = w, h }

// Typing is always true: both fields take any key.
func (m *Model) Typing() bool { return true }

// ShortHelp lists the login keys.
func (m *Model) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Submit, m.keys.Next}
}

// FullHelp lists the login keys.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// View draws the form in a box in the middle of the screen.
func (m *Model) View() string {
	if m.change != nil {
		return m.viewChange()
	}
	box := m.formBox(formBox{
		title: m.c.T("login.title"), sub: m.desk.Label, labelWidth: 16, width: 56,
		focus: m.focus, names: []string{m.c.T("login.user"), m.c.T("login.password")},
		inputs: []textinput.Model{m.user, m.password},
		busy:   m.busy, busyText: m.c.T("login.busy"), err: m.err,
	})
	s := m.c.Styles
	out := box
	if len(m.demo) > 0 {
		// JoinVertical pads every line to the widest, so centring the block
		// keeps the list's columns aligned.
		var d strings.Builder
		d.WriteString(s.Warn.Render(m.c.Tf("login.demo", m.demoPass)) + "\n")
		width := 0
		for _, o := range m.demo {
			width = max(width, len(o.Username))
		}
		for _, o := range m.demo {
			d.WriteString("  " + s.Bold.Render(padRight(o.Username, width+1)) + s.Dim.Render(common.RoleName(m.c.Lang, o)+" · "+o.FullName) + "\n")
		}
		out = lipgloss.JoinVertical(lipgloss.Left, box, strings.TrimRight(d.String(), "\n"))
	}
	return lipgloss.Place(m.c.Width, m.c.Height, lipgloss.Center, lipgloss.Center, out)
}

// formBox is what the login and the password-change steps draw alike: a
// title, a line under it, an optional warning, labelled fields with the
// focused one marked, and the busy or error line, in a dialog box.
type formBox struct {
	title, sub, note  string
	labelWidth, width int
	focus             int
	names             []string
	inputs            []textinput.Model
	busy              bool
	busyText, err     string
}

func (m *Model) formBox(f formBox) string {
	s := m.c.Styles
	label := lipgloss.NewStyle().Width(f.labelWidth)
	var b strings.Builder
	b.WriteString(s.Title.Render(f.title) + "\n")
	b.WriteString(s.Dim.Render(f.sub) + "\n\n")
	if f.note != "" {
		b.WriteString(s.Warn.Render(f.note) + "\n\n")
	}
	for i, in := range f.inputs {
		marker := "  "
		if f.focus == i {
			marker = s.Accent.Render("› ")
		}
		b.WriteString(marker + label.Render(f.names[i]) + s.Input.Render(common.Cell(in.View(), 26)) + "\n")
	}
	b.WriteString("\n")
	switch {
	case f.busy:
		b.WriteString(s.Info.Render(f.busyText))
	case f.err != "":
		b.WriteString(s.Error.Render(f.err))
	}
	return s.Dialog.Width(min(f.width, m.c.Width-2)).Render(strings.TrimRight(b.String(), "\n"))
}

func padRight(s string, n int) string {
	if w := lipgloss.Width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

func init() {
	i18n.Register(map[string]i18n.Text{
		"login.title":         {Vi: "Đăng nhập", En: "Log in"},
		"login.user":          {Vi: "Tên đăng nhập", En: "Username"},
		"login.password":      {Vi: "Mật khẩu", En: "Password"},
		"login.busy":          {Vi: "Đang kiểm tra mật khẩu…", En: "Checking the password…"},
		"login.demo":          {Vi: "Chế độ trình diễn — tài khoản thử, mật khẩu: %s", En: "Demo mode — try these accounts, password: %s"},
		"login.key.next":      {Vi: "ô tiếp", En: "next field"},
		"login.key.prev":      {Vi: "ô trước", En: "previous field"},
		"login.key.submit":    {Vi: "đăng nhập", En: "log in"},
		"login.err.nouser":    {Vi: "Nhập tên đăng nhập.", En: "Enter a username."},
		"login.err.internal":  {Vi: "Lỗi khi đăng nhập", En: "Login failed"},
		"login.warn.nosigner": {Vi: "Chưa mở được khóa ký, chưa duyệt được hồ sơ", En: "Signing key not unlocked: approvals are unavailable"},
		"login.change.title":  {Vi: "Đổi mật khẩu", En: "Change your password"},
		"login.change.why": {Vi: "Mật khẩu hiện tại không còn đạt yêu cầu. Đặt mật khẩu mới: ít nhất %d ký tự, không phải mật khẩu phổ biến hay ngày tháng.",
			En: "Your password no longer meets the rules. Choose a new one: at least %d characters, not a common password or a date."},
		"login.change.new":      {Vi: "Mật khẩu mới", En: "New password"},
		"login.change.again":    {Vi: "Nhập lại", En: "Repeat it"},
		"login.change.busy":     {Vi: "Đang đổi mật khẩu…", En: "Changing the password…"},
		"login.change.mismatch": {Vi: "Hai lần nhập không khớp, nhập lại.", En: "The two entries differ; type them again."},
	})
}

// inputStyles gives the text inputs the colours of the terminal's background.
func (m *Model) inputStyles(isDark bool) {
	m.user.SetStyles(textinput.DefaultStyles(isDark))
	m.password.SetStyles(textinput.DefaultStyles(isDark))
}
