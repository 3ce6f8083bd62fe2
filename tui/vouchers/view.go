package vouchers

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"thonghanh/store"
	"thonghanh/store/slots"
	"thonghanh/tui/common"
)

// Layout: four lines on top (title, two lines of parameters, a blank), the
// body, and at the bottom the summary, the notice and the progress bar.
const (
	topLines   = 4
	labelWidth = 8 // "  06:00 " before the day columns
	dayWidth   = 6 // " T4 22"
)

// tableHeight is how many table rows (or refused rows) fit in the body
// under its two heading lines.
func (m *Model) tableHeight() int {
	return max(m.c.Height-topLines-len(m.summary())-len(m.noticeLines())-2, 1)
}

func (m *Model) visibleDays() int { return max((m.c.Width-labelWidth)/dayWidth, 1) }

// tableRow is a market's heading (slot < 0) or one of its slots.
type tableRow struct{ market, slot int }

func (m *Model) tableRows() []tableRow {
	if m.plan == nil {
		return nil
	}
	var rows []tableRow
	for i := range m.plan.Markets {
		rows = append(rows, tableRow{i, -1})
		for s := range m.plan.Plan.SlotsPerDay[i] {
			rows = append(rows, tableRow{i, s})
		}
	}
	return rows
}

// View draws the page within Width×Height.
func (m *Model) View() string {
	if m.c.Width <= 0 || m.c.Height <= 0 {
		return ""
	}
	s := m.c.Styles
	title := s.Title.Render(m.c.T("vouchers.title")) + "  " + s.Dim.Render(m.c.UnitName(m.c.Desk.Unit))
	var top, body, bottom []string
	if len(m.zones) == 0 {
		top = []string{title, ""}
		body = wrap(s.Warn, m.c.T("vouchers.nozones"), m.c.Width)
	} else {
		top = []string{title, m.zoneLine(), m.paramLine(), ""}
		body = m.body()
		bottom = m.summary()
	}
	switch m.mode {
	case modeImport:
		body = m.importBody()
	case modeProblems:
		body = m.problemsBody()
	}
	bottom = append(bottom, m.noticeLines()...)

	room := m.c.Height - len(top) - len(bottom)
	if room < 0 {
		bottom = bottom[:max(len(bottom)+room, 0)]
		room = 0
	}
	body = body[:min(len(body), room)]
	for len(body) < room {
		body = append(body, "")
	}
	lines := append(append(top, body...), bottom...)
	lines = lines[:min(len(lines), m.c.Height)]
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, m.c.Width, "…")
	}
	return strings.Join(lines, "\n")
}

func wrap(style lipgloss.Style, text string, width int) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		for _, l := range strings.Split(lipgloss.NewStyle().Width(max(width, 10)).Render(para), "\n") {
			out = append(out, style.Render(strings.TrimRight(l, " ")))
		}
	}
	return out
}

// field renders one parameter: its label, then its value, highlighted with
// ‹ › when it has the cursor, or the text input while it is being typed.
func (m *Model) fieldView(f field, label, value string) string {
	s := m.c.Styles
	if m.field != f {
		return s.Label.Render(label) + " " + value
	}
	if m.mode == modeEdit {
		return s.Label.Render(label) + " " + s.Input.Render(m.input.View())
	}
	return s.Label.Render(label) + " " + s.Cursor.Render("‹"+value+"›")
}

func (m *Model) zoneLine() string {
	z, _ := m.currentZone()
	line := m.fieldView(fieldZone, m.c.T("vouchers.f.zone"), z.Name)
	hamlets := m.c.T("vouchers.wholecommune")
	if len(z.Hamlets) > 0 {
		hamlets = strings.Join(z.Hamlets, ", ")
	}
	if m.plan != nil {
		return line + "  " + m.c.Styles.Dim.Render(m.c.Tf("vouchers.zoneinfo", len(m.plan.Households), len(m.plan.Markets), hamlets))
	}
	return line + "  " + m.c.Styles.Dim.Render(hamlets)
}

func (m *Model) patternName(p slots.Pattern) string {
	if p == slots.Alternate {
		return m.c.T("vouchers.alternate")
	}
	return m.c.T("vouchers.spread")
}

func (m *Model) paramLine() string {
	parts := []string{
		m.fieldView(fieldStart, m.c.T("vouchers.f.start"), store.FormatDate(m.start)),
		m.fieldView(fieldDays, m.c.T("vouchers.f.days"), strconv.Itoa(m.days)),
		m.fieldView(fieldTrips, m.c.T("vouchers.f.trips"), strconv.Itoa(m.trips)),
		m.fieldView(fieldSlot, m.c.T("vouchers.f.slot"), m.c.Tf("vouchers.minutes", m.slotLen)),
		m.fieldView(fieldPattern, m.c.T("vouchers.f.pattern"), m.patternName(m.pattern)),
	}
	return strings.Join(parts, "  ")
}

// body is the preview table, the shortage, or the confirmation.
func (m *Model) body() []string {
	s := m.c.Styles
	if m.mode == modeConfirm && m.plan != nil {
		return m.confirmBody()
	}
	if m.planErr != nil {
		var short *slots.ShortageError
		if errors.As(m.planErr, &short) {
			out := []string{s.Error.Render(m.c.Tf("vouchers.shortage", m.c.Lang.Int(short.Needed), m.c.Lang.Int(short.Available),
				m.c.Lang.Int(short.Needed-short.Available)))}
			return append(out, wrap(s.Warn, short.Error(), m.c.Width)...)
		}
		return wrap(s.Error, m.c.ErrorText(m.planErr), m.c.Width)
	}
	if m.plan == nil {
		if m.planning {
			return []string{s.Dim.Render(m.c.T("vouchers.planning"))}
		}
		return nil
	}
	return m.table()
}

// cellStyle colours a slot by how full it is: green below 70% of the
// capacity, yellow up to it, red above. Red cannot come from slots.Split;
// it is drawn anyway so a broken plan would show rather than hide.
func (m *Model) cellStyle(load, capacity int) lipgloss.Style {
	s := m.c.Styles
	switch {
	case load > capacity:
		return s.Error.Bold(true)
	case load*10 >= capacity*7:
		return s.Warn
	}
	return s.OK
}

func (m *Model) table() []string {
	s := m.c.Styles
	pl := m.plan.Plan
	first := min(m.dayOffset, max(pl.Days-1, 0))
	last := min(first+m.visibleDays(), pl.Days)

	legend := s.Label.Render(m.c.T("vouchers.legend")) + " " + s.OK.Render("■") + " " + m.c.T("vouchers.legend.ok") +
		"  " + s.Warn.Render("■") + " " + m.c.T("vouchers.legend.warn") + "  " + s.Error.Render("■") + " " + m.c.T("vouchers.legend.over")
	if first > 0 || last < pl.Days {
		legend += "  " + s.Dim.Render(m.c.Tf("vouchers.moredays", first+1, last, pl.Days))
	}
	weekdays := strings.Fields(m.c.T("vouchers.weekdays"))
	var head strings.Builder
	head.WriteString(strings.Repeat(" ", labelWidth))
	for d := first; d < last; d++ {
		day := pl.Start.AddDate(0, 0, d)
		head.WriteString(common.CellRight(fmt.Sprintf("%s %02d", weekdays[day.Weekday()], day.Day()), dayWidth))
	}
	out := []string{legend, s.TableHeader.Render(head.String())}

	m.grid.SetHeight(m.tableHeight())
	from, to := m.grid.Win.Visible()
	more := m.grid.Len() - to
	if more > 0 {
		to-- // the last line says how many are left
		more++
	}
	for pos := from; pos < to; pos++ {
		r := m.grid.At(pos)
		mk := m.plan.Markets[r.market]
		if r.slot < 0 {
			out = append(out, s.Bold.Render(m.c.Tf("vouchers.market", mk.Name, mk.Capacity)))
			continue
		}
		var b strings.Builder
		b.WriteString(common.Cell("  "+store.FormatMinutes(mk.OpenMinute+r.slot*pl.SlotMinutes), labelWidth))
		for d := first; d < last; d++ {
			load := pl.Load[r.market][d][r.slot]
			if load == 0 {
				b.WriteString(s.Dim.Render(common.CellRight("·", dayWidth)))
				continue
			}
			b.WriteString(m.cellStyle(load, mk.Capacity).Render(common.CellRight(strconv.Itoa(load), dayWidth)))
		}
		out = append(out, b.String())
	}
	if more > 0 {
		out = append(out, s.Dim.Render(m.c.Tf("vouchers.morerows", more)))
	}
	return out
}

func (m *Model) confirmBody() []string {
	s := m.c.Styles
	pl := m.plan.Plan
	text := m.c.Tf("vouchers.confirm", m.c.Lang.Int(m.plan.Count()), m.c.Lang.Int(len(m.plan.Households)),
		store.FormatDate(pl.Start), store.FormatDate(pl.Start.AddDate(0, 0, pl.Days-1)))
	text += "\n\n" + s.Dim.Render(m.c.T("vouchers.confirm.keys"))
	box := s.Dialog.Width(min(70, m.c.Width)).Render(text)
	return strings.Split(box, "\n")
}

func (m *Model) importBody() []string {
	s := m.c.Styles
	out := []string{s.Bold.Render(m.c.T("vouchers.import")), s.Input.Render("› " + m.input.View()), ""}
	out = append(out, wrap(s.Dim, m.c.T("vouchers.import.hint"), m.c.Width)...)
	return append(out, s.Dim.Render(m.c.T("vouchers.import.keys")))
}

// problemsBody lists every refused row, scrolled with ↑/↓ and pgup/pgdn.
func (m *Model) problemsBody() []string {
	s := m.c.Styles
	out := []string{s.Error.Render(m.c.Tf("vouchers.problems", fileName(m.problemsFile), len(m.problems.Rows())))}
	if m.find.Active || m.find.Applied != "" {
		out[0] = m.find.View(s, "") + "  " + s.Dim.Render(m.c.Tf("vouchers.find.count", m.problems.Len(), len(m.problems.Rows())))
	}
	m.problems.SetHeight(m.tableHeight() + 1)
	from, to := m.problems.Win.Visible()
	for pos := from; pos < to; pos++ {
		out = append(out, "  "+m.problems.At(pos).String())
	}
	return out
}

func fileName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}

// summary is the totals, the fallbacks and the fairness of the preview.
func (m *Model) summary() []string {
	if m.plan == nil || m.planErr != nil || m.mode != modeForm && m.mode != modeEdit {
		return nil
	}
	s := m.c.Styles
	pl := m.plan.Plan
	line := m.c.Tf("vouchers.summary", m.c.Lang.Int(m.plan.Count()), m.c.Lang.Int(len(m.plan.Households)), pl.TripsPerHousehold, pl.Fallbacks)
	if pl.NoHomeMarket > 0 {
		line += m.c.Tf("vouchers.nohome", pl.NoHomeMarket)
	}
	// How far households' average slot strays from the middle of the day
	// (0 = every household as often early as late), said in words.
	f := pl.Fairness()
	even := "vouchers.even.yes"
	switch {
	case f.StdDev >= 0.2:
		even = "vouchers.even.no"
	case f.StdDev >= 0.1:
		even = "vouchers.even.mostly"
	}
	out := []string{s.Accent.Render(line), s.Dim.Render(m.c.Tf("vouchers.fairness", m.c.T(even), f.AlwaysEarly, f.AlwaysLate))}
	if m.plan.AlreadyIssued > 0 {
		out = append(out, s.Warn.Render(m.c.Tf("vouchers.already", m.plan.AlreadyIssued)))
	}
	return out
}

func (m *Model) noticeLines() []string {
	s := m.c.Styles
	var out []string
	if m.printing {
		pct := 0.0
		if m.total > 0 {
			pct = float64(m.done) / float64(m.total)
		}
		out = append(out, m.bar.ViewAs(pct)+"  "+s.Info.Render(m.c.Tf("vouchers.printing", m.done, m.total)))
	}
	if m.notice != "" {
		style := s.Info
		switch m.noticeKind {
		case common.StatusOK:
			style = s.OK
		case common.StatusWarn:
			style = s.Warn
		case common.StatusError:
			style = s.Error
		}
		out = append(out, wrap(style, m.notice, m.c.Width)...)
	}
	return out
}
