package print

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

var reportCats = []ReportCategory{
	{1, "Người lao động của doanh nghiệp", 30},
	{2, "Cán bộ, công chức, viên chức, người lao động đi làm", 30},
	{3, "Lực lượng tham gia phòng, chống dịch", 30},
	{4, "Người dân có lý do thật sự cần thiết", 7},
	{5, "Người dân vùng nguy cơ, nguy cơ cao", 3},
}

func reportHeader() ProvinceReport {
	return ProvinceReport{
		IssuerParent: "ỦY BAN NHÂN DÂN TỈNH TIỀN GIANG",
		Issuer:       "BAN CHỈ ĐẠO PHÒNG, CHỐNG DỊCH COVID-19",
		DocNumber:    "125/BC-BCĐ",
		Place:        "Tiền Giang",
		Date:         time.Date(2021, 10, 1, 9, 0, 0, 0, ICT),
		Title:        "BÁO CÁO Tình hình cấp giấy đi đường của các đơn vị trên địa bàn tỉnh",
		SignerFor:    "KT. TRƯỞNG BAN",
		SignerTitle:  "PHÓ TRƯỞNG BAN",
		SignerName:   "Nguyễn Văn Vĩnh",
		Recipients:   []string{"Chủ tịch UBND tỉnh (b/c)", "Các thành viên Ban Chỉ đạo", "UBND các huyện, thị xã, thành phố", "Lưu: VT"},
		Categories:   reportCats,
	}
}

// sumUnits adds units as store/central sums them.
func sumUnits(name string, us []ReportUnit) ReportUnit {
	nc := len(reportCats)
	t := ReportUnit{Name: name, PermitsByCategory: make([]int, nc), Validity: make([]ValidityFigures, nc)}
	long := make([]int, nc)
	sumDays := make([]float64, nc)
	reasons := map[string]int{}
	for _, u := range us {
		t.ReceivedWalkIn += u.ReceivedWalkIn
		t.ReceivedOnline += u.ReceivedOnline
		t.Approved += u.Approved
		t.Rejected += u.Rejected
		t.Forwarded += u.Forwarded
		t.PendingAtEnd += u.PendingAtEnd
		t.OldestPending = max(t.OldestPending, u.OldestPending)
		t.PermitsTotal += u.PermitsTotal
		t.Revoked += u.Revoked
		t.Abuse.OutsideArea += u.Abuse.OutsideArea
		t.Abuse.OutsideHours += u.Abuse.OutsideHours
		t.Abuse.ManyCheckpoints += u.Abuse.ManyCheckpoints
		for i := range nc {
			t.PermitsByCategory[i] += u.PermitsByCategory[i]
			v := u.Validity[i]
			t.Validity[i].Permits += v.Permits
			t.Validity[i].OverMax += v.OverMax
			sumDays[i] += v.AvgDays * float64(v.Permits)
			long[i] = max(long[i], v.LongDays)
		}
		for _, rc := range u.RevocationReasons {
			reasons[rc.Reason] += rc.Count
		}
	}
	for i := range nc {
		t.Validity[i].MaxDays = reportCats[i].MaxDays
		t.Validity[i].LongDays = long[i]
		if t.Validity[i].Permits > 0 {
			t.Validity[i].AvgDays = sumDays[i] / float64(t.Validity[i].Permits)
		}
	}
	for _, r := range []string{"Sai thông tin", "Hết nhu cầu đi lại", "Vi phạm phạm vi"} {
		if reasons[r] > 0 {
			t.RevocationReasons = append(t.RevocationReasons, ReasonCount{r, reasons[r]})
		}
	}
	if t.PermitsTotal > 0 {
		t.AbusePer1000 = 1000 * float64(t.Abuse.Total()) / float64(t.PermitsTotal)
	}
	return t
}

// sampleUnit is unit i's figures, every one distinct from its neighbours'.
func sampleUnit(i int, name string) ReportUnit {
	nc := len(reportCats)
	u := ReportUnit{
		Code: uint32(28000 + i), Name: name,
		ReceivedWalkIn: 1000 + 37*i, ReceivedOnline: 400 + 23*i,
		Approved: 1200 + 41*i, Rejected: 50 + 7*i, Forwarded: 20 + 3*i,
		PendingAtEnd: 5 + i%9, OldestPending: time.Duration(30+i%50) * time.Hour,
		PermitsByCategory: make([]int, nc), Validity: make([]ValidityFigures, nc),
		Revoked: 3 + i%11,
		Abuse:   AbuseFigures{OutsideArea: 4 + i%13, OutsideHours: 2 + i%7, ManyCheckpoints: 1 + i%5},
	}
	for c := range nc {
		n := 100 + 13*i + 101*c + (i*c)%17
		u.PermitsByCategory[c] = n
		u.PermitsTotal += n
		long := min(reportCats[c].MaxDays, 2+(i+c)%29)
		u.Validity[c] = ValidityFigures{Permits: n, AvgDays: float64(long) * 0.6, LongDays: long, MaxDays: reportCats[c].MaxDays}
	}
	u.RevocationReasons = []ReasonCount{{"Sai thông tin", 2 + i%11}, {"Hết nhu cầu đi lại", 1}}
	u.AbusePer1000 = 1000 * float64(u.Abuse.Total()) / float64(u.PermitsTotal)
	return u
}

var districtNames = []string{"Thành phố Mỹ Tho", "Thị xã Gò Công", "Thị xã Cai Lậy", "Huyện Cái Bè", "Huyện Cai Lậy", "Huyện Tân Phước",
	"Huyện Châu Thành", "Huyện Chợ Gạo", "Huyện Gò Công Tây", "Huyện Gò Công Đông", "Huyện Tân Phú Đông", "Các cơ quan cấp tỉnh"}

// sampleReport is a province of n units over nDays days from 1 August
// 2021, spread over the districts.
func sampleReport(n, nDays int) ProvinceReport {
	r := reportHeader()
	r.From = time.Date(2021, 8, 1, 0, 0, 0, 0, ICT)
	r.To = r.From.AddDate(0, 0, nDays-1)
	per := (n + len(districtNames) - 1) / len(districtNames)
	var all []ReportUnit
	for d, dn := range districtNames {
		dist := ReportDistrict{Code: uint32(800 + d), Name: dn}
		for k := 0; k < per && len(all) < n; k++ {
			i := len(all)
			u := sampleUnit(i, fmt.Sprintf("%s %d", communes[i%len(communes)], i+1))
			dist.Units = append(dist.Units, u)
			all = append(all, u)
		}
		if len(dist.Units) == 0 {
			break
		}
		dist.Totals = sumUnits("Cộng "+dn, dist.Units)
		r.Districts = append(r.Districts, dist)
	}
	r.Province = sumUnits("Toàn tỉnh", all)
	for day := range nDays {
		dp := DayPermits{Day: r.From.AddDate(0, 0, day), ByCategory: make([]int, len(reportCats))}
		for c := range reportCats {
			dp.ByCategory[c] = r.Province.PermitsByCategory[c] / nDays * (70 + (day*7+c*13)%60) / 100
		}
		r.PerDay = append(r.PerDay, dp)
	}
	for k := 0; k < 5 && k < len(all); k++ {
		u := all[(k*7)%len(all)]
		r.Attention = append(r.Attention, AttentionPoint{Unit: u.Code, UnitName: u.Name, Measure: "abuse_per_1000",
			Label: "tín hiệu bất thường trên 1.000 giấy", Value: u.AbusePer1000 * 3, Province: r.Province.AbusePer1000})
	}
	return r
}

func renderReport(t testing.TB, r ProvinceReport) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteProvinceReport(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// reportText writes b to a file and reads it back with pdftotext -layout,
// one string per page. REPORT_OUT keeps the file in that directory.
func reportText(t *testing.T, name string, b []byte) []string {
	t.Helper()
	dir := t.TempDir()
	if out := os.Getenv("REPORT_OUT"); out != "" {
		dir = out
	}
	return strings.Split(pdfText(t, writePDF(t, dir, name, b), "-layout"), "\f")
}

// rowTokens is what pdftotext shows of a table row: its cells' words in order.
func rowTokens(cells ...string) []string {
	var out []string
	for _, c := range cells {
		out = append(out, strings.Fields(c)...)
	}
	return out
}

// rowsStarting returns, in order, the lines whose words begin with name's
// words followed by a figure (a table row, not a chart label).
func rowsStarting(pages []string, name string) [][]string {
	want := strings.Fields(name)
	var rows [][]string
	for _, page := range pages {
		for line := range strings.SplitSeq(page, "\n") {
			f := strings.Fields(line)
			if len(f) > len(want) && slices.Equal(f[:len(want)], want) && strings.ContainsRune("0123456789–", []rune(f[len(want)])[0]) {
				rows = append(rows, f)
			}
		}
	}
	return rows
}

func intakeCells(u ReportUnit) []string {
	old := "–"
	if u.PendingAtEnd > 0 {
		old = days(u.OldestPending)
	}
	c := []string{u.Name, viInt(u.ReceivedWalkIn), viInt(u.ReceivedOnline), viInt(u.Approved), viInt(u.Rejected),
		viInt(u.Forwarded), viInt(u.PendingAtEnd), old}
	for _, n := range u.PermitsByCategory {
		c = append(c, viInt(n))
	}
	return append(c, viInt(u.PermitsTotal))
}

func validityCells(u ReportUnit) []string {
	c := []string{u.Name}
	over := 0
	for _, v := range u.Validity {
		over += v.OverMax
		c = append(c, viDec(v.AvgDays, 1), viInt(v.LongDays))
	}
	var rs []string
	for i, r := range u.RevocationReasons {
		if i < 2 {
			rs = append(rs, r.Reason+" ("+viInt(r.Count)+")")
		}
	}
	return append(c, viInt(over), viInt(u.Revoked), strings.Join(rs, "; "), viInt(u.Abuse.OutsideArea),
		viInt(u.Abuse.OutsideHours), viInt(u.Abuse.ManyCheckpoints), viDec(u.AbusePer1000, 1))
}

// handReport is a small province whose every cell holds a figure of its
// own: three units in two districts, sums and province set by hand (the
// renderer prints them, it does not add them up).
func handReport() ProvinceReport {
	r := reportHeader()
	r.From = time.Date(2021, 9, 6, 0, 0, 0, 0, ICT)
	r.To = time.Date(2021, 9, 12, 0, 0, 0, 0, ICT)
	r.MadeAt = time.Date(2021, 10, 1, 8, 15, 0, 0, ICT)
	next := 1000
	fig := func() int { next += 7; return next }
	unit := func(code uint32, name string) ReportUnit {
		u := ReportUnit{Code: code, Name: name, ReceivedWalkIn: fig(), ReceivedOnline: fig(), Approved: fig(), Rejected: fig(),
			Forwarded: fig(), PendingAtEnd: fig(), OldestPending: time.Duration(fig()) * time.Minute, Revoked: fig(),
			Abuse: AbuseFigures{OutsideArea: fig(), OutsideHours: fig(), ManyCheckpoints: fig()}}
		for c := range reportCats {
			n := fig()
			u.PermitsByCategory = append(u.PermitsByCategory, n)
			u.PermitsTotal += n
			u.Validity = append(u.Validity, ValidityFigures{Permits: n, AvgDays: float64(fig()%97) / 10, LongDays: fig() % 89,
				MaxDays: reportCats[c].MaxDays, OverMax: c})
		}
		u.RevocationReasons = []ReasonCount{{"Sai thông tin", fig()}, {"Hết nhu cầu", fig()}, {"Không in ra", 1}}
		u.AbusePer1000 = float64(fig()) / 100
		return u
	}
	a := unit(28249, "Xã Tân Hương")
	b := unit(28252, "Xã Tân Lý Đông")
	c := unit(28300, "Phường 5")
	r.Districts = []ReportDistrict{
		{Code: 820, Name: "Huyện Châu Thành", Units: []ReportUnit{a, b}, Totals: unit(0, "")},
		{Code: 815, Name: "Thành phố Mỹ Tho", Units: []ReportUnit{c}, Totals: unit(0, "")},
	}
	r.Province = unit(0, "")
	for day := r.From; !day.After(r.To); day = day.AddDate(0, 0, 1) {
		dp := DayPermits{Day: day}
		for range reportCats {
			dp.ByCategory = append(dp.ByCategory, fig()%300)
		}
		r.PerDay = append(r.PerDay, dp)
	}
	r.Attention = []AttentionPoint{
		{Unit: 28249, UnitName: "Xã Tân Hương", Measure: "abuse_per_1000", Label: "tín hiệu bất thường trên 1.000 giấy", Value: 25.3, Province: 11},
		{Unit: 28300, UnitName: "Phường 5", Measure: "avg_validity_ratio", Label: "thời hạn bình quân so với tối đa", Value: 0.35, Province: 0.7},
		{Unit: 28252, UnitName: "Xã Tân Lý Đông", Measure: "oldest_pending_days", Label: "số ngày hồ sơ chờ lâu nhất", Value: 4.5, Province: 0},
	}
	return r
}

// TestProvinceReportFigures: every figure of a hand-built report is printed
// in its row and column of both tables, districts before their units and
// their sum after them, the province last; the summary and the points to
// watch are made of the figures.
func TestProvinceReportFigures(t *testing.T) {
	needTools(t, "pdftotext")
	r := handReport()
	b := renderReport(t, r)
	pages := reportText(t, "figures.pdf", b)
	all := strings.Join(pages, "\n")
	flat := strings.Join(strings.Fields(all), " ")
	check := func(u ReportUnit, name string) {
		t.Helper()
		u.Name = name
		rows := rowsStarting(pages, name)
		if len(rows) != 2 {
			t.Fatalf("%s: %d table rows, want 2 (one per table):\n%q", name, len(rows), rows)
		}
		for k, want := range [][]string{rowTokens(intakeCells(u)...), rowTokens(validityCells(u)...)} {
			if !slices.Equal(rows[k], want) {
				t.Errorf("%s, table %d:\n got %q\nwant %q", name, k+1, rows[k], want)
			}
		}
	}
	for _, dist := range r.Districts {
		for _, u := range dist.Units {
			check(u, u.Name)
		}
		check(dist.Totals, "Cộng "+dist.Name)
	}
	check(r.Province, "Toàn tỉnh")
	// Order within table 1: district, its units, its sum; the province last.
	order := []string{"Huyện Châu Thành", "Xã Tân Hương", "Xã Tân Lý Đông", "Cộng Huyện Châu Thành",
		"Thành phố Mỹ Tho", "Phường 5", "Cộng Thành phố Mỹ Tho", "Toàn tỉnh"}
	table1 := all[strings.Index(all, "Bảng 1."):strings.Index(all, "Bảng 2.")]
	at := 0
	for _, name := range order {
		i := strings.Index(table1[at:], "\n"+name)
		if i < 0 {
			t.Fatalf("table 1: %q not after the row before it", name)
		}
		at += i + 1
	}
	// The third reason is left out of the table (two are kept).
	if strings.Contains(table1, "Không in ra") {
		t.Error("table 1 holds a revocation reason")
	}
	p := r.Province
	for _, want := range []string{
		"Từ ngày 06/09/2021 đến ngày 12/09/2021 (7 ngày), 3 đơn vị cấp giấy đi đường thuộc 2 địa bàn đã tiếp nhận " +
			viInt(p.ReceivedWalkIn+p.ReceivedOnline) + " hồ sơ (" + viInt(p.ReceivedWalkIn) + " tại quầy, " + viInt(p.ReceivedOnline) + " trực tuyến)",
		"đã duyệt " + viInt(p.Approved) + ", từ chối " + viInt(p.Rejected) + ", chuyển đơn vị có thẩm quyền " + viInt(p.Forwarded) +
			"; cuối kỳ còn " + viInt(p.PendingAtEnd) + " hồ sơ chờ giải quyết, hồ sơ chờ lâu nhất " + days(p.OldestPending) + " ngày.",
		"Đã cấp " + viInt(p.PermitsTotal) + " giấy đi đường: loại 1 (người lao động của doanh nghiệp) " + viInt(p.PermitsByCategory[0]) +
			" giấy, " + percent(p.PermitsByCategory[0], p.PermitsTotal) + ";",
		"loại 4 bình quân " + viDec(p.Validity[3].AvgDays, 1) + " ngày, dài nhất " + viInt(p.Validity[3].LongDays) + " ngày (tối đa 7 ngày)",
		"có 10 giấy vượt thời hạn tối đa.",
		"Đã thu hồi " + viInt(p.Revoked) + " giấy, lý do chủ yếu: Sai thông tin (" + viInt(p.RevocationReasons[0].Count) + ")",
		"ghi nhận " + viInt(p.Abuse.Total()) + " tín hiệu bất thường (" + viInt(p.Abuse.OutsideArea) + " ngoài phạm vi đi lại, " +
			viInt(p.Abuse.OutsideHours) + " ngoài khung giờ, " + viInt(p.Abuse.ManyCheckpoints) + " qua nhiều chốt hơn lộ trình), bình quân " +
			viDec(p.AbusePer1000, 1) + " tín hiệu trên 1.000 giấy.",
		"1. Xã Tân Hương: tín hiệu bất thường trên 1.000 giấy 25,3; toàn tỉnh 11,0 (gấp 2,3 lần).",
		"2. Phường 5: thời hạn bình quân so với tối đa 0,35; toàn tỉnh 0,70 (bằng 50% mức toàn tỉnh).",
		"3. Xã Tân Lý Đông: số ngày hồ sơ chờ lâu nhất 4,5; toàn tỉnh 0,0.",
		"Số: 125/BC-BCĐ", "Tiền Giang, ngày 01 tháng 10 năm 2021", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Văn Vĩnh", "- Lưu: VT.",
		"Số liệu được tổng hợp lúc 08:15 ngày 01/10/2021.", "(Kèm theo Báo cáo số 125/BC-BCĐ ngày 01/10/2021)",
		"Biểu đồ 1.", "Biểu đồ 2. Cơ cấu", "Biểu đồ 3. 3 đơn vị", "Loại 4 Người dân có lý do thật sự cần thiết",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("missing %q", want)
		}
	}
	// The charts are vectors: the file holds no image.
	if bytes.Contains(b, []byte("/Subtype /Image")) {
		t.Error("the report holds an image")
	}
	// Chart 3 ranks the units by signals per 1,000 permits, each bar
	// labelled with its figure.
	units := []ReportUnit{r.Districts[0].Units[0], r.Districts[0].Units[1], r.Districts[1].Units[0]}
	slices.SortFunc(units, func(a, b ReportUnit) int { return cmpFloat(b.AbusePer1000, a.AbusePer1000) })
	for k, u := range units {
		label := fmt.Sprintf("%d. %s %s", k+1, u.Name, viDec(u.AbusePer1000, 1))
		if !strings.Contains(flat, label) {
			t.Errorf("chart 3: missing %q", label)
		}
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// refusedWriter fails the test on any write: a refused report writes nothing.
type refusedWriter struct{ t *testing.T }

func (w refusedWriter) Write(p []byte) (int, error) {
	w.t.Errorf("%d bytes written for a refused report", len(p))
	return len(p), nil
}

// TestProvinceReportBadInput: an empty report, an unprintable text and
// per-category figures that do not match the categories are refused with a
// Vietnamese message before anything is written.
func TestProvinceReportBadInput(t *testing.T) {
	cases := []struct {
		name, want string
		edit       func(r *ProvinceReport)
	}{
		{"zero report", "thiếu cơ quan ban hành", func(r *ProvinceReport) { *r = ProvinceReport{} }},
		{"no districts", "báo cáo trống: không có đơn vị nào", func(r *ProvinceReport) { r.Districts = nil }},
		{"districts without units", "báo cáo trống: không có đơn vị nào", func(r *ProvinceReport) {
			for i := range r.Districts {
				r.Districts[i].Units = nil
			}
		}},
		{"no categories", "báo cáo trống: không có loại giấy nào", func(r *ProvinceReport) { r.Categories = nil }},
		{"no period", "thiếu kỳ báo cáo", func(r *ProvinceReport) { r.From = time.Time{} }},
		{"period backwards", "ngày cuối trước ngày đầu", func(r *ProvinceReport) { r.To = r.From.AddDate(0, 0, -1) }},
		{"no date", "thiếu ngày báo cáo", func(r *ProvinceReport) { r.Date = time.Time{} }},
		{"emoji in a unit", `tên đơn vị chứa ký tự không in được: "😀"`, func(r *ProvinceReport) { r.Districts[0].Units[1].Name = "Xã Tân 😀" }},
		{"zero-width joiner in a reason", "lý do thu hồi chứa ký tự không in được", func(r *ProvinceReport) {
			r.Districts[1].Units[0].RevocationReasons[0].Reason = "Sai\u200dthông tin"
		}},
		{"control character in the signer", "người ký chứa ký tự không in được", func(r *ProvinceReport) { r.SignerName = "Nguyễn\x07Vĩnh" }},
		{"invalid UTF-8 in the title", "tên báo cáo không phải văn bản UTF-8 hợp lệ", func(r *ProvinceReport) { r.Title = "BÁO CÁO \xff" }},
		{"a unit one category short", `đơn vị "Xã Tân Lý Đông": số liệu theo loại giấy có 4 và 5 cột, báo cáo có 5 loại`, func(r *ProvinceReport) {
			u := &r.Districts[0].Units[1]
			u.PermitsByCategory = u.PermitsByCategory[:4]
		}},
		{"a district's validity one category long", "số liệu theo loại giấy có 5 và 6 cột, báo cáo có 5 loại", func(r *ProvinceReport) {
			r.Districts[1].Totals.Validity = append(r.Districts[1].Totals.Validity, ValidityFigures{})
		}},
		{"the province without categories", `toàn tỉnh "Toàn tỉnh": số liệu theo loại giấy có 0 và 0 cột`, func(r *ProvinceReport) {
			r.Province.PermitsByCategory, r.Province.Validity = nil, nil
		}},
		{"a day one category short", "ngày thứ 3 (08/09/2021): số liệu có 2 loại giấy, báo cáo có 5", func(r *ProvinceReport) {
			r.PerDay[2].ByCategory = r.PerDay[2].ByCategory[:2]
		}},
		{"a rate that is not a number", `đơn vị "Phường 5": số liệu không hợp lệ (không phải số)`, func(r *ProvinceReport) {
			r.Districts[1].Units[0].AbusePer1000 = math.NaN()
		}},
		{"an attention point at infinity", "điểm cần chú ý thứ 1: số liệu không hợp lệ", func(r *ProvinceReport) { r.Attention[0].Value = math.Inf(1) }},
		{"an attention point without a label", "điểm cần chú ý thứ 2: thiếu tên đơn vị hoặc tên chỉ số", func(r *ProvinceReport) { r.Attention[1].Label = "" }},
		{"a category without a maximum", "loại 4: thời hạn tối đa phải lớn hơn 0", func(r *ProvinceReport) {
			r.Categories = slices.Clone(r.Categories)
			r.Categories[3].MaxDays = 0
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := handReport()
			c.edit(&r)
			err := WriteProvinceReport(refusedWriter{t}, r)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.HasPrefix(err.Error(), "báo cáo toàn tỉnh: ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want it to hold %q", err, c.want)
			}
		})
	}
}

// TestProvinceReportNFC: text in decomposed form (NFD, as some keyboards
// and spreadsheets send it) is printed composed, and the caller's values
// are left as they were.
func TestProvinceReportNFC(t *testing.T) {
	needTools(t, "pdftotext")
	r := handReport()
	nfd := norm.NFD.String("Xã Tân Hương")
	r.Districts[0].Units[0].Name = nfd
	pages := reportText(t, "nfc.pdf", renderReport(t, r))
	if rows := rowsStarting(pages, "Xã Tân Hương"); len(rows) != 2 {
		t.Errorf("the NFD name printed in %d table rows as NFC, want 2", len(rows))
	}
	if r.Districts[0].Units[0].Name != nfd {
		t.Error("the caller's unit name was rewritten")
	}
}

// TestProvinceReportProvinceScale: a month of a whole province (184
// units, 31 days) is one PDF of at most 2 MB (the product's limit), every
// unit in both tables, and every page of a table starts with the table's
// header.
func TestProvinceReportProvinceScale(t *testing.T) {
	needTools(t, "pdftotext")
	r := sampleReport(184, 31)
	b := renderReport(t, r)
	if len(b) > 2<<20 {
		t.Errorf("%d bytes, over 2 MB", len(b))
	}
	pages := reportText(t, "province.pdf", b)
	t.Logf("%d bytes, %d pages", len(b), len(pages)-1)
	for _, dist := range r.Districts {
		for _, u := range dist.Units {
			rows := rowsStarting(pages, u.Name)
			if len(rows) != 2 {
				t.Fatalf("%s: %d table rows, want 2", u.Name, len(rows))
			}
			if want := rowTokens(intakeCells(u)...); !slices.Equal(rows[0], want) {
				t.Errorf("%s, table 1:\n got %q\nwant %q", u.Name, rows[0], want)
			}
			if want := rowTokens(validityCells(u)...); !slices.Equal(rows[1], want) {
				t.Errorf("%s, table 2:\n got %q\nwant %q", u.Name, rows[1], want)
			}
		}
	}
	// A page with unit rows holds the caption and the header of the table
	// the rows belong to: the first page of a table its caption, every
	// other one "(tiếp theo)".
	tablePages, continued := 0, 0
	for i, page := range pages {
		units := 0
		for _, dist := range r.Districts {
			for _, u := range dist.Units {
				if strings.Contains(page, "\n"+u.Name+" ") {
					units++
				}
			}
		}
		if units == 0 {
			continue
		}
		tablePages++
		if strings.Contains(page, "(tiếp theo)") {
			continued++
		}
		one := strings.Contains(page, "Bảng 1.") && strings.Contains(page, "Hồ sơ tiếp nhận") && strings.Contains(page, "Tại quầy") &&
			strings.Contains(page, "Giấy đi đường đã cấp")
		two := strings.Contains(page, "Bảng 2.") && strings.Contains(page, "Loại 1 (tối đa") && strings.Contains(page, "Thu hồi") &&
			strings.Contains(page, "Tín hiệu bất thường")
		if !one && !two {
			t.Errorf("page %d: %d units without their table's caption and header", i+1, units)
		}
	}
	if tablePages < 10 || continued < tablePages-2 {
		t.Errorf("%d pages of tables, %d of them continued with their header, want ≥ 10 and all but the first of each table", tablePages, continued)
	}
	t.Logf("%d table pages, %d with the header repeated", tablePages, continued)
}

// BenchmarkProvinceReportPDF renders a month of a whole province: 184
// units, 31 days.
func BenchmarkProvinceReportPDF(b *testing.B) {
	r := sampleReport(184, 31)
	var size int64
	for b.Loop() {
		var w countingWriter
		if err := WriteProvinceReport(&w, r); err != nil {
			b.Fatal(err)
		}
		size = w.n
	}
	b.ReportMetric(float64(size), "B/pdf")
}

// TestReportPatternsDiffer: the categories' fills tell apart on a
// black-and-white copy: no two share a hatching and a grey level, and two
// plain fills differ by at least a third of the grey scale.
func TestReportPatternsDiffer(t *testing.T) {
	for i, a := range patterns {
		for j, b := range patterns[:i] {
			if a == b {
				t.Errorf("patterns %d and %d are the same", j, i)
			}
			if a.hatch == hatchNone && b.hatch == hatchNone && abs(a.grey-b.grey) < 85 {
				t.Errorf("plain patterns %d and %d: greys %d and %d too close", j, i, b.grey, a.grey)
			}
			if a.hatch == b.hatch && a.hatch != hatchNone && abs(a.grey-b.grey) < 60 {
				t.Errorf("patterns %d and %d: one hatching, greys %d and %d too close", j, i, b.grey, a.grey)
			}
		}
	}
	if len(patterns) < len(reportCats) {
		t.Errorf("%d patterns for %d categories", len(patterns), len(reportCats))
	}
}

func abs(n int) int { return max(n, -n) }

// TestReportNumbers: figures are printed the Vietnamese way.
func TestReportNumbers(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{viInt(0), "0"}, {viInt(999), "999"}, {viInt(1234), "1.234"}, {viInt(-1234567), "-1.234.567"},
		{viDec(12.5, 1), "12,5"}, {viDec(1234.56, 1), "1.234,6"}, {viDec(-0.26, 1), "-0,3"}, {viDec(7, 0), "7"},
		{viFigure(0.35), "0,35"}, {viFigure(0), "0,0"}, {viFigure(25.34), "25,3"},
		{percent(1, 8), "12,5%"}, {percent(3, 0), "0%"}, {days(36 * time.Hour), "1,5"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestProvinceReportQuietUnit: a unit that issued nothing and has nothing
// pending shows dashes where there is no figure to show (oldest pending,
// validity, reasons), is left out of the ranking, and a report without
// figures per day prints its other charts.
func TestProvinceReportQuietUnit(t *testing.T) {
	needTools(t, "pdftotext")
	r := handReport()
	nc := len(reportCats)
	quiet := ReportUnit{Code: 28400, Name: "Xã Yên Lặng", ReceivedWalkIn: 3, Rejected: 3,
		PermitsByCategory: make([]int, nc), Validity: make([]ValidityFigures, nc)}
	r.Districts[1].Units = append(r.Districts[1].Units, quiet)
	r.PerDay = nil
	b := renderReport(t, r)
	pages := reportText(t, "quiet.pdf", b)
	rows := rowsStarting(pages, "Xã Yên Lặng")
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2: %q", len(rows), rows)
	}
	want1 := rowTokens("Xã Yên Lặng", "3", "0", "0", "3", "0", "0", "–", "0", "0", "0", "0", "0", "0")
	want2 := rowTokens("Xã Yên Lặng", "–", "–", "–", "–", "–", "–", "–", "–", "–", "–", "0", "0", "–", "0", "0", "0", "0,0")
	if !slices.Equal(rows[0], want1) || !slices.Equal(rows[1], want2) {
		t.Errorf("rows\n %q\n %q\nwant\n %q\n %q", rows[0], rows[1], want1, want2)
	}
	flat := strings.Join(strings.Fields(strings.Join(pages, " ")), " ")
	if strings.Contains(flat, "Biểu đồ 3.") || !strings.Contains(flat, "Biểu đồ 1. Cơ cấu") || !strings.Contains(flat, "Biểu đồ 2. 3 đơn vị") {
		t.Error("want the shares and the ranking (of the 3 units that issued permits) as charts 1 and 2, and no chart of days")
	}
	if strings.Contains(flat, ". Xã Yên Lặng") {
		t.Error("a unit without permits is ranked")
	}
}
