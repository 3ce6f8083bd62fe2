package permits

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"thonghanh/store"
	"thonghanh/tui/common"
	"thonghanh/tui/components/table"
)

type keyMap struct {
	table.Keys
	QR, Revoke, Print key.Binding
}

func newKeyMap(c common.Common) keyMap {
	return keyMap{
		Keys: table.NewKeys(c, table.KeysHelp{Back: c.T("permits.key.back"), Filter: c.T("permits.key.search"),
			ApplyFilter: c.T("permits.key.applysearch"), Reload: c.T("permits.key.reload"),
			SubmitReason: c.T("permits.key.revoke"), Close: []string{"esc", "enter", "q"}}),
		QR:     key.NewBinding(key.WithKeys("q"), key.WithHelp("q", c.T("permits.key.qr"))),
		Revoke: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", c.T("permits.key.revoke"))),
		Print:  key.NewBinding(key.WithKeys("p"), key.WithHelp("p", c.T("permits.key.print"))),
	}
}

// Fixed columns: cursor, mark, icon (5), serial (19+1), the name's gap (1),
// ID number (12+1), category (4+1), validity (11+1), times printed (3).
const fixedWidth = 5 + 20 + 1 + 13 + 5 + 12 + 3

// View draws the list, or the QR, or a permit's details.
func (m *Model) View() string {
	switch m.Mode {
	case modeQR:
		return m.qrView()
	case table.ModeDetail:
		return m.detailView()
	}
	s := m.c.Styles
	var loadErr string
	if m.loadErr != nil {
		loadErr = m.c.ErrorText(m.loadErr)
	}
	nameW := max(m.c.Width-fixedWidth, 8)
	sc := table.Screen{
		Title: s.Title.Render(m.c.Tf("permits.title", m.c.UnitName(m.c.Officer.Unit))),
		Right: table.LoadState(s, loadErr, m.loaded, m.c.T("permits.loading"),
			m.c.Tf("permits.counts", m.c.Lang.Int(m.tbl.Len())), m.c.Tf("permits.marked", m.c.Lang.Int(len(m.tbl.Marks)))),
		Filter: m.Filter.View(s, m.c.T("permits.search.hint")),
		Header: s.TableHeader.Render("     " + common.Cell(m.c.T("permits.col.serial"), 19) + " " +
			common.Cell(m.c.T("permits.col.name"), nameW) + " " + common.Cell(m.c.T("permits.col.id"), 12) + " " +
			common.Cell(m.c.T("permits.col.cat"), 4) + " " + common.Cell(m.c.T("permits.col.validity"), 11) + " " +
			common.Cell(m.c.T("permits.col.printed"), 3)),
		Rows:   m.tbl.Win.Height,
		Cursor: m.cursorLine(),
		Bottom: m.bottomLine(),
	}
	switch m.Mode {
	case table.ModeReason:
		sc.Dialog = m.reasonView()
	case table.ModeScope:
		sc.Dialog = m.ScopeDialog(m.c)
	default:
		sc.Body = m.rowsView(nameW, sc.Rows)
	}
	return sc.View(m.c.Width)
}

func (m *Model) rowsView(nameW, rows int) string {
	s := m.c.Styles
	var empty string
	if m.tbl.Len() == 0 && m.loaded {
		msg := m.c.T("permits.empty")
		if m.Filter.Applied != "" {
			msg = m.c.T("permits.nomatch")
		}
		empty = "  " + s.Dim.Render(msg)
	}
	return m.tbl.Render(rows, empty, func(p *store.Permit, cursor, marked bool) string {
		var b strings.Builder
		b.WriteString(table.Gutter(cursor, marked))
		style := lipgloss.NewStyle()
		switch {
		case !p.RevokedAt.IsZero():
			b.WriteString(" ✗ ")
			style = s.Dim
		case p.ValidUntil.Before(m.c.Now()):
			b.WriteString(" ○ ")
			style = s.Dim
		default:
			b.WriteString("   ")
		}
		printed := ""
		if p.Printed > 0 {
			printed = fmt.Sprintf("%d×", p.Printed)
		}
		b.WriteString(common.Cell(p.Serial, 19) + " " + common.Cell(p.HolderName, nameW) + " " + common.Cell(p.IDNumber, 12) + " " +
			common.Cell(m.c.Tf("permits.cat", p.Category), 4) + " " + formatValidity(*p) + " " + common.CellRight(printed, 3))
		return table.Line(s, style, b.String(), m.c.Width, cursor, marked)
	})
}

func (m *Model) cursorLine() string {
	s := m.c.Styles
	p, ok := m.cursor()
	if !ok {
		return ""
	}
	if !p.RevokedAt.IsZero() {
		return common.Truncate(s.Dim.Render("✗ "+m.c.Tf("permits.revokedon", store.FormatDateTime(p.RevokedAt), p.RevokeReason)), m.c.Width)
	}
	line := m.status(p) + " · " + m.c.Tf("permits.issuedon", store.FormatDateTime(p.IssuedAt))
	if p.Printed > 0 {
		line += " · " + m.c.Tf("permits.printed", p.Printed)
	}
	return common.Truncate(s.Dim.Render(line), m.c.Width)
}

func (m *Model) bottomLine() string {
	s := m.c.Styles
	if j := m.job; j != nil {
		pct := float64(j.done) / float64(max(j.total, 1))
		return m.Progress.ViewAs(pct) + " " + s.Dim.Render(m.c.Tf("permits.print.progress", m.c.Lang.Int(j.done), m.c.Lang.Int(j.total)))
	}
	if m.lastPath != "" {
		// The end of the path is the file's name: cut the folder, not it.
		head := m.c.Tf("permits.print.done", m.c.Lang.Int(m.lastCount), "")
		return s.OK.Render(head + truncateLeft(m.lastPath, m.c.Width-lipgloss.Width(head)))
	}
	return ""
}

func (m *Model) reasonView() string {
	about := m.c.Tf("permits.revoke.many", m.c.Lang.Int(len(m.Reason.Targets)))
	if t := m.Reason.Targets; len(t) == 1 {
		about = m.c.Tf("permits.revoke.one", t[0])
	}
	return m.ReasonDialog(m.c.Styles, m.c.Width, m.c.T("permits.revoke.title"), about,
		m.c.T("permits.reason.label"), m.c.T("permits.reason.keys"))
}

// qrView draws the QR full screen, or says how large the terminal must be.
func (m *Model) qrView() string {
	s := m.c.Styles
	q := m.qr
	w, h := m.c.Width, m.c.Height
	if m.c.Screen != nil {
		w, h = m.c.Screen()
	}
	caption := common.Truncate(s.Bold.Render(q.permit.Serial)+" · "+q.permit.HolderName+" · "+s.Dim.Render(m.c.T("permits.qr.back")), w)
	if q.err != nil {
		return caption + "\n\n" + s.Error.Render(m.c.ErrorText(q.err))
	}
	needW, needH := q.width, q.height+1
	if needW > w || needH > h {
		msg := m.c.Tf("permits.qr.toosmall", needW, needH, w, h)
		return caption + "\n\n" + lipgloss.NewStyle().Width(min(w, 70)).Render(s.Warn.Render(msg))
	}
	return caption + "\n" + lipgloss.PlaceHorizontal(w, lipgloss.Center, q.art)
}

func (m *Model) detailView() string {
	s := m.c.Styles
	p, ok := m.cursor()
	if !ok {
		return ""
	}
	d := table.NewDetails(s, m.c.T, m.c.Width, m.c.Tf("permits.detail.title", p.Serial))
	add := d.Add
	add("permits.detail.holder", p.HolderName+" · "+p.IDNumber)
	add("permits.detail.category", m.c.Tf("permits.detail.cat", p.Category, m.c.CategoryName(p.Category)))
	add("permits.detail.status", m.status(p))
	validity := store.FormatDate(p.ValidFrom) + " – " + store.FormatDate(p.ValidUntil)
	h := m.history
	var a store.Application
	if h != nil {
		a = h.h.Application
	}
	if a.ID != "" {
		hours := m.c.T("permits.detail.allday")
		if a.HasHours {
			hours = store.FormatMinutes(a.HoursFrom) + "–" + store.FormatMinutes(a.HoursTo)
		}
		validity += " · " + hours
		add("permits.detail.purpose", common.JoinNonEmpty(" — ", m.c.PurposeName(a.Purpose), a.PurposeNote))
		add("permits.detail.area", m.c.AreaNames(a.Area))
		add("permits.detail.route", a.Route)
	}
	add("permits.detail.validity", validity)
	if a.ID != "" {
		vehicle := a.Vehicle
		if vehicle == "" {
			vehicle = m.c.T("permits.detail.novehicle")
		}
		add("permits.detail.vehicle", vehicle)
		add("permits.detail.application", a.Number)
	}
	issued := store.FormatDateTime(p.IssuedAt)
	if h != nil && h.h.ApprovedBy != "" {
		issued += " · " + m.c.Tf("permits.detail.by", h.h.ApprovedBy)
	}
	add("permits.detail.issued", issued)
	if !p.RevokedAt.IsZero() {
		add("permits.detail.revoked", store.FormatDateTime(p.RevokedAt)+" · "+p.RevokeReason)
	}
	switch {
	case h == nil:
		d.Lines = append(d.Lines, s.Dim.Render(m.c.T("permits.loading")))
	case h.err != nil:
		d.Lines = append(d.Lines, s.Error.Render(m.c.ErrorText(h.err)))
	default:
		add("permits.detail.printed", m.printedText(p, h.h.Printed))
		add("permits.detail.scans", m.scansText(h.h.Scans))
	}
	add("permits.detail.qrlen", m.c.Tf("permits.detail.chars", m.c.Lang.Int(len(p.QR))))
	return d.View()
}

// printedText is how often the permit was printed, and when last.
func (m *Model) printedText(p store.Permit, at []time.Time) string {
	n := max(p.Printed, len(at))
	switch {
	case n == 0:
		return m.c.T("permits.detail.notprinted")
	case len(at) == 0:
		return m.c.Tf("permits.detail.times", m.c.Lang.Int(n))
	}
	return m.c.Tf("permits.detail.times", m.c.Lang.Int(n)) + " · " + m.c.Tf("permits.detail.lastprint", store.FormatDateTime(at[len(at)-1]))
}

// scansText counts the checkpoint scans and says the last one: when, where
// and what the checkpoint answered.
func (m *Model) scansText(scans []store.ScanEvent) string {
	if len(scans) == 0 {
		return m.c.T("permits.detail.noscans")
	}
	last := scans[len(scans)-1]
	return m.c.Tf("permits.detail.scancount", m.c.Lang.Int(len(scans))) + " · " +
		m.c.Tf("permits.detail.lastscan", store.FormatDateTime(last.Time()), m.c.UnitName(last.Checkpoint), m.c.VerdictName(last.Verdict))
}

// truncateLeft keeps the last w columns of s, marking the cut with ….
func truncateLeft(s string, w int) string {
	if lipgloss.Width(s) <= w || w < 2 {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > w {
		r = r[1:]
	}
	return "…" + string(r)
}
