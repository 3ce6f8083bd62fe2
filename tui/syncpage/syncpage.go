// Package syncpage is the desk's Đồng bộ (sync) tab: whether the desk is
// talking to the province's central server, how many changes still wait to
// go, when the last round succeeded, what went wrong last, the progress of a
// running round, the changes the centre refused, with its reasons, and the
// open conflicts the centre found between this desk and another about a
// person or a permit (resolved at the person's next intake).
//
// It reads the sync state through common.Syncer and the outbox through the
// store; it starts rounds with SyncNow and never talks HTTP itself.
package syncpage

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
)

func init() {
	i18n.Register(map[string]i18n.Text{
		"sync.title":       {Vi: "Đồng bộ với máy chủ tỉnh", En: "Sync with the province server"},
		"sync.server":      {Vi: "Máy chủ", En: "Server"},
		"sync.noserver":    {Vi: "chưa đăng ký (thonghanh enroll URL MÃ)", En: "not enrolled (thonghanh enroll URL CODE)"},
		"sync.state":       {Vi: "Trạng thái", En: "State"},
		"sync.online":      {Vi: "trực tuyến", En: "online"},
		"sync.offline":     {Vi: "ngoại tuyến — vẫn làm việc bình thường, dữ liệu chờ gửi sau", En: "offline — work goes on, changes wait to be sent"},
		"sync.running":     {Vi: "đang đồng bộ…", En: "syncing…"},
		"sync.pending":     {Vi: "Chờ gửi", En: "Waiting to send"},
		"sync.counts":      {Vi: "%d thay đổi (đã gửi %d, bị từ chối %d)", En: "%d changes (sent %d, refused %d)"},
		"sync.received":    {Vi: "Đã nhận", En: "Received"},
		"sync.receivedn":   {Vi: "%d thay đổi từ máy chủ (hồ sơ, thu hồi, cán bộ, quét)", En: "%d changes from the server"},
		"sync.conflicts":   {Vi: "Xung đột chưa xong", En: "Open conflicts"},
		"sync.conflictsn":  {Vi: "%d (xem danh sách dưới)", En: "%d (listed below)"},
		"sync.lastok":      {Vi: "Lần thành công gần nhất", En: "Last success"},
		"sync.never":       {Vi: "chưa lần nào", En: "never"},
		"sync.lasterror":   {Vi: "Lỗi gần nhất", En: "Last error"},
		"sync.none":        {Vi: "không có", En: "none"},
		"sync.op.rejected": {Vi: "bị từ chối", En: "refused"},
		"sync.op.conflict": {Vi: "xung đột", En: "conflict"},
		"sync.problems":    {Vi: "Thay đổi máy chủ không nhận", En: "Changes the server refused"},
		"sync.key.refresh": {Vi: "làm mới", En: "refresh"},
		"sync.cf.title":    {Vi: "Xung đột giữa các máy (%d đang mở)", En: "Conflicts between desks (%d open)"},
		"sync.cf.person": {Vi: "%s — máy chủ giữ “%s” (đơn vị %d)\n      đơn vị %d gửi “%s”",
			En: "%s — the centre holds “%s” (unit %d)\n      unit %d sent “%s”"},
		"sync.cf.permit":    {Vi: "%s: hai giấy cùng loại trùng ngày, %s và %s", En: "%s: two permits of one category overlap, %s and %s"},
		"sync.cf.resolving": {Vi: " — đã chọn, chờ gửi", En: " — chosen, waiting to be sent"},
		"sync.cf.hint":      {Vi: "Mở hồ sơ tiếp nhận của người đó để chọn bản đúng.", En: "Open the person's intake to choose the right version."},
	})
}

// maxConflictsShown is how many conflicts the page lists; the count says
// how many more there are.
const maxConflictsShown = 5

// refreshEvery is how often the page re-reads the state while shown.
const refreshEvery = time.Second

// keys are the page's own; `s` (sync now) is the frame's, on every tab.
type keys struct{ Refresh key.Binding }

// Page is the Đồng bộ tab.
type Page struct {
	c        common.Common
	keys     keys
	bar      progress.Model
	state    common.SyncState
	counts   map[string]int
	received int64
	problems []store.OutboxOp
	conflict []store.Conflict
	server   string
	err      error
	gen      int // ticks of an older activation stop themselves
}

// New builds the page.
func New(c common.Common) common.Page {
	p := &Page{c: c, keys: keys{
		Refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", c.T("sync.key.refresh"))),
	}}
	p.bar = progress.New(progress.WithColors(c.Styles.ProgressFull), progress.WithFillCharacters('█', '░'))
	p.SetSize(c.Width, c.Height)
	return p
}

type loadedMsg struct {
	state    common.SyncState
	counts   map[string]int
	received int64
	problems []store.OutboxOp
	conflict []store.Conflict
	server   string
	err      error
}

type tickMsg struct{ gen int }

// load reads the sync state and the outbox in the background.
func (p *Page) load() tea.Cmd {
	c := p.c
	return c.Run(func() tea.Msg {
		var m loadedMsg
		if c.Syncer != nil {
			m.state = c.Syncer.SyncState()
		}
		if m.counts, m.err = c.DB.OutboxCounts(c.Ctx); m.err != nil {
			return m
		}
		if c.Syncer == nil {
			m.state.Pending = m.counts[store.OpPending] + m.counts[store.OpInFlight]
		}
		if m.received, m.err = c.DB.SyncReceived(c.Ctx); m.err != nil {
			return m
		}
		if url, ok, _ := c.DB.Setting(c.Ctx, store.SettingSyncURL); ok {
			m.server = string(url)
		}
		if m.problems, m.err = c.DB.OutboxProblems(c.Ctx, 5); m.err != nil {
			return m
		}
		m.conflict, m.err = c.DB.OpenConflicts(c.Ctx)
		return m
	})
}

func (p *Page) tick() tea.Cmd {
	gen := p.gen
	return tea.Tick(refreshEvery, func(time.Time) tea.Msg { return p.c.Own(tickMsg{gen}) })
}

// Init loads the state once.
func (p *Page) Init() tea.Cmd { return p.load() }

// Activate reloads and starts refreshing while the page is shown.
func (p *Page) Activate() tea.Cmd {
	p.gen++
	return tea.Batch(p.load(), p.tick())
}

// Deactivate stops the refresh when another tab is shown: the header keeps
// its own, lighter poll.
func (p *Page) Deactivate() { p.gen++ }

// Update handles keys and background results.
func (p *Page) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		p.state, p.counts, p.received, p.problems, p.conflict, p.server, p.err = msg.state, msg.counts, msg.received, msg.problems, msg.conflict, msg.server, msg.err
		return p, nil
	case tickMsg:
		if msg.gen != p.gen {
			return p, nil
		}
		return p, tea.Batch(p.load(), p.tick())
	case tea.KeyPressMsg:
		if key.Matches(msg, p.keys.Refresh) {
			return p, p.load()
		}
	}
	return p, nil
}

// SetSize fits the page and its progress bar.
func (p *Page) SetSize(w, h int) {
	p.c.Width, p.c.Height = w, h
	p.bar.SetWidth(max(10, min(w-4, 60)))
}

// Typing is false: the page has no text input.
func (p *Page) Typing() bool { return false }

// ShortHelp is the footer's key list.
func (p *Page) ShortHelp() []key.Binding { return []key.Binding{p.keys.Refresh} }

// FullHelp is the same keys.
func (p *Page) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// View renders the state, fitting the page's width.
func (p *Page) View() string {
	s := p.c.Styles
	var b strings.Builder
	b.WriteString(s.Title.Render(p.c.T("sync.title")) + "\n\n")
	line := func(label, value string) {
		b.WriteString(s.Label.Render(fmt.Sprintf("%-24s", label+":")) + " " + value + "\n")
	}
	server := p.server
	if server == "" {
		server = s.Dim.Render(p.c.T("sync.noserver"))
	}
	line(p.c.T("sync.server"), server)
	state := s.Warn.Render(p.c.T("sync.offline"))
	if p.state.Online {
		state = s.OK.Render(p.c.T("sync.online"))
	}
	if p.state.Running {
		state += " — " + s.Info.Render(p.c.T("sync.running"))
	}
	line(p.c.T("sync.state"), state)
	line(p.c.T("sync.pending"), s.Accent.Render(p.c.Tf("sync.counts", p.state.Pending, p.counts[store.OpDone],
		p.counts[store.OpRejected])))
	line(p.c.T("sync.received"), p.c.Tf("sync.receivedn", p.received))
	conflicts := s.Dim.Render(p.c.T("sync.none"))
	if n := p.counts[store.OpConflict] + len(p.conflict); n > 0 {
		conflicts = s.Warn.Render(p.c.Tf("sync.conflictsn", n))
	}
	line(p.c.T("sync.conflicts"), conflicts)
	last := s.Dim.Render(p.c.T("sync.never"))
	if !p.state.LastSuccess.IsZero() {
		last = store.FormatDateTime(p.state.LastSuccess)
	}
	line(p.c.T("sync.lastok"), last)
	errText := s.Dim.Render(p.c.T("sync.none"))
	switch {
	case p.state.Busy: // the centre's "come back later": a wait, not a fault
		errText = s.Warn.Render(common.Truncate(p.state.LastError, p.c.Width-27))
	case p.state.LastError != "":
		errText = s.Error.Render(common.Truncate(p.state.LastError, p.c.Width-27))
	}
	if p.err != nil {
		errText = s.Error.Render(common.Truncate(p.c.ErrorText(p.err), p.c.Width-27))
	}
	line(p.c.T("sync.lasterror"), errText)
	if p.state.Running && p.state.Total > 0 {
		b.WriteString("\n" + p.bar.ViewAs(float64(p.state.Done)/float64(p.state.Total)) +
			fmt.Sprintf(" %d/%d\n", p.state.Done, p.state.Total))
	}
	if len(p.problems) > 0 {
		b.WriteString("\n" + s.Bold.Render(p.c.T("sync.problems")) + "\n")
		for _, o := range p.problems {
			b.WriteString(common.Truncate(fmt.Sprintf("  %s %s %s: %s", p.c.T("sync.op."+o.State), o.Entity, o.EntityID, o.LastError), p.c.Width) + "\n")
		}
	}
	if len(p.conflict) > 0 {
		b.WriteString("\n" + s.Bold.Render(p.c.Tf("sync.cf.title", len(p.conflict))) + "\n")
		for i, cf := range p.conflict {
			if i == maxConflictsShown {
				b.WriteString(s.Dim.Render(fmt.Sprintf("  … +%d", len(p.conflict)-i)) + "\n")
				break
			}
			var text string
			if cf.Kind == "permit" {
				text = p.c.Tf("sync.cf.permit", cf.IDNumber, cf.HeldSerial, cf.PushedSerial)
			} else {
				held, pushed := "", ""
				if cf.Held != nil {
					held = cf.Held.FullName
				}
				if cf.Pushed != nil {
					pushed = cf.Pushed.FullName
				}
				text = p.c.Tf("sync.cf.person", cf.IDNumber, held, cf.HeldUnit, cf.PushedUnit, pushed)
			}
			if cf.Status == store.ConflictResolving {
				text += p.c.T("sync.cf.resolving")
			}
			for _, l := range strings.Split("  "+text, "\n") {
				b.WriteString(s.Warn.Render(common.Truncate(l, p.c.Width)) + "\n")
			}
		}
		b.WriteString(s.Dim.Render(common.Truncate(p.c.T("sync.cf.hint"), p.c.Width)) + "\n")
	}
	return b.String()
}
