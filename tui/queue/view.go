package queue

import (
	"cmp"
	"errors"
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"thonghanh/store"
	"thonghanh/tui/common"
	"thonghanh/tui/components/table"
)

type keyMap struct {
	table.Keys
	Category, Source, Approve, Reject, Forward key.Binding
	Refusals, Confirm, Cancel, OverlapReason   key.Binding
}

func newKeyMap(c common.Common) keyMap {
	shared := table.NewKeys(c, table.KeysHelp{Back: c.T("queue.key.unmark"), ApplyFilter: c.T("queue.key.applyfilter"),
		Reload: c.T("queue.key.reload"), SubmitReason: c.T("queue.key.submitreason"), Close: []string{"esc", "enter"}})
	k := c.Keys
	if k == nil {
		k = common.NewKeyMap(c.Lang)
	}
	return keyMap{
		Keys:     shared,
		Category: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", c.T("queue.key.category"))),
		Source:   key.NewBinding(key.WithKeys("n"), key.WithHelp("n", c.T("queue.key.source"))),
		Approve:  key.NewBinding(key.WithKeys("a"), key.WithHelp("a", c.T("queue.key.approve"))),
		Reject:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", c.T("queue.key.reject"))),
		Forward:  key.NewBinding(key.WithKeys("f"), key.WithHelp("f", c.T("queue.key.forward"))),
		Refusals: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", c.T("queue.key.refusals"))),
		Confirm:  k.Confirm,
		// In the approval's confirmation: a reason, and the duplicates too.
		OverlapReason: key.NewBinding(key.WithKeys("l"), key.WithHelp("l", c.T("queue.key.overlapreason"))),
		Cancel:        k.Cancel,
	}
}

// columns are the table's widths for the current terminal width.
type columns struct {
	name, number, note int
}

// Fixed columns: cursor, mark, icon (5), ID number (12+1), category (4+1),
// source (5+1), validity "22/09–27/09" (11+1).
const fixedWidth = 5 + 13 + 5 + 6 + 12

func (m *Model) columns() columns {
	rest := m.c.Width - fixedWidth
	var c columns
	if rest >= 20+17 { // the number the applicant is told to keep shows from 80 columns on
		c.number = 16
		rest -= c.number + 1
	}
	if rest >= 30+20 {
		c.name = 30
		c.note = rest - 30 - 1
	} else {
		c.name = max(rest, 8)
	}
	return c
}

// View draws the page: title, filter bar, the visible rows only, and the
// cursor's detail and the progress or last result underneath.
func (m *Model) View() string {
	switch m.Mode {
	case table.ModeDetail:
		return m.detailView()
	case modeRefusals:
		return m.refusalsView()
	}
	s := m.c.Styles
	var loadErr string
	if m.loadErr != nil {
		loadErr = m.c.T("queue.loaderror")
	}
	cols := m.columns()
	sc := table.Screen{
		Title: s.Title.Render(m.c.Tf("queue.title", m.c.UnitName(m.c.Officer.Unit))),
		Right: table.LoadState(s, loadErr, m.loaded, m.c.T("queue.loading"),
			m.c.Tf("queue.counts", m.c.Lang.Int(len(m.tbl.Rows())), m.c.Lang.Int(m.tbl.Len())),
			m.c.Tf("queue.marked", m.c.Lang.Int(len(m.tbl.Marks)))),
		Filter: m.filterLine(),
		Header: s.TableHeader.Render(m.headerRow(cols)),
		Rows:   m.tableRows(),
		Cursor: m.cursorLine(),
		Bottom: m.progressLine(),
	}
	switch m.Mode {
	case modeConfirmApprove, modeConfirmForward, table.ModeReason:
		sc.Dialog = m.dialogView()
	case table.ModeScope:
		sc.Dialog = m.ScopeDialog(m.c)
	default:
		sc.Body = m.rowsView(cols, sc.Rows)
	}
	return sc.View(m.c.Width)
}

func (m *Model) filterLine() string {
	s := m.c.Styles
	q := m.Filter.View(s, m.c.T("queue.filter.hint"))
	cat := m.c.T("queue.all")
	if m.category != 0 {
		cat = m.c.Tf("queue.cat", m.category)
	}
	src := m.c.T("queue.all")
	if m.source != "" {
		src = m.c.T("queue.source." + m.source)
	}
	right := s.Dim.Render(m.c.T("queue.filter.category")) + pick(s, m.category != 0).Render(cat) +
		s.Dim.Render("  "+m.c.T("queue.filter.source")) + pick(s, m.source != "").Render(src)
	return table.Spread(q, right, m.c.Width)
}

func pick(s *common.Styles, active bool) lipgloss.Style {
	if active {
		return s.Accent
	}
	return s.Bold
}

func (m *Model) headerRow(c columns) string {
	var b strings.Builder
	b.WriteString("     ")
	if c.number > 0 {
		b.WriteString(common.Cell(m.c.T("queue.col.number"), c.number) + " ")
	}
	b.WriteString(common.Cell(m.c.T("queue.col.name"), c.name) + " ")
	b.WriteString(common.Cell(m.c.T("queue.col.id"), 12) + " ")
	b.WriteString(common.Cell(m.c.T("queue.col.cat"), 4) + " ")
	b.WriteString(common.Cell(m.c.T("queue.col.source"), 5) + " ")
	b.WriteString(common.Cell(m.c.T("queue.col.validity"), 11))
	if c.note > 0 {
		b.WriteString(" " + common.Cell(m.c.T("queue.col.note"), c.note))
	}
	return b.String()
}

// rowsView renders rows [Offset, Offset+rows): the cost of a frame does not
// depend on the length of the queue.
func (m *Model) rowsView(c columns, rows int) string {
	var empty string
	if m.tbl.Len() == 0 && m.loaded {
		msg := m.c.T("queue.empty")
		if len(m.tbl.Rows()) > 0 {
			msg = m.c.T("queue.nomatch")
		}
		empty = "  " + m.c.Styles.Dim.Render(msg)
	}
	return m.tbl.Render(rows, empty, func(it *store.QueueItem, cursor, marked bool) string {
		return m.row(it, c, cursor, marked)
	})
}

func (m *Model) row(it *store.QueueItem, c columns, cursor, marked bool) string {
	s := m.c.Styles
	var b strings.Builder
	b.Grow(160)
	b.WriteString(table.Gutter(cursor, marked))
	b.WriteString(" ")
	style := lipgloss.NewStyle()
	switch {
	case m.done[it.ID]:
		b.WriteString("✔")
		style = s.OK
	case it.Authority.Forward:
		b.WriteString("↑")
		style = s.Warn
	case !it.Authority.Allowed:
		b.WriteString("⊘")
		style = s.Dim
	case it.Duplicate:
		b.WriteString("≡")
		style = s.Warn
	case it.HomeOutside:
		b.WriteString("!")
		style = s.Warn
	default:
		b.WriteString(" ")
	}
	b.WriteString(" ")
	if c.number > 0 {
		b.WriteString(common.Cell(it.Number, c.number) + " ")
	}
	b.WriteString(common.Cell(it.Name, c.name) + " ")
	b.WriteString(common.Cell(it.IDNumber, 12) + " ")
	b.WriteString(common.Cell(m.c.Tf("queue.cat", it.Category), 4) + " ")
	b.WriteString(common.Cell(m.c.T("queue.source."+it.Source), 5) + " ")
	b.WriteString(it.ValidFrom.In(store.Vietnam).Format("02/01") + "–" + it.ValidUntil.In(store.Vietnam).Format("02/01"))
	if c.note > 0 && it.Authority.Reason != "" {
		b.WriteString(" " + common.Cell(it.Authority.ReasonText(m.c.English()), c.note))
	} else if c.note > 0 && it.Duplicate {
		b.WriteString(" " + common.Cell(m.c.T("queue.duplicate.short"), c.note))
	}
	return table.Line(s, style, b.String(), m.c.Width, cursor, marked)
}

// cursorLine explains the row under the cursor: why it may not be decided,
// where it must be forwarded, or what it asks for.
func (m *Model) cursorLine() string {
	s := m.c.Styles
	it, ok := m.cursorItem()
	if !ok {
		return ""
	}
	var line string
	switch {
	// What can be done with the row comes first: a narrow screen cuts the
	// reason, never the action.
	case it.Authority.Forward:
		line = s.Warn.Render("↑ " + m.c.Tf("queue.hint.forward", m.c.UnitName(it.Authority.ForwardTo)) + ": " +
			it.Authority.ReasonText(m.c.English()))
	case it.Authority.RejectOnly:
		line = s.Dim.Render("⊘ " + m.c.T("queue.hint.rejectonly") + ": " + it.Authority.ReasonText(m.c.English()))
	case !it.Authority.Allowed:
		line = s.Dim.Render("⊘ " + m.c.T("queue.notallowed") + ": " + it.Authority.ReasonText(m.c.English()))
	case it.Duplicate:
		line = s.Warn.Render("≡ " + m.c.T("queue.duplicate"))
	case it.HomeOutside:
		line = s.Warn.Render("! " + m.c.T("queue.homeoutside") + ": " + m.c.AreaNames(it.Area))
	default:
		line = s.Dim.Render(it.Number + " · " + m.c.PurposeName(it.Purpose) + " · " + m.c.AreaNames(it.Area))
	}
	return common.Truncate(line, m.c.Width)
}

func (m *Model) progressLine() string {
	s := m.c.Styles
	if b := m.bulk; b != nil {
		done := b.out.ok + len(b.out.refused)
		pct := float64(done) / float64(max(b.out.total, 1))
		return m.Progress.ViewAs(pct) + " " + s.Dim.Render(m.c.Tf("queue.progress", m.c.Lang.Int(done), m.c.Lang.Int(b.out.total)))
	}
	if m.result != nil {
		st := s.OK
		if m.result.err != nil {
			st = s.Error
		} else if len(m.result.refused) > 0 || m.result.canceled {
			st = s.Warn
		}
		return common.Truncate(st.Render(m.resultLine(m.result)), m.c.Width)
	}
	return ""
}

// resultLine sums up a decision: how many went through, how many the store
// refused and why, grouped by kind of refusal.
func (m *Model) resultLine(out *outcome) string {
	line := m.c.Tf(out.verb, m.c.Lang.Int(out.ok), m.c.Lang.Int(out.total))
	if len(out.refused) > 0 {
		byKey := map[string]int{}
		for _, r := range out.refused {
			byKey[refusalKey(r.err)]++
		}
		keys := make([]string, 0, len(byKey))
		for k := range byKey {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if byKey[keys[i]] != byKey[keys[j]] {
				return byKey[keys[i]] > byKey[keys[j]]
			}
			return keys[i] < keys[j]
		})
		var why []string
		for _, k := range keys {
			why = append(why, m.c.Lang.Int(byKey[k])+" "+m.c.T(k))
		}
		line += " · " + m.c.Tf("queue.refused", m.c.Lang.Int(len(out.refused)), strings.Join(why, ", "))
	}
	if out.canceled {
		line += " · " + m.c.T("queue.canceled")
	}
	if out.err != nil {
		line += " · " + m.c.T("queue.stopped") + ": " + out.err.Error()
	}
	return line
}

func refusalKey(err error) string {
	if errors.Is(err, store.ErrOverlap) {
		return "queue.refusal.overlap"
	}
	switch store.ErrorCode(err) {
	case store.EForbidden:
		return "queue.refusal.forbidden"
	case store.EConflict:
		return "queue.refusal.conflict"
	case store.ENotFound:
		return "queue.refusal.notfound"
	case store.EInvalid:
		return "queue.refusal.invalid"
	}
	return "queue.refusal.other"
}

func (m *Model) dialogView() string {
	s := m.c.Styles
	var b strings.Builder
	switch m.Mode {
	case modeConfirmApprove:
		b.WriteString(s.Title.Render(m.c.T("queue.approve.title")) + "\n\n")
		b.WriteString(m.summary + "\n\n")
		b.WriteString(s.Dim.Render(m.c.T("queue.confirm.keys")))
	case modeConfirmForward:
		b.WriteString(s.Title.Render(m.c.T("queue.forward.title")) + "\n\n")
		b.WriteString(m.summary + "\n\n")
		b.WriteString(s.Dim.Render(m.c.T("queue.confirm.keys")))
	case table.ModeReason:
		why := cmp.Or(m.why, "queue.reject")
		return m.ReasonDialog(s, m.c.Width, m.c.T(why+".title"), m.summary,
			m.c.T(why+".label"), m.c.T(why+".keys"))
	}
	return table.Dialog(s, m.c.Width, b.String())
}

func (m *Model) detailView() string {
	s := m.c.Styles
	d := m.detail
	if d == nil {
		return ""
	}
	it := d.item
	view := table.NewDetails(s, m.c.T, m.c.Width, m.c.Tf("queue.detail.title", it.Number, m.c.StatusName(it.Status)))
	add := view.Add
	if d.err != nil {
		view.Lines = append(view.Lines, s.Error.Render(m.c.ErrorText(d.err)))
	}
	a, p := d.app, d.person
	if a.ID == "" && d.err == nil {
		view.Lines = append(view.Lines, s.Dim.Render(m.c.T("queue.loading")))
	}
	if a.ID != "" {
		sex := map[string]string{store.SexMale: m.c.T("queue.sex.M"), store.SexFemale: m.c.T("queue.sex.F")}[p.Sex]
		add("queue.detail.person", fmt.Sprintf("%s · %s · %s · %s", p.FullName, p.IDNumber, store.FormatDate(p.BirthDate), sex))
		add("queue.detail.home", common.JoinNonEmpty(", ", p.Address, p.Hamlet, m.c.Units.Name(p.Commune)))
		add("queue.detail.phone", p.Phone)
		add("queue.detail.category", fmt.Sprintf("%d · %s", a.Category, m.c.CategoryName(a.Category)))
		add("queue.detail.purpose", common.JoinNonEmpty(" — ", m.c.PurposeName(a.Purpose), a.PurposeNote))
		switch {
		case a.Category == store.CatWorker:
			add("queue.detail.workplace", d.workplace)
		case a.Category == store.CatOfficial && a.Employer != 0:
			add("queue.detail.workplace", m.c.Units.Name(a.Employer))
		case a.Category == store.CatForces && a.CommandCentre != 0:
			add("queue.detail.workplace", m.c.Units.Name(a.CommandCentre))
		}
		add("queue.detail.area", m.c.AreaNames(a.Area))
		add("queue.detail.route", a.Route)
		validity := store.FormatDate(a.ValidFrom) + " – " + store.FormatDate(a.ValidUntil)
		if a.HasHours {
			validity += " · " + store.FormatMinutes(a.HoursFrom) + "–" + store.FormatMinutes(a.HoursTo)
		}
		add("queue.detail.validity", validity)
		add("queue.detail.vehicle", a.Vehicle)
		add("queue.detail.source", m.c.T("queue.sourcelong."+a.Source)+" · "+store.FormatDateTime(a.CreatedAt))
	}
	switch {
	case it.Authority.Allowed:
		add("queue.detail.authority", s.OK.Render(m.c.T("queue.detail.allowed")))
	case it.Authority.Forward:
		add("queue.detail.authority", s.Warn.Render("↑ "+it.Authority.ReasonText(m.c.English())))
	default:
		add("queue.detail.authority", s.Dim.Render("⊘ "+it.Authority.ReasonText(m.c.English())))
	}
	return view.View()
}

func (m *Model) refusalsView() string {
	s := m.c.Styles
	out := m.result
	if out == nil {
		return ""
	}
	lines := []string{s.Title.Render(m.c.Tf("queue.refusals.title", m.c.Lang.Int(len(out.refused)))), ""}
	rows := max(m.c.Height-len(lines), 1)
	m.scroll = max(min(m.scroll, len(out.refused)-rows), 0)
	for _, r := range out.refused[m.scroll:min(m.scroll+rows, len(out.refused))] {
		lines = append(lines, common.Truncate(common.Cell(r.number, 16)+" "+common.Cell(r.name, 24)+" "+s.Dim.Render(m.c.ErrorText(r.err)), m.c.Width))
	}
	return strings.Join(lines, "\n")
}
