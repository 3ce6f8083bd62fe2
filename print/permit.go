package print

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Layout is how permits sit on paper.
type Layout int

const (
	// LayoutA4Half puts two A5 portrait permits side by side on an A4
	// landscape sheet, with a dashed cut line between them.
	LayoutA4Half Layout = iota
	// LayoutA5 prints one permit per A5 portrait page.
	LayoutA5
)

func (l Layout) String() string {
	switch l {
	case LayoutA4Half:
		return "a4-half"
	case LayoutA5:
		return "a5"
	}
	return fmt.Sprintf("Layout(%d)", int(l))
}

// ParseLayout reads a layout name: "a4" or "a4-half" for two permits per A4
// sheet, "a5" for one per A5 page (case and surrounding spaces ignored).
func ParseLayout(s string) (Layout, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "a4", "a4-half", "a4half", "a4_half":
		return LayoutA4Half, nil
	case "a5":
		return LayoutA5, nil
	}
	return 0, fmt.Errorf("khổ in không hợp lệ: %q (chọn \"a4\" hoặc \"a5\")", s)
}

// Permit is one travel permit (giấy đi đường) as printed. Every text is
// checked with ValidateText before anything is drawn.
type Permit struct {
	Serial       string    // "28249-1-2021-000123"
	Symbol       string    // ký hiệu after the number, e.g. "GĐĐ-UBND" (may be empty)
	IssuerParent string    // e.g. "UBND HUYỆN CHÂU THÀNH" (may be empty)
	Issuer       string    // e.g. "UBND XÃ TÂN HƯƠNG"
	Place        string    // e.g. "Tân Hương"
	IssuedAt     time.Time // printed in UTC+7
	HolderName   string
	IDNumber     string
	BirthDate    time.Time // zero = not printed
	Address      string
	Category     string // e.g. "Loại 4 — Người dân có lý do thật sự cần thiết"
	Workplace    string // category 2: the agency the holder works for (empty = not printed)
	Purpose      string
	Area         []string // unit names
	Route        string
	ValidFrom    time.Time
	ValidUntil   time.Time
	DailyHours   string // e.g. "06:00–18:00"; empty = not printed
	Vehicle      string // empty = not printed
	SignerFor    string // "TM. ỦY BAN NHÂN DÂN" (may be empty)
	SignerTitle  string // "CHỦ TỊCH"
	SignerName   string
	QR           string // the sealed "TH1:..." text, encoded as is
}

// Progress is called after each page with the number of items placed so far
// and the total; it may be nil.
type Progress func(done, total int)

// Permits writes one PDF holding every permit, in the order given. Every
// text is validated before the first page is drawn; the QR codes are
// encoded on the other processors while pages are laid out. The file is
// built in memory and written to w only when complete: on any error nothing
// is written to w. Each QR is the symbol skip2/go-qrcode would make at
// level Q (qrcode.High), drawn as vector rectangles with 0.8 mm modules
// (smaller, never under 0.5 mm, only for a seal too long for the 70 mm box).
func Permits(w io.Writer, permits []Permit, layout Layout, progress Progress) error {
	return printPermits(w, permits, layout, progress, true)
}

// PermitsWithoutQR writes the same pages as Permits with the QR box left
// empty. It exists as the floor of the printing benchmark (what the QR costs)
// and for a proof print of the layout; a permit without its QR is not valid.
func PermitsWithoutQR(w io.Writer, permits []Permit, layout Layout, progress Progress) error {
	return printPermits(w, permits, layout, progress, false)
}

// permitPrep is a permit with every text validated and formatted.
type permitPrep struct {
	serial, parent, issuer, dateLine string
	number                           string // "Số:" line: the serial and its ký hiệu
	fields                           []field
	signerFor, signerTitle, signer   string
	qr                               qrSymbol
}

// field is one labelled row of the permit's or voucher's body.
type field struct {
	label, value string
	strong       bool // value in bold (the holder's name)
	// names is set when value is a list of place names joined by ", "
	// (an area, an address) or one name (a hamlet): a line breaks between
	// names, never inside one unless the name alone is wider than the line.
	names bool
}

// Permit geometry, in millimetres. A permit is an A5 portrait page (or the
// half of an A4 landscape sheet).
const (
	permitMarginL   = 13
	permitMarginR   = 10
	permitMarginT   = 11
	permitMarginB   = 9
	permitBodySize  = 12
	permitMinSize   = 7
	permitNoteSize  = 8.5
	permitSerialGap = 4
)

// permitQR sizes a permit's QR: see TestQRSurvivesTheField for the module.
var permitQR = qrSpec{module: 0.8, limit: 70}

// permitQRNominal is the QR box a layout without its QR keeps empty.
const permitQRNominal = 68

const permitNote = "Người được cấp chỉ được đi lại trong phạm vi, lộ trình và thời gian ghi trên; " +
	"xuất trình giấy này cùng CCCD/CMND tại các chốt kiểm soát. Mã QR mang chữ ký số của cơ quan cấp."

func preparePermit(p Permit, withQR bool) (permitPrep, error) {
	var (
		pp  permitPrep
		err error
	)
	text := func(name, s string) string {
		if err != nil {
			return ""
		}
		var v string
		v, err = ValidateText(name, s)
		return v
	}
	need := func(name, v string) {
		if err == nil && v == "" {
			err = fmt.Errorf("thiếu %s", name)
		}
	}
	pp.serial = text("số giấy", p.Serial)
	need("số giấy", pp.serial)
	pp.number = pp.serial
	if sym := text("ký hiệu", p.Symbol); sym != "" {
		pp.number += "/" + sym
	}
	pp.parent = text("cơ quan cấp trên", p.IssuerParent)
	pp.issuer = text("cơ quan cấp", p.Issuer)
	need("cơ quan cấp", pp.issuer)
	place := text("địa danh", p.Place)
	name := text("họ tên", p.HolderName)
	need("họ tên", name)
	id := text("số CCCD/CMND", p.IDNumber)
	addr := text("nơi cư trú", p.Address)
	cat := text("đối tượng", p.Category)
	workplace := text("nơi làm việc", p.Workplace)
	purpose := text("lý do đi đường", p.Purpose)
	areas := make([]string, 0, len(p.Area))
	for _, a := range p.Area {
		if v := text("phạm vi đi lại", a); v != "" {
			areas = append(areas, v)
		}
	}
	route := text("lộ trình", p.Route)
	hours := text("khung giờ", p.DailyHours)
	vehicle := text("phương tiện", p.Vehicle)
	pp.signerFor = text("chức danh thay mặt", p.SignerFor)
	pp.signerTitle = text("chức danh người ký", p.SignerTitle)
	pp.signer = text("người ký", p.SignerName)
	if err != nil {
		return pp, err
	}
	switch {
	case p.IssuedAt.IsZero():
		return pp, fmt.Errorf("thiếu ngày cấp")
	case p.ValidFrom.IsZero() || p.ValidUntil.IsZero():
		return pp, fmt.Errorf("thiếu thời hạn hiệu lực")
	case p.ValidUntil.Before(p.ValidFrom):
		return pp, fmt.Errorf("thời hạn không hợp lệ: ngày hết hạn trước ngày bắt đầu")
	}
	pp.dateLine = adminDate(p.IssuedAt)
	if place != "" {
		pp.dateLine = place + ", " + pp.dateLine
	}
	add := func(label, value string, strong bool) {
		pp.fields = append(pp.fields, field{label: label, value: value, strong: strong})
	}
	addNames := func(label, value string) {
		pp.fields = append(pp.fields, field{label: label, value: value, names: true})
	}
	add("Họ và tên:", name, true)
	if !p.BirthDate.IsZero() {
		add("Ngày sinh:", p.BirthDate.Format("02/01/2006"), false)
	}
	add("Số CCCD/CMND:", id, false)
	addNames("Nơi cư trú:", addr)
	add("Đối tượng:", cat, false)
	if workplace != "" {
		add("Nơi làm việc:", workplace, false)
	}
	add("Lý do đi đường:", purpose, false)
	addNames("Phạm vi đi lại:", strings.Join(areas, ", "))
	if route != "" {
		add("Lộ trình:", route, false)
	}
	// A permit valid from the start of the day it is issued is valid from
	// the moment it is issued: "from 00:00" on paper would claim hours
	// before it existed.
	from := p.ValidFrom
	if lf := from.In(ICT); lf.Hour() == 0 && lf.Minute() == 0 && from.Before(p.IssuedAt) &&
		lf.Format("20060102") == p.IssuedAt.In(ICT).Format("20060102") {
		from = p.IssuedAt
	}
	add("Thời hạn:", validity(from, p.ValidUntil), false)
	if hours != "" {
		add("Giờ trong ngày:", hours, false)
	}
	if vehicle != "" {
		add("Phương tiện:", vehicle, false)
	}
	if withQR {
		if pp.qr, err = encodeQR(p.QR); err != nil {
			return pp, err
		}
		if err = placeQR(&pp.qr, permitQR); err != nil {
			return pp, err
		}
	}
	return pp, nil
}

func printPermits(w io.Writer, permits []Permit, layout Layout, progress Progress, withQR bool) error {
	if layout != LayoutA4Half && layout != LayoutA5 {
		return fmt.Errorf("khổ in không hợp lệ: %v", layout)
	}
	if len(permits) == 0 {
		return fmt.Errorf("không có giấy đi đường nào để in")
	}
	// Every text is checked before anything is drawn.
	preps := make([]permitPrep, len(permits))
	for i, p := range permits {
		var err error
		if preps[i], err = preparePermit(p, false); err != nil {
			return fmt.Errorf("giấy đi đường thứ %d (số %q): %w", i+1, p.Serial, err)
		}
	}
	// QR codes are encoded on the other processors while pages are laid
	// out on this one.
	var qrs *qrPipeline
	if withQR {
		qrs = startQR(len(permits), func(i int) string { return permits[i].QR }, permitQR)
		defer qrs.close()
	}
	var d *doc
	perPage, pageW, pageH := 1, 148.0, 210.0
	if layout == LayoutA4Half {
		d = newDoc("L", "A4", "Giấy đi đường")
		perPage, pageW = 2, 148.5
	} else {
		d = newDoc("P", "A5", "Giấy đi đường")
	}
	total := len(preps)
	for i := 0; i < total; i += perPage {
		d.addPage()
		for j := 0; j < perPage && i+j < total; j++ {
			pp := &preps[i+j]
			if withQR {
				sym, err := qrs.get(i + j)
				if err != nil {
					return fmt.Errorf("giấy đi đường thứ %d (số %s): %w", i+j+1, pp.serial, err)
				}
				pp.qr = sym
			}
			if err := d.drawPermit(pp, float64(j)*pageW, 0, pageW, pageH, withQR); err != nil {
				return fmt.Errorf("giấy đi đường thứ %d (số %s): %w", i+j+1, pp.serial, err)
			}
			pp.qr = qrSymbol{} // drawn; let it go
		}
		if perPage == 2 && i+1 < total {
			d.cutLine(pageW, 4, pageW, pageH-4)
		}
		if progress != nil {
			progress(min(i+perPage, total), total)
		}
	}
	return d.finish(w)
}

// drawPermit lays one permit out in the rectangle (ox, oy, w, h).
func (d *doc) drawPermit(p *permitPrep, ox, oy, w, h float64, withQR bool) error {
	x0 := ox + permitMarginL
	cw := w - permitMarginL - permitMarginR
	lw := cw * 0.39     // issuing body column
	rw := cw - lw - 2.5 // national motto column, after a gap
	lcx, rcx := x0+lw/2, x0+cw-rw/2

	// Issuing body, top left: the parent body, the issuing unit in bold,
	// a short rule under it (Nghị định 30/2020, Phụ lục I).
	y := oy + permitMarginT
	const headSize = 10.0
	ly := d.issuerBlock(lcx, y, lw, headSize, p.parent, p.issuer)

	// National motto, top right, with a rule as long as its second line.
	ry := d.motto(rcx, y, rw, headSize)

	// Serial under the issuer, place and date in italics under the motto.
	y = max(ly, ry) + 6
	// "Số: 28249-1-2021-000123/GĐĐ-UBND", smaller if the column is narrow.
	numSize := headSize
	d.font(regular, numSize)
	if w := d.width("Số: " + p.number); w > lw+6 {
		numSize = max(7.5, numSize*(lw+6)/w)
		d.font(regular, numSize)
	}
	d.center(lcx, y, "Số: "+p.number)
	d.font(regular, headSize)
	d.font(italic, headSize+0.5)
	dy := y
	for k, s := range d.wrap(p.dateLine, rw) {
		if k > 0 {
			dy += lineH(headSize + 0.5)
		}
		d.center(rcx, dy, s)
	}
	y = max(y, dy)

	// Title.
	y += 11
	d.font(bold, 15)
	d.center(x0+cw/2, y, "GIẤY ĐI ĐƯỜNG")
	y += 4

	// The bottom band: QR with its serial at the left, signer at the right,
	// and the note just above them.
	side := float64(permitQRNominal)
	if withQR {
		side = p.qr.side
	}
	qx, boxY := permitQRBox(ox, oy, h, side)
	d.font(italic, permitNoteSize)
	note := d.wrap(permitNote, cw)
	noteTop := boxY - 2.5 - float64(len(note))*lineH(permitNoteSize)

	// Body: the largest font size from permitBodySize down that fits.
	bodyTop := y + 2
	size2, gap, ok := d.fitBody(p.fields, cw, noteTop-2-bodyTop)
	if !ok {
		return fmt.Errorf("nội dung quá dài, không vừa khổ giấy")
	}
	d.drawBody(p.fields, size2, gap, x0, bodyTop, cw)
	d.lastBody = size2

	ny := noteTop
	d.font(italic, permitNoteSize)
	for _, s := range note {
		ny += lineH(permitNoteSize)
		d.left(x0, ny-0.8, s)
	}

	if withQR {
		d.drawQR(p.qr, qx, boxY, side)
	}
	d.font(regular, 9)
	d.center(qx+side/2, boxY+side+permitSerialGap-0.6, p.serial)

	// Signer block, centred in the space right of the QR.
	sx := x0 + side + 4
	sw := x0 + cw - sx
	scx := sx + sw/2
	sy := boxY + 2
	d.font(bold, 11.5)
	for _, t := range []string{p.signerFor, p.signerTitle} {
		if t == "" {
			continue
		}
		for _, s := range d.wrap(t, sw) {
			sy += lineH(11.5)
			d.center(scx, sy, s)
		}
	}
	if p.signer != "" {
		d.center(scx, boxY+side-4, p.signer)
	}
	return nil
}

// issuerBlock draws an issuing body's name centred on cx below y, in a
// column w wide (Nghị định 30/2020, Phụ lục I): the parent body in
// regular, the body itself in bold, and a short rule under it. It returns
// the y of the rule.
func (d *doc) issuerBlock(cx, y, w, size float64, parent, issuer string) float64 {
	lh := lineH(size)
	if parent != "" {
		d.font(regular, size)
		for _, s := range d.wrapBody(parent, w) {
			y += lh
			d.center(cx, y, s)
		}
	}
	d.font(bold, size)
	widest := 0.0
	for _, s := range d.wrapBody(issuer, w) {
		y += lh
		d.center(cx, y, s)
		widest = max(widest, d.width(s))
	}
	rule := max(widest/3, 12)
	y += 1.9
	d.line(cx-rule/2, y, cx+rule/2, y, 0.3)
	return y
}

// motto draws the national motto centred on cx below y, no wider than w
// (smaller than size if it must), with a rule as long as its second line.
// It returns the y of the rule.
func (d *doc) motto(cx, y, w, size float64) float64 {
	lh := lineH(size)
	motto1, motto2 := "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
	d.font(bold, size)
	if mw := d.width(motto1); mw > w {
		size = size * w / mw
		d.font(bold, size)
	}
	y += lh
	d.center(cx, y, motto1)
	d.font(bold, size+1)
	y += lineH(size + 1)
	d.center(cx, y, motto2)
	m2 := d.width(motto2)
	y += 1.9
	d.line(cx-m2/2, y, cx+m2/2, y, 0.3)
	return y
}

// wrapBody breaks an issuing body's name into lines no wider than w: after
// "ỦY BAN NHÂN DÂN" first, so that the place's name stays whole on the line
// below ("ỦY BAN NHÂN DÂN / XÃ TÂN MỸ CHÁNH").
func (d *doc) wrapBody(name string, w float64) []string {
	const committee = "ỦY BAN NHÂN DÂN "
	if d.width(name) <= w || !strings.HasPrefix(name, committee) {
		return d.wrap(name, w)
	}
	return append([]string{strings.TrimSpace(committee)}, d.wrap(strings.TrimPrefix(name, committee), w)...)
}

// permitQRBox is the top left corner of the QR's square (side mm wide,
// quiet zone included) on a permit whose page starts at (ox, oy) and is h
// high: bottom left, above the serial.
func permitQRBox(ox, oy, h, side float64) (x, y float64) {
	return ox + permitMarginL, oy + h - permitMarginB - permitSerialGap - side
}

// labelWidth is the label column of a body: its widest label plus a gap.
func (d *doc) labelWidth(fields []field, size float64) float64 {
	d.font(regular, size)
	lw := 0.0
	for _, f := range fields {
		lw = max(lw, d.width(f.label))
	}
	return lw + 2
}

// fitBody finds the largest font size, from permitBodySize down to
// permitMinSize, and the widest row gap at which fields fit in a column cw
// wide and avail high: first with no place name broken across lines, and
// only if no size allows that, with names broken.
func (d *doc) fitBody(fields []field, cw, avail float64) (size, gap float64, ok bool) {
	for _, whole := range []bool{true, false} {
		for size = permitBodySize; size >= permitMinSize; size -= 0.5 {
			if whole && !d.namesWhole(fields, size, cw) {
				continue
			}
			for _, gap = range []float64{1.8, 0.6} {
				if d.bodyHeight(fields, size, gap, cw) <= avail {
					return size, gap, true
				}
			}
		}
	}
	return 0, 0, false
}

// namesWhole reports whether every place name of fields fits on one line
// of the value column at size.
func (d *doc) namesWhole(fields []field, size, cw float64) bool {
	lw := d.labelWidth(fields, size)
	for _, f := range fields {
		if !f.names {
			continue
		}
		d.setFieldFont(f, size)
		for name := range strings.SplitSeq(f.value, ", ") {
			if d.width(name+",") > cw-lw {
				return false
			}
		}
	}
	return true
}

func (d *doc) setFieldFont(f field, size float64) {
	if f.strong {
		d.font(bold, size)
	} else {
		d.font(regular, size)
	}
}

// wrapField breaks a field's value into lines no wider than w: a list of
// names between names, other text at spaces.
func (d *doc) wrapField(f field, w float64) []string {
	if !f.names {
		return d.wrap(f.value, w)
	}
	var lines []string
	cur := ""
	for name := range strings.SplitSeq(f.value, ", ") {
		if cur != "" && d.width(cur+", "+name+",") <= w {
			cur += ", " + name
			continue
		}
		if cur != "" {
			lines = append(lines, cur+",")
		}
		cur = name
		if d.width(name+",") > w { // one name wider than the line: break it as text
			parts := d.wrap(name, w)
			lines = append(lines, parts[:len(parts)-1]...)
			cur = parts[len(parts)-1]
		}
	}
	return append(lines, cur)
}

// bodyHeight measures fields set at size in a column cw wide.
func (d *doc) bodyHeight(fields []field, size, gap, cw float64) float64 {
	lw := d.labelWidth(fields, size)
	lh := lineH(size) + 0.35
	total := 0.0
	for _, f := range fields {
		d.setFieldFont(f, size)
		total += float64(len(d.wrapField(f, cw-lw)))*lh + gap
	}
	return total
}

// drawBody sets fields as a two-column form: labels on the left, values
// wrapped with a hanging indent.
func (d *doc) drawBody(fields []field, size, gap, x, y, cw float64) float64 {
	lw := d.labelWidth(fields, size)
	lh := lineH(size) + 0.35
	for _, f := range fields {
		d.font(regular, size)
		d.left(x, y+lh*0.8, f.label)
		if f.strong {
			d.font(bold, size)
		}
		for _, s := range d.wrapField(f, cw-lw) {
			y += lh
			d.left(x+lw, y-lh*0.2, s)
		}
		y += gap
	}
	return y
}
