package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/batchsync"
	"thonghanh/store/central"
	"thonghanh/store/seal"
)

// The units of the agreement test: three communes in two districts, the two
// districts (which decide what the communes forward) and the
// industrial-parks board (the province's own bodies).
var (
	agreeUnits        = []uint32{28249, 28252, 28300, 815, 816, 820301}
	agreeDistrict     = map[uint32]uint32{28249: 815, 28252: 815, 28300: 816}
	agreeCheckpointIn = map[uint32]uint32{815: 28249, 816: 28300, store.ProvinceCode: 28249}
	agreeStart        = time.Date(2021, 9, 1, 0, 0, 0, 0, store.Vietnam)
	agreeDays         = 30
)

// agreeTraffic is the known traffic: generated applications, decisions,
// permits and revocations, 28300's permits revoked far more often than the
// province's, and scans that make each abuse signal, whose signals are
// returned per unit as the scans were planned (not as the report finds
// them).
func agreeTraffic(t *testing.T, maxDays map[int]int) (*traffic, map[uint32]central.AbuseFigures) {
	tr := genTraffic(19, agreeUnits, agreeDistrict, agreeCheckpointIn, 60, agreeStart, agreeDays, maxDays)
	s, e := agreeStart.Unix(), agreeStart.AddDate(0, 0, agreeDays).Unix()
	n := 0
	for _, p := range tr.permits {
		if p.unit == 28300 && p.issued >= s && p.issued < e-2*86400 && p.revoked == 0 && n%2 == 0 {
			p.revoked, p.reason = p.issued+3600, "Khai sai thông tin"
		}
		if p.unit == 28300 {
			n++
		}
	}
	pick := func(unit uint32, skip int) *trafficPermit {
		for _, p := range tr.permits {
			if p.unit == unit && p.issued >= s && p.validFrom+3*86400 <= e {
				if skip == 0 {
					return p
				}
				skip--
			}
		}
		t.Fatalf("no permit %d of unit %d to scan", skip, unit)
		return nil
	}
	sig := map[uint32]central.AbuseFigures{}
	add := func(unit uint32, f func(*central.AbuseFigures)) {
		a := sig[unit]
		f(&a)
		sig[unit] = a
	}
	scan := func(p *trafficPermit, day, hour int, checkpoint uint32, v seal.Verdict) {
		tr.scans = append(tr.scans, trafficScan{p.serial, p.validFrom + int64(day)*86400 + int64(hour)*3600, checkpoint, string(v)})
	}
	// Outside its area (a commune of the other district), in its hours.
	scan(pick(28249, 0), 1, 9, 28300, seal.Valid)
	add(28249, func(a *central.AbuseFigures) { a.OutsideArea++ })
	// Outside its hours, twice in one day: one signal.
	p := pick(28249, 1)
	scan(p, 1, 20, 28249, seal.Valid)
	scan(p, 1, 21, 28249, seal.OutsideHours)
	add(28249, func(a *central.AbuseFigures) { a.OutsideHours++ })
	// Let in at five checkpoints of Mỹ Tho in a day: too many, and four of
	// them outside its commune.
	p = pick(28252, 0)
	for i, c := range []uint32{28252, 28249, 28255, 28258, 28261} {
		scan(p, 1, 8+i, c, seal.Valid)
	}
	add(28252, func(a *central.AbuseFigures) { a.ManyCheckpoints++; a.OutsideArea++ })
	// Before its hours one day; outside its area and hours the next.
	p = pick(28300, 0)
	scan(p, 1, 5, 28300, seal.Valid)
	scan(p, 2, 19, 28249, seal.Valid)
	add(28300, func(a *central.AbuseFigures) { a.OutsideHours++; a.OutsideHours++; a.OutsideArea++ })
	// A forged copy's scans prove nothing; a scan before the period is not
	// the period's.
	scan(pick(28300, 1), 1, 9, 28249, seal.BadSignature)
	tr.scans = append(tr.scans, trafficScan{pick(28249, 2).serial, s - 3600, 28300, string(seal.Valid)})
	// A permit the district issued on a commune's forwarded request: its
	// area is the commune's.
	scan(pick(816, 0), 1, 9, 28249, seal.Valid)
	add(816, func(a *central.AbuseFigures) { a.OutsideArea++ })
	return tr, sig
}

// expected are the figures counted from the traffic itself, with the
// report's documented meaning, unit by unit.
type expected struct {
	units map[uint32]*central.UnitFigures
	secs  map[uint32][]float64 // validity seconds per category
}

func countFigures(tr *traffic, sig map[uint32]central.AbuseFigures, cats []central.ReportCategory, start, end int64) expected {
	nc := len(cats)
	ex := expected{units: map[uint32]*central.UnitFigures{}, secs: map[uint32][]float64{}}
	unit := func(c uint32) *central.UnitFigures {
		if ex.units[c] == nil {
			ex.units[c] = &central.UnitFigures{Code: c, PermitsByCategory: make([]int, nc), Validity: make([]central.ValidityFigures, nc)}
			ex.secs[c] = make([]float64, nc)
		}
		return ex.units[c]
	}
	oldest := map[uint32]int64{}
	for _, a := range tr.apps {
		if a.created >= start && a.created < end {
			u := unit(a.received)
			if a.source == "online" {
				u.ReceivedOnline++
			} else {
				u.ReceivedWalkIn++
			}
			if a.queue != a.received {
				u.Forwarded++
			}
		}
		decided := a.status == store.StatusApproved || a.status == store.StatusRejected
		if decided && a.decided >= start && a.decided < end {
			if a.status == store.StatusApproved {
				unit(a.queue).Approved++
			} else {
				unit(a.queue).Rejected++
			}
		}
		waiting := a.status == store.StatusPending || a.status == store.StatusForwarded || (decided && a.decided >= end)
		if a.created < end && waiting {
			unit(a.queue).PendingAtEnd++
			if o, ok := oldest[a.queue]; !ok || a.created < o {
				oldest[a.queue] = a.created
			}
		}
	}
	for c, o := range oldest {
		ex.units[c].OldestPending = time.Duration(end-o) * time.Second
	}
	reasons := map[uint32]map[string]int{}
	for _, p := range tr.permits {
		if p.issued >= start && p.issued < end {
			u := unit(p.unit)
			i := p.category - 1
			u.PermitsByCategory[i]++
			u.PermitsTotal++
			v := &u.Validity[i]
			v.Permits++
			d := p.validUntil - p.validFrom
			ex.secs[p.unit][i] += float64(d)
			v.LongDays = max(v.LongDays, int(d/86400))
			if d > int64(cats[i].MaxDays)*86400 {
				v.OverMax++
			}
		}
		if p.revoked >= start && p.revoked < end {
			unit(p.unit).Revoked++
			if reasons[p.unit] == nil {
				reasons[p.unit] = map[string]int{}
			}
			reasons[p.unit][p.reason]++
		}
	}
	for c, a := range sig {
		unit(c).Abuse = a
	}
	for c, u := range ex.units {
		for i := range u.Validity {
			u.Validity[i].MaxDays = cats[i].MaxDays
			if u.Validity[i].Permits > 0 {
				u.Validity[i].AvgDays = ex.secs[c][i] / 86400 / float64(u.Validity[i].Permits)
			}
		}
		if u.PermitsTotal > 0 {
			u.AbusePer1000 = float64(u.Abuse.Total()) * 1000 / float64(u.PermitsTotal)
		}
		for r, n := range reasons[c] {
			u.RevocationReasons = append(u.RevocationReasons, central.ReasonCount{Reason: r, Count: n})
		}
		byCount(u.RevocationReasons)
	}
	return ex
}

func byCount(rs []central.ReasonCount) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Count != rs[j].Count {
			return rs[i].Count > rs[j].Count
		}
		return rs[i].Reason < rs[j].Reason
	})
}

// sum adds the expected units of codes, as a district's or the
// province's line.
func (ex expected) sum(codes []uint32, nc int) central.UnitFigures {
	s := central.UnitFigures{PermitsByCategory: make([]int, nc), Validity: make([]central.ValidityFigures, nc)}
	secs := make([]float64, nc)
	reasons := map[string]int{}
	for _, c := range codes {
		u := ex.units[c]
		s.ReceivedWalkIn += u.ReceivedWalkIn
		s.ReceivedOnline += u.ReceivedOnline
		s.Approved += u.Approved
		s.Rejected += u.Rejected
		s.Forwarded += u.Forwarded
		s.PendingAtEnd += u.PendingAtEnd
		s.OldestPending = max(s.OldestPending, u.OldestPending)
		s.PermitsTotal += u.PermitsTotal
		s.Revoked += u.Revoked
		s.Abuse.OutsideArea += u.Abuse.OutsideArea
		s.Abuse.OutsideHours += u.Abuse.OutsideHours
		s.Abuse.ManyCheckpoints += u.Abuse.ManyCheckpoints
		for i := range nc {
			s.PermitsByCategory[i] += u.PermitsByCategory[i]
			s.Validity[i].Permits += u.Validity[i].Permits
			s.Validity[i].OverMax += u.Validity[i].OverMax
			s.Validity[i].LongDays = max(s.Validity[i].LongDays, u.Validity[i].LongDays)
			s.Validity[i].MaxDays = u.Validity[i].MaxDays
			secs[i] += ex.secs[c][i]
		}
		for _, r := range u.RevocationReasons {
			reasons[r.Reason] += r.Count
		}
	}
	for i := range nc {
		if s.Validity[i].Permits > 0 {
			s.Validity[i].AvgDays = secs[i] / 86400 / float64(s.Validity[i].Permits)
		}
	}
	if s.PermitsTotal > 0 {
		s.AbusePer1000 = float64(s.Abuse.Total()) * 1000 / float64(s.PermitsTotal)
	}
	for r, n := range reasons {
		s.RevocationReasons = append(s.RevocationReasons, central.ReasonCount{Reason: r, Count: n})
	}
	byCount(s.RevocationReasons)
	return s
}

func sameFigures(t *testing.T, what string, got, want central.UnitFigures) {
	t.Helper()
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	ints := []struct {
		name      string
		got, want int
	}{
		{"tiếp nhận trực tiếp", got.ReceivedWalkIn, want.ReceivedWalkIn}, {"tiếp nhận trực tuyến", got.ReceivedOnline, want.ReceivedOnline},
		{"duyệt", got.Approved, want.Approved}, {"từ chối", got.Rejected, want.Rejected}, {"chuyển", got.Forwarded, want.Forwarded},
		{"chờ cuối kỳ", got.PendingAtEnd, want.PendingAtEnd}, {"tổng giấy", got.PermitsTotal, want.PermitsTotal},
		{"thu hồi", got.Revoked, want.Revoked}, {"ngoài khu vực", got.Abuse.OutsideArea, want.Abuse.OutsideArea},
		{"ngoài giờ", got.Abuse.OutsideHours, want.Abuse.OutsideHours}, {"nhiều chốt", got.Abuse.ManyCheckpoints, want.Abuse.ManyCheckpoints},
	}
	for _, c := range ints {
		if c.got != c.want {
			t.Errorf("%s: %s = %d, counted %d", what, c.name, c.got, c.want)
		}
	}
	if got.OldestPending != want.OldestPending {
		t.Errorf("%s: chờ lâu nhất %v, counted %v", what, got.OldestPending, want.OldestPending)
	}
	if !near(got.AbusePer1000, want.AbusePer1000) {
		t.Errorf("%s: lạm dụng/1.000 %v, counted %v", what, got.AbusePer1000, want.AbusePer1000)
	}
	for i := range want.PermitsByCategory {
		if got.PermitsByCategory[i] != want.PermitsByCategory[i] {
			t.Errorf("%s: loại %d: %d giấy, counted %d", what, i+1, got.PermitsByCategory[i], want.PermitsByCategory[i])
		}
		g, w := got.Validity[i], want.Validity[i]
		if g.Permits != w.Permits || g.LongDays != w.LongDays || g.MaxDays != w.MaxDays || g.OverMax != w.OverMax || !near(g.AvgDays, w.AvgDays) {
			t.Errorf("%s: loại %d: thời hạn %+v, counted %+v", what, i+1, g, w)
		}
	}
	if len(got.RevocationReasons) != len(want.RevocationReasons) {
		t.Errorf("%s: lý do thu hồi %v, counted %v", what, got.RevocationReasons, want.RevocationReasons)
	} else {
		for i := range want.RevocationReasons {
			if got.RevocationReasons[i] != want.RevocationReasons[i] {
				t.Errorf("%s: lý do thu hồi %v, counted %v", what, got.RevocationReasons, want.RevocationReasons)
				break
			}
		}
	}
}

// TestProvinceReportAgreesWithTheTraffic (issue 19, Deliver 3): a real
// centre holding known traffic across five units in two districts and one
// province body; every figure of ProvinceReport, of the CSV and of the PDF
// (read back with pdftotext) is checked against counts made here from the
// traffic itself.
func TestProvinceReportAgreesWithTheTraffic(t *testing.T) {
	ctx := context.Background()
	maxDays := map[int]int{}
	for c, d := range store.DefaultMaxDays {
		maxDays[c] = d
	}
	tr, sig := agreeTraffic(t, maxDays)
	dir := newTrafficCentre(t, tr)
	start, end := agreeStart.Unix(), agreeStart.AddDate(0, 0, agreeDays).Unix()
	from, to := agreeStart, agreeStart.AddDate(0, 0, agreeDays-1)

	db, err := batchsync.OpenCentral(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := db.ProvinceReport(ctx, from, to)
	units, _ := db.Units(ctx)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Categories) != 5 {
		t.Fatalf("categories %+v", r.Categories)
	}
	for i, c := range r.Categories {
		if c.Code != i+1 || c.Name != seal.CategoryText(uint8(i+1), "vi") || c.MaxDays != maxDays[i+1] {
			t.Errorf("category %d: %+v", i, c)
		}
	}
	ex := countFigures(tr, sig, r.Categories, start, end)
	for _, c := range agreeUnits {
		if ex.units[c] == nil || ex.units[c].PermitsTotal < central.AttentionMinPermits {
			t.Fatalf("test premise: unit %d issues too few permits: %+v", c, ex.units[c])
		}
	}

	// The figures, by district (Mỹ Tho, Gò Công, then the province's own
	// bodies), unit by unit, their sums and the province's.
	districts := []struct {
		code  uint32
		units []uint32
	}{{815, []uint32{815, 28249, 28252}}, {816, []uint32{816, 28300}}, {store.ProvinceCode, []uint32{820301}}}
	if len(r.Districts) != len(districts) {
		t.Fatalf("%d districts, want %d: %+v", len(r.Districts), len(districts), r.Districts)
	}
	for i, d := range districts {
		got := r.Districts[i]
		if got.Code != d.code || got.Name != units.Name(d.code) || len(got.Units) != len(d.units) {
			t.Fatalf("district %d: %d %q with %d units, want %d with %v", i, got.Code, got.Name, len(got.Units), d.code, d.units)
		}
		for j, c := range d.units {
			if got.Units[j].Code != c || got.Units[j].Name != units.Name(c) {
				t.Fatalf("district %d unit %d: %d %q, want %d", d.code, j, got.Units[j].Code, got.Units[j].Name, c)
			}
			sameFigures(t, got.Units[j].Name, got.Units[j], *ex.units[c])
		}
		sameFigures(t, got.Name, got.Totals, ex.sum(d.units, 5))
	}
	province := ex.sum(agreeUnits, 5)
	sameFigures(t, "toàn tỉnh", r.Province, province)

	// Permits per day, by category.
	if len(r.PerDay) != agreeDays {
		t.Fatalf("%d days", len(r.PerDay))
	}
	perDay := make([][]int, agreeDays)
	for i := range perDay {
		perDay[i] = make([]int, 5)
	}
	for _, p := range tr.permits {
		if p.issued >= start && p.issued < end {
			d := int(store.StartOfDay(time.Unix(p.issued, 0)).Sub(agreeStart).Hours() / 24)
			perDay[d][p.category-1]++
		}
	}
	for i, d := range r.PerDay {
		if !d.Day.Equal(agreeStart.AddDate(0, 0, i)) || !slices.Equal(d.ByCategory, perDay[i]) {
			t.Errorf("day %d: %v %v, counted %v", i, d.Day, d.ByCategory, perDay[i])
		}
	}

	// Points of attention: 28300 revokes about half its permits.
	revoked := func(u central.UnitFigures) float64 { return float64(u.Revoked) * 1000 / float64(u.PermitsTotal) }
	found := false
	for i, a := range r.Attention {
		if i > 0 && a.Value/a.Province > r.Attention[i-1].Value/r.Attention[i-1].Province {
			t.Errorf("attention not furthest first: %+v", r.Attention)
		}
		if a.Unit == 28300 && a.Measure == "revoked_per_1000" {
			found = true
			if math.Abs(a.Value-revoked(*ex.units[28300])) > 1e-9 || math.Abs(a.Province-revoked(province)) > 1e-9 || a.Label == "" ||
				a.UnitName != "Phường 4, Thị xã Gò Công" {
				t.Errorf("attention %+v: counted %v against %v", a, revoked(*ex.units[28300]), revoked(province))
			}
		}
	}
	if !found || len(r.Attention) > 8 {
		t.Errorf("attention %+v: want 28300's revocations, at most 8", r.Attention)
	}

	// The CLI writes the same figures as CSV and PDF.
	out := t.TempDir()
	pdfFile, csvFile := filepath.Join(out, "bao-cao.pdf"), filepath.Join(out, "bao-cao.csv")
	stdout, _ := runCmd(t, ctx, "server", "report", "province", "--dir", dir, "--from", "01/09/2021", "--to", "30/09/2021",
		"--out", pdfFile, "--csv", csvFile, "--number", "19/BC-TTCH", "--signer", "Nguyễn Văn Vĩnh")
	if !strings.Contains(stdout, "3 huyện") || !strings.Contains(stdout, strconv.Itoa(province.PermitsTotal)+" giấy") {
		t.Errorf("stdout: %s", stdout)
	}
	checkProvinceCSV(t, csvFile, districts, ex, province)
	checkProvincePDF(t, pdfFile, districts, ex, province)
}

func viDecimal(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', 1, 64), ".", ",", 1)
}

// csvCells are a line's figures as the CSV writes them, from the column
// "Tiếp nhận trực tiếp" on.
func csvCells(u central.UnitFigures) []string {
	c := []string{strconv.Itoa(u.ReceivedWalkIn), strconv.Itoa(u.ReceivedOnline), strconv.Itoa(u.Approved), strconv.Itoa(u.Rejected),
		strconv.Itoa(u.Forwarded), strconv.Itoa(u.PendingAtEnd), viDecimal(u.OldestPending.Hours() / 24)}
	for _, n := range u.PermitsByCategory {
		c = append(c, strconv.Itoa(n))
	}
	c = append(c, strconv.Itoa(u.PermitsTotal))
	for _, v := range u.Validity {
		c = append(c, viDecimal(v.AvgDays), strconv.Itoa(v.LongDays), strconv.Itoa(v.MaxDays), strconv.Itoa(v.OverMax))
	}
	var rs []string
	for _, r := range u.RevocationReasons {
		rs = append(rs, r.Reason+" ("+strconv.Itoa(r.Count)+")")
	}
	return append(c, strconv.Itoa(u.Revoked), strings.Join(rs, "; "), strconv.Itoa(u.Abuse.OutsideArea), strconv.Itoa(u.Abuse.OutsideHours),
		strconv.Itoa(u.Abuse.ManyCheckpoints), viDecimal(u.AbusePer1000))
}

func checkProvinceCSV(t *testing.T, file string, districts []struct {
	code  uint32
	units []uint32
}, ex expected, province central.UnitFigures) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	body, ok := bytes.CutPrefix(b, []byte("\uFEFF"))
	if !ok {
		t.Fatal("the CSV has no byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if h := rows[0]; h[0] != "Dòng" || h[2] != "Huyện" || h[4] != "Đơn vị" || h[5] != "Tiếp nhận trực tiếp" {
		t.Fatalf("header %q", h)
	}
	type line struct {
		kind, district, unit string
		cells                []string
	}
	var want []line
	for _, d := range districts {
		for _, c := range d.units {
			want = append(want, line{"Đơn vị", strconv.Itoa(int(d.code)), strconv.Itoa(int(c)), csvCells(*ex.units[c])})
		}
	}
	for _, d := range districts {
		want = append(want, line{"Tổng huyện", strconv.Itoa(int(d.code)), "", csvCells(ex.sum(d.units, 5))})
	}
	want = append(want, line{"Tổng tỉnh", "", "", csvCells(province)})
	if len(rows) != 1+len(want) {
		t.Fatalf("%d CSV rows, want %d", len(rows), 1+len(want))
	}
	for i, w := range want {
		got := rows[1+i]
		if got[0] != w.kind || got[1] != w.district || got[3] != w.unit || strings.Join(got[5:], "|") != strings.Join(w.cells, "|") {
			t.Errorf("CSV row %d:\n got %q\nwant %q %s %s %q", i+1, got, w.kind, w.district, w.unit, w.cells)
		}
	}
}

// pdfInt writes a count as the PDF does: 1.234.
func pdfInt(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

var layoutSpaces = regexp.MustCompile(` {2,}`)

func checkProvincePDF(t *testing.T, file string, districts []struct {
	code  uint32
	units []uint32
}, ex expected, province central.UnitFigures) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext (poppler-utils) is needed to read the PDF back")
	}
	txt, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := layoutSpaces.ReplaceAllString(string(txt), " ")
	for _, s := range []string{"BÁO CÁO", "01/09/2021", "30/09/2021", "19/BC-TTCH", "Nguyễn Văn Vĩnh"} {
		if !strings.Contains(text, s) {
			t.Errorf("the PDF does not say %q", s)
		}
	}
	// A line's figures in Bảng 1 (intake and permits) and Bảng 2
	// (validity and revocations; checkpoint signals).
	rowsOf := func(what string, u central.UnitFigures) {
		old := "–"
		if u.PendingAtEnd > 0 {
			old = viDecimal(u.OldestPending.Hours() / 24)
		}
		t1 := []string{pdfInt(u.ReceivedWalkIn), pdfInt(u.ReceivedOnline), pdfInt(u.Approved), pdfInt(u.Rejected), pdfInt(u.Forwarded),
			pdfInt(u.PendingAtEnd), old}
		for _, n := range u.PermitsByCategory {
			t1 = append(t1, pdfInt(n))
		}
		t1 = append(t1, pdfInt(u.PermitsTotal))
		var t2 []string
		over := 0
		for _, v := range u.Validity {
			over += v.OverMax
			if v.Permits == 0 {
				t2 = append(t2, "–", "–")
			} else {
				t2 = append(t2, viDecimal(v.AvgDays), pdfInt(v.LongDays))
			}
		}
		t2 = append(t2, pdfInt(over), pdfInt(u.Revoked))
		t3 := []string{pdfInt(u.Abuse.OutsideArea), pdfInt(u.Abuse.OutsideHours), pdfInt(u.Abuse.ManyCheckpoints), viDecimal(u.AbusePer1000)}
		for _, seq := range [][]string{t1, t2, t3} {
			if s := " " + strings.Join(seq, " "); !strings.Contains(text, s) {
				t.Errorf("the PDF has no line of %s with %q", what, s)
			}
		}
	}
	for _, d := range districts {
		for _, c := range d.units {
			rowsOf(strconv.Itoa(int(c)), *ex.units[c])
		}
		rowsOf("district "+strconv.Itoa(int(d.code)), ex.sum(d.units, 5))
	}
	rowsOf("the province", province)
	if t.Failed() {
		t.Logf("PDF text:\n%s", txt)
	}
}

// Bad input to server report province is refused with a Vietnamese error,
// and no file is written or replaced; --force replaces a report.
func TestServerReportProvinceRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	tr := genTraffic(7, []uint32{28249}, nil, nil, 5, agreeStart, 3, store.DefaultMaxDays)
	dir := newTrafficCentre(t, tr)
	out := t.TempDir()
	pdfFile, csvFile := filepath.Join(out, "r.pdf"), filepath.Join(out, "r.csv")
	tomorrow := store.FormatDate(time.Now().AddDate(0, 0, 1))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--from", "31/02/2021", "--to", "30/09/2021", "--csv", csvFile}, "không đúng dạng ngày/tháng/năm"},
		{[]string{"--from", "hôm qua", "--to", "30/09/2021", "--out", pdfFile}, "không đúng dạng ngày/tháng/năm"},
		{[]string{"--from", "30/09/2021", "--to", "01/09/2021", "--csv", csvFile}, "ngày bắt đầu 30/09/2021 sau ngày kết thúc 01/09/2021"},
		{[]string{"--from", "01/09/2021", "--to", tomorrow, "--csv", csvFile}, "chưa tới"},
		{[]string{"--from", "01/09/2021", "--to", "30/09/2021"}, "cần --out"},
		{[]string{"--to", "30/09/2021", "--csv", csvFile}, "cần cả --from và --to"},
		{[]string{"--from", "01/09/2021", "--to", "30/09/2021", "--out", filepath.Join(out, "không-có", "r.pdf")}, "không có thư mục"},
		{[]string{"--from", "01/09/2021", "--to", "30/09/2021", "--csv", csvFile, "--out", out}, "là một thư mục"},
	} {
		code, msg := runExit(ctx, append([]string{"server", "report", "province", "--dir", dir}, c.args...)...)
		if code == exitOK || !strings.Contains(msg, c.want) {
			t.Errorf("%v: exit %d, %q; want %q", c.args, code, msg, c.want)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Fatalf("%v: wrote %v", c.args, entries)
		}
	}
	// A report already there stays, unless --force.
	os.WriteFile(pdfFile, []byte("báo cáo cũ"), 0o600)
	args := []string{"server", "report", "province", "--dir", dir, "--from", "01/09/2021", "--to", "03/09/2021", "--out", pdfFile, "--csv", csvFile}
	if code, msg := runExit(ctx, args...); code == exitOK || !strings.Contains(msg, "đã có; thêm --force để ghi đè") {
		t.Errorf("an existing --out: exit %d, %q", code, msg)
	}
	if b, _ := os.ReadFile(pdfFile); string(b) != "báo cáo cũ" {
		t.Errorf("the old report was replaced")
	}
	if _, err := os.Stat(csvFile); err == nil {
		t.Errorf("the CSV was written beside a refused PDF")
	}
	runCmd(t, ctx, append(args, "--force")...)
	if b, _ := os.ReadFile(pdfFile); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("--force did not replace the report: %q", b[:min(len(b), 20)])
	}
	if entries, _ := os.ReadDir(out); len(entries) != 2 {
		t.Errorf("left behind: %v", entries)
	}
}
