package print

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
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

// squash collapses runs of spaces, as pdftotext -layout pads columns.
var spaces = regexp.MustCompile(` {2,}`)

func TestProvinceReportSmoke(t *testing.T) {
	needTools(t, "pdftotext")
	b := renderReport(t, sampleReport(30, 31))
	dir := t.TempDir()
	if out := os.Getenv("REPORT_OUT"); out != "" {
		dir = out
	}
	path := writePDF(t, dir, "report.pdf", b)
	txt := pdfText(t, path, "-layout")
	t.Logf("%d bytes, %s", len(b), filepath.Base(path))
	_ = txt
	_ = math.Abs
	_ = strings.Contains
}
