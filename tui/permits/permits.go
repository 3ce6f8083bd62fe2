// Package permits is the issued-permits page (Giấy đã cấp): search the
// unit's permits, show one's QR in the terminal, revoke with a reason, and
// print the marked ones to PDF with a progress bar.
//
// Its room is the screen. Revocation rules (approver only, own unit, a
// reason) are the store's (db.Revoke); the PDF and the print's audit entry
// are tui/paper's; the terminal QR is print.TerminalQR's. This package only
// lists, asks and shows.
package permits

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"thonghanh/print"
	"thonghanh/store"
	"thonghanh/tui/common"
	"thonghanh/tui/components/table"
	"thonghanh/tui/paper"
)

// searchDelay debounces the search box: the store is asked once the clerk
// pauses typing.
const searchDelay = 150 * time.Millisecond

// printPermits is the one call into tui/paper, kept in a variable so the
// page compiles against one signature and tests can watch it.
var printPermits = func(ctx context.Context, db *store.DB, officer store.Officer, serials []string, dir string, progress print.Progress) (string, error) {
	return paper.PrintPermits(ctx, db, officer, serials, paper.Dest{Dir: dir}, print.LayoutA4Half, progress)
}

// modeQR shows the cursor permit's QR full screen.
const modeQR = table.ModeOwn

// Model is the permits page.
type Model struct {
	c    common.Common
	keys keyMap

	tbl          table.Table[store.Permit] // marks by serial
	table.Inputs                           // the filter is sent to the store, which searches; the reason is a revocation's
	loading      bool
	loaded       bool
	loadErr      error

	qr      qrView
	history *historyMsg // the full view's permit's request, prints and scans, once read

	job       *printJob
	lastPath  string
	lastCount int
}

type qrView struct {
	permit store.Permit
	art    string
	width  int
	height int
	err    error
}

// printJob is a PDF being written in the background; its progress and its
// end arrive through events.
type printJob struct {
	events chan tea.Msg
	done   int
	total  int
	cancel context.CancelFunc
}

type (
	loadedMsg struct {
		query   string
		permits []store.Permit
		err     error
	}
	printProgress struct{ done, total int }
	printDone     struct {
		path  string
		count int
		err   error
	}
	revokedMsg struct {
		ok      int
		refused []string
	}
	historyMsg struct {
		serial string
		h      store.PermitHistory
		err    error
	}
)

// New builds the permits page.
func New(c common.Common) common.Page {
	m := &Model{c: c}
	m.tbl = table.New(func(p *store.Permit) string { return p.Serial })
	m.keys = newKeyMap(c)
	m.Inputs = table.NewInputs(c, c.T("permits.search.placeholder"), searchDelay)
	m.SetSize(c.Width, c.Height)
	return m
}

// Init loads the unit's permits.
func (m *Model) Init() tea.Cmd { return m.load() }

// Activate reloads: the queue may have issued permits since.
func (m *Model) Activate() tea.Cmd {
	if m.loading {
		return nil
	}
	return m.load()
}

func (m *Model) load() tea.Cmd {
	m.loading = true
	db, ctx, unit, q := m.c.DB, m.c.Ctx, m.c.Officer.Unit, m.Filter.Applied
	return m.c.Run(func() tea.Msg {
		ps, err := db.Permits(ctx, store.PermitFilter{Unit: unit, Received: true, Query: q})
		return loadedMsg{query: q, permits: ps, err: err}
	})
}

const (
	topRows    = 3
	bottomRows = 2
)

// SetSize lays the table out.
func (m *Model) SetSize(w, h int) {
	m.c.Width, m.c.Height = w, h
	m.tbl.SetHeight(max(h-topRows-bottomRows, 1))
	m.Filter.Input.SetWidth(max(w-30, 10))
	m.Reason.Input.SetWidth(max(min(w-8, 70), 10))
	m.Progress.SetWidth(max(min(w-30, 50), 10))
}

// Typing is true while the search or reason input has focus.
func (m *Model) Typing() bool { return m.Inputs.Typing() }

// FullScreen is true while a QR is shown: it needs every row there is.
func (m *Model) FullScreen() bool { return m.Mode == modeQR }

// Update handles keys and background results.
func (m *Model) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	if handled, apply, cmd := m.Inputs.Update(m.c, msg); handled {
		if apply {
			m.Filter.Applied = m.Filter.Value()
			return m, tea.Batch(cmd, m.load())
		}
		return m, cmd
	}
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.query != m.Filter.Applied {
			return m, nil // an older search answered late
		}
		m.loading, m.loaded, m.loadErr = false, true, msg.err
		if msg.err == nil {
			m.tbl.SetRows(msg.permits, nil)
		}
		return m, nil
	case printProgress:
		if m.job != nil {
			m.job.done, m.job.total = msg.done, msg.total
			return m, m.listen()
		}
		return m, nil
	case printDone:
		m.job = nil
		if msg.err != nil {
			return m, common.Status(common.StatusError, m.c.T("permits.print.failed")+": "+m.c.ErrorText(msg.err))
		}
		m.lastPath, m.lastCount = msg.path, msg.count
		m.tbl.Marks.Clear()
		return m, m.load() // the line under the table names the file
	case historyMsg:
		if p, ok := m.cursor(); ok && p.Serial == msg.serial {
			m.history = &msg
		}
		return m, nil
	case revokedMsg:
		kind, text := common.StatusOK, m.c.Tf("permits.revoke.done", m.c.Lang.Int(msg.ok))
		if len(msg.refused) > 0 {
			kind = common.StatusError
			text += " · " + strings.Join(msg.refused, "; ")
		}
		m.tbl.Marks.Clear()
		if msg.ok > 0 {
			m.c.SyncSoon() // checkpoints learn of a revocation through the centre
		}
		return m, tea.Batch(m.load(), common.Status(kind, text))
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if m.Mode == modeQR {
		if key.Matches(msg, k.Close) {
			m.Mode = table.ModeList
		}
		return nil
	}
	if handled, cmd := m.Overlay(k.Keys, msg, m.c.T("permits.reason.required")); handled {
		return cmd
	}
	// While the search has focus only the arrows get here: they move
	// through the results.
	if m.tbl.HandleKey(k.ListKeys, msg) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Back):
		if m.job != nil {
			m.job.cancel()
		}
		m.tbl.Marks.Clear()
	case key.Matches(msg, k.Filter):
		return m.Filter.Focus()
	case key.Matches(msg, k.QR):
		m.showQR()
	case key.Matches(msg, k.Open):
		return m.openDetail()
	case key.Matches(msg, k.Revoke):
		return m.askRevoke()
	case key.Matches(msg, k.Print):
		return m.startPrint()
	case key.Matches(msg, k.Reload):
		return m.load()
	}
	return nil
}

// openDetail shows the cursor's permit in full; its request, prints and
// scans are read in the background.
func (m *Model) openDetail() tea.Cmd {
	p, ok := m.cursor()
	if !ok {
		return nil
	}
	m.Mode, m.history = table.ModeDetail, nil
	db, ctx := m.c.DB, m.c.Ctx
	return m.c.Run(func() tea.Msg {
		h, err := db.PermitHistory(ctx, p)
		return historyMsg{serial: p.Serial, h: h, err: err}
	})
}

func (m *Model) cursor() (store.Permit, bool) {
	if p, ok := m.tbl.Cursor(); ok {
		return *p, true
	}
	return store.Permit{}, false
}

func (m *Model) cursorSerial() string { return m.tbl.CursorID() }

// LastPrint is the path of the PDF printed last ("" before any).
func (m *Model) LastPrint() string { return m.lastPath }

// CursorSerial is the serial under the cursor ("" when the list is empty).
func (m *Model) CursorSerial() string { return m.cursorSerial() }

// targetPermits are the marked permits in list order, or else the cursor's.
func (m *Model) targetPermits(cursorOnly bool) []store.Permit { return m.tbl.TargetsOf(cursorOnly) }

// scoped runs act once the clerk has said, when marked permits are not
// among those the search shows, whether it is for them or the cursor's.
func (m *Model) scoped(act func(cursorOnly bool) tea.Cmd) tea.Cmd {
	return m.Scoped(m.tbl.HiddenMarks(), len(m.tbl.Marks), act)
}

// showQR renders the cursor permit's QR; whether it fits is decided when
// drawing, against the terminal's size at that moment.
func (m *Model) showQR() {
	p, ok := m.cursor()
	if !ok {
		return
	}
	art, width, err := print.TerminalQR(p.QR)
	m.qr = qrView{permit: p, art: art, width: width, height: lipgloss.Height(art), err: err}
	m.Mode = modeQR
}

func (m *Model) askRevoke() tea.Cmd {
	if !m.c.Officer.Has(store.RoleApprover) {
		return common.Status(common.StatusWarn, m.c.T("permits.revoke.approver"))
	}
	return m.scoped(m.revokeFor)
}

func (m *Model) revokeFor(cursorOnly bool) tea.Cmd {
	var serials []string
	for _, p := range m.targetPermits(cursorOnly) {
		if p.RevokedAt.IsZero() {
			serials = append(serials, p.Serial)
		}
	}
	if len(serials) == 0 {
		return common.Status(common.StatusWarn, m.c.T("permits.revoke.none"))
	}
	m.Mode = table.ModeReason
	return m.Reason.OpenFor(serials, m.revoke)
}

func (m *Model) revoke(serials []string, reason string) tea.Cmd {
	db, ctx, officer, lang := m.c.DB, m.c.Ctx, m.c.Officer, m.c.Lang
	return m.c.Run(func() tea.Msg {
		var out revokedMsg
		for _, s := range serials {
			if err := db.Revoke(ctx, officer, s, reason); err != nil {
				out.refused = append(out.refused, s+": "+common.ErrorText(err, lang))
				continue
			}
			out.ok++
		}
		return out
	})
}

// startPrint writes the marked permits (or the cursor's) to one PDF in the
// background; revoked permits are left out.
func (m *Model) startPrint() tea.Cmd {
	if m.job != nil {
		return common.Status(common.StatusWarn, m.c.T("permits.print.busy"))
	}
	return m.scoped(m.printFor)
}

func (m *Model) printFor(cursorOnly bool) tea.Cmd {
	var serials []string
	revoked := 0
	for _, p := range m.targetPermits(cursorOnly) {
		if p.RevokedAt.IsZero() {
			serials = append(serials, p.Serial)
		} else {
			revoked++
		}
	}
	if len(serials) == 0 {
		return common.Status(common.StatusWarn, m.c.T("permits.print.none"))
	}
	ctx, cancel := context.WithCancel(m.c.Ctx)
	job := &printJob{events: make(chan tea.Msg, 64), total: len(serials), cancel: cancel}
	m.job = job
	db, officer, dir := m.c.DB, m.c.Officer, m.c.PrintDir
	go func() {
		defer cancel()
		path, err := printPermits(ctx, db, officer, serials, dir, func(done, total int) {
			select { // progress may be dropped, never blocks the printer
			case job.events <- printProgress{done, total}:
			default:
			}
		})
		job.events <- printDone{path: path, count: len(serials), err: err}
	}()
	cmds := []tea.Cmd{m.listen()}
	if revoked > 0 {
		cmds = append(cmds, common.Status(common.StatusWarn, m.c.Tf("permits.print.skiprevoked", m.c.Lang.Int(revoked))))
	}
	return tea.Batch(cmds...)
}

// listen waits for the print job's next event.
func (m *Model) listen() tea.Cmd {
	job := m.job
	if job == nil {
		return nil
	}
	return m.c.Run(func() tea.Msg { return <-job.events })
}

// ShortHelp lists the main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.Mode {
	case modeQR, table.ModeDetail:
		return []key.Binding{k.Close}
	case table.ModeReason:
		return []key.Binding{k.SubmitReason, k.CancelInput}
	case table.ModeScope:
		return table.ScopeKeys(m.c)
	}
	if m.Filter.Active {
		return []key.Binding{k.ApplyFilter, k.CancelInput}
	}
	if len(m.tbl.Marks) > 0 {
		return []key.Binding{k.Back, k.Print, k.Revoke, k.Filter, k.QR, k.Open}
	}
	return []key.Binding{k.Filter, k.Mark, k.QR, k.Print, k.Revoke, k.Open}
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return append(k.MoveHelp(), []key.Binding{k.Filter, k.Reload, k.Open}, []key.Binding{k.QR, k.Print, k.Revoke})
}

func (m *Model) status(p store.Permit) string { return m.c.PermitStatus(p) }

func formatValidity(p store.Permit) string {
	return fmt.Sprintf("%s–%s", p.ValidFrom.In(store.Vietnam).Format("02/01"), p.ValidUntil.In(store.Vietnam).Format("02/01"))
}
