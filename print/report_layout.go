package print

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
)

// a4 is the sheet every page of the report is on, portrait or landscape.
var a4 = fpdf.SizeType{Wd: 210, Ht: 297}

// Report type sizes, in points: Nghị định 30/2020 asks 13–14 for the body.
const (
	reportBody    = 13
	reportHead    = 12.5
	reportSmall   = 11
	reportTableSz = 8
)

// reportWriter flows the report down its pages: y is the top of the free
// space on the current page, between top and bottom, x0..x1 the text width.
type reportWriter struct {
	d                   *doc
	landscape           bool
	x0, x1, top, bottom float64
	y                   float64
	continued           func() // redraws a table's caption and header after a page break
	charts              int    // charts drawn, to number them
}

// page starts a page of the given orientation with Nghị định 30's margins
// (landscape annexes a little narrower) and, from the second page on, the
// page number at the top centre.
func (rw *reportWriter) page(landscape bool) {
	o := "P"
	if landscape {
		o = "L"
	}
	rw.d.pdf.AddPageFormat(o, a4)
	w, h := rw.d.pdf.GetPageSize()
	rw.d.pageH = h
	rw.landscape = landscape
	if landscape {
		rw.x0, rw.x1, rw.top, rw.bottom = 15, w-15, 17, h-12
	} else {
		rw.x0, rw.x1, rw.top, rw.bottom = 30, w-15, 20, h-20
	}
	rw.y = rw.top
	if n := rw.d.pdf.PageNo(); n > 1 {
		rw.d.font(regular, reportSmall)
		rw.d.center((rw.x0+rw.x1)/2, rw.top-7, strconv.Itoa(n))
	}
}

func (rw *reportWriter) width() float64 { return rw.x1 - rw.x0 }

// need starts a new page, of the same orientation, when h millimetres do
// not fit under y; it reports whether it did.
func (rw *reportWriter) need(h float64) bool {
	if rw.y+h <= rw.bottom {
		return false
	}
	rw.page(rw.landscape)
	if rw.continued != nil {
		rw.continued()
	}
	return true
}

// para sets s as a paragraph in the text width, its first line indented.
func (rw *reportWriter) para(s, style string, size, indent float64) {
	d := rw.d
	d.font(style, size)
	lh := lineH(size) * 1.12
	w := rw.width()
	first := d.wrap(s, w-indent)
	lines := first[:1]
	if len(first) > 1 {
		rest := strings.Join(first[1:], " ")
		lines = append(lines, d.wrap(rest, w)...)
	}
	for i, l := range lines {
		rw.need(lh)
		rw.y += lh
		x := rw.x0
		if i == 0 {
			x += indent
		}
		d.font(style, size)
		d.left(x, rw.y-lh*0.22, l)
	}
	rw.y += 1.5
}

// heading is a bold line of its own, kept with the line after it.
func (rw *reportWriter) heading(s string, size float64) {
	rw.need(lineH(size)*3 + 4)
	rw.y += 2.5
	rw.para(s, bold, size, 0)
}

// letter is the report proper: header, title, summary, points to watch,
// signer.
func (rw *reportWriter) letter(r *reportPrep) {
	d := rw.d
	rw.page(false)
	cw := rw.width()
	lw := cw * 0.43
	rwid := cw - lw - 3
	lcx, rcx := rw.x0+lw/2, rw.x1-rwid/2
	ly := d.issuerBlock(lcx, rw.y, lw, reportHead, r.IssuerParent, r.Issuer)
	ry := d.motto(rcx, rw.y, rwid, reportHead)
	y := max(ly, ry) + 6.5
	d.font(regular, reportHead)
	d.center(lcx, y, r.number)
	d.font(italic, reportHead+0.5)
	dy := y
	for k, s := range d.wrap(r.dateLine, rwid) {
		if k > 0 {
			dy += lineH(reportHead + 0.5)
		}
		d.center(rcx, dy, s)
	}
	rw.y = max(y, dy) + 10

	// Title: "BÁO CÁO" then the trích yếu, bold, centred, and a short rule.
	if r.title != "" {
		d.font(bold, 14)
		rw.y += lineH(14)
		d.center(rw.x0+cw/2, rw.y, r.title)
	}
	d.font(bold, 14)
	widest := 0.0
	for _, s := range d.wrap(r.titleRest, cw*0.85) {
		rw.y += lineH(14)
		d.center(rw.x0+cw/2, rw.y, s)
		widest = max(widest, d.width(s))
	}
	d.font(italic, reportBody)
	rw.y += lineH(reportBody) + 0.5
	d.center(rw.x0+cw/2, rw.y, periodLine(r))
	rw.y += 2.2
	rule := min(max(widest/3, 20), 50)
	d.line(rw.x0+cw/2-rule/2, rw.y, rw.x0+cw/2+rule/2, rw.y, 0.3)
	rw.y += 5

	rw.heading("I. TÌNH HÌNH CHUNG", reportBody)
	for _, s := range summary(r) {
		rw.para(s, regular, reportBody, 10)
	}
	rw.heading("II. ĐIỂM CẦN CHÚ Ý", reportBody)
	pts := attentionSentences(r)
	if len(pts) == 0 {
		rw.para("Không có đơn vị nào có chỉ số cách xa mức toàn tỉnh.", regular, reportBody, 10)
	}
	for i, s := range pts {
		rw.para(strconv.Itoa(i+1)+". "+s, regular, reportBody, 10)
	}
	rw.heading("III. SỐ LIỆU CHI TIẾT", reportBody)
	s := "Biểu đồ tại Phụ lục I; số liệu của từng huyện và từng đơn vị tại Phụ lục II kèm theo báo cáo này."
	if !r.MadeAt.IsZero() {
		s += " Số liệu được tổng hợp lúc " + clock(r.MadeAt) + " ngày " + shortDate(r.MadeAt) + "."
	}
	rw.para(s, regular, reportBody, 10)
	rw.signer(r)
}

// periodLine is "(Từ ngày 01/11/2026 đến ngày 30/11/2026)".
func periodLine(r *reportPrep) string {
	return "(Từ ngày " + shortDate(r.From) + " đến ngày " + shortDate(r.To) + ")"
}

// annexRef ties an annex to its report: "Kèm theo Báo cáo số 125/BC-BCĐ
// ngày 01/10/2021".
func annexRef(r *reportPrep) string {
	num := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(r.DocNumber, "Số:"), "Số"))
	s := "Kèm theo Báo cáo"
	if num != "" {
		s += " số " + num
	}
	return s + " ngày " + shortDate(r.Date)
}

// signer draws "Nơi nhận" at the left and the signer block at the right,
// on a new page if the space left is too short for it.
func (rw *reportWriter) signer(r *reportPrep) {
	d := rw.d
	cw := rw.width()
	sw := cw * 0.5
	// "Nơi nhận" and the signer stay together, on this page if they fit.
	d.font(regular, 11)
	lines := 0
	for _, s := range r.Recipients {
		lines += len(d.wrap("- "+s+";", cw-sw-4))
	}
	rw.need(max(62, lineH(12)+float64(lines)*lineH(11)+8))
	rw.y += 6
	scx := rw.x1 - sw/2
	sy := rw.y
	d.font(bold, reportBody)
	for _, t := range []string{r.SignerFor, r.SignerTitle} {
		if t == "" {
			continue
		}
		for _, s := range d.wrap(t, sw) {
			sy += lineH(reportBody)
			d.center(scx, sy, s)
		}
	}
	if r.SignerName != "" {
		d.center(scx, sy+30, r.SignerName)
	}
	ny := rw.y
	if len(r.Recipients) > 0 {
		ny += lineH(12)
		d.font(bold+italic, 12)
		d.left(rw.x0, ny, "Nơi nhận:")
		d.font(regular, 11)
		for i, s := range r.Recipients {
			end := ";"
			if i == len(r.Recipients)-1 {
				end = "."
			}
			for _, l := range d.wrap("- "+s+end, cw-sw-4) {
				ny += lineH(11)
				d.left(rw.x0, ny, l)
			}
		}
	}
	rw.y = max(sy+34, ny)
}

// summary is the opening paragraphs, made from the province's figures and
// nothing else.
func summary(r *reportPrep) []string {
	p := r.Province
	units := 0
	for _, dist := range r.Districts {
		units += len(dist.Units)
	}
	nDays := int(r.To.Sub(r.From).Hours()/24+0.5) + 1
	var out []string
	out = append(out, "Từ ngày "+shortDate(r.From)+" đến ngày "+shortDate(r.To)+" ("+viInt(nDays)+" ngày), "+
		viInt(units)+" đơn vị cấp giấy đi đường thuộc "+viInt(len(r.Districts))+" địa bàn đã tiếp nhận "+
		viInt(p.ReceivedWalkIn+p.ReceivedOnline)+" hồ sơ ("+viInt(p.ReceivedWalkIn)+" tại quầy, "+
		viInt(p.ReceivedOnline)+" trực tuyến); đã duyệt "+viInt(p.Approved)+", từ chối "+viInt(p.Rejected)+
		", chuyển đơn vị có thẩm quyền "+viInt(p.Forwarded)+"; cuối kỳ còn "+viInt(p.PendingAtEnd)+" hồ sơ chờ giải quyết"+
		pendingAge(p)+".")
	var cats []string
	for i, c := range r.Categories {
		n := p.PermitsByCategory[i]
		cats = append(cats, "loại "+strconv.Itoa(c.Code)+catName(c)+" "+viInt(n)+" giấy, "+percent(n, p.PermitsTotal))
	}
	out = append(out, "Đã cấp "+viInt(p.PermitsTotal)+" giấy đi đường: "+strings.Join(cats, "; ")+".")
	var val []string
	over := 0
	for i, c := range r.Categories {
		v := p.Validity[i]
		over += v.OverMax
		if v.Permits == 0 {
			continue
		}
		val = append(val, "loại "+strconv.Itoa(c.Code)+" bình quân "+viDec(v.AvgDays, 1)+" ngày, dài nhất "+
			viInt(v.LongDays)+" ngày (tối đa "+viInt(c.MaxDays)+" ngày)")
	}
	s := "Thời hạn hiệu lực: " + strings.Join(val, "; ")
	if len(val) == 0 {
		s = "Chưa có giấy nào để tính thời hạn hiệu lực"
	}
	if over == 0 {
		s += "; không có giấy nào vượt thời hạn tối đa."
	} else {
		s += "; có " + viInt(over) + " giấy vượt thời hạn tối đa."
	}
	out = append(out, s)
	s = "Đã thu hồi " + viInt(p.Revoked) + " giấy"
	if rs := reasons(p.RevocationReasons, 3); rs != "" {
		s += ", lý do chủ yếu: " + rs
	}
	a := p.Abuse
	s += ". Các chốt kiểm soát ghi nhận " + viInt(a.Total()) + " tín hiệu bất thường (" + viInt(a.OutsideArea) +
		" ngoài phạm vi đi lại, " + viInt(a.OutsideHours) + " ngoài khung giờ, " + viInt(a.ManyCheckpoints) +
		" qua nhiều chốt hơn lộ trình), bình quân " + viDec(p.AbusePer1000, 1) + " tín hiệu trên 1.000 giấy."
	out = append(out, s)
	return out
}

// catName is " (người dân có lý do thật sự cần thiết)", the category's
// name in brackets after "loại 4", or "" for a category without a name.
func catName(c ReportCategory) string {
	if c.Name == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(c.Name)
	return " (" + string(unicode.ToLower(r)) + c.Name[n:] + ")"
}

// pendingAge is ", hồ sơ chờ lâu nhất 2,5 ngày" when anything is pending.
func pendingAge(u ReportUnit) string {
	if u.PendingAtEnd == 0 {
		return ""
	}
	return ", hồ sơ chờ lâu nhất " + days(u.OldestPending) + " ngày"
}

// reasons is the first n reasons with their counts: "Sai thông tin (3); Hết nhu cầu (2)".
func reasons(rs []ReasonCount, n int) string {
	var parts []string
	for i, rc := range rs {
		if i == n {
			break
		}
		parts = append(parts, rc.Reason+" ("+viInt(rc.Count)+")")
	}
	return strings.Join(parts, "; ")
}

// attentionSentences is one sentence per AttentionPoint, from its fields:
// "Xã Tân Hương: tín hiệu vi phạm trên 1.000 giấy 25,3; toàn tỉnh 10,9 (gấp 2,3 lần)."
func attentionSentences(r *reportPrep) []string {
	out := make([]string, 0, len(r.Attention))
	for _, a := range r.Attention {
		s := a.UnitName + ": " + a.Label + " " + viFigure(a.Value) + "; toàn tỉnh " + viFigure(a.Province)
		switch {
		case a.Province > 0 && a.Value > a.Province:
			s += " (gấp " + viDec(a.Value/a.Province, 1) + " lần)"
		case a.Province > 0 && a.Value < a.Province:
			s += " (bằng " + viDec(100*a.Value/a.Province, 0) + "% mức toàn tỉnh)"
		}
		out = append(out, s+".")
	}
	return out
}
