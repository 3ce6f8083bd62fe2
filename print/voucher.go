package print

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Voucher is one market-trip voucher (phiếu đi chợ) for a household in an
// at-risk or high-risk zone. Every text is checked with ValidateText before
// anything is drawn.
type Voucher struct {
	Serial         string
	Household      string // household code
	Representative string // the member who goes to market
	IDNumber       string // may be empty
	Hamlet         string // ấp / khu phố
	Market         string
	Issuer         string // e.g. "UBND XÃ TÂN HƯƠNG"
	SlotStart      time.Time
	SlotEnd        time.Time
	QR             string // the sealed "TH1:..." text, encoded as is
}

// Voucher geometry: 8 per A4 portrait sheet, 2 columns × 4 rows, in mm,
// inside margins a cheap printer can reach, under a band naming the hamlet.
const (
	voucherCols      = 2
	voucherRows      = 4
	voucherPerPage   = voucherCols * voucherRows
	voucherMargin    = 10 // no ink nearer the sheet's edge: cheap printers clip 4–6 mm
	voucherHead      = 9  // the hamlet's band at the top of every sheet
	voucherW         = (210.0 - 2*voucherMargin) / voucherCols
	voucherH         = (297.0 - 2*voucherMargin - voucherHead) / voucherRows
	voucherPad       = 4.5
	voucherQRNominal = 40 // the QR box a voucher without its QR keeps empty
	voucherMaxSize   = 9.5
	voucherMinSize   = 6
	voucherNoteSize  = 8 // the smallest text on a voucher: cheap toner fills in anything smaller
	voucherNote      = "Mỗi phiếu chỉ dùng một lần, đúng chợ, ngày và giờ ghi trên phiếu; mang theo khi đi chợ và xuất trình tại cổng chợ."
)

// voucherCell is the top left corner of the i-th cell of a sheet.
func voucherCell(i int) (x, y float64) {
	return voucherMargin + float64(i%voucherCols)*voucherW, voucherMargin + voucherHead + float64(i/voucherCols)*voucherH
}

// voucherQR sizes a voucher's QR: see TestQRSurvivesTheField.
var voucherQR = qrSpec{module: 0.6, limit: 42}

type voucherPrep struct {
	serial, issuer, hamlet, household string
	text                              string // the QR text, encoded as is
	start                             time.Time
	fields                            []field
	qr                                qrSymbol
}

// Vouchers writes 8 vouchers per A4 sheet with dashed cut lines, sorted by
// hamlet and then household code in Vietnamese order (Ấp 2 before Ấp 10,
// Ấp Bắc before Ấp Đông), so that a hamlet head can hand out a stack in
// order. The caller's slice is not reordered. Every text is validated
// before the first page is drawn; on any error nothing is written to w.
func Vouchers(w io.Writer, vouchers []Voucher, progress Progress) error {
	return printVouchers(w, vouchers, progress, true)
}

func printVouchers(w io.Writer, vouchers []Voucher, progress Progress, withQR bool) error {
	if len(vouchers) == 0 {
		return fmt.Errorf("không có phiếu đi chợ nào để in")
	}
	preps := make([]voucherPrep, len(vouchers))
	for i, v := range vouchers {
		var err error
		if preps[i], err = prepareVoucher(v, false); err != nil {
			return fmt.Errorf("phiếu đi chợ thứ %d (số %q): %w", i+1, v.Serial, err)
		}
		preps[i].text = v.QR
	}
	sortVouchers(preps)
	var qrs *qrPipeline
	if withQR {
		qrs = startQR(len(preps), func(i int) string { return preps[i].text }, voucherQR)
		defer qrs.close()
	}

	// Each hamlet starts a sheet of its own, named at the top, so that a
	// hamlet head takes whole sheets.
	d := newDoc("P", "A4", "Phiếu đi chợ")
	total := len(preps)
	for start := 0; start < total; {
		end := start + 1
		for end < total && preps[end].hamlet == preps[start].hamlet {
			end++
		}
		sheets := (end - start + voucherPerPage - 1) / voucherPerPage
		for k := range sheets {
			i := start + k*voucherPerPage
			d.addPage()
			d.voucherHeader(preps[i].hamlet, preps[i].issuer, k+1, sheets)
			n := min(voucherPerPage, end-i)
			for j := range n {
				x, y := voucherCell(j)
				vp := &preps[i+j]
				if withQR {
					sym, err := qrs.get(i + j)
					if err != nil {
						return fmt.Errorf("phiếu đi chợ số %s: %w", vp.serial, err)
					}
					vp.qr = sym
				}
				if err := d.drawVoucher(vp, x, y, withQR); err != nil {
					return fmt.Errorf("phiếu đi chợ số %s: %w", vp.serial, err)
				}
				vp.qr = qrSymbol{}
			}
			d.voucherCutLines(n)
			if progress != nil {
				progress(i+n, total)
			}
		}
		start = end
	}
	return d.finish(w)
}

// voucherHeader names the hamlet at the top of its sheet, with the issuer
// and the sheet's number among the hamlet's.
func (d *doc) voucherHeader(hamlet, issuer string, sheet, sheets int) {
	y := float64(voucherMargin) + 5.5
	d.font(bold, 12)
	title := "PHIẾU ĐI CHỢ — " + hamlet
	d.left(voucherMargin, y, title)
	d.font(regular, voucherNoteSize+1)
	right := fmt.Sprintf("tờ %d/%d", sheet, sheets)
	if issuer != "" {
		right = issuer + " · " + right
	}
	d.left(210-voucherMargin-d.width(right), y, right)
}

// voucherCutLines draws the dashed lines around and between the n cells
// used on a sheet.
func (d *doc) voucherCutLines(n int) {
	rows := (n + voucherCols - 1) / voucherCols
	x0, y0 := voucherCell(0)
	x1 := x0 + voucherCols*voucherW
	for r := 0; r <= rows; r++ {
		y := y0 + float64(r)*voucherH
		d.cutLine(x0, y, x1, y)
	}
	for c := 0; c <= voucherCols; c++ {
		x := x0 + float64(c)*voucherW
		d.cutLine(x, y0, x, y0+float64(rows)*voucherH)
	}
}

// sortVouchers orders by hamlet, then household code, with the Vietnamese
// collation of CLDR (numbers compared as numbers), then by the NFC bytes so
// that strings the collation holds equal still have one order, then by slot
// and serial.
func sortVouchers(vs []voucherPrep) {
	col := collate.New(language.Vietnamese, collate.Numeric)
	var buf collate.Buffer
	type key struct{ hamlet, household []byte }
	keys := make([]key, len(vs))
	for i := range vs {
		v := &vs[i]
		keys[i] = key{
			hamlet:    bytes.Clone(col.KeyFromString(&buf, v.hamlet)),
			household: bytes.Clone(col.KeyFromString(&buf, v.household)),
		}
		buf.Reset()
	}
	idx := make([]int, len(vs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		va, vb := &vs[a], &vs[b]
		ka, kb := keys[a], keys[b]
		return cmp.Or(
			bytes.Compare(ka.hamlet, kb.hamlet),
			cmp.Compare(va.hamlet, vb.hamlet),
			bytes.Compare(ka.household, kb.household),
			cmp.Compare(va.household, vb.household),
			va.start.Compare(vb.start),
			cmp.Compare(va.serial, vb.serial),
		)
	})
	sorted := make([]voucherPrep, len(vs))
	for i, j := range idx {
		sorted[i] = vs[j]
	}
	copy(vs, sorted)
}

var weekdays = [...]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

func prepareVoucher(v Voucher, withQR bool) (voucherPrep, error) {
	var (
		vp  voucherPrep
		err error
	)
	text := func(name, s string, required bool) string {
		if err != nil {
			return ""
		}
		var t string
		t, err = ValidateText(name, s)
		if err == nil && required && t == "" {
			err = fmt.Errorf("thiếu %s", name)
		}
		return t
	}
	vp.serial = text("số phiếu", v.Serial, true)
	vp.household = text("mã hộ", v.Household, true)
	rep := text("người đại diện", v.Representative, true)
	id := text("số CCCD/CMND", v.IDNumber, false)
	vp.hamlet = text("ấp", v.Hamlet, true)
	market := text("chợ", v.Market, true)
	vp.issuer = text("cơ quan cấp", v.Issuer, false)
	if err != nil {
		return vp, err
	}
	switch {
	case v.SlotStart.IsZero() || v.SlotEnd.IsZero():
		return vp, fmt.Errorf("thiếu khung giờ đi chợ")
	case !v.SlotEnd.After(v.SlotStart):
		return vp, fmt.Errorf("khung giờ không hợp lệ: giờ kết thúc không sau giờ bắt đầu")
	}
	vp.start = v.SlotStart
	start, end := v.SlotStart.In(ICT), v.SlotEnd.In(ICT)
	add := func(label, value string, strong bool) {
		vp.fields = append(vp.fields, field{label: label, value: value, strong: strong})
	}
	add("Mã hộ:", vp.household, true)
	add("Đại diện:", rep, true)
	if id != "" {
		add("CCCD:", id, false)
	}
	vp.fields = append(vp.fields, field{label: "Ấp:", value: vp.hamlet, names: true}, field{label: "Chợ:", value: market, names: true})
	if start.Format("20060102") == end.Format("20060102") {
		add("Ngày:", weekdays[start.Weekday()]+", "+shortDate(start), true)
		add("Giờ:", "từ "+clock(start)+" đến "+clock(end), true)
	} else {
		add("Thời gian:", validity(start, end), true)
	}
	if withQR {
		if vp.qr, err = encodeQR(v.QR); err != nil {
			return vp, err
		}
		if err = placeQR(&vp.qr, voucherQR); err != nil {
			return vp, err
		}
	}
	return vp, nil
}

// voucherQRBox is the top left corner of the QR's square (side mm wide,
// quiet zone included) in the cell whose top left is (cx, cy).
func voucherQRBox(cx, cy, side float64) (x, y float64) {
	return cx + voucherW - voucherPad - side, cy + voucherPad - 1
}

// drawVoucher lays one voucher out in the cell whose top left is (cx, cy).
func (d *doc) drawVoucher(v *voucherPrep, cx, cy float64, withQR bool) error {
	x0 := cx + voucherPad
	side := float64(voucherQRNominal)
	if withQR {
		side = v.qr.side
	}
	qx, qy := voucherQRBox(cx, cy, side)
	colW := qx - 1.5 - x0
	bottom := cy + voucherH - voucherPad + 1

	// Note along the bottom of the cell, under the QR's serial.
	const noteSize = voucherNoteSize
	d.font(italic, noteSize)
	note := d.wrap(voucherNote, voucherW-2*voucherPad)
	noteTop := bottom - float64(len(note))*lineH(noteSize)
	ny := noteTop
	for _, s := range note {
		ny += lineH(noteSize)
		d.left(x0, ny-0.7, s)
	}

	// QR and serial at the right.
	if withQR {
		d.drawQR(v.qr, qx, qy, side)
	}
	d.font(regular, 8.5)
	serialY := qy + side + 3.2
	d.center(qx+side/2, serialY, "Số: "+v.serial)
	if serialY+1 > noteTop {
		return fmt.Errorf("nội dung quá dài, không vừa phiếu")
	}

	// Issuer, title and fields at the left.
	y := qy + 1
	if v.issuer != "" {
		d.font(bold, 8)
		for _, s := range d.wrap(v.issuer, colW) {
			y += lineH(8)
			d.center(x0+colW/2, y, s)
		}
		y += 1
	}
	d.font(bold, 14)
	y += lineH(14)
	d.center(x0+colW/2, y, "PHIẾU ĐI CHỢ")
	y += 2
	avail := noteTop - 1.5 - y
	// The largest size that fits with no hamlet or market name broken
	// across lines, or failing that the largest that fits.
	for _, whole := range []bool{true, false} {
		for size := voucherMaxSize; size >= voucherMinSize; size -= 0.5 {
			if whole && !d.namesWhole(v.fields, size, colW) {
				continue
			}
			for _, gap := range []float64{0.8, 0.2} {
				if d.bodyHeight(v.fields, size, gap, colW) <= avail {
					d.drawBody(v.fields, size, gap, x0, y, colW)
					d.lastBody = size
					return nil
				}
			}
		}
	}
	return fmt.Errorf("nội dung quá dài, không vừa phiếu")
}
