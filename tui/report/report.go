// Package report is the Báo cáo screen: the province's accountability
// figures (central.ProvinceReport) as a read-only table of every unit,
// grouped by district with subtotals and a province total, sortable and
// filterable, with per-day sparklines of the permits issued, a unit's
// detail and the "điểm cần chú ý" the figures point to. The centre's
// console (thonghanh server console) runs it as a program of its own.
//
// Its room is showing figures already computed: it calls the Loader it is
// given (in a command, never in Update) and computes no figure itself
// beyond sorting, filtering, a category's share and a sparkline's scale.
// It writes nothing and never opens a database or a file. It uses
// store/central for the figures' types, store for folding names and
// reading dates, and the desk's shared pieces (tui/common, tui/i18n,
// tui/components/table); it imports no other screen and no screen imports
// it.
package report

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/store/central"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
)

// Loader reads the figures for the days from..to (inclusive, Vietnam
// time): (*central.DB).ProvinceReport at the centre.
type Loader func(ctx context.Context, from, to time.Time) (central.ProvinceReport, error)

// Options are what the screen is built with.
type Options struct {
	Ctx      context.Context
	Lang     i18n.Lang
	Load     Loader
	From, To time.Time // the first period shown
	// Today is the day the period may not go past; zero means the
	// clock's day.
	Today func() time.Time
	// Width and Height are the first size, before the terminal says its own.
	Width, Height int
}

// MaxDays bounds a period typed in: a year is the longest report asked for.
const MaxDays = 366

// Mode is what the screen shows.
type Mode int

// The screen's modes.
const (
	ModeList      Mode = iota // the table
	ModeDetail                // one unit's (or one district's) figures
	ModeHelp                  // every key
	ModePeriod                // the two date fields
	ModeAttention             // every "điểm cần chú ý"
	ModeChart                 // the per-day sparklines of every category
)

// Model is the Báo cáo screen.
type Model struct {
	opt    Options
	lang   i18n.Lang
	styles *common.Styles
	keys   keyMap
	width  int
	height int

	from, to time.Time
	rep      central.ProvinceReport
	loaded   bool
	loading  bool
	loadErr  string
	gen      int // the load whose answer counts; older answers are dropped

	mode   Mode
	col    Column
	desc   bool
	flat   bool // the whole province ranked, without districts
	cat    int  // the sparkline's category: -1 every category, else an index of rep.Categories
	rows   []row
	ws     []int           // the number columns' widths, for the figures loaded
	shared map[string]bool // unit names (folded) more than one unit bears
	win    common.Window
	detail row

	filter    textinput.Model
	filtering bool
	query     string // folded

	fields   [2]textinput.Model
	field    int
	fieldErr [2]string
	formErr  string

	attn       common.Window // the attention list's cursor
	detailFrom Mode          // where esc goes back to from a detail
}

// rowKind tells a unit's row from a district's subtotal.
type rowKind int

const (
	rowUnit rowKind = iota
	rowDistrict
)

// row is one line of the table: a unit or a district's subtotal.
type row struct {
	kind     rowKind
	f        *central.UnitFigures
	district *central.DistrictFigures
}

// loadedMsg is a load's answer.
type loadedMsg struct {
	gen int
	rep central.ProvinceReport
	err error
}

// New builds the screen; Init starts the first load.
func New(opt Options) *Model {
	if opt.Ctx == nil {
		opt.Ctx = context.Background()
	}
	if opt.Today == nil {
		opt.Today = func() time.Time { return time.Now().In(store.Vietnam) }
	}
	m := &Model{opt: opt, lang: opt.Lang, styles: common.NewStyles(true), width: opt.Width, height: opt.Height,
		from: opt.From, to: opt.To, col: ColOrder, cat: -1}
	if m.width == 0 {
		m.width, m.height = 80, 24
	}
	m.keys = newKeyMap(m.lang)
	m.filter = textinput.New()
	m.filter.Prompt = ""
	m.filter.CharLimit = 40
	m.filter.Placeholder = m.lang.T("report.filterhint")
	for i := range m.fields {
		in := textinput.New()
		in.Prompt = ""
		in.CharLimit = 10
		in.Placeholder = "dd/mm/yyyy"
		in.SetWidth(12)
		m.fields[i] = in
	}
	m.win.SetHeight(m.listHeight())
	m.ws = m.widths()
	return m
}

// Init starts loading the first period.
func (m *Model) Init() tea.Cmd { return m.load() }

// Report is the figures shown (empty before the first answer).
func (m *Model) Report() central.ProvinceReport { return m.rep }

// Mode is what the screen shows now.
func (m *Model) Mode() Mode { return m.mode }

// Period is the period shown or being computed.
func (m *Model) Period() (from, to time.Time) { return m.from, m.to }

// Loading reports a load under way.
func (m *Model) Loading() bool { return m.loading }

// Err is the last load's error, as the screen says it ("" when none).
func (m *Model) Err() string { return m.loadErr }

// Sort is the sort column and whether it runs from the largest.
func (m *Model) Sort() (Column, bool) { return m.col, m.desc }

// Names are the names of the table's rows in order, districts included:
// what a test reads the order from.
func (m *Model) Names() []string {
	out := make([]string, len(m.rows))
	for i, r := range m.rows {
		out[i] = r.name()
	}
	return out
}

// Cursor is the name of the row under the cursor ("" on an empty table).
func (m *Model) Cursor() string {
	if m.win.Cursor < len(m.rows) {
		return m.rows[m.win.Cursor].name()
	}
	return ""
}

// id names a row across rebuilds: two units may share a name ("Phường 4"
// of two towns), never a code.
func (r row) id() [2]uint32 {
	if r.kind == rowDistrict {
		return [2]uint32{1, r.district.Code}
	}
	return [2]uint32{0, r.f.Code}
}

func (r row) name() string {
	if r.kind == rowDistrict {
		return r.district.Name
	}
	return r.f.Name
}

func (r row) figures() *central.UnitFigures {
	if r.kind == rowDistrict {
		return &r.district.Totals
	}
	return r.f
}

// load computes the figures of the period in a command: a month of the
// province takes seconds, and the screen keeps drawing meanwhile.
func (m *Model) load() tea.Cmd {
	if m.opt.Load == nil {
		return nil
	}
	m.gen++
	m.loading = true
	gen, from, to, load, ctx := m.gen, m.from, m.to, m.opt.Load, m.opt.Ctx
	return func() tea.Msg {
		rep, err := load(ctx, from, to)
		return loadedMsg{gen: gen, rep: rep, err: err}
	}
}

// listHeight is the table's rows on screen: the terminal minus the title,
// the sparkline, the sort line, the column heads, the province's total,
// three lines of attention points and the footer.
func (m *Model) listHeight() int { return max(m.height-9, 1) }

// Update takes the terminal's size, a load's answer and the keys.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.win.SetHeight(m.listHeight())
		return m, nil
	case tea.BackgroundColorMsg:
		m.styles = common.NewStyles(msg.IsDark())
		return m, nil
	case loadedMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.loading = false
		if msg.err != nil {
			m.loadErr = m.lang.Tf("report.loadfailed", common.ErrorText(msg.err, m.lang))
			return m, nil
		}
		m.loadErr, m.loaded, m.rep = "", true, msg.rep
		m.ws = m.widths()
		m.shared = sharedNames(m.rep)
		if m.cat >= len(m.rep.Categories) {
			m.cat = -1
		}
		m.rebuild()
		return m, nil
	case tea.PasteMsg:
		return m.paste(msg)
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m *Model) paste(msg tea.PasteMsg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch {
	case m.filtering:
		m.filter, cmd = m.filter.Update(msg)
		m.applyFilter()
	case m.mode == ModePeriod:
		m.fields[m.field], cmd = m.fields[m.field].Update(msg)
	}
	return m, cmd
}

func (m *Model) key(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if msg.String() == "ctrl+c" {
		return m, tea.Quit
	}
	switch m.mode {
	case ModeHelp:
		m.mode = ModeList
		return m, nil
	case ModeDetail, ModeAttention, ModeChart:
		switch {
		case key.Matches(msg, m.keys.Quit):
			return m, tea.Quit
		case m.mode == ModeAttention && key.Matches(msg, m.keys.Down):
			m.attn.Move(1)
		case m.mode == ModeAttention && key.Matches(msg, m.keys.Up):
			m.attn.Move(-1)
		case m.mode == ModeAttention && key.Matches(msg, m.keys.Open):
			if r, ok := m.unitRow(m.attnUnit()); ok {
				m.detail, m.mode, m.detailFrom = r, ModeDetail, ModeAttention
			}
		case m.mode == ModeDetail && (key.Matches(msg, m.keys.Back) || key.Matches(msg, m.keys.Open)):
			m.mode = m.detailFrom
		case key.Matches(msg, m.keys.Back), key.Matches(msg, m.keys.Open), m.mode == ModeChart && key.Matches(msg, m.keys.Chart):
			m.mode = ModeList
		}
		return m, nil
	case ModePeriod:
		return m.periodKey(msg)
	}
	if m.filtering {
		return m.filterKey(msg)
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return m, tea.Quit
	case key.Matches(msg, k.Help):
		m.mode = ModeHelp
	case key.Matches(msg, k.Up):
		m.win.Move(-1)
	case key.Matches(msg, k.Down):
		m.win.Move(1)
	case key.Matches(msg, k.PageUp):
		m.win.Page(-1)
	case key.Matches(msg, k.PageDown):
		m.win.Page(1)
	case key.Matches(msg, k.Home):
		m.win.Top()
	case key.Matches(msg, k.End):
		m.win.Bottom()
	case key.Matches(msg, k.Sort):
		m.setSort((m.col + 1) % numColumns)
	case key.Matches(msg, k.Pick):
		m.setSort(Column(msg.Code - '0'))
	case key.Matches(msg, k.Reverse):
		m.desc = !m.desc
		m.rebuild()
	case key.Matches(msg, k.Group):
		m.flat = !m.flat
		m.rebuild()
	case key.Matches(msg, k.Filter):
		m.filtering = true
		return m, m.filter.Focus()
	case key.Matches(msg, k.Back):
		if m.query != "" {
			m.filter.SetValue("")
			m.applyFilter()
		}
	case key.Matches(msg, k.Open):
		if m.win.Cursor < len(m.rows) {
			m.detail, m.mode, m.detailFrom = m.rows[m.win.Cursor], ModeDetail, ModeList
		}
	case key.Matches(msg, k.Category):
		if n := len(m.rep.Categories); n > 0 {
			m.cat++
			if m.cat >= n {
				m.cat = -1
			}
		}
	case key.Matches(msg, k.Attention):
		m.mode = ModeAttention
		m.attn = common.Window{}
		m.attn.SetHeight(max((m.height-4)/2, 1)) // a point may wrap onto two lines
		m.attn.SetLen(len(m.rep.Attention))
	case key.Matches(msg, k.Chart):
		if m.loaded {
			m.mode = ModeChart
		}
	case key.Matches(msg, k.Period):
		return m, m.openPeriod()
	case key.Matches(msg, k.Reload):
		return m, m.load()
	}
	return m, nil
}

// sharedNames are the unit names two units or more bear, folded.
func sharedNames(r central.ProvinceReport) map[string]bool {
	seen, shared := map[string]bool{}, map[string]bool{}
	for _, d := range r.Districts {
		for _, u := range d.Units {
			k := store.Fold(u.Name)
			shared[k] = shared[k] || seen[k]
			seen[k] = true
		}
	}
	return shared
}

// attnUnit is the unit of the attention point under the cursor.
func (m *Model) attnUnit() uint32 {
	if m.attn.Cursor < len(m.rep.Attention) {
		return m.rep.Attention[m.attn.Cursor].Unit
	}
	return 0
}

// unitRow finds a unit's figures by its code, whatever the filter shows.
func (m *Model) unitRow(code uint32) (row, bool) {
	for d := range m.rep.Districts {
		ds := &m.rep.Districts[d]
		for u := range ds.Units {
			if ds.Units[u].Code == code {
				return row{kind: rowUnit, f: &ds.Units[u], district: ds}, true
			}
		}
	}
	return row{}, false
}

// setSort sorts by col: a figure from the largest (the units to look at
// first), the order and the names from the start.
func (m *Model) setSort(col Column) {
	m.col = col
	m.desc = col != ColOrder && col != ColName
	m.rebuild()
}

func (m *Model) filterKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch msg.String() {
	case "enter":
		m.filtering = false
		m.filter.Blur()
		return m, nil
	case "esc":
		m.filtering = false
		m.filter.Blur()
		m.filter.SetValue("")
		m.applyFilter()
		return m, nil
	case "up", "down":
		if msg.String() == "up" {
			m.win.Move(-1)
		} else {
			m.win.Move(1)
		}
		return m, nil
	}
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(msg)
	m.applyFilter()
	return m, cmd
}

// applyFilter refilters on every key: a province has a few hundred units,
// filtering them costs less than a frame.
func (m *Model) applyFilter() {
	q := store.Fold(m.filter.Value())
	if q == m.query {
		return
	}
	m.query = q
	m.rebuild()
	m.win.Top()
}

// matches reports whether a unit's name holds the query, diacritics and
// case aside ("tan phuoc" finds "Tân Phước", "duc" finds "Đức").
func (m *Model) matches(name string) bool {
	return m.query == "" || strings.Contains(store.Fold(name), m.query)
}

func (m *Model) openPeriod() tea.Cmd {
	m.mode, m.field, m.fieldErr, m.formErr = ModePeriod, 0, [2]string{}, ""
	m.fields[0].SetValue(m.from.Format("02/01/2006"))
	m.fields[1].SetValue(m.to.Format("02/01/2006"))
	m.fields[1].Blur()
	return m.fields[0].Focus()
}

func (m *Model) periodKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch msg.String() {
	case "esc":
		m.mode = ModeList
		m.fields[m.field].Blur()
		return m, nil
	case "tab", "shift+tab", "up", "down":
		m.fields[m.field].Blur()
		m.field = 1 - m.field
		return m, m.fields[m.field].Focus()
	case "enter":
		from, to, ok := m.checkPeriod()
		if !ok {
			return m, nil
		}
		m.fields[m.field].Blur()
		m.mode, m.from, m.to = ModeList, from, to
		return m, m.load()
	}
	var cmd tea.Cmd
	m.fields[m.field], cmd = m.fields[m.field].Update(msg)
	m.fieldErr[m.field], m.formErr = "", ""
	return m, cmd
}

// checkPeriod reads the two fields, saying under each what is wrong with it.
func (m *Model) checkPeriod() (from, to time.Time, ok bool) {
	var t [2]time.Time
	ok = true
	for i, label := range []string{m.lang.T("report.period.from"), m.lang.T("report.period.to")} {
		v, err := store.ParseDate(label, m.fields[i].Value())
		if err != nil {
			m.fieldErr[i] = common.ErrorText(err, m.lang)
			ok = false
			continue
		}
		m.fieldErr[i], t[i] = "", v
	}
	if !ok {
		return
	}
	today := m.opt.Today()
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, store.Vietnam)
	switch {
	case t[0].After(t[1]):
		m.formErr = m.lang.T("report.period.order")
	case t[1].After(today):
		m.formErr = m.lang.Tf("report.period.future", today.Format("02/01/2006"))
	case t[1].Sub(t[0]) >= MaxDays*24*time.Hour:
		m.formErr = m.lang.Tf("report.period.long", MaxDays)
	default:
		return t[0], t[1], true
	}
	return t[0], t[1], false
}

// View draws the screen in the alt screen.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	return v
}
