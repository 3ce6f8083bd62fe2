package intake

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"thonghanh/store"
	"thonghanh/tui/common"
	"thonghanh/tui/components/table"
)

// findLimit bounds the people one search reads: the list shows a window of
// them, and a clerk who sees the limit reached types more of the name.
const findLimit = 100

// finder is the "Tìm người" search the clerk opens from the intake screen
// (ctrl+f): a name typed without accents, or the start of an ID number,
// lists the people the desk holds as it is typed; enter shows one with
// their applications and permits, and n takes a new application for them
// as if their ID number had been typed. It only reads the desk's store.
type finder struct {
	input textinput.Model
	back  step // where the clerk was: esc returns there, the form untouched

	// sent counts the queries sent, shown is the one whose answer is on
	// screen: an older answer arriving late is dropped.
	sent, shown int
	query       string // the query of the results shown
	people      []store.Person
	err         error
	win         common.Window

	// The person opened, with what the desk holds of them (loaded says
	// their papers are in).
	person  *store.Person
	apps    []store.Application
	permits []store.Permit
	loaded  bool
	loadErr error
}

type (
	foundMsg struct {
		seq    int
		query  string
		people []store.Person
		err    error
	}
	papersReadMsg struct {
		personID string
		apps     []store.Application
		permits  []store.Permit
		err      error
	}
)

// findKeys are the search's own keys.
type findKeys struct {
	Up, Down, PageUp, PageDown, Open, Close, New, Back key.Binding
	// Move is the arrows in one, for the footer's one line.
	Move key.Binding
}

func newFindKeys(c common.Common) findKeys {
	return findKeys{
		Up:       key.NewBinding(key.WithKeys("up"), key.WithHelp("↑", c.T("key.up"))),
		Down:     key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", c.T("key.down"))),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", c.T("key.pageup"))),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", c.T("key.pagedown"))),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("intake.find.key.open"))),
		Close:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("intake.find.key.close"))),
		New:      key.NewBinding(key.WithKeys("n"), key.WithHelp("n", c.T("intake.find.key.new"))),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("intake.find.key.back"))),
		Move:     key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑↓", c.T("intake.find.key.move"))),
	}
}

// canFind reports whether ctrl+f opens the search now: wherever the clerk
// is typing an ID number or a form, not while an application is reviewed,
// sent or a conflict answered.
func (m *Model) canFind() bool { return m.step == stepID || m.step == stepForm }

// openFind shows the search, with the last query still typed.
func (m *Model) openFind() tea.Cmd {
	if m.find == nil {
		in := textinput.New()
		in.Prompt = "› "
		in.Placeholder = m.c.T("intake.find.placeholder")
		in.CharLimit = 60
		m.find = &finder{input: in}
	}
	f := m.find
	f.back, f.person = m.step, nil
	m.sizeFind()
	m.step = stepFind
	m.cancelArmed = false
	return f.input.Focus()
}

// sizeFind fits the search to the page.
func (m *Model) sizeFind() {
	if m.find != nil {
		m.find.input.SetWidth(max(m.c.Width-4, 10))
		m.find.win.SetHeight(findRows(m.c.Height))
	}
}

// closeFind returns to the ID number or the form as the clerk left it.
func (m *Model) closeFind() tea.Cmd {
	m.step = m.find.back
	m.find.input.Blur()
	return nil
}

// findKey takes a key of the search or of the person it opened.
func (m *Model) findKey(msg tea.KeyPressMsg) tea.Cmd {
	f, k := m.find, m.findKeys
	if m.step == stepFindPerson {
		switch {
		case key.Matches(msg, k.Back):
			m.step = stepFind
			return f.input.Focus()
		case key.Matches(msg, k.New):
			return m.applyFor(*f.person)
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Close):
		return m.closeFind()
	case key.Matches(msg, k.Open):
		if f.shown != f.sent {
			// The answer to what was typed is not in yet: enter waits
			// for it, and so does every key after it.
			m.holding = true
			m.held = append(m.held, msg)
			return nil
		}
		if f.win.Cursor < len(f.people) && len(f.people) > 0 {
			return m.openFound(f.people[f.win.Cursor])
		}
		return nil
	case key.Matches(msg, k.Up):
		f.win.Move(-1)
		return nil
	case key.Matches(msg, k.Down):
		f.win.Move(1)
		return nil
	case key.Matches(msg, k.PageUp):
		f.win.Page(-1)
		return nil
	case key.Matches(msg, k.PageDown):
		f.win.Page(1)
		return nil
	}
	return m.findInput(msg)
}

// findInput gives msg (a key or a paste) to the query and searches again
// when the query changed.
func (m *Model) findInput(msg tea.Msg) tea.Cmd {
	f := m.find
	before := f.input.Value()
	var cmd tea.Cmd
	f.input, cmd = f.input.Update(msg)
	if f.input.Value() == before {
		return cmd
	}
	return tea.Batch(cmd, m.search())
}

// search asks the store for the people matching the query typed.
func (m *Model) search() tea.Cmd {
	f := m.find
	f.sent++
	seq, q := f.sent, strings.TrimSpace(f.input.Value())
	if store.Fold(q) == "" {
		// Nothing to look for: the list empties at once, no store asked.
		f.shown, f.query, f.people, f.err = seq, "", nil, nil
		f.win.SetLen(0)
		return m.releaseFound()
	}
	db, ctx := m.c.DB, m.c.Ctx
	return m.c.Run(func() tea.Msg {
		people, err := db.SearchPeople(ctx, q, findLimit)
		return foundMsg{seq: seq, query: q, people: people, err: err}
	})
}

func (m *Model) onFound(msg foundMsg) tea.Cmd {
	f := m.find
	if f == nil || msg.seq < f.shown {
		return nil
	}
	f.shown, f.query, f.people, f.err = msg.seq, msg.query, msg.people, msg.err
	f.win.Top()
	f.win.SetLen(len(f.people))
	return m.releaseFound()
}

// releaseFound lets the keys held for an answer go once the latest one is
// in.
func (m *Model) releaseFound() tea.Cmd {
	if m.holding && m.find.shown == m.find.sent && (m.step == stepFind || m.step == stepFindPerson) {
		return m.release()
	}
	return nil
}

// openFound shows person p and reads their applications and permits.
func (m *Model) openFound(p store.Person) tea.Cmd {
	f := m.find
	f.person, f.apps, f.permits, f.loaded, f.loadErr = &p, nil, nil, false, nil
	m.step = stepFindPerson
	f.input.Blur()
	db, ctx := m.c.DB, m.c.Ctx
	return m.c.Run(func() tea.Msg {
		apps, err := db.ApplicationsOf(ctx, p.ID)
		if err != nil {
			return papersReadMsg{personID: p.ID, err: err}
		}
		permits, err := db.Permits(ctx, store.PermitFilter{IDNumber: p.IDNumber, Limit: 200})
		return papersReadMsg{personID: p.ID, apps: apps, permits: permits, err: err}
	})
}

func (m *Model) onPapersRead(msg papersReadMsg) {
	f := m.find
	if f == nil || f.person == nil || f.person.ID != msg.personID {
		return
	}
	f.apps, f.permits, f.loadErr, f.loaded = msg.apps, msg.permits, msg.err, true
}

// applyFor starts a new application for p the way a typed ID number does:
// the person is looked up with their latest application and papers, and
// the form opens prefilled. Keys typed meanwhile are held for the form.
func (m *Model) applyFor(p store.Person) tea.Cmd {
	m.reset()
	guard(m.v, &m.v.idNumber).Set(p.IDNumber)
	m.form = m.idForm()
	m.sizeForm()
	m.holding = true
	m.holdSeq++
	return tea.Batch(m.form.Init(), m.lookup())
}

// findShortHelp is the footer of the search and of the person opened.
func (m *Model) findShortHelp() []key.Binding {
	k := m.findKeys
	if m.step == stepFindPerson {
		return []key.Binding{k.New, k.Back}
	}
	return []key.Binding{k.Open, k.Move, k.Close}
}

func (m *Model) findFullHelp() [][]key.Binding {
	k := m.findKeys
	if m.step == stepFindPerson {
		return [][]key.Binding{{k.New, k.Back}}
	}
	return [][]key.Binding{{k.Open, k.Close}, {k.Up, k.Down, k.PageUp, k.PageDown}}
}

// findTopRows are the search's lines above its list (title, hint, the
// query, the column heads); one line below it says how many were found.
const findTopRows = 4

// findRows are the result rows that fit a page h lines high, the count
// below them.
func findRows(h int) int { return max(h-findTopRows-1, 1) }

// findView draws the search or the person opened.
func (m *Model) findView() string {
	if m.step == stepFindPerson {
		return m.foundPersonView()
	}
	s, f, w := m.c.Styles, m.find, m.c.Width
	var b strings.Builder
	b.WriteString(s.Title.Render(m.c.T("intake.find.title")) + "\n")
	b.WriteString(common.Truncate(s.Dim.Render(m.c.T("intake.find.hint")), w) + "\n")
	b.WriteString(f.input.View() + "\n")
	nameW, idW, yearW := findColumns(w)
	b.WriteString(s.Label.Render(common.Truncate("  "+common.Cell(m.c.T("intake.find.col.name"), nameW)+" "+
		common.Cell(m.c.T("intake.find.col.id"), idW)+" "+common.Cell(m.c.T("intake.find.col.year"), yearW)+" "+
		m.c.T("intake.find.col.home"), w)) + "\n")
	rows := findRows(m.c.Height)
	start, end := f.win.Visible()
	lines := make([]string, 0, rows)
	for i := start; i < end; i++ {
		p := f.people[i]
		text := common.Cell(p.FullName, nameW) + " " + common.Cell(p.IDNumber, idW) + " " +
			common.Cell(fmt.Sprint(p.BirthDate.Year()), yearW) + " " + m.c.Units.Name(p.Commune)
		lines = append(lines, table.Line(s, lipgloss.NewStyle(), table.Gutter(i == f.win.Cursor, false)+text, w, i == f.win.Cursor, false))
	}
	for len(lines) < rows {
		lines = append(lines, "")
	}
	b.WriteString(strings.Join(lines, "\n") + "\n")
	b.WriteString(common.Truncate(m.findCount(), w))
	return b.String()
}

// findColumns are the widths of the name, ID number and birth year
// columns at width w; the home commune takes the rest.
func findColumns(w int) (name, id, year int) {
	return max(min(w/3, 30), 12), 12, 8
}

// findCount is the line under the results.
func (m *Model) findCount() string {
	s, f := m.c.Styles, m.find
	switch {
	case f.err != nil:
		return s.Error.Render(m.c.ErrorText(f.err))
	case f.query == "":
		return s.Dim.Render(m.c.T("intake.find.empty"))
	case len(f.people) == 0:
		return s.Warn.Render(m.c.Tf("intake.find.none", f.query))
	case len(f.people) >= findLimit:
		return s.Dim.Render(m.c.Tf("intake.find.more", findLimit))
	}
	return s.Dim.Render(m.c.Tf("intake.find.count", len(f.people)))
}

// foundPersonView shows the person opened with their applications and
// permits, newest first, as many as fit.
func (m *Model) foundPersonView() string {
	s, f, w := m.c.Styles, m.find, m.c.Width
	p := f.person
	lines := []string{
		s.Title.Render(m.c.T("intake.find.title")) + s.Dim.Render(" · ") + s.Bold.Render(p.FullName),
		s.Dim.Render(p.IDNumber + " · " + store.FormatDate(p.BirthDate) + " · " + homeLine(m.c, *p)),
		"",
	}
	// The page's lines less the title, the person and the key line below.
	room := max(m.c.Height-len(lines)-2, 2)
	switch {
	case f.loadErr != nil:
		lines = append(lines, s.Error.Render(m.c.ErrorText(f.loadErr)))
	case !f.loaded:
		lines = append(lines, s.Dim.Render(m.c.T("intake.find.loading")))
	default:
		appRoom := max(room/2-1, 1)
		permitRoom := max(room-appRoom-2, 1)
		if len(f.permits) < permitRoom { // what the permits leave, the applications take
			appRoom += permitRoom - max(len(f.permits), 1)
			permitRoom = max(len(f.permits), 1)
		}
		lines = append(lines, s.Label.Render(m.c.Tf("intake.find.apps", len(f.apps))))
		if len(f.apps) == 0 {
			lines = append(lines, s.Dim.Render("  "+m.c.T("intake.find.noapps")))
		}
		for i, a := range f.apps {
			if i == appRoom-1 && len(f.apps) > appRoom {
				lines = append(lines, s.Dim.Render("  "+m.c.Tf("intake.find.moreapps", len(f.apps)-i)))
				break
			}
			lines = append(lines, "  "+common.Cell(a.Number, 16)+" "+common.Cell(m.c.Tf("intake.find.cat", a.Category), 3)+" "+
				days(a.ValidFrom, a.ValidUntil)+"  "+common.Cell(m.c.StatusName(a.Status), 13)+" "+
				s.Dim.Render(m.c.Tf("intake.find.received", store.FormatDate(a.CreatedAt))))
		}
		lines = append(lines, s.Label.Render(m.c.Tf("intake.find.permits", len(f.permits))))
		if len(f.permits) == 0 {
			lines = append(lines, s.Dim.Render("  "+m.c.T("intake.find.nopermits")))
		}
		for i, pm := range f.permits {
			if i == permitRoom-1 && len(f.permits) > permitRoom {
				lines = append(lines, s.Dim.Render("  "+m.c.Tf("intake.find.morepermits", len(f.permits)-i)))
				break
			}
			lines = append(lines, "  "+common.Cell(pm.Serial, 22)+" "+common.Cell(m.c.Tf("intake.find.cat", pm.Category), 3)+" "+
				days(pm.ValidFrom, pm.ValidUntil)+"  "+m.permitState(pm))
		}
	}
	for len(lines) < m.c.Height-1 {
		lines = append(lines, "")
	}
	lines = append(lines[:m.c.Height-1], s.Accent.Render(m.c.T("intake.find.personkeys")))
	for i, l := range lines {
		lines[i] = common.Truncate(l, w)
	}
	return strings.Join(lines, "\n")
}

// permitState is a permit's state in the issued permits' words, coloured.
func (m *Model) permitState(p store.Permit) string {
	s, text := m.c.Styles, m.c.PermitStatus(p)
	switch {
	case !p.RevokedAt.IsZero():
		return s.Error.Render(text)
	case p.ValidUntil.Before(m.c.Now()):
		return s.Dim.Render(text)
	case p.ValidFrom.After(m.c.Now()):
		return s.Warn.Render(text)
	}
	return s.OK.Render(text)
}

// days is a validity as "22/09–25/09/2021", its last day inclusive.
func days(from, until time.Time) string {
	return from.In(store.Vietnam).Format("02/01") + "–" + until.In(store.Vietnam).Format("02/01/2006")
}
