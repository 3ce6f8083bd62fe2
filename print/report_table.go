package print

import (
	"strconv"
)

// A report table: columns under optional group headings, rows of text
// cells wrapped to their column, the header drawn again at the top of every
// page the table runs onto.

type rcol struct {
	head  string
	w     float64
	right bool // figures align right
}

type rgroup struct {
	title    string
	first, n int // columns first..first+n-1
}

type rrow struct {
	cells   []string
	bold    bool
	section bool // cells[0] across the whole width: a district's name
}

type rtable struct {
	caption string
	cols    []rcol
	groups  []rgroup
	size    float64
	rows    []rrow
}

const cellPad = 0.9

// fitCols widens the first column (the names) so the columns fill w: the
// others keep their widths.
func fitCols(cols []rcol, w float64) {
	sum := 0.0
	for _, c := range cols {
		sum += c.w
	}
	cols[0].w += w - sum
}

// table draws t from y on landscape pages, starting a page if fewer than
// the header and three rows fit.
func (rw *reportWriter) table(t *rtable) {
	d := rw.d
	lh := lineH(t.size)
	fitCols(t.cols, rw.width())
	group := make([]int, len(t.cols))
	for i := range group {
		group[i] = -1
	}
	for g, gr := range t.groups {
		for i := gr.first; i < gr.first+gr.n; i++ {
			group[i] = g
		}
	}
	d.font(bold, t.size)
	h1 := 0.0
	for _, gr := range t.groups {
		w := 0.0
		for i := gr.first; i < gr.first+gr.n; i++ {
			w += t.cols[i].w
		}
		h1 = max(h1, float64(len(d.wrap(gr.title, w-2*cellPad)))*lh+2*cellPad)
	}
	h2 := 0.0
	for i, c := range t.cols {
		h := float64(len(d.wrap(c.head, c.w-2*cellPad)))*lh + 2*cellPad
		if group[i] < 0 {
			h -= h1
		}
		h2 = max(h2, h)
	}
	headH := h1 + h2
	caption := func(s string) {
		d.font(bold, reportSmall)
		rw.y += lineH(reportSmall)
		d.center(rw.x0+rw.width()/2, rw.y, s)
		rw.y += 2
	}
	header := func() {
		d.font(bold, t.size)
		d.pdf.SetLineWidth(0.2)
		x := rw.x0
		y := rw.y
		for i, c := range t.cols {
			top, h := y+h1, h2
			if group[i] < 0 {
				top, h = y, headH
			}
			d.pdf.Rect(x, top, c.w, h, "D")
			rw.cellText(c.head, x, top, c.w, h, t.size)
			x += c.w
		}
		for _, gr := range t.groups {
			gx := rw.x0
			for i := 0; i < gr.first; i++ {
				gx += t.cols[i].w
			}
			w := 0.0
			for i := gr.first; i < gr.first+gr.n; i++ {
				w += t.cols[i].w
			}
			d.pdf.Rect(gx, y, w, h1, "D")
			rw.cellText(gr.title, gx, y, w, h1, t.size)
		}
		rw.y += headH
	}
	if rw.y+lineH(reportSmall)+2+headH+3*(lh+2*cellPad) > rw.bottom {
		rw.page(true)
	}
	caption(t.caption)
	header()
	rw.continued = func() {
		caption(t.caption + " (tiếp theo)")
		header()
	}
	defer func() { rw.continued = nil }()
	for k, row := range t.rows {
		style := regular
		if row.bold || row.section {
			style = bold
		}
		d.font(style, t.size)
		if row.section {
			h := lh + 2*cellPad
			// A district's name stays with its first unit.
			next := h
			if k+1 < len(t.rows) {
				next += lh + 2*cellPad
			}
			rw.need(next)
			d.pdf.SetLineWidth(0.2)
			d.pdf.Rect(rw.x0, rw.y, rw.width(), h, "D")
			d.font(bold+italic, t.size)
			d.left(rw.x0+cellPad, rw.y+cellPad+lh*0.78, row.cells[0])
			rw.y += h
			continue
		}
		lines := 1
		wrapped := make([][]string, len(row.cells))
		for i, s := range row.cells {
			wrapped[i] = d.wrap(s, t.cols[i].w-2*cellPad)
			lines = max(lines, len(wrapped[i]))
		}
		h := float64(lines)*lh + 2*cellPad
		rw.need(h)
		d.font(style, t.size)
		d.pdf.SetLineWidth(0.2)
		if row.bold {
			d.pdf.SetFillColor(235, 235, 235)
		}
		x := rw.x0
		for i, c := range t.cols {
			if row.bold {
				d.pdf.Rect(x, rw.y, c.w, h, "FD")
			} else {
				d.pdf.Rect(x, rw.y, c.w, h, "D")
			}
			for j, s := range wrapped[i] {
				by := rw.y + cellPad + float64(j)*lh + lh*0.78
				if c.right {
					d.left(x+c.w-cellPad-d.width(s), by, s)
				} else {
					d.left(x+cellPad, by, s)
				}
			}
			x += c.w
		}
		rw.y += h
	}
}

// cellText centres s, wrapped, in the box (x, y, w, h).
func (rw *reportWriter) cellText(s string, x, y, w, h, size float64) {
	d := rw.d
	lh := lineH(size)
	lines := d.wrap(s, w-2*cellPad)
	ty := y + (h-float64(len(lines))*lh)/2
	for j, l := range lines {
		d.center(x+w/2, ty+float64(j)*lh+lh*0.78, l)
	}
}

// tables are Phụ lục II: the figures of every unit, district by district,
// then the province.
func (rw *reportWriter) tables(r *reportPrep) {
	rw.page(true)
	rw.d.font(bold, reportHead)
	rw.y += lineH(reportHead)
	rw.d.center(rw.x0+rw.width()/2, rw.y, "PHỤ LỤC II")
	rw.d.font(bold, reportSmall+0.5)
	rw.y += lineH(reportSmall + 0.5)
	rw.d.center(rw.x0+rw.width()/2, rw.y, "SỐ LIỆU CỦA TỪNG HUYỆN VÀ TỪNG ĐƠN VỊ")
	rw.d.font(italic, reportSmall)
	rw.y += lineH(reportSmall)
	rw.d.center(rw.x0+rw.width()/2, rw.y, "("+annexRef(r)+")")
	rw.y += 3
	rw.table(intakeTable(r))
	// Each table starts a sheet: they are read side by side.
	rw.page(true)
	rw.table(validityTable(r))
}

// dash is what an empty cell shows.
const dash = "–"

// rowsOf lists, for each district, its name, its units, its subtotal, and
// last the province; cells makes one row's cells from a unit.
func rowsOf(r *reportPrep, cells func(u *ReportUnit) []string) []rrow {
	var rows []rrow
	for i := range r.Districts {
		dist := &r.Districts[i]
		rows = append(rows, rrow{cells: []string{dist.Name}, section: true})
		for j := range dist.Units {
			rows = append(rows, rrow{cells: cells(&dist.Units[j])})
		}
		rows = append(rows, rrow{cells: cells(&dist.Totals), bold: true})
	}
	return append(rows, rrow{cells: cells(&r.Province), bold: true})
}

// intakeTable is Bảng 1: applications received and decided, pending, and
// permits issued by category.
func intakeTable(r *reportPrep) *rtable {
	nc := len(r.Categories)
	const nw = 15.5
	t := &rtable{caption: "Bảng 1. Tiếp nhận, giải quyết hồ sơ và giấy đi đường đã cấp", size: reportTableSz}
	t.cols = []rcol{{head: "Đơn vị", w: 40},
		{head: "Tại quầy", w: nw, right: true}, {head: "Trực tuyến", w: nw, right: true},
		{head: "Duyệt", w: nw, right: true}, {head: "Từ chối", w: nw, right: true}, {head: "Chuyển đơn vị khác", w: nw, right: true},
		{head: "Số hồ sơ", w: nw, right: true}, {head: "Chờ lâu nhất (ngày)", w: nw, right: true}}
	t.groups = []rgroup{{"Hồ sơ tiếp nhận", 1, 2}, {"Giải quyết", 3, 3}, {"Tồn cuối kỳ", 6, 2}, {"Giấy đi đường đã cấp", 8, nc + 1}}
	for _, c := range r.Categories {
		t.cols = append(t.cols, rcol{head: "Loại " + strconv.Itoa(c.Code), w: nw - 2, right: true})
	}
	t.cols = append(t.cols, rcol{head: "Tổng", w: nw, right: true})
	t.rows = rowsOf(r, func(u *ReportUnit) []string {
		old := dash
		if u.PendingAtEnd > 0 {
			old = days(u.OldestPending)
		}
		c := []string{u.Name, viInt(u.ReceivedWalkIn), viInt(u.ReceivedOnline), viInt(u.Approved), viInt(u.Rejected),
			viInt(u.Forwarded), viInt(u.PendingAtEnd), old}
		for _, n := range u.PermitsByCategory {
			c = append(c, viInt(n))
		}
		return append(c, viInt(u.PermitsTotal))
	})
	return t
}

// validityTable is Bảng 2: validity by category against its maximum,
// revocations and their reasons, checkpoint signals.
func validityTable(r *reportPrep) *rtable {
	const nw = 10.5
	t := &rtable{caption: "Bảng 2. Thời hạn hiệu lực, thu hồi và tín hiệu bất thường tại chốt kiểm soát", size: 7.5}
	t.cols = []rcol{{head: "Đơn vị", w: 30}}
	for i, c := range r.Categories {
		t.groups = append(t.groups, rgroup{"Loại " + strconv.Itoa(c.Code) + " (tối đa " + viInt(c.MaxDays) + " ngày)", 1 + 2*i, 2})
		t.cols = append(t.cols, rcol{head: "Bình quân", w: nw, right: true}, rcol{head: "Dài nhất", w: nw, right: true})
	}
	k := len(t.cols)
	t.cols = append(t.cols, rcol{head: "Giấy vượt thời hạn tối đa", w: nw + 2, right: true},
		rcol{head: "Số giấy", w: nw, right: true}, rcol{head: "Lý do chủ yếu", w: 54},
		rcol{head: "Ngoài phạm vi", w: nw, right: true}, rcol{head: "Ngoài giờ", w: nw, right: true},
		rcol{head: "Nhiều chốt", w: nw, right: true}, rcol{head: "Trên 1.000 giấy", w: nw + 1, right: true})
	t.groups = append(t.groups, rgroup{"Thu hồi", k + 1, 2}, rgroup{"Tín hiệu bất thường", k + 3, 4})
	t.rows = rowsOf(r, func(u *ReportUnit) []string {
		c := []string{u.Name}
		over := 0
		for _, v := range u.Validity {
			over += v.OverMax
			if v.Permits == 0 {
				c = append(c, dash, dash)
				continue
			}
			c = append(c, viDec(v.AvgDays, 1), viInt(v.LongDays))
		}
		rs := reasons(u.RevocationReasons, 2)
		if rs == "" {
			rs = dash
		}
		return append(c, viInt(over), viInt(u.Revoked), rs, viInt(u.Abuse.OutsideArea), viInt(u.Abuse.OutsideHours),
			viInt(u.Abuse.ManyCheckpoints), viDec(u.AbusePer1000, 1))
	})
	return t
}
