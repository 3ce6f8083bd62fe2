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
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

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
}

type outcome struct {
	res store.ScanResult
	err error
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
	s, ctx, officer := m.scanner, m.ctx(), m.c.Officer
	m.busy++
	return m.c.Run(func() tea.Msg {
		res, err := s.Scan(ctx, officer, text)
		return scannedMsg{res: res, err: err}
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
// must not switch tabs. Only alt+1…6 leave the page.
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

// View draws the page: status line, banner, notes, the holder's fields and
// the history, cut to the page's height from the bottom.
func (m *Model) View() string {
	w, h := max(m.c.Width, 20), max(m.c.Height, 1)
	var lines []string
	lines = append(lines, m.statusLine(w))
	if m.picker != nil {
		lines = append(lines, m.pickerView(w)...)
	} else {
		lines = append(lines, m.banner(w)...)
		lines = append(lines, m.notes(w)...)
		lines = append(lines, m.fields(w)...)
		lines = append(lines, m.historyView(w, h-len(lines))...)
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	return strings.Join(lines, "\n")
}

func (m *Model) statusLine(w int) string {
	s := m.c.Styles
	var parts []string
	switch cp := m.checkpoint(); {
	case m.scanner == nil && m.loading:
		parts = append(parts, s.Info.Render(m.c.T("check.loading")))
	case m.scanner == nil:
		parts = append(parts, s.Error.Render(m.c.T("check.notrust")))
	case cp == 0:
		parts = append(parts, s.Warn.Render("⚠ "+m.c.T("check.nocheckpoint")))
	default:
		parts = append(parts, s.Label.Render(m.c.T("check.checkpoint")+": ")+s.Bold.Render(m.unitLabel(cp)))
	}
	if m.scanner != nil {
		_, _, _, revoked := m.scanner.Lists()
		parts = append(parts, s.Dim.Render(m.c.Tf("check.revoked", m.c.Lang.Int(revoked))))
	}
	if err := store.MayScan(m.c.Officer); err != nil {
		parts = append(parts, s.Error.Render(m.c.T("check.noright")))
	}
	switch {
	case m.busy > 0:
		parts = append(parts, s.Info.Render(m.c.T("check.busy")))
	case len(m.buf) > 0 || m.overflow:
		parts = append(parts, s.Accent.Render(m.c.Tf("check.receiving", len(m.buf))))
	}
	return ansi.Truncate(strings.Join(parts, s.Dim.Render(" · ")), w, "…")
}

func (m *Model) checkpoint() uint32 {
	if m.scanner == nil {
		return 0
	}
	return m.scanner.Checkpoint()
}

// banner is a full-width coloured band, four lines high, with the verdict
// in spaced capitals and the reason under it: green for VALID, red for
// everything else, the frame's accent before any scan.
func (m *Model) banner(w int) []string {
	s := m.c.Styles
	white := lipgloss.Color("#FFFFFF")
	var bg = s.Accent.GetForeground()
	var title, reason string
	switch {
	case m.last == nil:
		title, reason = m.c.T("check.ready"), m.c.T("check.ready.hint")
		if m.scanner == nil && !m.loading {
			bg = s.Error.GetForeground()
			title, reason = m.c.T("check.notrust.title"), m.c.ErrorText(m.loadErr)
		}
	case m.last.err != nil && m.last.res.Event.ID == "":
		bg = s.Error.GetForeground()
		title, reason = m.c.T("check.error"), m.c.ErrorText(m.last.err)
	default:
		v := m.last.res.Verdict
		bg = s.Error.GetForeground()
		if v == seal.Valid && m.last.err == nil {
			bg = s.OK.GetForeground()
		}
		title = m.c.VerdictName(v)
		reason = v.Text(string(m.c.Lang))
		if m.last.err != nil {
			title = m.c.T("check.error")
			reason = m.c.ErrorText(m.last.err)
		}
	}
	band := lipgloss.NewStyle().Background(bg).Foreground(white).Width(w).Align(lipgloss.Center)
	big := band.Bold(true)
	t := spaced(strings.ToUpper(title))
	if ansi.StringWidth(t) > w-2 {
		t = strings.ToUpper(title)
	}
	mark := "✔ "
	if m.last == nil {
		mark = ""
	} else if m.last.err != nil || m.last.res.Verdict != seal.Valid {
		mark = "✘ "
	}
	return []string{
		band.Render(""),
		big.Render(ansi.Truncate(mark+t, w, "…")),
		band.Render(ansi.Truncate(reason, w-2, "…")),
		band.Render(""),
	}
}

// spaced puts a space between letters and three between words: capitals
// so spread read from further away.
func spaced(s string) string {
	words := strings.Fields(s)
	for i, wd := range words {
		words[i] = strings.Join(strings.Split(wd, ""), " ")
	}
	return strings.Join(words, "   ")
}

// notes is the line under the banner: what was repaired, why the text is
// unreadable, or that the fields below are unverified.
func (m *Model) notes(w int) []string {
	s := m.c.Styles
	lang := string(m.c.Lang)
	var out []string
	if m.notice != "" {
		out = append(out, s.Info.Render(m.notice))
	}
	if m.last == nil {
		return append(out, "")
	}
	r := m.last.res
	switch {
	case r.Input.Problem != store.ProblemNone && r.Verdict == seal.Malformed:
		out = append(out, s.Error.Render("✘ "+r.Input.Problem.Text(lang)))
	case r.Signer == nil && (r.Payload.Serial != "" || r.Payload.Name != ""):
		out = append(out, s.Error.Render("⚠ "+m.c.T("check.unverified")))
	case r.Input.Fixes != 0:
		out = append(out, s.Dim.Render("ℹ "+r.Input.Fixes.Text(lang)))
	}
	if len(out) == 0 {
		out = append(out, "")
	}
	return out
}

// fields are what the officer compares with the ID card, seven lines; the
// long ones (category, purpose, area, route, validity) get a line each so
// 80 columns cut none of them.
func (m *Model) fields(w int) []string {
	s := m.c.Styles
	lang := string(m.c.Lang)
	var p seal.Payload
	if m.last != nil {
		p = m.last.res.Payload
	}
	label := func(k string) string { return s.Label.Render(padRight(m.c.T(k), 11)) }
	dash := func(v string) string {
		if v == "" {
			return s.Dim.Render("—")
		}
		return v
	}
	half := w / 2
	pair := func(k1, v1, k2, v2 string) string {
		left := ansi.Truncate(label(k1)+v1, half-1, "…")
		return padRight(left, half) + label(k2) + v2
	}
	var category, purpose, area, validity, hours, issuer string
	if p.Category != 0 {
		category = seal.CategoryText(p.Category, lang)
	}
	switch {
	case p.Kind == seal.KindVoucher:
		purpose = seal.PurposeText(seal.PurposeMarket, lang) + " · " + m.c.T("check.household") + " " + p.Household
	case p.Purpose != 0:
		purpose = seal.PurposeText(p.Purpose, lang)
	}
	if p.Vehicle != "" {
		purpose += " · " + m.c.T("check.vehicle") + " " + p.Vehicle
	}
	names := make([]string, len(p.Area))
	for i, a := range p.Area {
		names[i] = fmt.Sprint(a)
		if m.c.Units != nil {
			names[i] = m.c.Units.Name(a)
		}
	}
	area = strings.Join(names, ", ")
	if !p.ValidFrom.IsZero() {
		validity = store.FormatDateTime(p.ValidFrom) + " – " + store.FormatDateTime(p.ValidUntil)
	}
	switch {
	case p.HasHours:
		hours = store.FormatMinutes(p.HoursFrom) + "–" + store.FormatMinutes(p.HoursTo)
	case p.Kind == seal.KindPermit:
		hours = m.c.T("check.allday") // a voucher's slot is its validity: no hours line of its own
	}
	if p.Unit != 0 {
		issuer = m.c.UnitName(p.Unit)
		if issuer == "" {
			issuer = fmt.Sprint(p.Unit)
		}
	}
	bold := func(v string) string {
		if v == "" || v == s.Dim.Render("—") {
			return v
		}
		return s.Bold.Render(v)
	}
	name := dash(p.Name)
	if p.Name != "" {
		name = s.Bold.Render(strings.ToUpper(p.Name))
	}
	route := p.Route
	routeKey := "check.field.route"
	if p.Kind == seal.KindVoucher {
		routeKey = "check.field.market"
	}
	return []string{
		pair("check.field.name", name, "check.field.id", bold(dash(p.IDNumber))),
		label("check.field.category") + dash(category),
		label("check.field.purpose") + dash(purpose),
		label("check.field.area") + dash(area),
		label(routeKey) + dash(route),
		label("check.field.validity") + dash(validity) + "   " + s.Label.Render(m.c.T("check.field.hours")+": ") + dash(hours),
		pair("check.field.issuer", dash(issuer), "check.field.serial", dash(p.Serial)),
	}
}

// historyView lists the last scans that fit: time, serial, verdict.
func (m *Model) historyView(w, rows int) []string {
	if rows < 2 || len(m.history) == 0 {
		return nil
	}
	s := m.c.Styles
	out := []string{s.TableHeader.Render(m.c.T("check.history"))}
	for _, e := range m.history {
		if len(out) >= rows {
			break
		}
		st := s.Error
		mark := "✘"
		if e.Verdict == seal.Valid {
			st, mark = s.OK, "✔"
		}
		serial := e.Serial
		if serial == "" {
			serial = "—"
		}
		line := s.Dim.Render(store.InVietnam(e.Time()).Format("15:04:05")) + "  " + padRight(serial, 21) + " " +
			st.Render(mark+" "+m.c.VerdictName(e.Verdict))
		out = append(out, ansi.Truncate(line, w, "…"))
	}
	return out
}

func (m *Model) pickerView(w int) []string {
	s := m.c.Styles
	p := m.picker
	out := []string{
		"",
		s.Title.Render(m.c.T("check.picker.title")),
		s.Dim.Render(m.c.T("check.picker.hint")),
		"",
		p.input.View(),
		"",
	}
	if len(p.matches) == 0 {
		out = append(out, s.Dim.Render(m.c.T("check.picker.none")))
	}
	for i, u := range p.matches {
		line := fmt.Sprintf("%s (%d)", u.Name, u.Code)
		if d := m.c.Units.District(u.Code); d != 0 && d != u.Code { // pickers open only with Units set
			line += s.Dim.Render(" · " + m.c.Units.Name(d))
		}
		if i == p.cursor {
			line = s.Cursor.Render("› " + line)
		} else {
			line = "  " + line
		}
		out = append(out, ansi.Truncate(line, w, "…"))
	}
	return out
}

func padRight(s string, n int) string {
	if w := ansi.StringWidth(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}
