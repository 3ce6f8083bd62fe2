// Package intake is the walk-in counter (Tiếp nhận): a clerk types the
// person's ID number, a known person is found and prefilled (with their last
// application's category, purpose, area and route as defaults), a new one is
// entered, and the application goes into the queue of the unit that must
// decide it. A returning person's new application takes about twenty key
// presses.
//
// Its room is the form (charm.land/huh/v2). Validation uses the store's own
// validators and the store checks everything again in db.Submit, whose
// errors are shown as they come; routing to the deciding unit is the
// store's. When the centre holds two desks' versions of the person (a
// conflict pulled in sync), the intake shows both before the form and the
// clerk picks one or corrects them: an audited resolution through
// db.ResolveConflict, which syncs. A person who does not have their ID
// card at hand is found by name (ctrl+f, "Tìm người", find.go): the desk's
// own records only, with their applications and permits, and a new
// application for them starts as a typed ID number's would. This package
// writes nothing but through db.Submit and db.ResolveConflict.
package intake

import (
	"context"
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"thonghanh/store"
	"thonghanh/store/wire"
	"thonghanh/tui/common"
)

type step int

const (
	stepID     step = iota // typing the ID number
	stepForm               // the rest of the form
	stepReview             // everything at a glance before sending
	stepSending
	stepDone
	stepConflict // two desks' versions of the person: pick or correct
	// stepFind is the search for a person by name (ctrl+f), stepFindPerson
	// one person found, with their applications and permits.
	stepFind
	stepFindPerson
)

// Model is the intake page.
type Model struct {
	c      common.Common
	keys   keyMap
	places places

	step step
	form *huh.Form
	v    *values

	known *store.Person // the person found by ID number, if any
	// fromCentre is the centre's record of a number this desk did not
	// hold, looked up online: the form starts from it.
	fromCentre *store.Person
	previous   *store.Application // their latest application, for defaults
	editing    bool               // the clerk opened a known person's details
	// conflict is an open conflict about the person's identity; correcting
	// says the clerk chose to type the right details, resolved at submit.
	conflict   *store.Conflict
	correcting bool
	resolving  bool // a pick is being written: keys wait
	// papers are the known person's pending applications and valid permits;
	// overlapArmed: the review showed the clerk that the new application
	// overlaps one of the same category, and the next enter sends it anyway.
	papers       []store.Overlap
	overlapArmed bool
	// cancelArmed: esc was pressed once in the form; a second esc throws
	// the application away, any other key carries on (nothing typed is
	// lost to a stray esc).
	cancelArmed bool

	enterprises []store.Enterprise
	// maxDays caps each category's validity, read once with the page: the
	// review and the date checks ask on every frame, and huh runs some of
	// them on other goroutines, so the map is never written again.
	maxDays map[int]int

	// Keys typed while the form is between fields (huh moves on through a
	// command) or while the person is looked up are held and replayed, so
	// a fast typist or a paste loses nothing and lands in the right field.
	holding bool
	held    []tea.KeyPressMsg
	holdSeq int
	focused huh.Field

	// The field last given a key, and whether its prefilled text is still
	// untouched: the first letter typed into it replaces it.
	lastField huh.Field
	prefilled common.Prefilled

	// find is the search by name, kept while the page lives so the last
	// query is still there when it is opened again.
	find     *finder
	findKeys findKeys

	submitErrs []string
	lookupErr  error
	sent       store.Application
	sentName   string
}

type keyMap struct {
	Cancel, EditPerson, Submit, Back, Next key.Binding
	PickHeld, PickPushed, Correct, Later   key.Binding
	Clear, Find                            key.Binding
}

type (
	lookedUpMsg struct {
		id       string
		person   *store.Person
		previous *store.Application
		conflict *store.Conflict
		centre   *store.Person
		papers   []store.Overlap
		err      error
	}
	resolvedMsg struct {
		person store.Person
		err    error
	}
	sentMsg struct {
		app store.Application
		err error
	}
	releaseMsg struct{ seq int }
)

// lookupPatience bounds the centre's answer to a look-up: past it the
// clerk enters the person as new, as when offline.
const lookupPatience = 5 * time.Second

// holdFor bounds how long keys are held when neither a field change nor a
// refusal comes. It is a last resort, not the way keys are let go: the
// form's answer releases them, however long a busy machine takes to give
// it, so a short bound would send keys to the field being left.
const holdFor = time.Second

// New builds the intake page, ready for an ID number.
func New(c common.Common) common.Page {
	m := &Model{c: c, places: newPlaces(c.Units)}
	m.keys = keyMap{
		Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("intake.key.cancel"))),
		EditPerson: key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", c.T("intake.key.editperson"))),
		Submit:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("intake.key.submit"))),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("intake.key.edit"))),
		Next:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", c.T("intake.key.next"))),
		PickHeld:   key.NewBinding(key.WithKeys("1"), key.WithHelp("1", c.T("intake.key.pickheld"))),
		PickPushed: key.NewBinding(key.WithKeys("2"), key.WithHelp("2", c.T("intake.key.pickpushed"))),
		Correct:    key.NewBinding(key.WithKeys("3"), key.WithHelp("3", c.T("intake.key.correct"))),
		Later:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("intake.key.later"))),
		Clear:      common.ClearKey(c.T("intake.key.clear")),
		Find:       key.NewBinding(key.WithKeys("ctrl+f"), key.WithHelp("ctrl+f", c.T("intake.key.find"))),
	}
	m.findKeys = newFindKeys(c)
	m.maxDays = store.DefaultMaxDays
	if c.DB != nil {
		m.enterprises, _ = c.DB.Enterprises(c.Ctx)
		m.maxDays = c.DB.MaxDaysByCategory(c.Ctx)
	}
	m.reset()
	return m
}

// reset starts a new intake at the ID number.
func (m *Model) reset() {
	m.step = stepID
	m.holding, m.held = false, nil
	m.v = newValues()
	m.known, m.previous, m.editing, m.cancelArmed = nil, nil, false, false
	m.conflict, m.correcting, m.resolving, m.fromCentre = nil, false, false, nil
	m.papers, m.overlapArmed = nil, false
	m.submitErrs, m.lookupErr = nil, nil
	m.form = m.idForm()
	m.sizeForm()
}

// Init focuses the ID input.
func (m *Model) Init() tea.Cmd { return m.form.Init() }

// SetSize fits the form to the page.
func (m *Model) SetSize(w, h int) {
	m.c.Width, m.c.Height = w, h
	m.sizeForm()
	m.sizeFind()
}

// headerRows are the lines above the form (title, the person summary);
// errorRows are kept free below it for huh's inline validation messages.
const (
	headerRows = 4
	errorRows  = 2
)

func (m *Model) sizeForm() {
	if m.form == nil {
		return
	}
	m.form.WithWidth(min(m.c.Width, 100)).WithHeight(max(m.c.Height-headerRows-errorRows, 4))
}

// Typing is true while the form has focus: digits are an ID number, not a tab.
// At the conflict's choice too: 1, 2 and 3 answer it; and in the search by
// name, whose query takes every letter.
func (m *Model) Typing() bool {
	return m.step == stepID || m.step == stepForm || m.step == stepConflict || m.step == stepFind
}

// KeepsHelp is true at the ID number and in the search's query: neither
// an ID number nor a name holds "?", so there it opens the full help, which
// lists every key the footer has no room for at 80 columns.
func (m *Model) KeepsHelp() bool { return m.step == stepID || m.step == stepFind }

// Update drives the form and the steps around it.
func (m *Model) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	switch msg := msg.(type) {
	case lookedUpMsg:
		if msg.id != m.v.snap().idNumber || m.step != stepID {
			return m, nil
		}
		return m, m.onLookedUp(msg)
	case foundMsg:
		return m, m.onFound(msg)
	case papersReadMsg:
		m.onPapersRead(msg)
		return m, nil
	case tea.PasteMsg:
		if m.step == stepFind {
			return m, m.findInput(msg)
		}
	case sentMsg:
		return m, m.onSent(msg)
	case resolvedMsg:
		return m, m.onResolved(msg)
	case releaseMsg:
		if msg.seq == m.holdSeq && m.holding {
			return m, m.release()
		}
		return m, nil
	case tea.KeyPressMsg:
		if m.holding {
			m.held = append(m.held, msg)
			return m, nil
		}
		if cmd, handled := m.handleKey(msg); handled {
			return m, cmd
		}
	}
	if m.step == stepFind {
		var cmd tea.Cmd
		m.find.input, cmd = m.find.input.Update(msg) // its cursor's blink
		return m, cmd
	}
	if m.step != stepID && m.step != stepForm {
		return m, nil
	}
	wipe := m.replacePrefilled(msg)
	f, cmd := m.form.Update(msg)
	cmd = tea.Batch(wipe, cmd)
	if ff, ok := f.(*huh.Form); ok {
		m.form = ff
	}
	if m.form.State == huh.StateCompleted {
		switch m.step {
		case stepID:
			m.holding = true // until the person is found
			m.holdSeq++
			return m, tea.Batch(cmd, m.lookup())
		case stepForm:
			m.step = stepReview
			m.submitErrs = nil
			if m.holding {
				return m, tea.Batch(cmd, m.release())
			}
			return m, cmd
		}
	}
	key, isKey := msg.(tea.KeyPressMsg)
	switch {
	case isKey && cmd != nil && (key.Code == tea.KeyEnter || key.Code == tea.KeyTab):
		// The form moves to the next field through cmd: hold what comes next.
		m.focused = m.form.GetFocusedField()
		return m, tea.Batch(cmd, m.hold())
	case !isKey && m.holding && m.step == stepForm && m.form.GetFocusedField() != m.focused:
		return m, tea.Batch(cmd, m.release())
	case !isKey && m.holding && m.step == stepForm && len(m.form.Errors()) > 0:
		// The form refused to move on (a field of the group is wrong): the
		// held keys belong to the field that still has focus.
		return m, tea.Batch(cmd, m.release())
	}
	return m, cmd
}

// replacePrefilled empties the focused input before msg reaches it when
// msg is the first letter typed or pasted into its prefilled text.
func (m *Model) replacePrefilled(msg tea.Msg) tea.Cmd {
	switch msg.(type) {
	case tea.KeyPressMsg, tea.PasteMsg:
	default:
		return nil
	}
	field := m.form.GetFocusedField()
	if field != m.lastField {
		m.lastField = field
		value := ""
		if in, ok := field.(*huh.Input); ok {
			value, _ = in.GetValue().(string)
		}
		m.prefilled.Arm(value) // a choice among options is not text to replace
	}
	if !m.prefilled.Replaces(msg) {
		return nil
	}
	var cmds []tea.Cmd
	for _, k := range common.Clearing {
		f, cmd := m.form.Update(k)
		if ff, ok := f.(*huh.Form); ok {
			m.form = ff
		}
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// hold starts holding keys, with a timer that lets them go regardless.
func (m *Model) hold() tea.Cmd {
	m.holding = true
	m.holdSeq++
	seq := m.holdSeq
	return m.c.After(holdFor, releaseMsg{seq})
}

// release replays the held keys in order.
func (m *Model) release() tea.Cmd {
	m.holding = false
	held := m.held
	m.held = nil
	var cmds []tea.Cmd
	for i, k := range held {
		_, cmd := m.Update(k)
		cmds = append(cmds, cmd)
		if m.holding { // the replayed key moved the form on: hold the rest again
			m.held = append(m.held, held[i+1:]...)
			break
		}
	}
	return tea.Batch(cmds...)
}

// handleKey takes the keys that belong to the page rather than the form.
func (m *Model) handleKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if key.Matches(msg, m.keys.Find) && m.canFind() {
		return m.openFind(), true
	}
	switch m.step {
	case stepFind, stepFindPerson:
		return m.findKey(msg), true
	case stepForm:
		armed := m.cancelArmed
		m.cancelArmed = false
		switch {
		case key.Matches(msg, m.keys.Cancel) && armed:
			m.reset()
			return m.form.Init(), true
		case key.Matches(msg, m.keys.Cancel):
			m.cancelArmed = true
			return nil, true
		case key.Matches(msg, m.keys.EditPerson) && m.known != nil && !m.editing:
			m.editing = true
			return m.startForm(), true
		}
	case stepID:
		if key.Matches(msg, m.keys.Cancel) {
			m.reset()
			return m.form.Init(), true
		}
	case stepReview:
		switch {
		case key.Matches(msg, m.keys.Submit) && len(m.overlapping()) > 0 && !m.overlapArmed:
			m.overlapArmed = true // the warning is on screen: enter again sends it
			return nil, true
		case key.Matches(msg, m.keys.Submit):
			return m.submit(), true
		case key.Matches(msg, m.keys.Back):
			m.overlapArmed = false
			return m.startForm(), true
		}
		return nil, true
	case stepDone:
		if key.Matches(msg, m.keys.Next) {
			m.reset()
			return m.form.Init(), true
		}
		return nil, true
	case stepSending:
		return nil, true
	case stepConflict:
		switch {
		case m.resolving:
		case key.Matches(msg, m.keys.PickHeld):
			return m.resolve(m.conflict.Held), true
		case key.Matches(msg, m.keys.PickPushed):
			return m.resolve(m.conflict.Pushed), true
		case key.Matches(msg, m.keys.Correct):
			m.editing, m.correcting = true, true
			return m.startForm(), true
		case key.Matches(msg, m.keys.Later):
			m.conflict = nil
			return m.startForm(), true
		}
		return nil, true
	}
	return nil, false
}

// lookup finds the person by ID number, with their latest application.
func (m *Model) lookup() tea.Cmd {
	id := strings.TrimSpace(m.v.snap().idNumber)
	guard(m.v, &m.v.idNumber).Set(id)
	db, ctx, syncer := m.c.DB, m.c.Ctx, m.c.Syncer
	return m.c.Run(func() tea.Msg {
		p, err := db.PersonByIDNumber(ctx, id)
		if store.ErrorCode(err) == store.ENotFound {
			// A new number here may be a person another desk of the unit
			// already took in: asked at the centre while online, so the
			// desk does not make a second, different record of them.
			if l, ok := syncer.(common.PersonLookup); ok && syncer.SyncState().Online {
				lctx, cancel := context.WithTimeout(ctx, lookupPatience)
				cp, found, err := l.LookupPerson(lctx, id)
				cancel()
				if err == nil && found && cp.IDNumber == id {
					return lookedUpMsg{id: id, centre: &cp}
				}
			}
			return lookedUpMsg{id: id}
		}
		if err != nil {
			return lookedUpMsg{id: id, err: err}
		}
		out := lookedUpMsg{id: id, person: &p}
		if apps, err := db.ApplicationsOf(ctx, p.ID); err == nil && len(apps) > 0 {
			out.previous = &apps[0]
		}
		if cs, err := db.ConflictsOf(ctx, id); err == nil {
			for i := range cs {
				if cs[i].Kind == "person" && cs[i].Held != nil && cs[i].Pushed != nil {
					out.conflict = &cs[i]
					break
				}
			}
		}
		if out.papers, err = db.PapersOf(ctx, p.ID); err != nil {
			out.err = err
		}
		return out
	})
}

func (m *Model) onLookedUp(msg lookedUpMsg) tea.Cmd {
	if msg.err != nil {
		m.lookupErr = msg.err
		m.form = m.idForm()
		m.sizeForm()
		m.holding, m.held = false, nil
		return m.form.Init()
	}
	m.known, m.previous, m.fromCentre, m.papers = msg.person, msg.previous, msg.centre, msg.papers
	m.v.prefill(m.c, m.places, m.known, m.previous, m.enterprises)
	if m.fromCentre != nil {
		m.v.prefill(m.c, m.places, m.fromCentre, nil, m.enterprises)
	}
	if msg.conflict != nil {
		// The choice comes first, and keys typed before it was shown are
		// not taken as an answer to it.
		m.conflict, m.step = msg.conflict, stepConflict
		m.holding, m.held = false, nil
		return nil
	}
	// The form focuses its first field as it starts: keys typed during the
	// look-up go there now.
	start := m.startForm()
	return tea.Batch(start, m.release())
}

// resolve takes one of the two versions as the person's identity, audited
// and queued for the centre, then carries on with the form.
func (m *Model) resolve(chosen *wire.Person) tea.Cmd {
	db, ctx, clerk, cf := m.c.DB, m.c.Ctx, m.c.Officer, *m.conflict
	pick := store.PersonFromWire(*chosen)
	m.resolving = true
	return m.c.Run(func() tea.Msg {
		if err := db.ResolveConflict(ctx, clerk, cf.ID, pick, ""); err != nil {
			return resolvedMsg{err: err}
		}
		p, err := db.PersonByIDNumber(ctx, cf.IDNumber)
		return resolvedMsg{person: p, err: err}
	})
}

func (m *Model) onResolved(msg resolvedMsg) tea.Cmd {
	m.resolving = false
	if msg.err != nil {
		m.step = stepConflict
		m.lookupErr = msg.err
		return nil
	}
	m.lookupErr = nil
	m.conflict, m.known = nil, &msg.person
	m.v.prefill(m.c, m.places, m.known, m.previous, m.enterprises)
	return tea.Batch(m.startForm(), common.Status(common.StatusOK, m.c.Tf("intake.conflict.resolved", msg.person.FullName)))
}

// startForm (re)builds the form from the values and shows it from the top.
func (m *Model) startForm() tea.Cmd {
	m.step = stepForm
	m.form = m.detailsForm()
	m.sizeForm()
	return m.form.Init()
}

// submit sends the application to the store in the background.
func (m *Model) submit() tea.Cmd {
	in, err := m.intake()
	if err != nil {
		m.submitErrs = []string{m.c.ErrorText(err)}
		return nil
	}
	m.step = stepSending
	db, ctx, clerk := m.c.DB, m.c.Ctx, m.c.Officer
	m.sentName = in.Person.FullName
	var resolveID string
	if m.correcting && m.conflict != nil {
		resolveID = m.conflict.ID
	}
	return m.c.Run(func() tea.Msg {
		if resolveID != "" {
			// The details typed are the clerk's resolution: recorded
			// first, so the centre takes them before the person's update.
			if err := db.ResolveConflict(ctx, clerk, resolveID, in.Person, ""); err != nil && store.ErrorCode(err) != store.EConflict {
				return sentMsg{err: err}
			}
		}
		a, err := db.Submit(ctx, clerk, in)
		return sentMsg{app: a, err: err}
	})
}

func (m *Model) onSent(msg sentMsg) tea.Cmd {
	if msg.err != nil {
		m.step = stepReview
		m.submitErrs = m.storeErrors(msg.err)
		return nil
	}
	m.step = stepDone
	m.sent = msg.app
	return common.Status(common.StatusOK, m.c.Tf("intake.done.status", msg.app.Number, m.c.UnitName(msg.app.QueueUnit)))
}

// storeErrors lists every problem the store found, field by field, in the
// desk's language.
func (m *Model) storeErrors(err error) []string {
	var list store.ValidationErrors
	if errors.As(err, &list) {
		out := make([]string, len(list))
		for i, e := range list {
			out[i] = e.Text(m.c.English())
		}
		return out
	}
	return []string{m.c.ErrorText(err)}
}

// intake turns the values into what db.Submit takes.
func (m *Model) intake() (store.Intake, error) {
	v := m.v
	var p store.Person
	if m.known != nil && !m.editing {
		p = *m.known
	} else {
		var err error
		if p, err = v.snap().person(m.places); err != nil {
			return store.Intake{}, err
		}
		if m.known != nil {
			p.ID = m.known.ID
		} else if m.fromCentre != nil {
			p.ID = m.fromCentre.ID // the centre's own: no alias to keep
		}
	}
	a, err := m.application()
	if err != nil {
		return store.Intake{}, err
	}
	switch a.Category {
	case store.CatWorker:
		p.EnterpriseID = a.EnterpriseID
	case store.CatOfficial:
		p.Employer = a.Employer
	case store.CatForces:
		p.CommandCentre = a.CommandCentre
	}
	return store.Intake{Person: p, Application: a}, nil
}

// overlapping lists the person's papers of the new application's category
// whose dates overlap it: the review warns of them (one valid paper per
// purpose; the approver would have to give a reason).
func (m *Model) overlapping() []store.Overlap {
	if len(m.papers) == 0 {
		return nil
	}
	a, err := m.application()
	if err != nil {
		return nil
	}
	return store.OverlapsWith(m.papers, a.Category, a.ValidFrom, a.ValidUntil)
}

// today is the store's date today, Vietnam time.
func (m *Model) today() time.Time { return store.StartOfDay(m.c.Now()) }

// ShortHelp shows the form's own keys, then the page's.
func (m *Model) ShortHelp() []key.Binding {
	switch m.step {
	case stepID:
		return append(m.form.KeyBinds(), m.keys.Find, m.keys.Cancel)
	case stepForm:
		keys := m.form.KeyBinds()
		if _, ok := m.form.GetFocusedField().(*huh.Input); ok {
			keys = append(keys, m.keys.Clear)
		}
		keys = append(keys, m.keys.Cancel)
		if m.known != nil && !m.editing {
			keys = append(keys, m.keys.EditPerson)
		}
		return append(keys, m.keys.Find)
	case stepReview:
		return []key.Binding{m.keys.Submit, m.keys.Back}
	case stepDone:
		return []key.Binding{m.keys.Next}
	case stepConflict:
		return []key.Binding{m.keys.PickHeld, m.keys.PickPushed, m.keys.Correct, m.keys.Later}
	case stepFind, stepFindPerson:
		return m.findShortHelp()
	}
	return nil
}

// FullHelp is the short help in one column.
func (m *Model) FullHelp() [][]key.Binding {
	if m.step == stepFind || m.step == stepFindPerson {
		return m.findFullHelp()
	}
	return [][]key.Binding{m.ShortHelp()}
}
