package check

// This file draws the Kiểm tra screen: the verdict banner readable from a
// metre away, the holder's fields to compare with the ID card, the notes,
// the recent scans and the checkpoint picker.

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"thonghanh/store"
	"thonghanh/store/seal"
)

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
		if mk := m.scanner.Market(); mk.ID != "" {
			parts = append(parts, s.Label.Render(m.c.T("check.market")+": ")+s.Bold.Render(mk.Name))
		}
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
		title = v.Title(string(m.c.Lang))
		reason = v.Text(string(m.c.Lang))
		if why := m.last.res.Reason(m.c.English()); why != "" {
			reason = why
		}
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
	if o := m.last; o.stale && o.err == nil && r.Signer != nil && r.Verdict == seal.Valid {
		since := m.c.T("check.stale.never")
		if !o.syncedAt.IsZero() {
			since = m.c.Tf("check.stale.since", store.InVietnam(o.syncedAt).Format("15:04"))
		}
		out = append(out, s.Warn.Render("⚠ "+m.c.Tf("check.stale", since)))
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
	var v *store.Voucher
	if m.last != nil {
		p, v = m.last.res.Payload, m.last.res.Voucher
	}
	if v != nil {
		// The QR leaves out the representative's and the market's names:
		// the desk that issued the voucher knows them.
		if p.Name == "" {
			p.Name = v.Representative
		}
		if p.Route == "" {
			p.Route = v.MarketName
		}
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
		if route == "" && m.last.res.Signer != nil {
			route = s.Dim.Render(m.c.T("check.market.unknown"))
		}
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
			st.Render(mark+" "+e.Verdict.Title(string(m.c.Lang)))
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
