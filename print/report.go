package print

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/go-fonts/liberation/liberationserifbolditalic"
)

// The province's accountability report (báo cáo toàn tỉnh): every unit that
// issues permits, side by side, as a signed report in the style of Nghị định
// 30/2020. The figures are the ones store/central computes; the caller (cmd)
// copies them field by field into the plain values below, so that this
// package renders them without knowing where they come from.

// ProvinceReport is the report as printed: its document header, its signer
// and its figures over the days From..To.
type ProvinceReport struct {
	// The document (Nghị định 30/2020, Phụ lục I).
	IssuerParent string    // "ỦY BAN NHÂN DÂN TỈNH TIỀN GIANG" (may be empty)
	Issuer       string    // "BAN CHỈ ĐẠO PHÒNG, CHỐNG DỊCH COVID-19"
	DocNumber    string    // "Số: 125/BC-BCĐ" or "125/BC-BCĐ" ("Số: " is added); empty prints "Số:      /BC-…" blank for the clerk
	Place        string    // "Tiền Giang", before the date line
	Date         time.Time // the report's date, printed in UTC+7
	// Title is the report's name; a leading "BÁO CÁO" is set on a line of
	// its own, the rest (trích yếu) in bold below it:
	// "BÁO CÁO Tình hình cấp giấy đi đường của các đơn vị trên địa bàn tỉnh".
	Title       string
	SignerFor   string   // "TM. BAN CHỈ ĐẠO" or "KT. TRƯỞNG BAN" (may be empty)
	SignerTitle string   // "PHÓ TRƯỞNG BAN"
	SignerName  string   // "Nguyễn Văn Vĩnh"
	Recipients  []string // "Nơi nhận:" lines, e.g. "Chủ tịch UBND tỉnh (b/c)", "Lưu: VT" (may be empty)

	// The figures, as store/central's ProvinceReport holds them.
	From, To   time.Time // first and last day covered
	MadeAt     time.Time // when the figures were read (zero = not printed)
	Categories []ReportCategory
	Province   ReportUnit       // the whole province
	Districts  []ReportDistrict // in the order printed
	PerDay     []DayPermits     // every day of the period, in order
	Attention  []AttentionPoint // furthest from the province first
}

// ReportCategory is a permit category: index i of every per-category slice
// of the report is Categories[i].
type ReportCategory struct {
	Code    int    // 1..5
	Name    string // "Người dân có lý do thật sự cần thiết"
	MaxDays int    // the longest validity allowed, in days
}

// ReportDistrict is one district (or the province-level offices) with its
// units and their sum.
type ReportDistrict struct {
	Code   uint32
	Name   string // "Huyện Châu Thành"
	Totals ReportUnit
	Units  []ReportUnit
}

// ReportUnit is what one unit (or a sum of units) received, decided, issued
// and had revoked and flagged over the period.
type ReportUnit struct {
	Code uint32 // 0 for a sum
	Name string

	ReceivedWalkIn int
	ReceivedOnline int
	Approved       int
	Rejected       int
	Forwarded      int
	PendingAtEnd   int
	OldestPending  time.Duration // age, at the end of the period, of the oldest pending application

	PermitsByCategory []int             // per ReportCategory
	PermitsTotal      int               // sum of PermitsByCategory
	Validity          []ValidityFigures // per ReportCategory
	Revoked           int
	RevocationReasons []ReasonCount // most frequent first
	Abuse             AbuseFigures
	AbusePer1000      float64 // Abuse.Total() per 1,000 permits issued
}

// ValidityFigures is the validity of one category's permits against the
// category's maximum.
type ValidityFigures struct {
	Permits  int
	AvgDays  float64
	LongDays int
	MaxDays  int
	OverMax  int // permits whose validity exceeds MaxDays
}

// ReasonCount is one revocation reason and how often it was given.
type ReasonCount struct {
	Reason string
	Count  int
}

// AbuseFigures counts the checkpoint signals on a unit's permits.
type AbuseFigures struct {
	OutsideArea     int
	OutsideHours    int
	ManyCheckpoints int // more checkpoints in a day than the route explains
}

// Total is every signal counted.
func (a AbuseFigures) Total() int { return a.OutsideArea + a.OutsideHours + a.ManyCheckpoints }

// DayPermits is the province's permits issued on one day, per category.
type DayPermits struct {
	Day        time.Time
	ByCategory []int
}

// AttentionPoint is one "điểm cần chú ý": a unit whose figure on a measure
// stands far from the province's. Its sentence is made from these fields
// only.
type AttentionPoint struct {
	Unit     uint32
	UnitName string
	Measure  string  // stable key ("abuse_per_1000", ...); not printed
	Label    string  // the measure in Vietnamese: "tín hiệu vi phạm trên 1.000 giấy"
	Value    float64 // the unit's figure
	Province float64 // the province's figure on the same measure
}

// WriteProvinceReport writes the report as one A4 PDF: the report itself
// (header, title, period, a summary made from the figures, the points to
// watch, the signer), then its annexes: the charts, drawn as vectors, and
// the tables by district and unit on landscape pages, their header repeated
// on every page. Every text is checked and every per-category slice matched
// against Categories before anything is drawn; the file is written to w
// only when complete, so on any error nothing is written.
func WriteProvinceReport(w io.Writer, r ProvinceReport) error {
	rp, err := prepareReport(r)
	if err != nil {
		return fmt.Errorf("báo cáo toàn tỉnh: %w", err)
	}
	rw := &reportWriter{d: newDoc("P", "A4", rp.title)}
	// "Nơi nhận:" and a district's name are bold italic, a style only the
	// report uses.
	rw.d.pdf.AddUTF8FontFromBytes(family, bold+italic, liberationserifbolditalic.TTF)
	rw.letter(&rp)
	rw.chartPages(&rp)
	rw.tables(&rp)
	if err := rw.d.finish(w); err != nil {
		return fmt.Errorf("báo cáo toàn tỉnh: %w", err)
	}
	return nil
}

// reportPrep is a report with every text validated.
type reportPrep struct {
	ProvinceReport
	title, titleRest string // "BÁO CÁO" and the trích yếu
	number, dateLine string
}

// prepareReport validates r's texts (into copies: the caller's slices are
// not written) and checks its shape.
func prepareReport(r ProvinceReport) (reportPrep, error) {
	var err error
	text := func(name, s string) string {
		if err != nil {
			return ""
		}
		var v string
		v, err = ValidateText(name, s)
		return v
	}
	rp := reportPrep{ProvinceReport: r}
	p := &rp.ProvinceReport
	p.IssuerParent = text("cơ quan chủ quản", r.IssuerParent)
	p.Issuer = text("cơ quan ban hành", r.Issuer)
	p.DocNumber = text("số văn bản", r.DocNumber)
	p.Place = text("địa danh", r.Place)
	p.Title = text("tên báo cáo", r.Title)
	p.SignerFor = text("thẩm quyền ký", r.SignerFor)
	p.SignerTitle = text("chức vụ người ký", r.SignerTitle)
	p.SignerName = text("người ký", r.SignerName)
	p.Recipients = nil
	for _, s := range r.Recipients {
		if v := text("nơi nhận", s); v != "" {
			p.Recipients = append(p.Recipients, v)
		}
	}
	if err != nil {
		return rp, err
	}
	switch {
	case p.Issuer == "":
		return rp, fmt.Errorf("thiếu cơ quan ban hành")
	case p.Title == "":
		return rp, fmt.Errorf("thiếu tên báo cáo")
	case r.Date.IsZero():
		return rp, fmt.Errorf("thiếu ngày báo cáo")
	case r.From.IsZero() || r.To.IsZero():
		return rp, fmt.Errorf("thiếu kỳ báo cáo")
	case r.To.Before(r.From):
		return rp, fmt.Errorf("kỳ báo cáo không hợp lệ: ngày cuối trước ngày đầu")
	case len(r.Categories) == 0:
		return rp, fmt.Errorf("báo cáo trống: không có loại giấy nào")
	case len(r.Districts) == 0:
		return rp, fmt.Errorf("báo cáo trống: không có đơn vị nào")
	}
	nc := len(r.Categories)
	p.Categories = make([]ReportCategory, nc)
	for i, c := range r.Categories {
		c.Name = text("tên loại giấy", c.Name)
		if err == nil && c.MaxDays <= 0 {
			err = fmt.Errorf("loại %d: thời hạn tối đa phải lớn hơn 0", c.Code)
		}
		p.Categories[i] = c
	}
	unit := func(where string, u ReportUnit) ReportUnit {
		if err != nil {
			return u
		}
		u.Name = text("tên đơn vị", u.Name)
		if err == nil && u.Name == "" {
			err = fmt.Errorf("%s: thiếu tên đơn vị", where)
		}
		if err == nil && (len(u.PermitsByCategory) != nc || len(u.Validity) != nc) {
			err = fmt.Errorf("%s %q: số liệu theo loại giấy có %d và %d cột, báo cáo có %d loại",
				where, u.Name, len(u.PermitsByCategory), len(u.Validity), nc)
		}
		bad := !finite(u.AbusePer1000)
		for _, v := range u.Validity {
			bad = bad || !finite(v.AvgDays)
		}
		if err == nil && bad {
			err = fmt.Errorf("%s %q: số liệu không hợp lệ (không phải số)", where, u.Name)
		}
		reasons := make([]ReasonCount, 0, len(u.RevocationReasons))
		for _, rc := range u.RevocationReasons {
			rc.Reason = text("lý do thu hồi", rc.Reason)
			reasons = append(reasons, rc)
		}
		u.RevocationReasons = reasons
		return u
	}
	if r.Province.Name == "" {
		r.Province.Name = "Toàn tỉnh"
	}
	p.Province = unit("toàn tỉnh", r.Province)
	p.Districts = make([]ReportDistrict, len(r.Districts))
	units := 0
	for i, dist := range r.Districts {
		dist.Name = text("tên huyện", dist.Name)
		if err == nil && dist.Name == "" {
			err = fmt.Errorf("huyện thứ %d: thiếu tên", i+1)
		}
		if dist.Totals.Name == "" {
			dist.Totals.Name = "Cộng " + dist.Name
		}
		dist.Totals = unit("huyện", dist.Totals)
		us := make([]ReportUnit, len(dist.Units))
		for j, u := range dist.Units {
			us[j] = unit("đơn vị", u)
		}
		dist.Units = us
		units += len(us)
		p.Districts[i] = dist
	}
	if err == nil && units == 0 {
		err = fmt.Errorf("báo cáo trống: không có đơn vị nào")
	}
	for i, day := range r.PerDay {
		if err == nil && len(day.ByCategory) != nc {
			err = fmt.Errorf("ngày thứ %d (%s): số liệu có %d loại giấy, báo cáo có %d", i+1, shortDate(day.Day), len(day.ByCategory), nc)
		}
	}
	p.Attention = make([]AttentionPoint, len(r.Attention))
	for i, a := range r.Attention {
		a.UnitName = text("tên đơn vị", a.UnitName)
		a.Label = text("tên chỉ số", a.Label)
		if err == nil && (a.UnitName == "" || a.Label == "") {
			err = fmt.Errorf("điểm cần chú ý thứ %d: thiếu tên đơn vị hoặc tên chỉ số", i+1)
		}
		if err == nil && (!finite(a.Value) || !finite(a.Province)) {
			err = fmt.Errorf("điểm cần chú ý thứ %d: số liệu không hợp lệ", i+1)
		}
		p.Attention[i] = a
	}
	if err != nil {
		return rp, err
	}
	rp.title, rp.titleRest = "BÁO CÁO", p.Title
	if rest, ok := strings.CutPrefix(p.Title, "BÁO CÁO"); ok {
		rp.titleRest = strings.TrimSpace(rest)
	} else {
		rp.title = ""
	}
	rp.number = p.DocNumber
	if !strings.HasPrefix(rp.number, "Số") {
		rp.number = "Số: " + rp.number
	}
	if rp.number == "Số: " {
		rp.number = "Số:        /BC-" // the clerk numbers it when it is registered
	}
	rp.dateLine = adminDate(r.Date)
	if p.Place != "" {
		rp.dateLine = p.Place + ", " + rp.dateLine
	}
	return rp, nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// viInt prints n the Vietnamese way, with a dot between thousands: 12.345
// (as the TUI's i18n.Lang.Int does; print may not import it).
func viInt(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// viDec prints f with prec decimals the Vietnamese way: 1.234,5.
func viDec(f float64, prec int) string {
	s := strconv.FormatFloat(f, 'f', prec, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.Atoi(whole)
	out := viInt(n)
	if n == 0 && strings.HasPrefix(whole, "-") {
		out = "-0"
	}
	if frac != "" {
		out += "," + frac
	}
	return out
}

// viFigure prints a measure: one decimal, two for a figure under 1 so that
// a share or a ratio keeps its meaning (0,35 rather than 0,3).
func viFigure(f float64) string {
	if f != 0 && math.Abs(f) < 1 {
		return viDec(f, 2)
	}
	return viDec(f, 1)
}

// percent is part of whole as "12,5%" ("0%" for an empty whole).
func percent(part, whole int) string {
	if whole == 0 {
		return "0%"
	}
	return viDec(100*float64(part)/float64(whole), 1) + "%"
}

// days is a duration in days with one decimal: "2,5".
func days(d time.Duration) string { return viDec(d.Hours()/24, 1) }
