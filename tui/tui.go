// Package tui is the desk's terminal program: one root model that owns the
// alt screen, draws the header (unit, officer, role, sync state, Vietnam
// clock), the tabs, the status line and the footer help (the components in
// tui/components), and hands one common.Common to every page. The pages live
// in their own packages (tui/login, tui/intake, tui/queue, tui/permits,
// tui/vouchers, tui/check, tui/syncpage and tui/admin), registered in tabs.go. The
// checkpoint program (`thonghanh check`, checkpoint.go) is this frame with
// the Kiểm tra tab alone.
//
// Its room is the screen: it reads and writes records only through the store
// package's API (whose rules — authority, validation, roles — it never
// repeats), and draws QR previews with the print package. Nobody imports tui
// but cmd/thonghanh. It never writes logs to the terminal it draws on.
package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"thonghanh/store"
	"thonghanh/tui/common"
	"thonghanh/tui/components/footer"
	"thonghanh/tui/components/header"
	"thonghanh/tui/components/statusbar"
	"thonghanh/tui/components/tabs"
	"thonghanh/tui/i18n"
	"thonghanh/tui/login"
)

// Options are what the command hands the desk.
type Options struct {
	Ctx  context.Context
	DB   *store.DB
	Lang i18n.Lang
	// Syncer links the desk to the central server; nil = offline.
	Syncer common.Syncer
	// PrintDir is where PDFs are written; empty = the desk's print.dir
	// setting, or ~/ThongHanh/ban-in.
	PrintDir string
	// Pages replaces tab constructors from the registry in tabs.go.
	Pages map[common.Tab]common.NewPage
	// DemoPassword is shown with the demo accounts on a demo desk's login
	// screen; empty = no accounts listed.
	DemoPassword string
	// Tabs are the tabs shown, in order; nil = all six. A program with
	// fewer pages (`thonghanh check`) is this frame with fewer tabs.
	Tabs []common.Tab
	// Title names the program in the header and the window; "" = Thông Hành.
	Title string
	// Admit, when set, may refuse an officer the password let in: the
	// text says why, and the login screen opens again.
	Admit func(store.Officer) string
}

// Minimum terminal size the desk draws in; smaller gets a notice instead.
const (
	minWidth  = 60
	minHeight = 16
)

// Frame rows around the page: two header lines, the tab bar, the status line.
const (
	headerRows = 2
	tabRows    = 1
	statusRows = 1
)

// How often the clock and the sync state refresh.
const (
	tickEvery      = time.Second
	outboxPollTick = 5 // ticks between outbox counts when there is no Syncer
)

// Model is the root model: the only tea.Model of the desk.
type Model struct {
	opt    Options
	ctx    context.Context
	lang   i18n.Lang
	styles *common.Styles
	keys   *common.KeyMap
	help   help.Model

	width, height int

	desk  store.Desk
	units *store.UnitIndex

	login    *login.Model
	loggedIn bool
	// typedAhead holds the keys (and pastes) that arrive while the
	// password is checked in the background: a clerk types the ID number
	// without waiting, a scanner sends a whole code. They are replayed in
	// order to the page the login opens, never to the login screen.
	typedAhead []tea.Msg
	base       common.Common // filled at login; each page gets a copy
	shown      []common.Tab  // the tabs of this program, in order
	visible    []common.Tab  // those the bar shows to this officer
	pages      [common.NumTabs]common.Page
	allowed    [common.NumTabs]bool
	active     common.Tab

	now    time.Time
	sync   common.SyncState
	ticks  int
	status statusbar.Model
	// syncWatch is the round s started, while its "Đang đồng bộ…" shows.
	syncWatch *syncWatch
}

type tickMsg time.Time

type syncStateMsg common.SyncState

// New builds the desk on an open store. The store must hold a desk record
// (seeded, or enrolled with a central server).
func New(opt Options) (*Model, error) {
	if opt.DB == nil {
		return nil, fmt.Errorf("tui: no database")
	}
	if opt.Ctx == nil {
		opt.Ctx = context.Background()
	}
	if opt.Lang == "" {
		opt.Lang = i18n.Vi
	}
	if opt.Title == "" {
		opt.Title = "Thông Hành"
	}
	desk, err := opt.DB.Desk(opt.Ctx)
	if err != nil {
		return nil, err
	}
	units, err := opt.DB.Units(opt.Ctx)
	if err != nil {
		return nil, err
	}
	m := &Model{
		opt:    opt,
		ctx:    opt.Ctx,
		lang:   opt.Lang,
		styles: common.NewStyles(true), // until the terminal answers
		keys:   common.NewKeyMap(opt.Lang),
		help:   help.New(),
		desk:   desk,
		units:  units,
		now:    opt.DB.Now(),
		width:  80,
		height: 24,
		shown:  opt.Tabs,
	}
	if m.shown == nil {
		for t := range common.NumTabs {
			m.shown = append(m.shown, t)
		}
	}
	m.help.Styles = m.styles.Help
	m.help.FullSeparator = "  "
	m.login = login.New(m.frameCommon(), desk, login.DemoPassword(opt.DemoPassword))
	m.layout()
	return m, nil
}

// frameCommon is the Common of the frame before anyone logs in.
func (m *Model) frameCommon() common.Common {
	return common.Common{
		Ctx: m.ctx, Lang: m.lang, Styles: m.styles, Keys: m.keys,
		DB: m.opt.DB, Units: m.units, Desk: m.desk, Syncer: m.opt.Syncer,
		PrintDir: m.opt.PrintDir, Screen: m.screen,
	}
}

// screen is the terminal's size, for pages that go full screen.
func (m *Model) screen() (int, int) { return m.width, m.height }

// Init asks the terminal for its background colour and starts the clock.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.tick(), m.pollSync(), m.login.Init())
}

func (m *Model) tick() tea.Cmd {
	return tea.Tick(tickEvery, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// pollSync reads the sync state in the background: from the Syncer, or from
// the outbox when the desk has no server.
func (m *Model) pollSync() tea.Cmd {
	syncer, db, ctx := m.opt.Syncer, m.opt.DB, m.ctx
	return func() tea.Msg {
		if syncer != nil {
			return syncStateMsg(syncer.SyncState())
		}
		counts, err := db.OutboxCounts(ctx)
		if err != nil {
			return syncStateMsg{LastError: err.Error()}
		}
		return syncStateMsg{Pending: counts[store.OpPending] + counts[store.OpInFlight]}
	}
}

// Update routes messages: sizes and colours to every page, ForPage messages
// to their page, everything else to the active page (or the login screen).
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil

	case tea.BackgroundColorMsg:
		*m.styles = *common.NewStyles(msg.IsDark())
		m.help.Styles = m.styles.Help
		cmds := []tea.Cmd{m.updateLogin(msg)}
		for i, p := range m.pages {
			if p != nil {
				var cmd tea.Cmd
				m.pages[i], cmd = p.Update(msg)
				cmds = append(cmds, cmd)
			}
		}
		return m, tea.Batch(cmds...)

	case tickMsg:
		m.now = m.opt.DB.Now()
		m.ticks++
		m.status.Tick(time.Time(msg))
		cmds := []tea.Cmd{m.tick()}
		if m.opt.Syncer != nil || m.ticks%outboxPollTick == 0 {
			cmds = append(cmds, m.pollSync())
		}
		return m, tea.Batch(cmds...)

	case syncStateMsg:
		m.sync = common.SyncState(msg)
		m.endSyncNotice()
		return m, nil

	case common.StatusMsg:
		m.status.Set(msg, time.Now())
		m.syncWatch = nil // "Đang đồng bộ…" is no longer the line to replace
		if m.help.ShowAll {
			m.layout() // the full help shows a long notice whole
		}
		return m, nil

	case common.ForPage:
		if !m.loggedIn || msg.Tab < 0 || msg.Tab >= common.NumTabs || m.pages[msg.Tab] == nil {
			return m, nil
		}
		var cmd tea.Cmd
		m.pages[msg.Tab], cmd = m.pages[msg.Tab].Update(msg.Msg)
		return m, cmd

	case common.SwitchTabMsg:
		return m, m.switchTab(msg.Tab)

	case login.DoneMsg:
		if m.opt.Admit != nil {
			if why := m.opt.Admit(msg.Officer); why != "" {
				m.typedAhead = nil
				m.logout()
				return m, tea.Batch(m.login.Init(), common.Status(common.StatusWarn, why))
			}
		}
		m.status.Clear() // a refusal or "Đã đăng xuất." before is answered
		cmds := []tea.Cmd{m.startSession(msg)}
		held := m.typedAhead
		m.typedAhead = nil
		for _, k := range held {
			_, cmd := m.Update(k)
			cmds = append(cmds, cmd)
		}
		return m, tea.Batch(cmds...)

	case tea.KeyPressMsg:
		return m, m.handleKey(msg)

	case tea.PasteMsg:
		if m.checkingPassword() {
			m.typedAhead = append(m.typedAhead, msg)
			return m, nil
		}
	}
	if !m.loggedIn {
		cmd := m.updateLogin(msg)
		if !m.checkingPassword() {
			// The password was refused: what was typed ahead was meant for
			// the desk behind the login, and would be wrong in its fields.
			m.typedAhead = nil
		}
		return m, cmd
	}
	return m, m.updateActive(msg)
}

// checkingPassword reports that the login screen is waiting for the store's
// answer: keys typed now are held for the page the login opens.
func (m *Model) checkingPassword() bool {
	return !m.loggedIn && m.login != nil && m.login.Busy()
}

// syncWatch is a sync round the clerk started with s, whose "Đang đồng bộ…"
// stays until the round has ended: a new success or a new error.
type syncWatch struct {
	success time.Time
	err     string
}

// endSyncNotice replaces "Đang đồng bộ…" with the round's outcome once the
// sync state shows it ended.
func (m *Model) endSyncNotice() {
	w, st := m.syncWatch, m.sync
	if w == nil || st.Running || (st.LastSuccess.Equal(w.success) && st.LastError == w.err) {
		return
	}
	m.syncWatch = nil
	if st.LastError != "" && st.LastError != w.err {
		m.status.Set(common.StatusMsg{Kind: common.StatusError, Text: m.lang.Tf("frame.syncfailed", st.LastError)}, time.Now())
		return
	}
	m.status.Set(common.StatusMsg{Kind: common.StatusOK, Text: m.lang.Tf("frame.synced", store.FormatDateTime(st.LastSuccess))}, time.Now())
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if key.Matches(msg, k.Quit) {
		return tea.Quit
	}
	if m.checkingPassword() {
		m.typedAhead = append(m.typedAhead, msg)
		return nil
	}
	if !m.loggedIn {
		return m.updateLogin(msg)
	}
	if key.Matches(msg, k.Logout) {
		m.logout()
		return tea.Batch(m.login.Init(), common.Status(common.StatusInfo, m.lang.T("frame.loggedout")))
	}
	for i := range common.NumTabs {
		if key.Matches(msg, k.AltTabs[i]) {
			return m.switchTab(i)
		}
	}
	if p := m.pages[m.active]; p != nil && !common.TakesDigits(p) {
		for i := range common.NumTabs {
			if key.Matches(msg, k.Tabs[i]) {
				return m.switchTab(i)
			}
		}
	}
	if p := m.pages[m.active]; p != nil && (key.Matches(msg, k.HelpF1) || key.Matches(msg, k.Help) && common.HelpKey(p)) {
		m.help.ShowAll = !m.help.ShowAll
		m.layout()
		return nil
	}
	if p := m.pages[m.active]; p != nil && !p.Typing() {
		switch {
		case key.Matches(msg, k.Sync):
			if m.opt.Syncer == nil {
				return common.Status(common.StatusWarn, m.lang.T("frame.nosyncer"))
			}
			m.opt.Syncer.SyncNow()
			m.status.Set(common.StatusMsg{Kind: common.StatusInfo, Text: m.lang.T("frame.syncstarted")}, time.Now())
			m.syncWatch = &syncWatch{success: m.sync.LastSuccess, err: m.sync.LastError}
			return m.pollSync()
		}
	}
	return m.updateActive(msg)
}

func (m *Model) updateLogin(msg tea.Msg) tea.Cmd {
	if m.login == nil {
		return nil
	}
	p, cmd := m.login.Update(msg)
	m.login = p.(*login.Model)
	return cmd
}

func (m *Model) updateActive(msg tea.Msg) tea.Cmd {
	p := m.pages[m.active]
	if p == nil {
		return nil
	}
	var cmd tea.Cmd
	m.pages[m.active], cmd = p.Update(msg)
	return cmd
}

// switchTab shows tab t, letting the page reload if it wants to.
func (m *Model) switchTab(t common.Tab) tea.Cmd {
	if !m.loggedIn || t < 0 || t >= common.NumTabs || m.pages[t] == nil {
		return nil // not a tab of this program
	}
	if d, ok := m.pages[m.active].(common.Deactivator); ok && t != m.active {
		d.Deactivate()
	}
	m.active = t
	m.layout() // the new page's help may be taller or shorter
	if a, ok := m.pages[t].(common.Activator); ok {
		return a.Activate()
	}
	return nil
}

// startSession builds every page for the officer who just logged in.
func (m *Model) startSession(done login.DoneMsg) tea.Cmd {
	m.loggedIn = true
	m.base = m.frameCommon()
	m.base.Officer = done.Officer
	m.base.Signer = done.Signer
	w, h := m.pageSize()
	cmds := []tea.Cmd{m.pollSync()}
	m.visible = m.visible[:0]
	for _, t := range m.shown {
		c := m.base
		c.Tab = t
		c.Width, c.Height = w, h
		spec := tabSpecs[t]
		ctor := spec.page
		if o, ok := m.opt.Pages[t]; ok && o != nil {
			ctor = o
		}
		m.allowed[t] = spec.allowed(done.Officer)
		if !m.allowed[t] && spec.hidden {
			continue // no page: its keys do nothing
		}
		m.visible = append(m.visible, t)
		if m.allowed[t] {
			m.pages[t] = ctor(c)
		} else {
			m.pages[t] = forbiddenPage(c, spec.title)
		}
		m.pages[t].SetSize(w, h)
		cmds = append(cmds, m.pages[t].Init())
	}
	m.keys.SetLastTab(int(m.visible[len(m.visible)-1]) + 1)
	m.login = nil
	m.active = startTab(done.Officer)
	if m.pages[m.active] == nil {
		m.active = m.shown[0]
	}
	m.layout()
	if done.Warning != "" {
		cmds = append(cmds, common.Status(common.StatusWarn, done.Warning))
	}
	if a, ok := m.pages[m.active].(common.Activator); ok {
		cmds = append(cmds, a.Activate())
	}
	return tea.Batch(cmds...)
}

// logout drops every page (and with them the unlocked signer) and shows the
// login screen again.
func (m *Model) logout() {
	m.loggedIn = false
	m.typedAhead = nil
	m.pages = [common.NumTabs]common.Page{}
	m.base = common.Common{}
	m.login = login.New(m.frameCommon(), m.desk, login.DemoPassword(m.opt.DemoPassword))
	m.help.ShowAll = false
	m.layout()
}

// layout tells every page (and the login screen) its size.
func (m *Model) layout() {
	m.help.SetWidth(m.width)
	w, h := m.pageSize()
	if m.login != nil {
		m.login.SetSize(w, h+tabRows)
	}
	for _, p := range m.pages {
		if p != nil {
			p.SetSize(w, h)
		}
	}
}

// pageSize is the area left for a page inside the frame.
func (m *Model) pageSize() (int, int) {
	helpRows := lipgloss.Height(m.helpView())
	return m.width, max(m.height-headerRows-tabRows-statusRows-helpRows, 1)
}

// View draws the frame around the active page. Only the root returns a
// tea.View; it owns the alt screen.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = m.opt.Title
	return v
}

func (m *Model) render() string {
	if m.width < minWidth || m.height < minHeight {
		return m.lang.Tf("frame.toosmall", minWidth, minHeight, m.width, m.height)
	}
	if m.loggedIn {
		if fs, ok := m.pages[m.active].(common.FullScreener); ok && fs.FullScreen() {
			return common.FitLines(m.pages[m.active].View(), m.width, m.height)
		}
	}
	w, h := m.pageSize()
	var b strings.Builder
	b.Grow(m.width * m.height * 2)
	b.WriteString(m.headerView())
	b.WriteByte('\n')
	if m.loggedIn {
		b.WriteString(m.tabsView())
		b.WriteByte('\n')
		b.WriteString(common.FitLines(m.pages[m.active].View(), w, h))
	} else {
		b.WriteString(common.FitLines(m.login.View(), w, h+tabRows))
	}
	b.WriteByte('\n')
	b.WriteString(m.status.View(m.styles, m.width))
	b.WriteByte('\n')
	b.WriteString(m.helpView())
	return b.String()
}

func (m *Model) headerView() string {
	h := header.Header{Title: m.opt.Title, Desk: m.desk.Label, Now: m.now, Sync: m.sync}
	if m.loggedIn {
		h.Officer, h.Signer = &m.base.Officer, m.base.Signer != nil
	}
	return h.View(m.styles, m.lang, m.width)
}

func (m *Model) tabsView() string {
	bar := make([]tabs.Tab, 0, len(m.visible))
	for _, t := range m.visible {
		bar = append(bar, tabs.Tab{Number: int(t) + 1, Title: m.lang.T(tabSpecs[t].title),
			Active: t == m.active, Disabled: !m.allowed[t]})
	}
	return tabs.View(m.styles, bar, m.width)
}

// helpView is the footer: the active page's keys, then the frame's own.
func (m *Model) helpView() string {
	f := frameHelp{m}
	var k footer.Keys
	k.Always, k.Frame = f.frameKeys()
	if m.help.ShowAll {
		if full := m.status.Full(m.styles, m.width); full != "" {
			return full + "\n" + footer.View(&m.help, k, m.width)
		}
	}
	if m.help.ShowAll {
		k.PageFull = f.pageFull()
	} else {
		k.PageShort = f.pageShort()
	}
	return footer.View(&m.help, k, m.width)
}

// frameHelp is the footer's key map: the active page's keys, then the
// frame's own.
type frameHelp struct{ m *Model }

// frameKeys are the frame's keys: always, those the footer never cuts (the
// tab key, which is alt+1–7 on every screen so that a clerk learns one key,
// and ? where it is not typed), and the rest. The bare digits switch tabs
// too where nothing is typed; the full help says so.
func (f frameHelp) frameKeys() (always, rest []key.Binding) {
	m := f.m
	k := m.keys
	if !m.loggedIn {
		return nil, []key.Binding{k.Quit}
	}
	tabs := len(m.visible) != 1
	if p := m.pages[m.active]; p != nil && p.Typing() {
		if tabs {
			always = []key.Binding{k.AltTabs[0]}
		}
		if common.HelpKey(p) {
			return append(always, k.Help), []key.Binding{k.Logout, k.Quit}
		}
		// f1 first of what gives way: where the page's own keys leave
		// room it says how to reach the keys the footer has no room for.
		return always, []key.Binding{k.HelpF1, k.Logout, k.Quit}
	}
	if tabs {
		always = []key.Binding{k.AltTabs[0]}
	}
	always = append(always, k.Help)
	rest = []key.Binding{k.Sync, k.Logout, k.Quit}
	if tabs && m.help.ShowAll {
		rest = append([]key.Binding{k.Tabs[0]}, rest...)
	}
	return always, rest
}

func (f frameHelp) pageShort() []key.Binding {
	if p := f.m.pages[f.m.active]; f.m.loggedIn && p != nil {
		return p.ShortHelp()
	} else if f.m.login != nil {
		return f.m.login.ShortHelp()
	}
	return nil
}

func (f frameHelp) pageFull() [][]key.Binding {
	if p := f.m.pages[f.m.active]; f.m.loggedIn && p != nil {
		return append([][]key.Binding(nil), p.FullHelp()...)
	}
	if f.m.login != nil {
		return f.m.login.FullHelp()
	}
	return nil
}
