package print

import (
	"math"
	"sort"
	"strconv"
)

// The report's charts, drawn as vectors (rectangles, lines and text) so
// that they stay sharp and small. They must read on a black-and-white
// photocopy: every category has a fill pattern of its own (a grey level and
// a hatching), named in a legend, never a colour alone.

// pattern is a fill that survives black-and-white printing.
type pattern struct {
	grey  int // fill, 0 black .. 255 white
	hatch int // hatchNone, ...
}

const (
	hatchNone = iota
	hatchUp   // "/"
	hatchDown // "\"
	hatchCross
	hatchHoriz
	hatchVert
	hatchDots
)

// patterns are the categories' fills in order; beyond them they repeat.
var patterns = []pattern{
	{grey: 70},
	{grey: 255, hatch: hatchUp},
	{grey: 205},
	{grey: 255, hatch: hatchCross},
	{grey: 150, hatch: hatchDown},
	{grey: 255, hatch: hatchHoriz},
	{grey: 255, hatch: hatchVert},
	{grey: 235, hatch: hatchDots},
}

func patternOf(i int) pattern { return patterns[i%len(patterns)] }

const hatchStep = 1.4 // mm between hatching lines

// fill paints the rectangle with p and outlines it.
func (d *doc) fill(x, y, w, h float64, p pattern) {
	if w <= 0 || h <= 0 {
		return
	}
	d.pdf.SetFillColor(p.grey, p.grey, p.grey)
	d.pdf.SetLineWidth(0.15)
	d.pdf.Rect(x, y, w, h, "F")
	if p.hatch != hatchNone {
		d.pdf.ClipRect(x, y, w, h, false)
		d.pdf.SetLineWidth(0.15)
		// Lines sit on a grid fixed to the page, so that two touching
		// rectangles of one pattern hatch as one.
		switch p.hatch {
		case hatchUp, hatchCross:
			for c := math.Floor((x+y)/hatchStep) * hatchStep; c <= x+w+y+h; c += hatchStep {
				d.pdf.Line(c-y, y, c-y-h, y+h)
			}
		}
		switch p.hatch {
		case hatchDown, hatchCross:
			for c := math.Floor((x-y-h)/hatchStep) * hatchStep; c <= x+w-y; c += hatchStep {
				d.pdf.Line(c+y, y, c+y+h, y+h)
			}
		case hatchHoriz:
			for c := math.Ceil(y/hatchStep) * hatchStep; c < y+h; c += hatchStep {
				d.pdf.Line(x, c, x+w, c)
			}
		case hatchVert:
			for c := math.Ceil(x/hatchStep) * hatchStep; c < x+w; c += hatchStep {
				d.pdf.Line(c, y, c, y+h)
			}
		case hatchDots:
			d.pdf.SetFillColor(0, 0, 0)
			for cy := math.Ceil(y/hatchStep)*hatchStep + hatchStep/2; cy < y+h; cy += hatchStep {
				for cx := math.Ceil(x/hatchStep)*hatchStep + hatchStep/2; cx < x+w; cx += hatchStep {
					d.pdf.Rect(cx-0.2, cy-0.2, 0.4, 0.4, "F")
				}
			}
		}
		d.pdf.ClipEnd()
	}
	d.pdf.SetLineWidth(0.15)
	d.pdf.Rect(x, y, w, h, "D")
}

// niceStep is a round tick step (1, 2, 2.5 or 5 times a power of ten) that
// cuts 0..top into about n steps.
func niceStep(top float64, n int) float64 {
	if top <= 0 {
		return 1
	}
	raw := top / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// chartTitle sets a chart's title, numbered, bold and centred, and
// returns below it.
func (rw *reportWriter) chartTitle(s string) {
	d := rw.d
	rw.charts++
	s = "Biểu đồ " + strconv.Itoa(rw.charts) + ". " + s
	d.font(bold, reportSmall+0.5)
	for _, l := range d.wrap(s, rw.width()) {
		rw.y += lineH(reportSmall + 0.5)
		d.center(rw.x0+rw.width()/2, rw.y, l)
	}
	rw.y += 3
}

// legendHeight is how much room legend takes, at most (one column).
func (rw *reportWriter) legendHeight(r *reportPrep) float64 {
	return float64(len(r.Categories))*(lineH(8.5)+1.6) + 3
}

// legend draws one swatch and name per category, as many on a line as fit
// in two columns, and moves y below it.
func (rw *reportWriter) legend(r *reportPrep) {
	d := rw.d
	const size = 8.5
	// Two columns when every name fits in half the width, else one.
	cols := 2
	for _, c := range r.Categories {
		d.font(bold, size)
		w := d.width("Loại " + strconv.Itoa(c.Code) + " ")
		d.font(regular, size)
		if w+d.width(c.Name)+10 > rw.width()/2 {
			cols = 1
		}
	}
	colW := rw.width() / float64(cols)
	lh := lineH(size) + 1.6
	for i, c := range r.Categories {
		x := rw.x0 + float64(i%cols)*colW
		if i%cols == 0 {
			rw.y += lh
		}
		d.fill(x, rw.y-3.1, 7, 3.6, patternOf(i))
		d.font(bold, size)
		label := "Loại " + strconv.Itoa(c.Code)
		d.left(x+8.5, rw.y, label)
		lw := d.width(label + " ")
		d.font(regular, size)
		name := c.Name
		for d.width(name) > colW-10-lw && len([]rune(name)) > 4 {
			rs := []rune(name)
			name = string(rs[:len(rs)-2]) + "…"
		}
		d.left(x+8.5+lw, rw.y, name)
	}
	rw.y += 3
}

// dayChart is chart 1: the province's permits per day, stacked by category.
func (rw *reportWriter) dayChart(r *reportPrep) {
	d := rw.d
	const plotH = 60.0
	rw.need(plotH + 40)
	rw.chartTitle("Số giấy đi đường cấp mỗi ngày theo loại, toàn tỉnh")
	top := 0
	for _, day := range r.PerDay {
		sum := 0
		for _, n := range day.ByCategory {
			sum += n
		}
		top = max(top, sum)
	}
	step := max(1, niceStep(float64(top), 5))
	yMax := math.Ceil(float64(top)/step) * step
	if yMax == 0 {
		yMax = step
	}
	axisX := rw.x0 + 14
	plotW := rw.x1 - axisX - 2
	y0 := rw.y + 4 // top of the plot, under "Số giấy"
	base := y0 + plotH
	d.font(italic, 8)
	d.left(rw.x0, rw.y+1, "Số giấy")
	// Ticks and light grid lines.
	d.font(regular, 7.5)
	for v := 0.0; v <= yMax+step/2; v += step {
		ty := base - plotH*v/yMax
		s := viInt(int(v))
		d.left(axisX-1.5-d.width(s), ty+1, s)
		d.pdf.SetDrawColor(190, 190, 190)
		d.line(axisX, ty, axisX+plotW, ty, 0.1)
		d.pdf.SetDrawColor(0, 0, 0)
		d.line(axisX-1, ty, axisX, ty, 0.2)
	}
	n := max(1, len(r.PerDay))
	slot := plotW / float64(n)
	bw := slot * 0.72
	d.font(regular, 7)
	every := max(1, int(math.Ceil(d.width("30")*1.5/slot)))
	for k, day := range r.PerDay {
		bx := axisX + slot*float64(k) + (slot-bw)/2
		y := base
		for i, v := range day.ByCategory {
			h := plotH * float64(v) / yMax
			d.fill(bx, y-h, bw, h, patternOf(i))
			y -= h
		}
		if k%every == 0 {
			d.font(regular, 7)
			d.center(bx+bw/2, base+3.5, day.Day.In(ICT).Format("02"))
		}
	}
	d.line(axisX, y0-2, axisX, base, 0.25)
	d.line(axisX, base, axisX+plotW, base, 0.25)
	d.font(italic, 8)
	axis := "Ngày"
	if len(r.PerDay) > 0 {
		first, last := r.PerDay[0].Day.In(ICT), r.PerDay[len(r.PerDay)-1].Day.In(ICT)
		axis = "Ngày trong tháng " + first.Format("01/2006")
		if first.Format("01/2006") != last.Format("01/2006") {
			axis = "Ngày (từ " + shortDate(first) + " đến " + shortDate(last) + ")"
		}
	}
	d.center(axisX+plotW/2, base+8, axis)
	rw.y = base + 9
	rw.legend(r)
	rw.y += 4
}

// abuseChart is chart 3: the units with the most checkpoint signals per
// 1,000 permits, highest first, each bar labelled with its figure, and the
// province's figure as a dashed line.
func (rw *reportWriter) abuseChart(r *reportPrep) {
	d := rw.d
	type unit struct {
		name string
		v    float64
	}
	var us []unit
	for _, dist := range r.Districts {
		for _, u := range dist.Units {
			if u.PermitsTotal > 0 {
				us = append(us, unit{u.Name, u.AbusePer1000})
			}
		}
	}
	sort.SliceStable(us, func(i, j int) bool { return us[i].v > us[j].v })
	const topN = 20
	if len(us) > topN {
		us = us[:topN]
	}
	const rowH = 5.6
	plotH := rowH * float64(max(1, len(us)))
	rw.need(plotH + 30)
	rw.chartTitle(viInt(len(us)) + " đơn vị có nhiều tín hiệu bất thường nhất trên 1.000 giấy đã cấp")
	const size = 8
	labelW := 55.0
	axisX := rw.x0 + labelW + 2
	plotW := rw.x1 - axisX - 14
	top := r.Province.AbusePer1000
	for _, u := range us {
		top = max(top, u.v)
	}
	step := niceStep(top, 5)
	xMax := math.Ceil(top/step) * step
	if xMax == 0 {
		xMax = step
	}
	y0 := rw.y + 4 // room for the province's label
	base := y0 + plotH
	for v := 0.0; v <= xMax+step/2; v += step {
		tx := axisX + plotW*v/xMax
		d.pdf.SetDrawColor(190, 190, 190)
		d.line(tx, y0, tx, base, 0.1)
		d.pdf.SetDrawColor(0, 0, 0)
		d.line(tx, base, tx, base+1, 0.2)
		d.font(regular, 7.5)
		d.center(tx, base+4, viFigure(v))
	}
	for k, u := range us {
		y := y0 + rowH*float64(k)
		d.font(regular, size)
		name := strconv.Itoa(k+1) + ". " + u.name
		for d.width(name) > labelW && len([]rune(name)) > 4 {
			rs := []rune(name)
			name = string(rs[:len(rs)-2]) + "…"
		}
		d.left(axisX-2-d.width(name), y+rowH*0.68, name)
		w := plotW * u.v / xMax
		d.fill(axisX, y+rowH*0.15, w, rowH*0.7, pattern{grey: 120})
		d.font(bold, size)
		// On white, so that the province's dashed line never cuts a figure.
		s := viDec(u.v, 1)
		d.pdf.SetFillColor(255, 255, 255)
		d.pdf.Rect(axisX+w+0.6, y+rowH*0.15, d.width(s)+1.2, rowH*0.7, "F")
		d.left(axisX+w+1.2, y+rowH*0.68, s)
	}
	d.line(axisX, y0, axisX, base, 0.25)
	d.line(axisX, base, axisX+plotW, base, 0.25)
	// The province's figure.
	px := axisX + plotW*r.Province.AbusePer1000/xMax
	d.pdf.SetDashPattern([]float64{1.5, 1}, 0)
	d.line(px, y0-1, px, base, 0.4)
	d.pdf.SetDashPattern(nil, 0)
	d.font(italic, 7.5)
	lbl := "Toàn tỉnh: " + viDec(r.Province.AbusePer1000, 1)
	d.left(min(px+1, rw.x1-d.width(lbl)), y0-2.2, lbl)
	d.font(italic, 8)
	d.center(axisX+plotW/2, base+8, "Tín hiệu bất thường trên 1.000 giấy (ngoài phạm vi, ngoài giờ, nhiều chốt hơn lộ trình)")
	rw.y = base + 13
}

// shareChart is chart 2: each district's permits split by category, as
// bars of equal length (100%), the share printed on each part wide enough.
func (rw *reportWriter) shareChart(r *reportPrep) {
	d := rw.d
	const rowH = 6.0
	plotH := rowH * float64(len(r.Districts))
	rw.need(plotH + 18 + rw.legendHeight(r))
	rw.chartTitle("Cơ cấu giấy đi đường đã cấp theo loại, từng huyện")
	labelW := 40.0
	axisX := rw.x0 + labelW + 2
	plotW := rw.x1 - axisX - 2
	y0 := rw.y
	base := y0 + plotH
	for k, dist := range r.Districts {
		y := y0 + rowH*float64(k)
		d.font(regular, 8)
		name := dist.Name
		lines := d.wrap(name, labelW)
		ly := y + rowH/2 - float64(len(lines)-1)*lineH(8)/2 + 1
		for j, l := range lines {
			d.left(axisX-2-d.width(l), ly+float64(j)*lineH(8), l)
		}
		total := dist.Totals.PermitsTotal
		x := axisX
		if total == 0 {
			d.font(italic, 8)
			d.left(axisX+1, y+rowH*0.65, "chưa cấp giấy nào")
			continue
		}
		for i, n := range dist.Totals.PermitsByCategory {
			w := plotW * float64(n) / float64(total)
			d.fill(x, y+rowH*0.12, w, rowH*0.76, patternOf(i))
			if s := percent(n, total); w >= 10 {
				d.font(bold, 7)
				tw := d.width(s)
				d.pdf.SetFillColor(255, 255, 255)
				d.pdf.Rect(x+w/2-tw/2-0.6, y+rowH/2-1.6, tw+1.2, 3.2, "F")
				d.center(x+w/2, y+rowH/2+1, s)
			}
			x += w
		}
	}
	d.font(regular, 7.5)
	for p := 0; p <= 100; p += 20 {
		tx := axisX + plotW*float64(p)/100
		d.line(tx, base, tx, base+1, 0.2)
		d.center(tx, base+4, strconv.Itoa(p)+"%")
	}
	d.line(axisX, y0, axisX, base, 0.25)
	d.line(axisX, base, axisX+plotW, base, 0.25)
	d.font(italic, 8)
	d.center(axisX+plotW/2, base+8, "Tỷ lệ trong số giấy đã cấp của huyện")
	rw.y = base + 9
	rw.legend(r)
}

// chartPages are Phụ lục I.
func (rw *reportWriter) chartPages(r *reportPrep) {
	rw.page(false)
	d := rw.d
	d.font(bold, reportHead)
	rw.y += lineH(reportHead)
	d.center(rw.x0+rw.width()/2, rw.y, "PHỤ LỤC I")
	d.font(bold, reportSmall+0.5)
	rw.y += lineH(reportSmall + 0.5)
	d.center(rw.x0+rw.width()/2, rw.y, "BIỂU ĐỒ")
	d.font(italic, reportSmall)
	rw.y += lineH(reportSmall)
	d.center(rw.x0+rw.width()/2, rw.y, "("+annexRef(r)+")")
	rw.y += 6
	if len(r.PerDay) > 0 {
		rw.dayChart(r)
	}
	rw.shareChart(r)
	rw.y += 4
	rw.abuseChart(r)
}
