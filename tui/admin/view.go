package admin

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"thonghanh/store"
	"thonghanh/tui/common"
	"thonghanh/tui/components/table"
)

// View draws the current list, or the open form.
func (p *Page) View() string {
	c := p.c
	s := c.Styles
	w := c.Width
	if p.form != nil {
		return p.form.view(c, w)
	}
	var bar []string
	for v := range numViews {
		label := " " + c.T(viewTitles[v]) + " "
		if v == p.view {
			bar = append(bar, s.TabActive.Render(label))
		} else {
			bar = append(bar, s.Dim.Render(label))
		}
	}
	head := table.Spread(strings.Join(bar, " "), s.Dim.Render(c.Tf("admin.count", p.count())), w)
	lines := []string{head}
	rows := p.listRows()
	switch {
	case p.loadErr != "":
		lines = append(lines, s.Error.Render(common.Truncate(p.loadErr, w)))
	case !p.loaded:
		lines = append(lines, s.Dim.Render(c.T("admin.loading")))
	default:
		lines = append(lines, s.Dim.Render(common.Truncate(p.columns(), w)))
		lines = append(lines, p.list(rows))
	}
	if p.confirmDo != nil {
		return table.Dialog(s, w, p.confirm+"\n\n"+s.Dim.Render(c.T("admin.confirm")))
	}
	return strings.Join(lines, "\n")
}

// Column widths at 80 columns; the last column takes what is left.
const (
	nameW = 26
	midW  = 20
)

func (p *Page) columns() string {
	c := p.c
	switch p.view {
	case viewZones:
		return "  " + common.Cell(c.T("admin.zone.name"), nameW) + " " + common.Cell(c.T("admin.zone.risk"), midW) + " " + c.T("admin.zone.hamlets")
	case viewMarkets:
		return "  " + common.Cell(c.T("admin.market.name"), nameW) + " " + common.Cell(c.T("admin.market.zone"), midW) + " " + c.T("admin.market.hours")
	}
	return "  " + common.Cell(c.T("admin.officer.username"), 14) + " " + common.Cell(c.T("admin.officer.name"), 24) + " " + c.T("admin.officer.roles")
}

func (p *Page) list(rows int) string {
	c := p.c
	s := c.Styles
	w := c.Width
	line := func(text string, dim, cursor bool) string {
		base := lipgloss.NewStyle()
		if dim {
			base = s.Dim
		}
		return table.Line(s, base, table.Gutter(cursor, false)+text, w, cursor, false)
	}
	switch p.view {
	case viewZones:
		empty := ""
		if p.zones.Len() == 0 {
			empty = s.Dim.Render(c.T("admin.empty.zones"))
		}
		return p.zones.Render(rows, empty, func(r *zoneRow, cursor, _ bool) string {
			hs := c.T("admin.wholecommune")
			if len(r.zone.Hamlets) > 0 {
				hs = strings.Join(r.zone.Hamlets, ", ")
			}
			if !r.zone.Active {
				hs = c.T("admin.lifted") + " · " + hs
			}
			return line(common.Cell(r.zone.Name, nameW)+" "+common.Cell(store.RiskName(r.zone.Risk), midW)+" "+
				hs+" · "+c.Tf("admin.markets.n", r.markets), !r.zone.Active, cursor)
		})
	case viewMarkets:
		empty := ""
		if p.markets.Len() == 0 {
			empty = s.Dim.Render(c.T("admin.empty.markets"))
		}
		return p.markets.Render(rows, empty, func(r *marketRow, cursor, _ bool) string {
			m := r.market
			hours := fmt.Sprintf("%s–%s · %s", store.FormatMinutes(m.OpenMinute), store.FormatMinutes(m.CloseMinute), c.Tf("admin.perslot", m.Capacity))
			if !m.Active {
				hours = c.T("admin.closed") + " · " + hours
			}
			return line(common.Cell(m.Name, nameW)+" "+common.Cell(r.zone, midW)+" "+hours, !m.Active, cursor)
		})
	}
	empty := ""
	if p.officers.Len() == 0 {
		empty = s.Dim.Render(c.T("admin.empty.officers"))
	}
	return p.officers.Render(rows, empty, func(o *store.Officer, cursor, _ bool) string {
		names := make([]string, len(o.Roles))
		for i, r := range o.Roles {
			names[i] = store.RoleName(r)
		}
		roles := strings.Join(names, ", ")
		if o.Has(store.RoleApprover) && o.Position == store.PositionDeputy {
			roles += " (" + c.T("admin.officer.deputy") + ")"
		}
		if !o.Active {
			roles = c.T("admin.inactive") + " · " + roles
		}
		user := o.Username
		if o.ID == c.Officer.ID {
			user += " " + c.T("admin.you")
		}
		return line(common.Cell(user, 14)+" "+common.Cell(o.FullName, 24)+" "+roles, !o.Active, cursor)
	})
}
