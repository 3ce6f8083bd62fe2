// Package vouchers is the desk's Phiếu đi chợ tab: the commune picks one of
// its risk zones and the period's parameters (first day, number of days,
// trips per week, slot length, odd/even or spread), previews how its
// households' market trips fall into each market, day and slot, and an
// approver issues the sealed vouchers in one go; the clerk then prints them
// 8 per A4 sheet. The tab also imports the commune's household list (CSV or
// XLSX) and shows every bad row of a refused file.
//
// Its room is the screen and its keys. Every rule (who may import or issue,
// capacity, the seal, nothing written on error) is the store's: the page
// calls store.PlanVouchers, store.IssueVouchers and store.ImportHouseholds
// and shows what they answer. It prints through tui/paper, never draws a PDF,
// and it does not touch the frame (package tui) or another page.
package vouchers

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/progress"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/store/households"
	"thonghanh/store/slots"
	"thonghanh/tui/common"
	"thonghanh/tui/components/table"
	"thonghanh/tui/paper"
)

// mode is what the page is doing; keys mean different things in each.
type mode int

const (
	modeForm     mode = iota // choosing the zone and parameters, reading the preview
	modeEdit                 // typing a parameter's value
	modeConfirm              // asking before issuing
	modeImport               // typing the path of a household list
	modeProblems             // reading why a household list was refused
)

// field is one parameter of the split.
type field int

const (
	fieldZone field = iota
	fieldStart
	fieldDays
	fieldTrips
	fieldSlot
	fieldPattern
	numFields
)

// Bounds of what the arrows step through; typing accepts what the store does.
const (
	maxDays     = 31
	minSlot     = 15
	maxSlot     = 240
	slotStep    = 15
	defaultDays = 7
	findDelay   = 100 * time.Millisecond // the refused rows are filtered once the clerk pauses
)

type keyMap struct {
	Up, Down, Left, Right key.Binding
	Next, Prev            key.Binding
	Edit                  key.Binding
	Issue, Print, Import  key.Binding
	Reload                key.Binding
	DaysBack, DaysOn      key.Binding
	PageUp, PageDown      key.Binding
	Apply, Cancel         key.Binding
	Confirm               key.Binding
	Find                  key.Binding
	Clear                 key.Binding
}

func newKeyMap(c common.Common) keyMap {
	t := c.T
	return keyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", t("vouchers.key.field"))),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", t("vouchers.key.field"))),
		Left:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/→", t("vouchers.key.change"))),
		Right:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", t("vouchers.key.change"))),
		Next:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", t("vouchers.key.field"))),
		Prev:     key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", t("vouchers.key.field"))),
		Edit:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t("vouchers.key.edit"))),
		Issue:    key.NewBinding(key.WithKeys("a"), key.WithHelp("a", t("vouchers.key.issue"))),
		Print:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", t("vouchers.key.print"))),
		Import:   key.NewBinding(key.WithKeys("i"), key.WithHelp("i", t("vouchers.key.import"))),
		Reload:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t("vouchers.key.reload"))),
		DaysBack: key.NewBinding(key.WithKeys("["), key.WithHelp("[/]", t("vouchers.key.days"))),
		DaysOn:   key.NewBinding(key.WithKeys("]"), key.WithHelp("]", t("vouchers.key.days"))),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup/pgdn", t("vouchers.key.scroll"))),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", t("vouchers.key.scroll"))),
		Apply:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", t("vouchers.key.apply"))),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", t("vouchers.key.cancel"))),
		Confirm:  key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y/enter", t("vouchers.key.issue"))),
		Find:     key.NewBinding(key.WithKeys("/"), key.WithHelp("/", t("vouchers.key.find"))),
		Clear:    common.ClearKey(t("vouchers.key.clear")),
	}
}

// Model is the Phiếu đi chợ page.
type Model struct {
	c    common.Common
	keys keyMap
	mode mode

	zones   []store.Zone
	zone    int
	start   time.Time // local midnight of the period's first day
	days    int
	trips   int
	slotLen int
	pattern slots.Pattern
	field   field

	input     textinput.Model  // the value being typed (modeEdit) or the file path (modeImport)
	prefilled common.Prefilled // what input opened with goes at the first letter typed

	gen      int // which preview is wanted: answers for older ones are dropped
	planning bool
	plan     *store.VoucherPlan
	planErr  error

	busy     bool // issuing or importing: one write at a time
	issued   []string
	printing bool
	printCh  chan tea.Msg
	bar      progress.Model
	done     int
	total    int

	// The preview's rows (a market's heading, then its slots) and a refused
	// file's problems are read, not acted on: the shared table gives them
	// their window, and the problems their filter.
	grid         table.Table[tableRow]
	problems     table.Table[store.ImportProblem]
	find         table.Filter
	problemsFile string

	dayOffset int // first day column shown

	notice     string
	noticeKind common.StatusKind
}

// Messages of background work, addressed to this page with c.Run.
type (
	planMsg struct {
		gen  int
		plan *store.VoucherPlan
		err  error
	}
	zonesMsg struct {
		zones []store.Zone
		err   error
	}
	issuedMsg struct {
		serials []string
		err     error
	}
	printProgressMsg struct{ done, total int }
	printDoneMsg     struct {
		path  string
		count int
		err   error
	}
	importDoneMsg struct {
		file string
		res  store.ImportResult
		err  error
	}
)

// New builds the page for the desk's commune: its zones are read at once
// (a handful of rows) and the first preview starts in Init.
func New(c common.Common) common.Page {
	m := &Model{c: c, keys: newKeyMap(c), days: defaultDays, trips: 2, slotLen: 60, pattern: slots.Alternate}
	m.start = store.StartOfDay(c.Now()).AddDate(0, 0, 1) // vouchers are handed out the day before
	m.input = textinput.New()
	m.input.Prompt = ""
	m.input.CharLimit = 260
	m.bar = progress.New(progress.WithColors(c.Styles.ProgressFull), progress.WithWidth(40))
	m.bar.EmptyColor = c.Styles.ProgressEmpty
	m.grid = table.New(func(r *tableRow) string { return strconv.Itoa(r.market) + "/" + strconv.Itoa(r.slot) })
	m.problems = table.New(func(p *store.ImportProblem) string { return strconv.Itoa(p.Line) + "/" + p.Column })
	m.find = table.NewFilter(c.T("vouchers.find.placeholder"), findDelay)
	if c.DB != nil {
		m.zones, _ = c.DB.Zones(c.Ctx, c.Desk.Unit)
	}
	return m
}

// Init starts the first preview.
func (m *Model) Init() tea.Cmd { return m.replan() }

// Activate reloads the zones and the preview: another desk user (or the
// command line) may have imported households or added a market meanwhile.
func (m *Model) Activate() tea.Cmd { return m.reload() }

// SetSize records the page's area.
func (m *Model) SetSize(w, h int) {
	m.c.Width, m.c.Height = w, h
	m.bar.SetWidth(min(40, max(10, w-30)))
}

// Typing is true while a text input has focus, so digits and letters reach it.
func (m *Model) Typing() bool { return m.mode == modeEdit || m.mode == modeImport || m.find.Active }

// TakesDigits is true on a numeric parameter: a digit typed onto it starts
// typing its value rather than switching tabs.
func (m *Model) TakesDigits() bool {
	return m.mode == modeForm && len(m.zones) > 0 && m.field != fieldZone && m.field != fieldPattern
}

func (m *Model) currentZone() (store.Zone, bool) {
	if m.zone < 0 || m.zone >= len(m.zones) {
		return store.Zone{}, false
	}
	return m.zones[m.zone], true
}

func (m *Model) params() slots.Params {
	return slots.Params{Start: m.start, Days: m.days, TripsPerWeek: m.trips, SlotMinutes: m.slotLen, Pattern: m.pattern}
}

// replan asks the store for a new preview in the background. Each change of
// a parameter starts one; gen keeps an older, slower answer from replacing
// a newer one.
func (m *Model) replan() tea.Cmd {
	m.gen++
	z, ok := m.currentZone()
	if !ok || m.c.DB == nil {
		m.plan, m.planErr, m.planning = nil, nil, false
		return nil
	}
	m.planning = true
	gen, db, ctx, params := m.gen, m.c.DB, m.c.Ctx, m.params()
	return m.c.Run(func() tea.Msg {
		plan, err := db.PlanVouchers(ctx, z.ID, params)
		return planMsg{gen: gen, plan: plan, err: err}
	})
}

func (m *Model) reload() tea.Cmd {
	if m.c.DB == nil {
		return nil
	}
	db, ctx, unit := m.c.DB, m.c.Ctx, m.c.Desk.Unit
	return m.c.Run(func() tea.Msg {
		zones, err := db.Zones(ctx, unit)
		return zonesMsg{zones: zones, err: err}
	})
}

func (m *Model) setNotice(kind common.StatusKind, text string) {
	m.notice, m.noticeKind = text, kind
}

// Update handles keys and the answers of background work.
func (m *Model) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	switch msg := msg.(type) {
	case common.ForPage:
		return m.Update(msg.Msg)
	case planMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.planning = false
		m.plan, m.planErr = msg.plan, msg.err
		m.grid.SetRows(m.tableRows(), nil)
		m.dayOffset = min(m.dayOffset, max(m.days-1, 0))
		return m, nil
	case zonesMsg:
		if msg.err != nil {
			m.setNotice(common.StatusError, m.c.ErrorText(msg.err))
			return m, nil
		}
		var keep string
		if z, ok := m.currentZone(); ok {
			keep = z.ID
		}
		m.zones, m.zone = msg.zones, 0
		for i, z := range m.zones {
			if z.ID == keep {
				m.zone = i
			}
		}
		if z, ok := m.currentZone(); !ok || z.ID != keep {
			m.issued = nil
		}
		return m, m.replan()
	case issuedMsg:
		m.busy = false
		if msg.err != nil {
			m.setNotice(common.StatusError, m.c.ErrorText(msg.err))
			return m, tea.Batch(common.Status(common.StatusError, m.c.ErrorText(msg.err)), m.replan())
		}
		m.issued = msg.serials
		text := m.c.Tf("vouchers.issued", len(msg.serials), msg.serials[0], msg.serials[len(msg.serials)-1])
		m.setNotice(common.StatusOK, text)
		return m, tea.Batch(common.Status(common.StatusOK, text), m.replan())
	case printProgressMsg:
		m.done, m.total = msg.done, msg.total
		return m, m.waitPrint()
	case printDoneMsg:
		m.printing, m.printCh = false, nil
		if msg.err != nil {
			m.setNotice(common.StatusError, m.c.ErrorText(msg.err))
			return m, common.Status(common.StatusError, m.c.ErrorText(msg.err))
		}
		m.done = m.total
		text := m.c.Tf("vouchers.printed", msg.count, msg.path)
		m.setNotice(common.StatusOK, text)
		return m, common.Status(common.StatusOK, text)
	case importDoneMsg:
		return m, m.imported(msg)
	}
	if m.mode == modeProblems {
		if handled, apply, cmd := m.find.Update(m.c, msg); handled {
			if apply {
				m.find.Applied = m.find.Value()
				q := store.Fold(m.find.Applied)
				m.problems.Filter(func(p *store.ImportProblem) bool { return strings.Contains(store.Fold(p.String()), q) }, false, "")
				m.problems.Win.Scroll(-m.problems.Len())
			}
			return m, cmd
		}
	}
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		return m, m.handleKey(msg)
	}
	if m.Typing() {
		return m, m.typeInput(msg)
	}
	return m, nil
}

// typeInput gives msg to the input, replacing what it opened with when msg
// is the first letter typed or pasted.
func (m *Model) typeInput(msg tea.Msg) tea.Cmd {
	if m.prefilled.Replaces(msg) {
		m.input.SetValue("")
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return cmd
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch m.mode {
	case modeEdit, modeImport:
		// One line of input: a field's new value, or the file to import.
		switch {
		case key.Matches(msg, k.Apply) && m.mode == modeEdit:
			return m.applyEdit()
		case key.Matches(msg, k.Apply):
			return m.startImport()
		case key.Matches(msg, k.Cancel):
			m.mode = modeForm
			m.input.Blur()
			return nil
		}
		return m.typeInput(msg)
	case modeConfirm:
		switch {
		case key.Matches(msg, k.Confirm):
			m.mode = modeForm
			return m.issue()
		case key.Matches(msg, m.c.Keys.Cancel):
			m.mode = modeForm
		}
		return nil
	case modeProblems:
		m.problems.SetHeight(m.tableHeight() + 1)
		switch {
		case key.Matches(msg, k.Cancel), key.Matches(msg, k.Apply):
			m.mode = modeForm
		case key.Matches(msg, k.Up):
			m.problems.Win.Scroll(-1)
		case key.Matches(msg, k.Down):
			m.problems.Win.Scroll(1)
		case key.Matches(msg, k.PageUp):
			m.problems.Win.Scroll(-m.problems.Win.Height)
		case key.Matches(msg, k.PageDown):
			m.problems.Win.Scroll(m.problems.Win.Height)
		case key.Matches(msg, k.Find):
			return m.find.Focus()
		case key.Matches(msg, k.Import):
			return m.openImport()
		}
		return nil
	}

	if m.TakesDigits() && len(msg.Text) == 1 && msg.Text[0] >= '0' && msg.Text[0] <= '9' {
		// Typed straight onto the field: the digit starts its new value.
		cmd := m.openEdit()
		m.input.SetValue(msg.Text)
		m.input.CursorEnd()
		m.prefilled.Arm("")
		return cmd
	}
	switch {
	case key.Matches(msg, k.Up), key.Matches(msg, k.Prev):
		m.field = (m.field + numFields - 1) % numFields
	case key.Matches(msg, k.Down), key.Matches(msg, k.Next):
		m.field = (m.field + 1) % numFields
	case key.Matches(msg, k.Left):
		return m.step(-1)
	case key.Matches(msg, k.Right):
		return m.step(+1)
	case key.Matches(msg, k.Edit):
		return m.openEdit()
	case key.Matches(msg, k.PageUp):
		m.grid.SetHeight(m.tableHeight())
		m.grid.Win.Scroll(-m.tableHeight())
	case key.Matches(msg, k.PageDown):
		m.grid.SetHeight(m.tableHeight())
		m.grid.Win.Scroll(m.tableHeight())
	case key.Matches(msg, k.DaysBack):
		m.dayOffset = max(m.dayOffset-m.visibleDays(), 0)
	case key.Matches(msg, k.DaysOn):
		if m.dayOffset+m.visibleDays() < m.days {
			m.dayOffset += m.visibleDays()
		}
	case key.Matches(msg, k.Issue):
		return m.askIssue()
	case key.Matches(msg, k.Print):
		return m.print()
	case key.Matches(msg, k.Import):
		return m.openImport()
	case key.Matches(msg, k.Reload):
		return m.reload()
	}
	return nil
}

// step moves the focused parameter by one notch and previews again.
func (m *Model) step(d int) tea.Cmd {
	switch m.field {
	case fieldZone:
		if len(m.zones) == 0 {
			return nil
		}
		m.zone = (m.zone + d + len(m.zones)) % len(m.zones)
	case fieldStart:
		next := m.start.AddDate(0, 0, d)
		if next.Before(store.StartOfDay(m.c.Now())) {
			m.setNotice(common.StatusWarn, m.c.T("vouchers.pastdate"))
			return nil
		}
		m.start = next
	case fieldDays:
		m.days = min(max(m.days+d, 1), maxDays)
	case fieldTrips:
		m.trips = min(max(m.trips+d, 1), 7)
	case fieldSlot:
		m.slotLen = min(max(m.slotLen+d*slotStep, minSlot), maxSlot)
	case fieldPattern:
		if m.pattern == slots.Alternate {
			m.pattern = slots.Spread
		} else {
			m.pattern = slots.Alternate
		}
	}
	m.notice = ""
	m.dayOffset = 0
	m.issued = nil // the batch just issued was for other choices
	return m.replan()
}

// openEdit types a value into the focused field; the zone and the pattern
// have two or three choices and only step.
func (m *Model) openEdit() tea.Cmd {
	var v string
	switch m.field {
	case fieldZone, fieldPattern:
		return m.step(+1)
	case fieldStart:
		v = store.FormatDate(m.start)
	case fieldDays:
		v = strconv.Itoa(m.days)
	case fieldTrips:
		v = strconv.Itoa(m.trips)
	case fieldSlot:
		v = strconv.Itoa(m.slotLen)
	}
	m.mode = modeEdit
	m.input.SetValue(v)
	m.prefilled.Arm(v)
	m.input.CursorEnd()
	m.input.SetWidth(12)
	return m.input.Focus()
}

func (m *Model) applyEdit() tea.Cmd {
	v := strings.TrimSpace(m.input.Value())
	bad := func(err error) tea.Cmd {
		m.setNotice(common.StatusError, m.c.Tf("vouchers.badvalue", m.c.ErrorText(err)))
		return nil
	}
	switch m.field {
	case fieldStart:
		d, err := store.ParseDate(m.c.T("vouchers.f.start"), v)
		if err != nil {
			return bad(err)
		}
		if d.Before(store.StartOfDay(m.c.Now())) {
			return bad(errors.New(m.c.T("vouchers.pastdate")))
		}
		m.start = d
	default:
		n, err := strconv.Atoi(v)
		lo, hi := 1, slots.MaxDays
		switch m.field {
		case fieldTrips:
			hi = 7
		case fieldSlot:
			lo, hi = 5, 24*60
		}
		if err != nil || n < lo || n > hi {
			return bad(errors.New(strconv.Quote(v)))
		}
		switch m.field {
		case fieldDays:
			m.days = n
		case fieldTrips:
			m.trips = n
		case fieldSlot:
			m.slotLen = n
		}
	}
	m.mode = modeForm
	m.input.Blur()
	m.notice = ""
	m.dayOffset = 0
	m.issued = nil // the batch just issued was for other choices
	return m.replan()
}

// askIssue checks what the screen can know before asking: the store checks
// it all again when issuing.
func (m *Model) askIssue() tea.Cmd {
	refuse := func(text string) tea.Cmd {
		m.setNotice(common.StatusError, text)
		return common.Status(common.StatusError, text)
	}
	switch {
	case m.busy || m.printing:
		return nil
	case !m.c.Officer.Has(store.RoleApprover):
		return refuse(m.c.T("vouchers.clerk"))
	case m.c.Signer == nil:
		return refuse(m.c.T("vouchers.nosigner"))
	case m.plan == nil || m.planErr != nil || m.planning:
		return refuse(m.c.T("vouchers.noplan"))
	case m.plan.AlreadyIssued > 0:
		return refuse(m.c.Tf("vouchers.already", m.plan.AlreadyIssued))
	}
	m.mode = modeConfirm
	return nil
}

func (m *Model) issue() tea.Cmd {
	m.busy = true
	m.setNotice(common.StatusInfo, m.c.T("vouchers.issuing"))
	db, ctx, officer, signer, plan := m.c.DB, m.c.Ctx, m.c.Officer, m.c.Signer, m.plan
	return m.c.Run(func() tea.Msg {
		serials, err := db.IssueVouchers(ctx, officer, signer, plan)
		return issuedMsg{serials: serials, err: err}
	})
}

// print writes the vouchers just issued for the choices on screen, or else
// the unused vouchers of the zone for the chosen period, to a PDF in the desk's
// print folder, reporting each sheet on the progress bar.
func (m *Model) print() tea.Cmd {
	if m.printing || m.busy {
		return nil
	}
	serials := m.issued
	if len(serials) == 0 {
		if z, ok := m.currentZone(); ok {
			vs, err := m.c.DB.Vouchers(m.c.Ctx, store.VoucherFilter{ZoneID: z.ID, SlotFrom: m.start,
				SlotUntil: m.start.AddDate(0, 0, m.days), Unused: true})
			if err != nil {
				m.setNotice(common.StatusError, m.c.ErrorText(err))
				return nil
			}
			for _, v := range vs {
				if !v.Revoked {
					serials = append(serials, v.Serial)
				}
			}
		}
	}
	if len(serials) == 0 {
		m.setNotice(common.StatusWarn, m.c.T("vouchers.noprint"))
		return nil
	}
	m.printing, m.done, m.total = true, 0, len(serials)
	m.notice = ""
	ch := make(chan tea.Msg, 8)
	m.printCh = ch
	db, ctx, officer, dir := m.c.DB, m.c.Ctx, m.c.Officer, m.c.PrintDir
	go func() {
		path, err := paper.PrintVouchers(ctx, db, officer, serials, paper.Dest{Dir: dir}, func(done, total int) {
			select { // a slow screen skips a sheet's tick rather than holding the printer up
			case ch <- printProgressMsg{done, total}:
			default:
			}
		})
		ch <- printDoneMsg{path: path, count: len(serials), err: err}
		close(ch)
	}()
	return m.waitPrint()
}

// waitPrint delivers the printer's next report; it ends with printDoneMsg.
func (m *Model) waitPrint() tea.Cmd {
	ch := m.printCh
	if ch == nil {
		return nil
	}
	return m.c.Run(func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	})
}

func (m *Model) openImport() tea.Cmd {
	if m.busy {
		return nil
	}
	m.mode = modeImport
	m.input.SetWidth(max(20, m.c.Width-4))
	m.input.SetValue(m.problemsFile) // after a refusal, the same file again once it is fixed
	m.prefilled.Arm(m.problemsFile)
	m.input.CursorEnd()
	return m.input.Focus()
}

// startImport reads and imports the list in the background: a commune's
// workbook takes a moment to parse.
func (m *Model) startImport() tea.Cmd {
	path := strings.TrimSpace(m.input.Value())
	if path == "" {
		return nil
	}
	if strings.HasPrefix(path, "~"+string(filepath.Separator)) || path == "~" {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, strings.TrimPrefix(path, "~"))
		}
	}
	m.mode, m.busy = modeForm, true
	m.input.Blur()
	m.setNotice(common.StatusInfo, m.c.T("vouchers.importing"))
	db, ctx, officer, commune := m.c.DB, m.c.Ctx, m.c.Officer, m.c.Desk.Unit
	return m.c.Run(func() tea.Msg {
		f, err := os.Open(path)
		if err != nil {
			return importDoneMsg{file: path, err: err}
		}
		defer f.Close()
		rows, err := households.ReadFile(path, f, "")
		if err != nil {
			return importDoneMsg{file: path, err: err}
		}
		res, err := db.ImportHouseholds(ctx, officer, commune, rows)
		return importDoneMsg{file: path, res: res, err: err}
	})
}

func (m *Model) imported(msg importDoneMsg) tea.Cmd {
	m.busy = false
	name := filepath.Base(msg.file)
	var ie *store.ImportErrors
	if errors.As(msg.err, &ie) {
		m.problemsFile = msg.file
		m.find.Input.SetValue("")
		m.find.Applied = ""
		m.problems.SetRows(ie.Problems, nil)
		m.problems.Win.Scroll(-m.problems.Len())
		m.mode = modeProblems
		m.notice = "" // the list itself is the message
		return common.Status(common.StatusError, m.c.Tf("vouchers.problems", name, len(ie.Problems)))
	}
	if msg.err != nil {
		m.problemsFile = msg.file
		m.setNotice(common.StatusError, m.c.ErrorText(msg.err))
		return common.Status(common.StatusError, m.c.ErrorText(msg.err))
	}
	m.problems.SetRows(nil, nil)
	m.problemsFile = ""
	m.input.SetValue("")
	r := msg.res
	text := m.c.Tf("vouchers.imported", name, r.Added, r.Updated, r.Unchanged)
	if r.Missing > 0 {
		text += m.c.Tf("vouchers.missing", r.Missing)
	}
	if len(r.Skipped) > 0 {
		var lines []string
		for _, p := range r.Skipped {
			lines = append(lines, m.c.Tf("vouchers.skipline", p.Line, p.Reason))
		}
		text += m.c.Tf("vouchers.skipped", len(r.Skipped), strings.Join(lines, ", "))
	}
	m.setNotice(common.StatusOK, text)
	return tea.Batch(common.Status(common.StatusOK, text), m.replan())
}

// ShortHelp lists the keys of the current mode for the footer.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeEdit, modeImport:
		return []key.Binding{k.Apply, k.Clear, k.Cancel}
	case modeConfirm:
		return []key.Binding{k.Confirm, m.c.Keys.Cancel}
	case modeProblems:
		if m.find.Active {
			return []key.Binding{k.Apply, k.Cancel}
		}
		return []key.Binding{k.Up, k.PageUp, k.Find, k.Import, k.Cancel}
	}
	return []key.Binding{k.Up, k.Left, k.Issue, k.Print, k.Import}
}

// FullHelp lists every key of the page.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	if m.mode != modeForm {
		return [][]key.Binding{m.ShortHelp()}
	}
	return [][]key.Binding{
		{k.Up, k.Next, k.Left, k.Edit},
		{k.Issue, k.Print, k.Import, k.Reload},
		{k.PageUp, k.DaysBack},
	}
}
