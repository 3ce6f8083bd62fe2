// Package check is the Kiểm tra screen: the checkpoint officer's whole job.
// A USB or Bluetooth QR scanner types the code and Enter as keystrokes; the
// screen takes them at any moment, with no field to focus first, and answers
// with a verdict banner readable from a metre away, the reason in the
// officer's language, the fields to compare with the ID card, the terminal
// bell on anything but VALID, and the last scans below. It works with no
// network: everything it needs is on the desk.
//
// Its room is the screen. The verdict, the single use of vouchers, the
// roles and the scan log are store.Scanner's (and store/seal's): this
// package repeats none of those rules and writes nothing but through the
// store. It is a common.Page for the desk's Kiểm tra tab, which the frame in
// package tui wires both into the desk and, alone, into the program of a
// checkpoint PC that does nothing else (`thonghanh check`, tui.NewCheckpoint).
// It must not import the frame, another page or store/batchsync.
package check

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/tui/common"
)

// maxBuffer bounds what the screen keeps between two Enters: a scanner
// stuck sending, or a cat on the keyboard, must not grow memory. A longer
// input is still checked, as MALFORMED (too long).
const maxBuffer = 4 * seal.MaxTextLength

// historyLen is how many past scans the screen keeps.
const historyLen = 20

// refreshEvery is how often the held lists are compared with the stored
// ones: sync may store new lists at any time; the check costs milliseconds.
const refreshEvery = time.Minute

// Model is the Kiểm tra page.
type Model struct {
	c    common.Common
	keys keyMap

	scanner *store.Scanner
	loadErr error
	loading bool
	pending []string // codes entered before the scanner was ready

	buf      []byte // what the scanner typed since the last Enter
	overflow bool
	// afterSubmit: the last key ended a code. A scanner configured for
	// CR LF sends two line ends; the second must not count as an empty scan.
	afterSubmit bool
	busy        int // scans in flight

	last    *outcome
	history []store.ScanEvent // newest first
	counts  map[seal.Verdict]int

	picker *picker
	notice string // one line: the checkpoint was set, a reload failed…

	// setCheckpoint, when non-zero, is applied once the scanner is ready
	// (`thonghanh check --checkpoint`), as the logged-in officer.
	setCheckpoint uint32
	setMarket     string // likewise the market whose entrance this is
}

type outcome struct {
	res store.ScanResult
	err error
	// stale: the desk is offline or has not read the centre's feed for a
	// while, so a use at another entrance since syncedAt (zero: never)
	// may be missing here.
	stale    bool
	syncedAt time.Time
}

// staleAfter is how old the feed may be before a voucher's verdict warns
// that other entrances' uses may be missing: a scanning desk pulls every
// 10 seconds while online, so a minute means it is not getting through.
const staleAfter = time.Minute

// freshness says whether what the desk knows of other entrances may be
// stale, and since when it is known.
func freshness(c common.Common) (stale bool, since time.Time) {
	if c.Syncer == nil {
		since = c.DB.LastPulled(c.Ctx)
		return true, since
	}
	st := c.Syncer.SyncState()
	since = st.ListsAt
	return !st.Online || since.IsZero() || c.DB.Now().Sub(since) > staleAfter, since
}

type keyMap struct {
	Submit, Clear, Backspace, Checkpoint, Reload key.Binding
	PickUp, PickDown, PickChoose, PickCancel     key.Binding
}

func newKeyMap(c common.Common) keyMap {
	return keyMap{
		// A scanner ends a code with CR (enter), LF (ctrl+j) or Tab,
		// depending on its configuration: each one submits.
		Submit:     key.NewBinding(key.WithKeys("enter", "ctrl+j", "ctrl+m", "tab"), key.WithHelp("enter", c.T("check.key.submit"))),
		Clear:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("check.key.clear"))),
		Backspace:  key.NewBinding(key.WithKeys("backspace")),
		Checkpoint: key.NewBinding(key.WithKeys("f2", "ctrl+k"), key.WithHelp("F2", c.T("check.key.checkpoint"))),
		Reload:     key.NewBinding(key.WithKeys("f5", "ctrl+r"), key.WithHelp("F5", c.T("check.key.reload"))),
		PickUp:     key.NewBinding(key.WithKeys("up"), key.WithHelp("↑↓", c.T("check.key.pickmove"))),
		PickDown:   key.NewBinding(key.WithKeys("down")),
		PickChoose: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("check.key.pickchoose"))),
		PickCancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("key.cancel"))),
	}
}

// New builds the Kiểm tra page for the logged-in officer. The scanner (the
// trust material, 100,000 revocations and more) loads in the background;
// codes scanned meanwhile wait for it.
func New(c common.Common) common.Page {
	return newModel(c)
}

func newModel(c common.Common) *Model {
	return &Model{c: c, keys: newKeyMap(c), loading: true, counts: map[seal.Verdict]int{}}
}

// Messages of background work, addressed to this page (common.Run).
type (
	loadedMsg struct {
		scanner *store.Scanner
		history []store.ScanEvent
		err     error
	}
	scannedMsg      outcome
	refreshTickMsg  struct{}
	refreshedMsg    struct{ err error }
	checkpointedMsg struct {
		code uint32
		err  error
	}
	marketSetMsg struct {
		name string
		err  error
	}
)

// Init loads the scanner and starts the periodic refresh of the lists.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.load(), m.tick())
}

func (m *Model) load() tea.Cmd {
	db, ctx := m.c.DB, m.ctx()
	return m.c.Run(func() tea.Msg {
		s, err := db.NewScanner(ctx)
		if err != nil {
			return loadedMsg{err: err}
		}
		h, err := db.RecentScans(ctx, s.DeskID(), historyLen)
		return loadedMsg{scanner: s, history: h, err: err}
	})
}

func (m *Model) tick() tea.Cmd {
	own := m.c.Own
	return tea.Tick(refreshEvery, func(time.Time) tea.Msg { return own(refreshTickMsg{}) })
}

func (m *Model) ctx() context.Context {
	if m.c.Ctx == nil {
		return context.Background()
	}
	return m.c.Ctx
}

// Activate refreshes the lists when the officer comes back to the tab:
// another tab's revocation, or a sync, may have changed them.
func (m *Model) Activate() tea.Cmd { return m.refresh() }

func (m *Model) refresh() tea.Cmd {
	s, ctx := m.scanner, m.ctx()
	if s == nil {
		if !m.loading {
			m.loading = true
			return m.load()
		}
		return nil
	}
	return m.c.Run(func() tea.Msg { return refreshedMsg{err: s.Refresh(ctx)} })
}

// Update takes keystrokes and pastes at any time, and the results of the
// background work.
func (m *Model) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		m.loading = false
		m.scanner, m.loadErr = msg.scanner, msg.err
		if msg.history != nil {
			m.history = msg.history
		}
		var cmds []tea.Cmd
		if m.scanner != nil && m.setCheckpoint != 0 {
			cmds = append(cmds, m.applyCheckpoint(m.setCheckpoint))
			m.setCheckpoint = 0
		}
		if m.scanner != nil && m.setMarket != "" {
			cmds = append(cmds, m.applyMarket(m.setMarket))
			m.setMarket = ""
		}
		for _, text := range m.pending {
			cmds = append(cmds, m.scan(text))
		}
		m.pending = nil
		return m, tea.Batch(cmds...)
	case scannedMsg:
		m.busy = max(m.busy-1, 0)
		return m, m.show(outcome(msg))
	case refreshTickMsg:
		return m, tea.Batch(m.refresh(), m.tick())
	case refreshedMsg:
		if msg.err != nil {
			m.notice = m.c.T("check.reload.failed") + ": " + m.c.ErrorText(msg.err)
		}
		return m, nil
	case checkpointedMsg:
		if msg.err != nil {
			m.notice = m.c.T("check.checkpoint.failed") + ": " + m.c.ErrorText(msg.err)
		} else {
			m.notice = m.c.Tf("check.checkpoint.set", m.unitLabel(msg.code))
		}
		return m, nil
	case marketSetMsg:
		if msg.err != nil {
			m.notice = m.c.T("check.market.failed") + ": " + m.c.ErrorText(msg.err)
		} else {
			m.notice = m.c.Tf("check.market.set", msg.name)
		}
		return m, nil
	case tea.PasteMsg:
		if m.picker != nil {
			return m, m.picker.update(msg)
		}
		return m, m.typed(msg.Content)
	case tea.KeyPressMsg:
		if m.picker != nil {
			return m, m.pickerKey(msg)
		}
		return m, m.key(msg)
	}
	return m, nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, m.keys.Submit) {
		return m.submit()
	}
	m.afterSubmit = false
	switch {
	case key.Matches(msg, m.keys.Clear):
		if len(m.buf) == 0 {
			m.last, m.notice = nil, ""
		}
		m.buf, m.overflow = m.buf[:0], false
		return nil
	case key.Matches(msg, m.keys.Backspace):
		if n := len(m.buf); n > 0 {
			_, size := lastRune(m.buf)
			m.buf = m.buf[:n-size]
		}
		return nil
	case key.Matches(msg, m.keys.Checkpoint):
		m.openPicker()
		return m.picker.input.Focus()
	case key.Matches(msg, m.keys.Reload):
		m.notice = m.c.T("check.reload.started")
		return m.refresh()
	}
	if msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModSuper|tea.ModMeta|tea.ModHyper) == 0 {
		m.appendText(msg.Text)
	}
	return nil
}

// typed takes text from a paste: line ends submit, as a scanner's do.
func (m *Model) typed(s string) tea.Cmd {
	var cmds []tea.Cmd
	for {
		i := strings.IndexAny(s, "\r\n")
		if i < 0 {
			if s != "" {
				m.afterSubmit = false
				m.appendText(s)
			}
			return tea.Batch(cmds...)
		}
		if i > 0 {
			m.afterSubmit = false
			m.appendText(s[:i])
		}
		cmds = append(cmds, m.submit())
		s = s[i+1:]
	}
}

func (m *Model) appendText(s string) {
	if len(m.buf)+len(s) > maxBuffer {
		m.overflow = true
		return
	}
	m.buf = append(m.buf, s...)
}

// submit checks what was typed since the last Enter. An empty Enter right
// after another line end (a scanner's CR LF) does nothing; any other empty
// Enter is a scan of nothing, MALFORMED, as a scanner that sent only its
// suffix deserves.
func (m *Model) submit() tea.Cmd {
	empty := len(m.buf) == 0 && !m.overflow
	wasSubmit := m.afterSubmit
	m.afterSubmit = true
	if empty && wasSubmit {
		return nil
	}
	text := string(m.buf)
	if m.overflow {
		text = strings.Repeat("?", maxBuffer+1) // refused unread as too long
	}
	m.buf, m.overflow = m.buf[:0], false
	switch {
	case m.scanner != nil:
		return m.scan(text)
	case m.loading:
		m.pending = append(m.pending, text)
		return nil
	}
	// No trust material: say so as loudly as a failed check.
	m.last = &outcome{err: m.loadErr}
	return bell
}

func (m *Model) scan(text string) tea.Cmd {
	s, ctx, officer, c := m.scanner, m.ctx(), m.c.Officer, m.c
	c.Ctx = ctx
	m.busy++
	return m.c.Run(func() tea.Msg {
		res, err := s.Scan(ctx, officer, text)
		if err == nil {
			// A use must reach the other entrances before the household
			// walks to the next one: push it now, not at the next round.
			c.SyncSoon()
		}
		o := outcome{res: res, err: err}
		if res.Payload.Kind == seal.KindVoucher {
			o.stale, o.syncedAt = freshness(c)
		}
		return scannedMsg(o)
	})
}

// bell rings the terminal's bell: the raw BEL byte, which reaches the
// terminal even under the alt screen (tea.Printf would not print there).
var bell = tea.Raw("\a")

// show puts a result on the banner and in the history, and rings on
// anything but VALID, so the officer need not read the screen to stop a car.
func (m *Model) show(o outcome) tea.Cmd {
	m.last = &o
	m.notice = ""
	if o.err == nil {
		m.counts[o.res.Verdict]++
		m.history = append([]store.ScanEvent{o.res.Event}, m.history...)
		if len(m.history) > historyLen {
			m.history = m.history[:historyLen]
		}
	}
	if o.err != nil || o.res.Verdict != seal.Valid {
		return bell
	}
	return nil
}

func (m *Model) applyCheckpoint(code uint32) tea.Cmd {
	s, ctx, officer := m.scanner, m.ctx(), m.c.Officer
	return m.c.Run(func() tea.Msg {
		return checkpointedMsg{code: code, err: s.SetCheckpoint(ctx, officer, code)}
	})
}

func (m *Model) applyMarket(id string) tea.Cmd {
	s, ctx, officer := m.scanner, m.ctx(), m.c.Officer
	return m.c.Run(func() tea.Msg {
		err := s.SetMarket(ctx, officer, id)
		return marketSetMsg{name: s.Market().Name, err: err}
	})
}

// Verdict is the verdict on the banner ("" before any scan); tests read it.
func (m *Model) Verdict() seal.Verdict {
	if m.last == nil || m.last.err != nil {
		return ""
	}
	return m.last.res.Verdict
}

// Counts are the verdicts given since the page was built, for the end of a
// shift's summary.
func (m *Model) Counts() map[seal.Verdict]int { return m.counts }

// SetSize records the page's area.
func (m *Model) SetSize(w, h int) {
	m.c.Width, m.c.Height = w, h
	if m.picker != nil {
		m.picker.input.SetWidth(max(w-20, 10))
	}
}

// Typing is always true: a scanner may type at any moment, and its digits
// must not switch tabs. Only alt+1…7 leave the page.
func (m *Model) Typing() bool { return true }

// ShortHelp lists the page's keys.
func (m *Model) ShortHelp() []key.Binding {
	if m.picker != nil {
		return []key.Binding{m.keys.PickChoose, m.keys.PickUp, m.keys.PickCancel}
	}
	return []key.Binding{m.keys.Submit, m.keys.Clear, m.keys.Checkpoint, m.keys.Reload}
}

// FullHelp lists the page's keys.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

func (m *Model) unitLabel(code uint32) string {
	if m.c.Units == nil {
		return fmt.Sprint(code)
	}
	return fmt.Sprintf("%s (%d)", m.c.Units.Name(code), code)
}

func lastRune(b []byte) (rune, int) {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i]&0xC0 != 0x80 {
			return rune(b[i]), len(b) - i
		}
	}
	return 0, len(b)
}

// picker chooses the checkpoint's unit by a folded name search
// ("tan my chanh" finds Xã Tân Mỹ Chánh).
type picker struct {
	input   textinput.Model
	matches []store.Unit
	cursor  int
}

const pickerRows = 8

func (m *Model) openPicker() {
	in := textinput.New()
	in.Prompt = "› "
	in.Placeholder = m.c.T("check.picker.placeholder")
	in.CharLimit = 60
	st := in.Styles()
	st.Cursor.Blink = false // a steady cursor: nothing on a checkpoint screen moves but news
	in.SetStyles(st)
	in.SetWidth(max(m.c.Width-20, 10))
	m.picker = &picker{input: in}
	m.picker.search(m.c.Units)
}

func (p *picker) search(units *store.UnitIndex) {
	p.matches, p.cursor = nil, 0
	if units != nil {
		p.matches = units.Search(p.input.Value(), pickerRows)
	}
}

func (p *picker) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return cmd
}

func (m *Model) pickerKey(msg tea.KeyPressMsg) tea.Cmd {
	p := m.picker
	switch {
	case key.Matches(msg, m.keys.PickCancel):
		m.picker = nil
		return nil
	case key.Matches(msg, m.keys.PickUp):
		p.cursor = max(p.cursor-1, 0)
		return nil
	case key.Matches(msg, m.keys.PickDown):
		p.cursor = min(p.cursor+1, max(len(p.matches)-1, 0))
		return nil
	case key.Matches(msg, m.keys.PickChoose):
		if len(p.matches) == 0 {
			return nil
		}
		code := p.matches[p.cursor].Code
		m.picker = nil
		if m.scanner == nil {
			m.setCheckpoint = code
			return nil
		}
		return m.applyCheckpoint(code)
	}
	before := p.input.Value()
	cmd := p.update(msg)
	if p.input.Value() != before {
		p.search(m.c.Units)
	}
	return cmd
}
