package report

import (
	"math"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"thonghanh/store"
	"thonghanh/store/central"
	"thonghanh/tui/common"
	"thonghanh/tui/components/table"
	"thonghanh/tui/i18n"
)

// Render is the screen's text, at most width × height.
func (m *Model) Render() string {
	switch m.mode {
	case ModeHelp:
		return common.FitLines(m.helpView(), m.width, m.height)
	case ModeDetail:
		return common.FitLines(m.detailView(), m.width, m.height)
	case ModeAttention:
		return common.FitLines(m.attentionView(), m.width, m.height)
	case ModeChart:
		return common.FitLines(m.chartView(), m.width, m.height)
	}
	return common.FitLines(m.listView(), m.width, m.height)
}

func (m *Model) listView() string {
	s, l, w := m.styles, m.lang, m.width
	var b strings.Builder
	from, to := m.from, m.to
	if m.loaded {
		from, to = m.rep.From, m.rep.To
	}
	title := s.Title.Render(l.T("report.title")) + " " + l.Tf("report.period", from.Format("02/01/2006"), to.Format("02/01/2006"))
	right := ""
	if m.loaded {
		right = s.Dim.Render(l.Tf("report.counts", l.Int(m.unitRows()), l.Int(m.unitCount())))
	}
	b.WriteString(table.Spread(title, right, w) + "\n")
	b.WriteString(m.sparkLine() + "\n")

	var left string
	switch {
	case m.filtering:
		left = s.Accent.Render("/ ") + m.filter.View()
	default:
		arrow := l.T("report.sort.asc")
		if m.desc {
			arrow = l.T("report.sort.desc")
		}
		left = s.Dim.Render(l.Tf("report.sort", m.col.long(l), arrow))
		if m.flat {
			left += s.Dim.Render(l.T("report.flat"))
		}
		if m.filter.Value() != "" {
			left += "  " + s.Accent.Render("/ "+m.filter.Value())
		}
	}
	status := ""
	switch {
	case m.loading:
		status = s.Warn.Render(l.T("report.loading"))
	case m.loaded && !m.rep.MadeAt.IsZero():
		status = s.Dim.Render(l.Tf("report.madeat", m.rep.MadeAt.Format("15:04 02/01")))
	}
	b.WriteString(table.Spread(left, status, w) + "\n")

	widths := m.ws
	b.WriteString(m.header(widths) + "\n")

	rows := m.listHeight()
	var body string
	switch {
	case m.mode == ModePeriod:
		body = lipgloss.Place(w, rows, lipgloss.Center, lipgloss.Center, m.periodDialog())
	case m.loadErr != "":
		body = s.Error.Render(lipgloss.NewStyle().Width(w).Render(m.loadErr))
	case !m.loaded:
		body = s.Dim.Render(l.T("report.loading"))
	case len(m.rows) == 0 && m.query != "":
		body = s.Dim.Render(l.Tf("report.nomatch", m.filter.Value()))
	case len(m.rows) == 0:
		body = s.Dim.Render(l.T("report.empty"))
	default:
		body = m.body(widths)
	}
	b.WriteString(common.FitLines(body, w, rows) + "\n")
	if m.loaded && m.loadErr == "" {
		b.WriteString(m.line(widths, l.T("report.province"), &m.rep.Province, s.Bold, false) + "\n")
		b.WriteString(m.attentionLines(3))
	} else {
		b.WriteString("\n\n\n") // the total's and the attention's lines, blank
	}
	b.WriteString("\n" + s.Dim.Render(common.Truncate(l.T("report.footer"), w)))
	return b.String()
}

// unitCount is the province's units; unitRows those the filter shows.
func (m *Model) unitCount() int {
	n := 0
	for _, d := range m.rep.Districts {
		n += len(d.Units)
	}
	return n
}

func (m *Model) unitRows() int {
	n := 0
	for _, r := range m.rows {
		if r.kind == rowUnit {
			n++
		}
	}
	return n
}

// widths are the number columns' widths: each as wide as its heading with
// room for the sort arrow, or as its widest figure. They are measured once
// a load, not each frame: a frame costs the rows on screen only.
func (m *Model) widths() []int {
	ws := make([]int, len(figureCols))
	for i, c := range figureCols {
		ws[i] = ansi.StringWidth(c.head(m.lang)) + 1
		wide := func(f *central.UnitFigures) {
			ws[i] = max(ws[i], ansi.StringWidth(c.cell(m.lang, f)))
		}
		if !m.loaded {
			continue
		}
		wide(&m.rep.Province)
		for d := range m.rep.Districts {
			wide(&m.rep.Districts[d].Totals)
			// Sums are the widest counts; per-unit rates and ages are not
			// sums, so the units are looked at for those alone.
			if c == ColAbuse || c == ColOldest {
				for u := range m.rep.Districts[d].Units {
					wide(&m.rep.Districts[d].Units[u])
				}
			}
		}
	}
	return ws
}

// nameWidth is what the number columns leave for the name, after the
// cursor's mark.
func (m *Model) nameWidth(ws []int) int {
	n := m.width - 1
	for _, w := range ws {
		n -= w + 1
	}
	return max(n, 6)
}

func (m *Model) header(ws []int) string {
	s, l := m.styles, m.lang
	var b strings.Builder
	b.WriteString(" ")
	b.WriteString(common.Cell(l.T("report.col.name")+m.arrow(ColName), m.nameWidth(ws)))
	for i, c := range figureCols {
		b.WriteString(" ")
		b.WriteString(common.CellRight(c.head(l)+m.arrow(c), ws[i]))
	}
	return s.TableHeader.Render(common.Truncate(b.String(), m.width))
}

func (m *Model) arrow(c Column) string {
	if c != m.col {
		return ""
	}
	if m.desc {
		return "▼"
	}
	return "▲"
}

// body draws the rows on screen, and only those: a province of many units
// costs a screenful.
func (m *Model) body(ws []int) string {
	start, end := m.win.Visible()
	lines := make([]string, 0, end-start)
	for i := start; i < end; i++ {
		r := m.rows[i]
		name, style := r.name(), lipgloss.NewStyle()
		switch {
		case r.kind == rowDistrict:
			style = m.styles.Bold
		case !m.flat:
			name = "  " + name
		}
		lines = append(lines, m.line(ws, name, r.figures(), style, i == m.win.Cursor))
	}
	return strings.Join(lines, "\n")
}

// line is one row: the cursor's mark, the name cut to its column (never
// wrapped) and the figures.
func (m *Model) line(ws []int, name string, f *central.UnitFigures, style lipgloss.Style, cursor bool) string {
	var b strings.Builder
	if cursor {
		b.WriteString("›")
	} else {
		b.WriteString(" ")
	}
	b.WriteString(common.Cell(name, m.nameWidth(ws)))
	for i, c := range figureCols {
		b.WriteString(" ")
		b.WriteString(common.CellRight(c.cell(m.lang, f), ws[i]))
	}
	text := common.Truncate(b.String(), m.width)
	if cursor {
		style = style.Inherit(m.styles.Cursor)
	}
	return style.Render(text)
}

// blocks are the sparkline's eight heights.
var blocks = []rune("▁▂▃▄▅▆▇█")

// Sparkline draws values as one block each, the largest full height; a
// zero is a blank, so a day without permits never looks like a small one.
// With more values than width, consecutive values are summed into width
// columns.
func Sparkline(values []int, width int) string {
	if width <= 0 || len(values) == 0 {
		return ""
	}
	if len(values) > width {
		per := (len(values) + width - 1) / width
		merged := make([]int, 0, width)
		for i := 0; i < len(values); i += per {
			sum := 0
			for _, v := range values[i:min(i+per, len(values))] {
				sum += v
			}
			merged = append(merged, sum)
		}
		values = merged
	}
	top := 0
	for _, v := range values {
		top = max(top, v)
	}
	var b strings.Builder
	for _, v := range values {
		if v <= 0 || top == 0 {
			b.WriteByte(' ')
			continue
		}
		level := int(math.Ceil(float64(v) * float64(len(blocks)) / float64(top)))
		b.WriteRune(blocks[max(min(level, len(blocks)), 1)-1])
	}
	return b.String()
}

// perDay is the province's permits each day of the period: every category,
// or category index cat.
func (m *Model) perDay(cat int) []int {
	out := make([]int, len(m.rep.PerDay))
	for i, d := range m.rep.PerDay {
		for c, n := range d.ByCategory {
			if cat < 0 || c == cat {
				out[i] += n
			}
		}
	}
	return out
}

// sparkLine is the province's permits per day, for every category or the
// one c picked, with the total and the busiest day.
func (m *Model) sparkLine() string {
	if !m.loaded {
		return ""
	}
	return m.sparkFor(m.cat)
}

// sparkFor is the sparkline line of category index cat (-1: every one).
func (m *Model) sparkFor(cat int) string {
	s, l := m.styles, m.lang
	label := l.T("report.spark.all")
	if cat >= 0 {
		c := m.rep.Categories[cat]
		label = l.Tf("report.spark.cat", c.Code) + " " + c.Name
	}
	label = common.Cell(label, 18)
	vals := m.perDay(cat)
	if len(vals) == 0 {
		return s.Label.Render(label) + " " + s.Dim.Render(l.T("report.spark.none"))
	}
	total, peak, peakDay := 0, -1, 0
	for i, v := range vals {
		total += v
		if v > peak {
			peak, peakDay = v, i
		}
	}
	sum := l.Tf("report.spark.sum", l.Int(total), l.Int(peak)+" ("+m.rep.PerDay[peakDay].Day.Format("02/01")+")")
	room := m.width - ansi.StringWidth(label) - ansi.StringWidth(sum) - 2
	return common.Truncate(s.Label.Render(label)+" "+s.Accent.Render(Sparkline(vals, room))+" "+s.Dim.Render(sum), m.width)
}

// attentionLines are the heading of the "điểm cần chú ý" and the first
// n-1 of them, n lines; the rest are behind a.
func (m *Model) attentionLines(n int) string {
	s, l, pts := m.styles, m.lang, m.rep.Attention
	lines := make([]string, 0, n)
	switch {
	case len(pts) == 0:
		lines = append(lines, s.Dim.Render(l.T("report.attention.none")))
	case len(pts) > n-1:
		lines = append(lines, s.Warn.Render(l.Tf("report.attention.more", l.Int(len(pts)))))
	default:
		lines = append(lines, s.Warn.Render(l.T("report.attention")))
	}
	for _, p := range pts[:min(len(pts), n-1)] {
		lines = append(lines, common.Truncate("  "+m.attention(p), m.width))
	}
	for len(lines) < n {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// attention is a point's sentence, made from its fields only: the unit,
// the measure, its figure and the province's.
func (m *Model) attention(p central.AttentionPoint) string {
	l := m.lang
	label := p.Label
	if k := "report.measure." + p.Measure; (l.English() || label == "") && i18n.Has(k) {
		label = l.T(k)
	}
	// A label that says its unit ("tỷ lệ … (%)") needs no % after the figure.
	pct := !strings.Contains(label, "%")
	name := p.UnitName
	// A commune's name is not the province's only one ("Phường 4" of two
	// towns): its district says which.
	if r, ok := m.unitRow(p.Unit); ok && m.shared[store.Fold(name)] {
		name += " (" + r.district.Name + ")"
	}
	return l.Tf("report.attention.line", name, label, measure(l, p.Measure, p.Value, pct), measure(l, p.Measure, p.Province, pct))
}

// measure prints a figure of an attention point: shares and ratios are
// percentages already (0–100), ages are in days, rates per 1,000 have one
// decimal.
func measure(l i18n.Lang, key string, v float64, pct bool) string {
	switch {
	case strings.HasSuffix(key, "_share"), strings.HasSuffix(key, "_ratio"):
		if pct {
			return decimal(l, v, 0) + "%"
		}
		return decimal(l, v, 0)
	case strings.HasSuffix(key, "_days"):
		return l.Tf("report.days", decimal(l, v, 0))
	}
	return decimal(l, v, 1)
}

// decimal prints v with n decimals in l's way: 1.234,5 in Vietnamese,
// 1,234.5 in English.
func decimal(l i18n.Lang, v float64, n int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', n, 64)
	whole, frac, _ := strings.Cut(s, ".")
	w, _ := strconv.Atoi(whole)
	out := l.Int(w)
	if frac != "" {
		sep := ","
		if l.English() {
			sep = "."
		}
		out += sep + frac
	}
	if v < 0 && strings.Trim(out, "0.,") != "" {
		out = "-" + out
	}
	return out
}

func (m *Model) attentionView() string {
	s, l, pts := m.styles, m.lang, m.rep.Attention
	lines := []string{s.Title.Render(l.Tf("report.attention.all", l.Int(len(pts)))), ""}
	if len(pts) == 0 {
		lines = append(lines, s.Dim.Render(l.T("report.attention.none")))
	}
	start, end := m.attn.Visible()
	for i := start; i < end; i++ {
		mark := " "
		if i == m.attn.Cursor {
			mark = "›"
		}
		// A point wraps under itself rather than lose its figures.
		text := lipgloss.NewStyle().Width(m.width - 5).Render(m.attention(pts[i]))
		text = mark + common.CellRight(l.Int(i+1)+".", 3) + " " + strings.ReplaceAll(text, "\n", "\n     ")
		if i == m.attn.Cursor {
			text = s.Cursor.Render(text)
		}
		lines = append(lines, text)
	}
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	lines = append(lines, s.Dim.Render(l.T("report.attention.keys")))
	return strings.Join(lines, "\n")
}

// chartView is the province's permits per day, every category together
// and each on its own line, with its share of the period's permits.
func (m *Model) chartView() string {
	s, l := m.styles, m.lang
	lines := []string{s.Title.Render(l.T("report.chart.title")) + " " +
		l.Tf("report.period", m.rep.From.Format("02/01/2006"), m.rep.To.Format("02/01/2006")), ""}
	all := m.perDay(-1)
	total := 0
	for _, v := range all {
		total += v
	}
	lines = append(lines, m.sparkFor(-1), "")
	for c := range m.rep.Categories {
		lines = append(lines, m.sparkFor(c))
		n := 0
		for _, v := range m.perDay(c) {
			n += v
		}
		share := 0.0
		if total > 0 {
			share = float64(n) * 100 / float64(total)
		}
		lines = append(lines, s.Dim.Render(strings.Repeat(" ", 19)+l.Tf("report.chart.share", decimal(l, share, 0))))
	}
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	lines = append(lines, s.Dim.Render(l.T("report.chart.keys")))
	return strings.Join(lines, "\n")
}

// detailView is one row's figures in full: what it received and decided,
// permits and validity per category, revocations and abuse signals.
func (m *Model) detailView() string {
	s, l, r := m.styles, m.lang, m.detail
	f := r.figures()
	title := r.name()
	if r.kind == rowDistrict {
		title = l.Tf("report.district", r.district.Name, l.Int(len(r.district.Units)))
	}
	lines := []string{s.Title.Render(common.Truncate(title, m.width))}
	if r.kind == rowUnit {
		lines = append(lines, s.Label.Render(l.T("report.detail.district")+": ")+r.district.Name)
	}
	lines = append(lines, "",
		l.Tf("report.detail.received", l.Int(f.ReceivedWalkIn+f.ReceivedOnline), l.Int(f.ReceivedWalkIn), l.Int(f.ReceivedOnline)),
		l.Tf("report.detail.decided", l.Int(f.Approved), l.Int(f.Rejected), l.Int(f.Forwarded), l.Int(f.PendingAtEnd), l.Int(days(f))),
		"")
	nameW := max(m.width-5*9, 10)
	head := common.Cell(l.T("report.detail.cathead"), nameW)
	for _, h := range []string{"report.detail.permits", "report.detail.avg", "report.detail.long", "report.detail.max", "report.detail.over"} {
		head += " " + common.CellRight(l.T(h), 8)
	}
	lines = append(lines, s.TableHeader.Render(common.Truncate(head, m.width)))
	for i, c := range m.rep.Categories {
		var v central.ValidityFigures
		if i < len(f.Validity) {
			v = f.Validity[i]
		}
		n := 0
		if i < len(f.PermitsByCategory) {
			n = f.PermitsByCategory[i]
		}
		max := v.MaxDays
		if max == 0 {
			max = c.MaxDays
		}
		line := common.Cell(strconv.Itoa(c.Code)+". "+c.Name, nameW)
		for _, cell := range []string{l.Int(n), decimal(l, v.AvgDays, 1), l.Int(v.LongDays), l.Int(max), l.Int(v.OverMax)} {
			line += " " + common.CellRight(cell, 8)
		}
		if v.OverMax > 0 {
			line = s.Error.Render(line)
		}
		lines = append(lines, line)
	}
	lines = append(lines, "", l.Tf("report.detail.revoked", l.Int(f.Revoked)))
	if len(f.RevocationReasons) == 0 {
		lines = append(lines, s.Dim.Render(l.T("report.detail.noreasons")))
	}
	const reasons = 3
	for i, rc := range f.RevocationReasons {
		if i == reasons {
			lines = append(lines, s.Dim.Render(l.Tf("report.detail.morereas", l.Int(len(f.RevocationReasons)-reasons))))
			break
		}
		lines = append(lines, common.Truncate(l.Tf("report.detail.reason", rc.Reason, l.Int(rc.Count)), m.width))
	}
	lines = append(lines, "",
		l.Tf("report.detail.abuse", l.Int(f.Abuse.Total()), decimal(l, f.AbusePer1000, 1)),
		l.Tf("report.detail.abusekind", l.Int(f.Abuse.OutsideArea), l.Int(f.Abuse.OutsideHours), l.Int(f.Abuse.ManyCheckpoints)))
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	lines = append(lines[:m.height-1], s.Dim.Render(l.T("report.detail.keys")))
	return strings.Join(lines, "\n")
}

// helpView lists every key, then the figure columns in full under the
// number that sorts by them.
func (m *Model) helpView() string {
	s, l := m.styles, m.lang
	lines := []string{s.Title.Render(l.T("report.help.title"))}
	all := m.keys.All()
	half := m.width / 2
	for i := 0; i < len(all); i += 2 {
		line := common.Cell(keyLine(s, all[i].Help().Key, all[i].Help().Desc), half)
		if i+1 < len(all) {
			line += keyLine(s, all[i+1].Help().Key, all[i+1].Help().Desc)
		}
		lines = append(lines, common.Truncate(line, m.width))
	}
	lines = append(lines, s.Title.Render(l.T("report.help.columns")))
	for i, c := range figureCols {
		lines = append(lines, common.Truncate(s.Accent.Render(strconv.Itoa(i+1))+" "+s.Bold.Render(c.head(l))+": "+c.long(l), m.width))
	}
	lines = append(lines, s.Dim.Render(l.T("report.help.close")))
	return strings.Join(lines, "\n")
}

func keyLine(s *common.Styles, k, desc string) string {
	return s.Accent.Render(common.Cell(k, 8)) + desc
}

// periodDialog is the two date fields, each with what is wrong with it.
func (m *Model) periodDialog() string {
	s, l := m.styles, m.lang
	var b strings.Builder
	b.WriteString(s.Title.Render(l.T("report.period.title")) + "\n\n")
	for i, label := range []string{"report.period.from", "report.period.to"} {
		mark := "  "
		if i == m.field {
			mark = s.Accent.Render("› ")
		}
		b.WriteString(mark + s.Label.Render(common.Cell(l.T(label), 10)) + s.Input.Render(m.fields[i].View()) + "\n")
		if m.fieldErr[i] != "" {
			b.WriteString("  " + s.Error.Render(m.fieldErr[i]) + "\n")
		}
	}
	if m.formErr != "" {
		b.WriteString(s.Error.Render(m.formErr) + "\n")
	}
	b.WriteString("\n" + s.Dim.Render(l.T("report.period.keys")))
	return table.Dialog(s, m.width, b.String())
}
