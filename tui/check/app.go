package check

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
	"thonghanh/tui/login"
)

// AppOptions are what `thonghanh check` hands the checkpoint program.
type AppOptions struct {
	Ctx  context.Context
	DB   *store.DB
	Lang i18n.Lang
	// Checkpoint, when non-zero, is stored as this desk's checkpoint once an
	// officer has logged in (the change is audited under their name).
	Checkpoint uint32
	// DemoPassword: see tui.Options.
	DemoPassword string
}

// App is the Kiểm tra screen alone, for a checkpoint PC that does nothing
// else: a title line, the desk's login (tui/login), then the page, and the
// help line. Unlike the desk's frame it has no tabs: a checkpoint officer
// needs none, and every key but ctrl+c and ctrl+l belongs to the scanner.
type App struct {
	opt    AppOptions
	styles *common.Styles
	keys   *common.KeyMap
	help   help.Model

	width, height int
	desk          store.Desk
	units         *store.UnitIndex

	login   *login.Model
	page    *Model
	officer store.Officer
	notice  string
	now     time.Time
}

// Smallest terminal the program draws in.
const (
	appMinWidth  = 60
	appMinHeight = 16
)

// NewApp opens the program on a desk database: it must hold a desk (seeded
// or enrolled), whose label the title shows and whose login is used.
func NewApp(opt AppOptions) (*App, error) {
	if opt.Ctx == nil {
		opt.Ctx = context.Background()
	}
	if opt.Lang == "" {
		opt.Lang = i18n.Vi
	}
	desk, err := opt.DB.Desk(opt.Ctx)
	if err != nil {
		return nil, err
	}
	units, err := opt.DB.Units(opt.Ctx)
	if err != nil {
		return nil, err
	}
	a := &App{opt: opt, styles: common.NewStyles(true), keys: common.NewKeyMap(opt.Lang), help: help.New(),
		width: 80, height: 24, desk: desk, units: units, now: opt.DB.Now()}
	a.help.Styles = a.styles.Help
	a.login = login.New(a.common(), desk, login.DemoPassword(opt.DemoPassword))
	a.layout()
	return a, nil
}

func (a *App) common() common.Common {
	w, h := a.pageSize()
	return common.Common{Ctx: a.opt.Ctx, Lang: a.opt.Lang, Styles: a.styles, Keys: a.keys, Width: w, Height: h,
		DB: a.opt.DB, Units: a.units, Desk: a.desk, Officer: a.officer, Tab: common.TabCheck}
}

type clockMsg time.Time

func (a *App) tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return clockMsg(t) })
}

// Init asks for the background colour and starts the clock and the login.
func (a *App) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, a.tick(), a.login.Init())
}

// Update routes messages: ForPage results to the page, keys to the login
// or the page.
func (a *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.width, a.height = msg.Width, msg.Height
		a.layout()
		return a, nil
	case tea.BackgroundColorMsg:
		*a.styles = *common.NewStyles(msg.IsDark())
		a.help.Styles = a.styles.Help
		// and on to the login or the page, whose inputs restyle too
	case clockMsg:
		a.now = a.opt.DB.Now()
		return a, a.tick()
	case common.ForPage:
		if a.page == nil {
			return a, nil
		}
		_, cmd := a.page.Update(msg.Msg)
		return a, cmd
	case common.StatusMsg:
		a.notice = msg.Text
		return a, nil
	case login.DoneMsg:
		return a, a.start(msg)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, a.keys.Quit):
			return a, tea.Quit
		case a.page != nil && key.Matches(msg, a.keys.Logout):
			a.page, a.officer = nil, store.Officer{}
			a.login = login.New(a.common(), a.desk, login.DemoPassword(a.opt.DemoPassword))
			a.layout()
			return a, a.login.Init()
		}
	}
	if a.page != nil {
		_, cmd := a.page.Update(msg)
		return a, cmd
	}
	if a.login != nil {
		p, cmd := a.login.Update(msg)
		a.login = p.(*login.Model)
		return a, cmd
	}
	return a, nil
}

// start opens the page for an officer who may scan; anyone else is sent
// back to the login with the reason (the store would refuse their scans).
func (a *App) start(done login.DoneMsg) tea.Cmd {
	o := done.Officer
	if store.MayScan(o) != nil {
		a.notice = a.opt.Lang.Tf("check.app.forbidden", o.Username)
		a.login = login.New(a.common(), a.desk, login.DemoPassword(a.opt.DemoPassword))
		a.layout()
		return a.login.Init()
	}
	a.officer, a.notice, a.login = o, "", nil
	a.page = newModel(a.common())
	a.page.setCheckpoint = a.opt.Checkpoint
	a.layout()
	return a.page.Init()
}

// Counts are the verdicts since the program started, for the summary printed on exit.
func (a *App) Counts() map[seal.Verdict]int {
	if a.page == nil {
		return nil
	}
	return a.page.Counts()
}

func (a *App) layout() {
	a.help.SetWidth(a.width)
	w, h := a.pageSize()
	if a.login != nil {
		a.login.SetSize(w, h)
	}
	if a.page != nil {
		a.page.SetSize(w, h)
	}
}

// pageSize leaves a title line, a notice line and the help line.
func (a *App) pageSize() (int, int) { return a.width, max(a.height-3, 1) }

// View draws the title, the login or the page, a notice and the keys.
func (a *App) View() tea.View {
	v := tea.NewView(a.render())
	v.AltScreen = true
	v.WindowTitle = a.opt.Lang.T("check.app.title")
	return v
}

func (a *App) render() string {
	if a.width < appMinWidth || a.height < appMinHeight {
		return a.opt.Lang.Tf("check.app.toosmall", appMinWidth, appMinHeight)
	}
	s := a.styles
	w, h := a.pageSize()
	left := " ◆ " + a.opt.Lang.T("check.app.title") + " · " + a.desk.Label
	if a.officer.ID != "" {
		left += " · " + a.officer.FullName
	}
	right := store.FormatDateTime(a.now) + " "
	title := left
	if pad := w - ansi.StringWidth(left) - ansi.StringWidth(right); pad > 0 {
		title = left + strings.Repeat(" ", pad) + right
	}
	var body string
	var helpKeys []key.Binding
	if a.page != nil {
		body = a.page.View()
		helpKeys = a.page.ShortHelp()
		helpKeys = append(helpKeys, a.keys.Logout, a.keys.Quit)
	} else {
		body = a.login.View()
		helpKeys = append(a.login.ShortHelp(), a.keys.Quit)
	}
	var b strings.Builder
	b.WriteString(s.HeaderBar.Render(ansi.Truncate(title, w, "…")))
	b.WriteByte('\n')
	b.WriteString(common.FitLines(body, w, h))
	b.WriteByte('\n')
	b.WriteString(s.Warn.Render(ansi.Truncate(a.notice, w, "…")))
	b.WriteByte('\n')
	b.WriteString(a.help.ShortHelpView(helpKeys))
	return b.String()
}

// Summary is one line about a session's scans, for the terminal after the
// program ends: "12 lượt quét: 10 hợp lệ, 2 không hợp lệ".
func Summary(lang i18n.Lang, counts map[seal.Verdict]int) string {
	total, valid := 0, counts[seal.Valid]
	for _, n := range counts {
		total += n
	}
	if lang == i18n.En {
		return fmt.Sprintf("%d scans: %d valid, %d not valid", total, valid, total-valid)
	}
	return fmt.Sprintf("%d lượt quét: %d hợp lệ, %d không hợp lệ", total, valid, total-valid)
}
