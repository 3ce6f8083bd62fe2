package report

import (
	"cmp"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"

	"thonghanh/store"
	"thonghanh/store/central"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
)

// Column is what the table is sorted by: the unit codes' order, one of the
// nine figures (keys 1…9, in the order of the columns on screen) or the
// name.
type Column int

// The sort columns, in the order s cycles through them.
const (
	ColOrder Column = iota
	ColReceived
	ColApproved
	ColRejected
	ColForwarded
	ColPending
	ColOldest
	ColPermits
	ColRevoked
	ColAbuse
	ColName
	numColumns
)

var colKeys = [numColumns]string{"order", "received", "approved", "rejected", "forwarded", "pending", "oldest", "permits", "revoked", "abuse", "name"}

// figureCols are the table's number columns, left to right.
var figureCols = []Column{ColReceived, ColApproved, ColRejected, ColForwarded, ColPending, ColOldest, ColPermits, ColRevoked, ColAbuse}

// head is the column's short heading; long its words in the help.
func (c Column) head(l i18n.Lang) string { return l.T("report.col." + colKeys[c]) }
func (c Column) long(l i18n.Lang) string { return l.T("report.long." + colKeys[c]) }

// value is the figure sorted on; cell is how the column prints it.
func (c Column) value(f *central.UnitFigures) float64 {
	switch c {
	case ColReceived:
		return float64(f.ReceivedWalkIn + f.ReceivedOnline)
	case ColApproved:
		return float64(f.Approved)
	case ColRejected:
		return float64(f.Rejected)
	case ColForwarded:
		return float64(f.Forwarded)
	case ColPending:
		return float64(f.PendingAtEnd)
	case ColOldest:
		return f.OldestPending.Hours()
	case ColPermits:
		return float64(f.PermitsTotal)
	case ColRevoked:
		return float64(f.Revoked)
	case ColAbuse:
		return f.AbusePer1000
	}
	return 0
}

func (c Column) cell(l i18n.Lang, f *central.UnitFigures) string {
	switch c {
	case ColOldest:
		return l.Int(days(f))
	case ColAbuse:
		return decimal(l, f.AbusePer1000, 1)
	}
	return l.Int(int(c.value(f)))
}

// days is the oldest pending's age in whole days.
func days(f *central.UnitFigures) int { return int(f.OldestPending.Hours() / 24) }

// compare orders two rows' figures by c (ColOrder: equal; the tie-break
// orders them).
func (c Column) compare(a, b *central.UnitFigures) int {
	switch c {
	case ColOrder:
		return 0
	case ColName:
		return strings.Compare(store.Fold(a.Name), store.Fold(b.Name))
	}
	return cmp.Compare(c.value(a), c.value(b))
}

// rebuild lays out the rows for the sort, the grouping and the filter:
// districts ordered by their subtotals on the same column, each followed by
// its units that match; or, flat, every matching unit of the province.
func (m *Model) rebuild() {
	var cur [2]uint32
	had := m.win.Cursor < len(m.rows)
	if had {
		cur = m.rows[m.win.Cursor].id()
	}
	less := func(a, b *central.UnitFigures) int {
		r := m.col.compare(a, b)
		if m.desc {
			r = -r
		}
		// Ties keep the codes' order whichever way the column runs.
		if r == 0 {
			r = cmp.Compare(a.Code, b.Code)
		}
		return r
	}
	m.rows = m.rows[:0]
	ds := m.rep.Districts
	dist := make([]*central.DistrictFigures, len(ds))
	for i := range ds {
		dist[i] = &ds[i]
	}
	if !m.flat {
		slices.SortStableFunc(dist, func(a, b *central.DistrictFigures) int {
			if r := less(&a.Totals, &b.Totals); r != 0 {
				return r
			}
			// A district's sum has no code of its own.
			return cmp.Compare(a.Code, b.Code)
		})
	}
	var units []row
	for _, d := range dist {
		start := len(units)
		for i := range d.Units {
			if m.matches(d.Units[i].Name) {
				units = append(units, row{kind: rowUnit, f: &d.Units[i], district: d})
			}
		}
		if m.flat {
			continue
		}
		group := units[start:]
		slices.SortStableFunc(group, func(a, b row) int { return less(a.f, b.f) })
		if len(group) > 0 || m.query == "" {
			m.rows = append(m.rows, row{kind: rowDistrict, district: d})
			m.rows = append(m.rows, group...)
		}
	}
	if m.flat {
		slices.SortStableFunc(units, func(a, b row) int { return less(a.f, b.f) })
		m.rows = append(m.rows, units...)
	}
	m.win.SetLen(len(m.rows))
	// The cursor stays on the row it was on, when that row is still shown.
	for i, r := range m.rows {
		if had && r.id() == cur {
			m.win.Cursor = i
			m.win.Move(0)
			break
		}
	}
}

// keyMap is the screen's keys, with their help in the desk's language.
type keyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Sort, Pick, Reverse, Group            key.Binding
	Filter, Back, Open                    key.Binding
	Category, Chart, Period, Reload       key.Binding
	Attention                             key.Binding
	Help, Quit                            key.Binding
}

func newKeyMap(l i18n.Lang) keyMap {
	nav := common.NewKeyMap(l)
	b := func(help string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(keys[0], l.T(help)))
	}
	pick := key.NewBinding(key.WithKeys("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("0…9", l.T("report.key.pick")))
	return keyMap{
		Up: nav.Up, Down: nav.Down, PageUp: nav.PageUp, PageDown: nav.PageDown, Home: nav.Home, End: nav.End,
		Sort: b("report.key.sort", "s"), Pick: pick, Reverse: b("report.key.reverse", "r"), Group: b("report.key.group", "t"),
		Filter: b("report.key.filter", "/"), Back: b("report.key.back", "esc"), Open: b("report.key.open", "enter"),
		Category: b("report.key.category", "c"), Chart: b("report.key.chart", "b"), Period: b("report.key.period", "p"), Reload: b("report.key.reload", "ctrl+r"),
		Attention: b("report.key.attention", "a"),
		Help:      b("report.key.help", "?"),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", l.T("report.key.quit"))),
	}
}

// All is every key, in the order the help lists them.
func (k keyMap) All() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End, k.Sort, k.Pick, k.Reverse, k.Group,
		k.Filter, k.Back, k.Open, k.Category, k.Chart, k.Period, k.Reload, k.Attention, k.Help, k.Quit}
}
