// Package queue is the approval queue (Hàng chờ): every application the
// officer's unit must decide, as a table that draws only the rows on screen,
// with a filter, marks, and bulk approve / reject / forward that run in the
// background while the screen stays responsive.
//
// Its room is the screen. Who may decide what is the store's answer
// (store.QueueItem.Authority), shown here and enforced again by the store on
// every decision; this package repeats no rule (duplicates, ≡, and homes
// outside the area, !, are the store's marks too). It never signs, numbers
// or writes a record except through db.ApproveOverlapping, db.Reject and
// db.Forward.
package queue

import (
	"cmp"
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/tui/common"
	"thonghanh/tui/components/table"
)

// ChunkSize is how many applications one db.Approve call signs: big enough
// that a transaction's fixed cost is spread thin, small enough that the
// progress bar moves and a cancel stops within a fraction of a second.
const ChunkSize = 500

// filterDelay debounces the filter: a 100,000-row queue is filtered once the
// clerk pauses, not on every letter.
const filterDelay = 120 * time.Millisecond

// The queue's own modes, after the list, the reason and the detail every
// table page has.
const (
	modeConfirmApprove = table.ModeOwn + iota
	modeConfirmForward
	modeRefusals
)

// Model is the queue page.
type Model struct {
	c    common.Common
	keys keyMap

	tbl table.Table[store.QueueItem] // marks by application ID
	table.Inputs
	category int    // 0 = every category
	source   string // "" = every source

	loading bool
	loaded  bool
	loadErr error

	targets []string // IDs the open confirmation acts on
	summary string   // what the open dialog says about them
	dups    int      // how many of the approval's targets are duplicates (≡)
	why     string   // what the open reason is for: queue.reject or queue.overlap

	detail *detail

	bulk   *bulkRun
	done   map[string]bool // approved during the current run, shown ✔
	result *outcome        // last bulk result, shown under the table
	scroll int             // first line of the refusals view
}

type detail struct {
	item      store.QueueItem
	app       store.Application
	person    store.Person
	workplace string // the enterprise, agency or command centre, by name
	err       error
}

// bulkRun is an approval working through its IDs chunk by chunk.
type bulkRun struct {
	ids    []string
	reason string // why duplicates are issued anyway; "" refuses them
	next   int
	ctx    context.Context
	cancel context.CancelFunc
	out    outcome
}

// outcome is what a bulk decision did.
type outcome struct {
	verb     string // queue.done.approve / reject / forward
	total    int
	ok       int
	refused  []refusal
	err      error // the run stopped on this
	canceled bool
}

type refusal struct {
	id, number, name string
	err              error
}

type (
	loadedMsg struct {
		items []store.QueueItem
		err   error
	}
	chunkMsg struct {
		results []store.DecisionResult
		err     error
	}
	decidedMsg struct {
		verb    string
		results []store.DecisionResult
		err     error
	}
	detailMsg detail
)

// New builds the queue page; it loads the queue in Init.
func New(c common.Common) common.Page {
	m := &Model{c: c, done: map[string]bool{}}
	m.tbl = table.New(func(it *store.QueueItem) string { return it.ID })
	m.keys = newKeyMap(c)
	m.Inputs = table.NewInputs(c, c.T("queue.filter.placeholder"), filterDelay)
	m.SetSize(c.Width, c.Height)
	return m
}

// NewWithItems builds the page over a queue already in memory (benchmarks,
// tests); it does not load from the store until reloaded.
func NewWithItems(c common.Common, items []store.QueueItem) *Model {
	m := New(c).(*Model)
	m.setItems(items)
	m.loaded = true
	return m
}

// Init loads the queue.
func (m *Model) Init() tea.Cmd { return m.load() }

// Activate reloads when the tab is shown: a clerk at the same desk may have
// added walk-ins since.
func (m *Model) Activate() tea.Cmd {
	if m.bulk != nil || m.loading {
		return nil
	}
	return m.load()
}

func (m *Model) load() tea.Cmd {
	if m.c.DB == nil {
		return nil
	}
	m.loading = true
	db, ctx, unit := m.c.DB, m.c.Ctx, m.c.Officer.Unit
	return m.c.Run(func() tea.Msg {
		items, err := db.Queue(ctx, unit)
		return loadedMsg{items, err}
	})
}

func (m *Model) setItems(items []store.QueueItem) {
	m.tbl.SetRows(items, m.matcher(m.Filter.Applied).ok)
	m.tbl.PruneMarks() // decided applications left the queue for good
}

// SetSize lays the table out.
func (m *Model) SetSize(w, h int) {
	m.c.Width, m.c.Height = w, h
	m.tbl.SetHeight(m.tableRows())
	m.Progress.SetWidth(max(min(w-4, 60), 10))
	m.Filter.Input.SetWidth(max(w-50, 10))
	m.Reason.Input.SetWidth(max(min(w-8, 70), 10))
}

// Rows above and below the table: title, filter bar, column header; cursor
// detail and progress/result.
const (
	topRows    = 3
	bottomRows = 2
)

func (m *Model) tableRows() int { return max(m.c.Height-topRows-bottomRows, 1) }

// Typing is true while the filter or the reason input has focus.
func (m *Model) Typing() bool { return m.Inputs.Typing() }

// Update handles keys and background results.
func (m *Model) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	if handled, apply, cmd := m.Inputs.Update(m.c, msg); handled {
		if apply {
			m.refilter(true)
		}
		return m, cmd
	}
	switch msg := msg.(type) {
	case loadedMsg:
		m.loading = false
		m.loaded = true
		m.loadErr = msg.err
		if msg.err == nil {
			m.setItems(msg.items)
		}
		return m, nil
	case chunkMsg:
		return m, m.onChunk(msg)
	case decidedMsg:
		return m, m.onDecided(msg)
	case detailMsg:
		d := detail(msg)
		m.detail = &d
		return m, nil
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if handled, cmd := m.Overlay(k.Keys, msg, m.c.T(cmp.Or(m.why, "queue.reject")+".required")); handled {
		if m.Mode == table.ModeList {
			m.detail = nil
		}
		return cmd
	}
	switch m.Mode {
	case modeConfirmApprove, modeConfirmForward:
		switch {
		case m.Mode == modeConfirmApprove && m.dups > 0 && key.Matches(msg, k.OverlapReason):
			m.Mode, m.why = table.ModeReason, "queue.overlap"
			ids := m.targets
			m.targets = nil
			return m.Reason.OpenFor(ids, func(ids []string, reason string) tea.Cmd { return m.startApprove(ids, reason) })
		case key.Matches(msg, k.Confirm):
			forward, ids := m.Mode == modeConfirmForward, m.targets
			m.Mode, m.targets = table.ModeList, nil
			if forward {
				return m.forward(ids)
			}
			return m.startApprove(ids, "")
		case key.Matches(msg, k.Cancel):
			m.Mode, m.targets = table.ModeList, nil
		}
		return nil
	case modeRefusals:
		switch {
		case key.Matches(msg, k.Close, k.Refusals):
			m.Mode = table.ModeList
		case key.Matches(msg, k.Down):
			m.scroll++
		case key.Matches(msg, k.Up):
			m.scroll = max(m.scroll-1, 0)
		}
		return nil
	}

	// While the filter has focus only the arrows get here (j and k are
	// letters): they move through the results.
	if m.tbl.HandleKey(k.ListKeys, msg) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Back):
		if len(m.tbl.Marks) > 0 {
			m.tbl.Marks.Clear()
		} else if m.bulk != nil {
			m.bulk.cancel()
		}
	case key.Matches(msg, k.Filter):
		return m.Filter.Focus()
	case key.Matches(msg, k.Category):
		m.category = (m.category + 1) % 6
		m.refilter(false)
	case key.Matches(msg, k.Source):
		m.source = map[string]string{"": store.SourceWalkIn, store.SourceWalkIn: store.SourceOnline, store.SourceOnline: ""}[m.source]
		m.refilter(false)
	case key.Matches(msg, k.Open):
		return m.openDetail()
	case key.Matches(msg, k.Approve):
		return m.askApprove()
	case key.Matches(msg, k.Reject):
		return m.askReject()
	case key.Matches(msg, k.Forward):
		return m.askForward()
	case key.Matches(msg, k.Refusals):
		if m.result != nil && len(m.result.refused) > 0 {
			m.Mode, m.scroll = modeRefusals, 0
		}
	case key.Matches(msg, k.Reload):
		if m.bulk == nil {
			return m.load()
		}
	}
	return nil
}

func (m *Model) cursorItem() (store.QueueItem, bool) {
	if it, ok := m.tbl.Cursor(); ok {
		return *it, true
	}
	return store.QueueItem{}, false
}

// targetItems is what an action applies to: the marked rows (in queue
// order, including marked rows the filter hides), or else the cursor row.
func (m *Model) targetItems(cursorOnly bool) []store.QueueItem { return m.tbl.TargetsOf(cursorOnly) }

// scoped runs act once the clerk has said, when marked rows are hidden by
// the filter, whether it is for them or only the cursor's row.
func (m *Model) scoped(act func(cursorOnly bool) tea.Cmd) tea.Cmd {
	return m.Scoped(m.tbl.HiddenMarks(), len(m.tbl.Marks), act)
}

func (m *Model) busy() tea.Cmd {
	return common.Status(common.StatusWarn, m.c.T("queue.busy"))
}

func (m *Model) askApprove() tea.Cmd { return m.scoped(m.approveFor) }

func (m *Model) approveFor(cursorOnly bool) tea.Cmd {
	if m.bulk != nil {
		return m.busy()
	}
	if m.c.Signer == nil {
		return common.Status(common.StatusError, m.c.T("queue.nosigner"))
	}
	var ok []store.QueueItem
	skipped, dups, away := 0, 0, 0
	for _, it := range m.targetItems(cursorOnly) {
		if it.Authority.Allowed {
			ok = append(ok, it)
			if it.Duplicate {
				dups++
			}
			if it.HomeOutside {
				away++
			}
		} else {
			skipped++
		}
	}
	if len(ok) == 0 {
		return common.Status(common.StatusWarn, m.c.T("queue.approve.none"))
	}
	m.Mode = modeConfirmApprove
	m.targets, m.dups = ids(ok), dups
	m.summary = m.c.Tf("queue.approve.confirm", m.c.Lang.Int(len(ok)), m.categories(ok))
	if dups > 0 {
		m.summary += "\n" + m.c.Tf("queue.approve.duplicates", m.c.Lang.Int(dups))
	}
	if away > 0 {
		m.summary += "\n" + m.c.Tf("queue.approve.homeoutside", m.c.Lang.Int(away))
	}
	if skipped > 0 {
		m.summary += "\n" + m.c.Tf("queue.approve.skipped", m.c.Lang.Int(skipped))
	}
	if hidden := m.hiddenMarks(); hidden > 0 && !cursorOnly {
		m.summary += "\n" + m.c.Tf("queue.hiddenmarks", m.c.Lang.Int(hidden))
	}
	return nil
}

func (m *Model) askForward() tea.Cmd { return m.scoped(m.forwardFor) }

func (m *Model) forwardFor(cursorOnly bool) tea.Cmd {
	if m.bulk != nil {
		return m.busy()
	}
	var ok []store.QueueItem
	to := map[uint32]int{}
	for _, it := range m.targetItems(cursorOnly) {
		if it.Authority.Forward {
			ok = append(ok, it)
			to[it.Authority.ForwardTo]++
		}
	}
	if len(ok) == 0 {
		return common.Status(common.StatusWarn, m.c.T("queue.forward.none"))
	}
	var dest []string
	for code, n := range to {
		dest = append(dest, m.c.UnitName(code)+" ("+m.c.Lang.Int(n)+")")
	}
	sort.Strings(dest)
	m.Mode = modeConfirmForward
	m.targets = ids(ok)
	m.summary = m.c.Tf("queue.forward.confirm", m.c.Lang.Int(len(ok)), strings.Join(dest, ", "))
	return nil
}

func (m *Model) askReject() tea.Cmd { return m.scoped(m.rejectFor) }

func (m *Model) rejectFor(cursorOnly bool) tea.Cmd {
	if m.bulk != nil {
		return m.busy()
	}
	var ok []store.QueueItem
	for _, it := range m.targetItems(cursorOnly) {
		if it.Authority.MayReject() {
			ok = append(ok, it)
		}
	}
	if len(ok) == 0 {
		return common.Status(common.StatusWarn, m.c.T("queue.reject.none"))
	}
	m.Mode, m.why = table.ModeReason, "queue.reject"
	m.summary = m.c.Tf("queue.reject.confirm", m.c.Lang.Int(len(ok)), m.categories(ok))
	return m.Reason.OpenFor(ids(ok), m.reject)
}

func (m *Model) hiddenMarks() int { return m.tbl.HiddenMarks() }

// categories says which categories a batch holds: "loại 4 × 20, loại 5 × 17".
func (m *Model) categories(items []store.QueueItem) string {
	var n [6]int
	for _, it := range items {
		if it.Category >= 1 && it.Category <= 5 {
			n[it.Category]++
		}
	}
	var parts []string
	for c := 1; c <= 5; c++ {
		if n[c] > 0 {
			parts = append(parts, m.c.Tf("queue.catcount", c, m.c.Lang.Int(n[c])))
		}
	}
	return strings.Join(parts, ", ")
}

func ids(items []store.QueueItem) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.ID
	}
	return out
}

// startApprove begins a bulk approval: chunks of ChunkSize, one after the
// other, each a tea.Cmd, so the screen keeps answering keys meanwhile. With
// a reason, duplicates (≡) are issued too and the reason audited.
func (m *Model) startApprove(ids []string, reason string) tea.Cmd {
	ctx, cancel := context.WithCancel(m.c.Ctx)
	m.bulk = &bulkRun{ids: ids, reason: reason, ctx: ctx, cancel: cancel, out: outcome{verb: "queue.done.approve", total: len(ids)}}
	m.result = nil
	clear(m.done)
	return m.nextChunk()
}

func (m *Model) nextChunk() tea.Cmd {
	b := m.bulk
	chunk := b.ids[b.next:min(b.next+ChunkSize, len(b.ids))]
	b.next += len(chunk)
	db, officer, signer := m.c.DB, m.c.Officer, m.c.Signer
	return m.c.Run(func() tea.Msg {
		res, err := db.ApproveOverlapping(b.ctx, officer, signer, chunk, b.reason)
		return chunkMsg{results: res, err: err}
	})
}

func (m *Model) onChunk(msg chunkMsg) tea.Cmd {
	b := m.bulk
	if b == nil {
		return nil
	}
	m.tally(&b.out, msg.results)
	for _, r := range msg.results {
		if r.Err == nil {
			m.done[r.ApplicationID] = true
			delete(m.tbl.Marks, r.ApplicationID)
		}
	}
	switch {
	case msg.err != nil:
		if errors.Is(msg.err, context.Canceled) {
			b.out.canceled = true
		} else {
			b.out.err = msg.err
		}
	case b.ctx.Err() != nil:
		b.out.canceled = true
	case b.next < len(b.ids):
		return m.nextChunk()
	}
	return m.finish(&b.out)
}

func (m *Model) tally(out *outcome, results []store.DecisionResult) {
	first := len(out.refused)
	named := map[string][]int{} // refused ID → its places in out.refused
	for _, r := range results {
		if r.Err == nil {
			out.ok++
			continue
		}
		named[r.ApplicationID] = append(named[r.ApplicationID], len(out.refused))
		out.refused = append(out.refused, refusal{id: r.ApplicationID, err: r.Err})
	}
	if len(out.refused) == first {
		return
	}
	// One pass over the queue names them all (a chunk's many refusals
	// against 100,000 rows would otherwise be a scan each).
	for _, it := range m.tbl.Rows() {
		for _, i := range named[it.ID] {
			out.refused[i].number, out.refused[i].name = it.Number, it.Name
		}
	}
}

// finish ends a decision: the summary stays under the table, the queue
// reloads from the store (the source of truth), the marks of decided rows go.
func (m *Model) finish(out *outcome) tea.Cmd {
	if m.bulk != nil {
		m.bulk.cancel()
		m.bulk = nil
	}
	m.result = out
	if out.total > len(out.refused) {
		m.c.SyncSoon()
	}
	kind := common.StatusOK
	switch {
	case out.err != nil:
		kind = common.StatusError
	case len(out.refused) > 0 || out.canceled:
		kind = common.StatusWarn
	}
	if kind == common.StatusOK {
		return m.load() // the result line under the table says it
	}
	return tea.Batch(m.load(), common.Status(kind, m.resultLine(out)))
}

func (m *Model) reject(ids []string, reason string) tea.Cmd {
	db, ctx, officer := m.c.DB, m.c.Ctx, m.c.Officer
	return m.c.Run(func() tea.Msg {
		res, err := db.Reject(ctx, officer, ids, reason)
		return decidedMsg{verb: "queue.done.reject", results: res, err: err}
	})
}

func (m *Model) forward(ids []string) tea.Cmd {
	db, ctx, officer := m.c.DB, m.c.Ctx, m.c.Officer
	return m.c.Run(func() tea.Msg {
		res, err := db.Forward(ctx, officer, ids)
		return decidedMsg{verb: "queue.done.forward", results: res, err: err}
	})
}

func (m *Model) onDecided(msg decidedMsg) tea.Cmd {
	out := outcome{verb: msg.verb, total: len(msg.results), err: msg.err}
	m.tally(&out, msg.results)
	for _, r := range msg.results {
		if r.Err == nil {
			delete(m.tbl.Marks, r.ApplicationID)
		}
	}
	return m.finish(&out)
}

func (m *Model) openDetail() tea.Cmd {
	it, ok := m.cursorItem()
	if !ok {
		return nil
	}
	m.Mode = table.ModeDetail
	m.detail = &detail{item: it}
	db, ctx := m.c.DB, m.c.Ctx
	if db == nil {
		return nil
	}
	return m.c.Run(func() tea.Msg {
		d := detailMsg{item: it}
		d.app, d.err = db.Application(ctx, it.ID)
		if d.err == nil {
			d.person, d.err = db.Person(ctx, d.app.PersonID)
		}
		if d.err == nil && d.app.Category == store.CatWorker && d.app.EnterpriseID != "" {
			d.workplace = d.app.EnterpriseID
			if e, err := db.Enterprise(ctx, d.app.EnterpriseID); err == nil {
				d.workplace = e.Name
			}
		}
		return d
	})
}

// applyFilter rebuilds the slice of visible indices. When the clerk only
// added letters to the query, it narrows the current view instead of
// scanning the whole queue again.
func (m *Model) applyFilter(fromInput bool, keep string) {
	q := m.Filter.Applied
	if fromInput {
		q = m.Filter.Value()
	}
	narrowing := fromInput && m.Filter.Applied != "" && strings.HasPrefix(q, m.Filter.Applied) && m.tbl.Filtered()
	m.Filter.Applied = q
	m.tbl.Filter(m.matcher(q).ok, narrowing, keep)
}

// refilter reapplies the filter keeping the cursor on its row.
func (m *Model) refilter(fromInput bool) {
	m.applyFilter(fromInput, m.tbl.CursorID())
}

func (m *Model) matcher(q string) *matcher {
	f := newMatcher(q, m.category, m.source)
	return &f
}

// matcher is one filter: folded name words (each a prefix of a word of the
// name), an ID-number prefix or an application's number (HS28291-1-304,
// the number the applicant keeps; any part of it), plus category and source.
type matcher struct {
	digits   string
	number   string
	words    []string
	category int
	source   string
}

func newMatcher(q string, category int, source string) matcher {
	m := matcher{category: category, source: source}
	if q == "" {
		return m
	}
	switch {
	case isDigits(q):
		m.digits = q
	case isNumber(q):
		m.number = strings.ToUpper(q)
	default:
		m.words = strings.Fields(store.Fold(q))
	}
	return m
}

func (f *matcher) ok(it *store.QueueItem) bool {
	if f.category != 0 && it.Category != f.category {
		return false
	}
	if f.source != "" && it.Source != f.source {
		return false
	}
	if f.digits != "" {
		return strings.HasPrefix(it.IDNumber, f.digits)
	}
	if f.number != "" {
		return strings.Contains(it.Number, f.number)
	}
	for _, w := range f.words {
		if !strings.HasPrefix(it.Folded, w) && !strings.Contains(it.Folded, " "+w) {
			return false
		}
	}
	return true
}

// isNumber reports whether q is (part of) an application's number: "HS"
// then digits, or digits and dashes with a dash among them ("1-304").
func isNumber(q string) bool {
	rest, hs := strings.CutPrefix(strings.ToUpper(q), "HS")
	if rest == "" {
		return false
	}
	dash := false
	for _, r := range rest {
		switch {
		case r == '-':
			dash = true
		case r < '0' || r > '9':
			return false
		}
	}
	return hs || dash
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// ShortHelp lists the main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.Mode {
	case modeConfirmApprove, modeConfirmForward:
		if m.Mode == modeConfirmApprove && m.dups > 0 {
			return []key.Binding{k.Confirm, k.OverlapReason, k.Cancel}
		}
		return []key.Binding{k.Confirm, k.Cancel}
	case table.ModeReason:
		return []key.Binding{k.SubmitReason, k.CancelInput}
	case table.ModeDetail, modeRefusals:
		return []key.Binding{k.Close}
	case table.ModeScope:
		return table.ScopeKeys(m.c)
	}
	if m.Filter.Active {
		return []key.Binding{k.ApplyFilter, k.CancelInput}
	}
	if len(m.tbl.Marks) > 0 {
		return []key.Binding{k.Back, k.Approve, k.Reject, k.Forward, k.Filter, k.Open}
	}
	return []key.Binding{k.Mark, k.Approve, k.Reject, k.Forward, k.Filter, k.Open}
}

// FullHelp lists every key, in columns.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return append(k.MoveHelp(),
		[]key.Binding{k.Filter, k.Category, k.Source, k.Reload},
		[]key.Binding{k.Open, k.Approve, k.Reject, k.Forward, k.Refusals})
}

func (m *Model) find(id string) (store.QueueItem, bool) {
	for _, it := range m.tbl.Rows() {
		if it.ID == id {
			return it, true
		}
	}
	return store.QueueItem{}, false
}
