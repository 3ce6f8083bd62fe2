package report

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"thonghanh/store"
	"thonghanh/store/central"
	"thonghanh/tui/i18n"
	"thonghanh/tui/internal/drive"
)

func day(d int) time.Time { return time.Date(2021, 9, d, 0, 0, 0, 0, store.Vietnam) }

// unit is a unit's figures with the counts the tests sort on.
func unit(code uint32, name string, received, permits, revoked int, abuse float64) central.UnitFigures {
	return central.UnitFigures{Code: code, Name: name, ReceivedWalkIn: received, Approved: permits, Rejected: received - permits,
		PermitsByCategory: []int{permits, 0}, PermitsTotal: permits, Revoked: revoked, AbusePer1000: abuse,
		Validity: []central.ValidityFigures{{Permits: permits, AvgDays: 5.5, LongDays: 7, MaxDays: 7}, {MaxDays: 30}}}
}

func sum(name string, us []central.UnitFigures) central.UnitFigures {
	t := central.UnitFigures{Name: name}
	for _, u := range us {
		t.ReceivedWalkIn += u.ReceivedWalkIn
		t.ReceivedOnline += u.ReceivedOnline
		t.Forwarded += u.Forwarded
		t.PendingAtEnd += u.PendingAtEnd
		t.Approved += u.Approved
		t.Rejected += u.Rejected
		t.PermitsTotal += u.PermitsTotal
		t.Revoked += u.Revoked
	}
	return t
}

// sample is a province of two districts and five units, with a per-day
// series whose shape the sparkline must show.
func sample() central.ProvinceReport {
	a := []central.UnitFigures{unit(28291, "Xã Tân Mỹ Chánh", 40, 30, 1, 2.0), unit(28300, "Xã Đạo Thạnh", 90, 80, 4, 12.5)}
	b := []central.UnitFigures{unit(28500, "Xã Tân Phước", 20, 10, 0, 0), unit(28510, "Thị trấn Mỹ Phước", 60, 55, 2, 30.0),
		unit(28520, "Xã Hưng Thạnh", 5, 5, 0, 0)}
	a[1].RevocationReasons = []central.ReasonCount{{Reason: "Đi ngoài khu vực được phép", Count: 3}, {Reason: "Khai sai mục đích", Count: 1}}
	a[1].Abuse = central.AbuseFigures{OutsideArea: 2, OutsideHours: 1, ManyCheckpoints: 4}
	a[1].ReceivedOnline, a[1].Forwarded, a[1].PendingAtEnd, a[1].OldestPending = 7, 3, 6, 50*time.Hour
	ds := []central.DistrictFigures{
		{Code: 815, Name: "Thành phố Mỹ Tho", Totals: sum("Thành phố Mỹ Tho", a), Units: a},
		{Code: 820, Name: "Huyện Tân Phước", Totals: sum("Huyện Tân Phước", b), Units: b},
	}
	r := central.ProvinceReport{From: day(1), To: day(9), MadeAt: time.Date(2021, 10, 1, 10, 32, 0, 0, store.Vietnam),
		Categories: []central.ReportCategory{{Code: 1, Name: "Đi làm", MaxDays: 7}, {Code: 2, Name: "Chở hàng", MaxDays: 30}},
		Districts:  ds, Province: sum("", append(slices.Clone(a), b...)),
		Attention: []central.AttentionPoint{{Unit: 28510, UnitName: "Thị trấn Mỹ Phước", Measure: "abuse_per_1000",
			Label: "dấu hiệu lạm dụng/1.000 giấy", Value: 30, Province: 8.3}},
	}
	for d := 1; d <= 9; d++ {
		r.PerDay = append(r.PerDay, central.DayPermits{Day: day(d), ByCategory: []int{d - 1, 9 - d}})
	}
	return r
}

func loaderOf(r central.ProvinceReport, err error) Loader {
	return func(ctx context.Context, from, to time.Time) (central.ProvinceReport, error) {
		if err != nil {
			return central.ProvinceReport{}, err
		}
		r.From, r.To = from, to
		return r, nil
	}
}

func open(t *testing.T, lang i18n.Lang, load Loader) (*drive.Driver, *Model) {
	t.Helper()
	m := New(Options{Ctx: context.Background(), Lang: lang, Load: load, From: day(1), To: day(9),
		Today: func() time.Time { return day(30) }, Width: 80, Height: 24})
	d := drive.New(t, m)
	d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	return d, m
}

func press(d *drive.Driver, keys ...string) {
	for _, k := range keys {
		d.Send(drive.Key(k))
	}
}

// view is the screen without colours, checked to fit 80×24.
func view(t *testing.T, d *drive.Driver) string {
	t.Helper()
	v := ansi.Strip(d.View())
	lines := strings.Split(v, "\n")
	if len(lines) != 24 {
		t.Errorf("the screen is %d lines high", len(lines))
	}
	for i, line := range lines {
		if w := ansi.StringWidth(line); w > 80 {
			t.Errorf("line %d is %d columns wide: %q", i, w, line)
		}
	}
	return v
}

func TestReportShowsTheTableGroupedByDistrict(t *testing.T) {
	d, m := open(t, i18n.Vi, loaderOf(sample(), nil))
	v := view(t, d)
	for _, want := range []string{"BÁO CÁO TOÀN TỈNH", "01/09/2021 – 09/09/2021", "Đơn vị", "Nhận", "Duyệt", "T.chối", "Chuyển",
		"Chờ", "Lâu", "Giấy", "T.hồi", "LD‰", "TOÀN TỈNH", "Thành phố Mỹ Tho", "Xã Đạo Thạnh", "5/5 đơn vị",
		"Điểm cần chú ý:", "Thị trấn Mỹ Phước: dấu hiệu lạm dụng/1.000 giấy 30,0 (cả tỉnh 8,3)", "12,5", "tính lúc 10:32 01/10"} {
		if !strings.Contains(v, want) {
			t.Errorf("the screen lacks %q:\n%s", want, v)
		}
	}
	want := []string{"Thành phố Mỹ Tho", "Xã Tân Mỹ Chánh", "Xã Đạo Thạnh", "Huyện Tân Phước", "Xã Tân Phước", "Thị trấn Mỹ Phước", "Xã Hưng Thạnh"}
	if got := m.Names(); !slices.Equal(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	// The province's line sums every unit: 215 received, 180 permits.
	for _, line := range strings.Split(v, "\n") {
		if strings.Contains(line, "TOÀN TỈNH") && !strings.HasPrefix(line, "BÁO") {
			if f := strings.Fields(line); !slices.Contains(f, "222") || !slices.Contains(f, "180") {
				t.Errorf("the province's line %q lacks 222 received or 180 permits", line)
			}
		}
	}
}

func TestReportSortsAndReverses(t *testing.T) {
	d, m := open(t, i18n.Vi, loaderOf(sample(), nil))
	press(d, "down")
	press(d, "7") // permits, the largest first
	if m.Cursor() != "Xã Tân Mỹ Chánh" {
		t.Errorf("sorting moved the cursor to %q", m.Cursor())
	}
	if col, desc := m.Sort(); col != ColPermits || !desc {
		t.Fatalf("sort is %v desc=%v, want permits descending", col, desc)
	}
	want := []string{"Thành phố Mỹ Tho", "Xã Đạo Thạnh", "Xã Tân Mỹ Chánh", "Huyện Tân Phước", "Thị trấn Mỹ Phước", "Xã Tân Phước", "Xã Hưng Thạnh"}
	if got := m.Names(); !slices.Equal(got, want) {
		t.Errorf("by permits: %q, want %q", got, want)
	}
	if v := view(t, d); !strings.Contains(v, "Giấy▼") || !strings.Contains(v, "Sắp theo: giấy đã cấp giảm dần") {
		t.Errorf("the heading does not say the sort:\n%s", v)
	}
	press(d, "r")
	// Tân Phước's 70 permits before Mỹ Tho's 110, and in each the fewest first.
	want = []string{"Huyện Tân Phước", "Xã Hưng Thạnh", "Xã Tân Phước", "Thị trấn Mỹ Phước", "Thành phố Mỹ Tho", "Xã Tân Mỹ Chánh", "Xã Đạo Thạnh"}
	if got := m.Names(); !slices.Equal(got, want) {
		t.Errorf("reversed: %q, want %q", got, want)
	}
	if v := view(t, d); !strings.Contains(v, "Giấy▲") {
		t.Errorf("the heading does not say ascending:\n%s", v)
	}
	// s cycles on from permits to revocations; flat ranks the province.
	press(d, "s", "t")
	if col, _ := m.Sort(); col != ColRevoked {
		t.Errorf("s after permits gave %v", col)
	}
	want = []string{"Xã Đạo Thạnh", "Thị trấn Mỹ Phước", "Xã Tân Mỹ Chánh", "Xã Tân Phước", "Xã Hưng Thạnh"}
	if got := m.Names(); !slices.Equal(got, want) {
		t.Errorf("flat by revocations: %q, want %q", got, want)
	}
	press(d, "0")
	if col, desc := m.Sort(); col != ColOrder || desc {
		t.Errorf("0 gave %v desc=%v", col, desc)
	}
}

func TestReportFilterFoldsDiacritics(t *testing.T) {
	d, m := open(t, i18n.Vi, loaderOf(sample(), nil))
	press(d, "/")
	d.Send(drive.Type("tan phuoc")...)
	want := []string{"Huyện Tân Phước", "Xã Tân Phước"}
	if got := m.Names(); !slices.Equal(got, want) {
		t.Errorf("tan phuoc found %q, want %q", got, want)
	}
	press(d, "enter")
	if v := view(t, d); !strings.Contains(v, "/ tan phuoc") || !strings.Contains(v, "1/5 đơn vị") {
		t.Errorf("the applied filter is not shown:\n%s", v)
	}
	// đ is folded by hand: "dao" finds "Đạo".
	press(d, "/", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
	d.Send(drive.Type("dao")...)
	if got := m.Names(); !slices.Equal(got, []string{"Thành phố Mỹ Tho", "Xã Đạo Thạnh"}) {
		t.Errorf("dao found %q", got)
	}
	press(d, "esc")
	if len(m.Names()) != 7 {
		t.Errorf("esc left %q", m.Names())
	}
	press(d, "/")
	d.Send(drive.Type("khong co")...)
	if v := view(t, d); !strings.Contains(v, "Không có đơn vị nào khớp “khong co”") {
		t.Errorf("no match is not said:\n%s", v)
	}
}

func TestReportDetailAndBack(t *testing.T) {
	d, m := open(t, i18n.Vi, loaderOf(sample(), nil))
	press(d, "down", "down")
	if m.Cursor() != "Xã Đạo Thạnh" {
		t.Fatalf("the cursor is on %q", m.Cursor())
	}
	press(d, "enter")
	if m.Mode() != ModeDetail {
		t.Fatal("enter did not open the unit")
	}
	v := view(t, d)
	for _, want := range []string{"Xã Đạo Thạnh", "Thuộc: Thành phố Mỹ Tho", "Hồ sơ nhận: 97 (tại quầy 90, trực tuyến 7)",
		"Duyệt 80 · từ chối 10 · chuyển 3 · còn chờ 6 (lâu nhất 2 ngày)", "1. Đi làm", "2. Chở hàng", "5,5",
		"Thu hồi: 4 giấy", "Đi ngoài khu vực được phép: 3", "Khai sai mục đích: 1",
		"Dấu hiệu lạm dụng: 7 (12,5 trên 1.000 giấy)", "ngoài khu vực 2 · ngoài giờ 1 · quá nhiều chốt 4"} {
		if !strings.Contains(v, want) {
			t.Errorf("the detail lacks %q:\n%s", want, v)
		}
	}
	press(d, "esc")
	if m.Mode() != ModeList || m.Cursor() != "Xã Đạo Thạnh" {
		t.Errorf("esc: mode %v, cursor %q", m.Mode(), m.Cursor())
	}
	press(d, "q")
	if !d.Quit {
		t.Error("q did not quit")
	}
}

func TestReportHelpListsEveryKey(t *testing.T) {
	d, m := open(t, i18n.Vi, loaderOf(sample(), nil))
	press(d, "?")
	v := view(t, d)
	for _, k := range m.keys.All() {
		h := k.Help()
		if h.Key == "" || h.Desc == "" || !strings.Contains(v, h.Key) || !strings.Contains(v, h.Desc) {
			t.Errorf("the help lacks %q %q:\n%s", h.Key, h.Desc, v)
		}
	}
	for _, c := range figureCols {
		if !strings.Contains(v, c.head(i18n.Vi)+": "+c.long(i18n.Vi)) {
			t.Errorf("the help does not explain the column %q", c.head(i18n.Vi))
		}
	}
	press(d, "x")
	if m.Mode() != ModeList {
		t.Error("a key did not close the help")
	}
}

func TestSparklineFollowsTheNumbers(t *testing.T) {
	if got := Sparkline([]int{0, 1, 2, 3, 4, 5, 6, 7, 8}, 20); got != " ▁▂▃▄▅▆▇█" {
		t.Errorf("Sparkline 0..8 = %q", got)
	}
	if got := Sparkline([]int{1, 1, 8, 8, 0, 0}, 3); got != "▁█ " {
		t.Errorf("Sparkline summed into 3 columns = %q", got)
	}
	d, _ := open(t, i18n.Vi, loaderOf(sample(), nil))
	// Every category: 8 permits a day, flat; category 1 rises 0..8; category 2 falls.
	for _, c := range []struct{ key, want string }{
		{"", "Giấy/ngày          █████████ tổng 72, cao nhất 8 (01/09)"},
		{"c", "Loại 1 Đi làm       ▁▂▃▄▅▆▇█ tổng 36, cao nhất 8 (09/09)"},
		{"c", "Loại 2 Chở hàng    █▇▆▅▄▃▂▁  tổng 36, cao nhất 8 (01/09)"},
		{"c", "Giấy/ngày"},
	} {
		if c.key != "" {
			press(d, c.key)
		}
		if line := strings.Split(view(t, d), "\n")[1]; !strings.HasPrefix(line, c.want) {
			t.Errorf("after %q the sparkline reads %q, want %q", c.key, line, c.want)
		}
	}
}

// many is a province of n units in ten districts, some with long names.
func many(n int) central.ProvinceReport {
	r := sample()
	r.Districts = nil
	for i := range n {
		di := i % 10
		if len(r.Districts) <= di {
			r.Districts = append(r.Districts, central.DistrictFigures{Code: uint32(800 + di), Name: fmt.Sprintf("Huyện %02d", di)})
		}
		name := fmt.Sprintf("Xã %03d", i)
		if i%7 == 0 {
			name += " Ban Quản lý các Khu công nghiệp và Khu chế xuất tỉnh Tiền Giang"
		}
		d := &r.Districts[di]
		d.Units = append(d.Units, unit(uint32(10000+i), name, i, i/2, 0, 0))
		d.Totals = sum(d.Name, d.Units)
	}
	return r
}

func TestReportDrawsOnlyTheVisibleWindow(t *testing.T) {
	d, m := open(t, i18n.Vi, loaderOf(many(200), nil))
	if len(m.Names()) != 210 {
		t.Fatalf("%d rows, want 200 units and 10 districts", len(m.Names()))
	}
	v := view(t, d)
	drawn := strings.Count(v, "Xã ")
	if drawn == 0 || drawn > m.listHeight() {
		t.Errorf("%d units drawn for %d rows on screen", drawn, m.listHeight())
	}
	if strings.Contains(v, "Xã 199") {
		t.Error("the last unit is drawn on the first screen")
	}
	// A long name is cut with … on its line, never wrapped onto another.
	if !strings.Contains(v, "Xã 000 Ban Quản lý") || !strings.Contains(v, "…") || strings.Contains(v, "Tiền Giang") {
		t.Errorf("the long name is not truncated:\n%s", v)
	}
	press(d, "G")
	if v := view(t, d); !strings.Contains(v, "Xã 199") || strings.Contains(v, "Xã 000") {
		t.Errorf("G does not show the end:\n%s", v)
	}
}

func TestReportSaysTheLoadErrorInVietnamese(t *testing.T) {
	d, m := open(t, i18n.Vi, loaderOf(central.ProvinceReport{}, errors.New("báo cáo toàn tỉnh: chưa có")))
	v := view(t, d)
	if !strings.Contains(v, "Không tính được báo cáo: Báo cáo toàn tỉnh: chưa có") || m.Loading() {
		t.Errorf("the error is not shown:\n%s", v)
	}
	if lines := strings.Split(v, "\n"); len(lines) != 24 || !strings.Contains(lines[23], "q thoát") {
		t.Errorf("the keys are not on the last line:\n%s", v)
	}
	// Every key still works on an empty screen; q still quits.
	press(d, "s", "enter", "/", "esc", "c", "?", "x", "q")
	if !d.Quit {
		t.Error("q did not quit")
	}
}

func TestReportPeriodIsCheckedAndReloads(t *testing.T) {
	var asked [][2]time.Time
	load := func(ctx context.Context, from, to time.Time) (central.ProvinceReport, error) {
		asked = append(asked, [2]time.Time{from, to})
		return loaderOf(sample(), nil)(ctx, from, to)
	}
	d, m := open(t, i18n.Vi, load)
	press(d, "p")
	if m.Mode() != ModePeriod {
		t.Fatal("p did not open the period")
	}
	v := view(t, d)
	for _, want := range []string{"Đổi khoảng ngày của báo cáo", "Từ ngày", "Đến ngày", "01/09/2021", "09/09/2021"} {
		if !strings.Contains(v, want) {
			t.Errorf("the period dialog lacks %q:\n%s", want, v)
		}
	}
	clear := func() {
		for range 10 {
			press(d, "backspace")
		}
	}
	clear()
	d.Send(drive.Type("31/02/2021")...)
	press(d, "enter")
	if v := view(t, d); m.Mode() != ModePeriod || !strings.Contains(v, "không đúng dạng ngày/tháng/năm") {
		t.Errorf("a wrong date was taken:\n%s", v)
	}
	clear()
	d.Send(drive.Type("20/09/2021")...)
	press(d, "enter")
	if v := view(t, d); !strings.Contains(v, "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.") {
		t.Errorf("from after to was taken:\n%s", v)
	}
	press(d, "tab")
	clear()
	d.Send(drive.Type("01/10/2021")...)
	press(d, "enter")
	if v := view(t, d); !strings.Contains(v, "Ngày kết thúc không được sau hôm nay (30/09/2021).") {
		t.Errorf("a day after today was taken:\n%s", v)
	}
	clear()
	d.Send(drive.Type("30/09/2021")...)
	if len(asked) != 1 {
		t.Fatalf("loaded %d times before the period was right", len(asked))
	}
	// The load runs in a command: Update returns at once with "Đang tính…".
	_, cmd := m.Update(drive.Key("enter"))
	if !m.Loading() || cmd == nil || !strings.Contains(ansi.Strip(m.Render()), "Đang tính…") {
		t.Errorf("no progress line while computing:\n%s", ansi.Strip(m.Render()))
	}
	d.Send(cmd())
	if m.Loading() || len(asked) != 2 || !asked[1][0].Equal(day(20)) || !asked[1][1].Equal(day(30)) {
		t.Errorf("the period asked is %v", asked)
	}
	if v := view(t, d); !strings.Contains(v, "20/09/2021 – 30/09/2021") {
		t.Errorf("the new period is not shown:\n%s", v)
	}
}

func TestReportInEnglish(t *testing.T) {
	d, _ := open(t, i18n.En, loaderOf(sample(), nil))
	v := view(t, d)
	for _, want := range []string{"PROVINCE REPORT", "Unit", "Perm", "WHOLE PROVINCE", "Points to note:", "b chart · ? help · q quit",
		"abuse signals per 1,000 permits 30.0 (province 8.3)"} {
		if !strings.Contains(v, want) {
			t.Errorf("the English screen lacks %q:\n%s", want, v)
		}
	}
}

// Every text the screen looks up is registered in both languages, the
// columns' too, and the Vietnamese is in NFC: a typo would show the key on
// screen, a decomposed letter would not match what the centre prints.
func TestEveryReportTextExists(t *testing.T) {
	lookup := regexp.MustCompile(`\.Tf?\("([a-z0-9_.]+)"`)
	var keys []string
	for _, f := range []string{"report.go", "view.go", "columns.go"} {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lookup.FindAllStringSubmatch(string(src), -1) {
			if !strings.HasSuffix(m[1], ".") {
				keys = append(keys, m[1])
			}
		}
	}
	for _, c := range colKeys {
		keys = append(keys, "report.col."+c, "report.long."+c)
	}
	for _, m := range []string{"abuse_per_1000", "revoked_per_1000", "rejected_share", "avg_validity_ratio", "oldest_pending_days"} {
		keys = append(keys, "report.measure."+m)
	}
	for _, k := range keys {
		if !i18n.Has(k) || i18n.Vi.T(k) == "" || i18n.En.T(k) == "" {
			t.Errorf("text key %q is not registered in both languages", k)
		}
		if vi := i18n.Vi.T(k); store.NFC(vi) != vi {
			t.Errorf("text key %q is not NFC", k)
		}
	}
}

// A frame costs the rows on screen, whatever the province's size.
func BenchmarkRender5000Units(b *testing.B) {
	m := New(Options{Lang: i18n.Vi, Width: 80, Height: 24})
	m.Update(loadedMsg{gen: m.gen, rep: many(5000)})
	b.ReportAllocs()
	for b.Loop() {
		m.Update(drive.Key("down"))
		_ = m.Render()
	}
}

func TestReportChartsEveryCategory(t *testing.T) {
	d, m := open(t, i18n.Vi, loaderOf(sample(), nil))
	press(d, "b")
	if m.Mode() != ModeChart {
		t.Fatal("b did not open the charts")
	}
	v := view(t, d)
	for _, want := range []string{"Giấy đã cấp mỗi ngày, toàn tỉnh", "Giấy/ngày          █████████ tổng 72",
		"Loại 1 Đi làm       ▁▂▃▄▅▆▇█ tổng 36", "Loại 2 Chở hàng    █▇▆▅▄▃▂▁  tổng 36", "50% số giấy"} {
		if !strings.Contains(v, want) {
			t.Errorf("the charts lack %q:\n%s", want, v)
		}
	}
	press(d, "b")
	if m.Mode() != ModeList {
		t.Error("b did not close the charts")
	}
}

// The attention list opens the unit a point is about, and esc comes back
// to the list it was opened from.
func TestReportAttentionOpensTheUnit(t *testing.T) {
	r := sample()
	r.Attention = append(r.Attention, central.AttentionPoint{Unit: 28300, UnitName: "Xã Đạo Thạnh", Measure: "rejected_share",
		Label: "tỷ lệ hồ sơ bị từ chối (%)", Value: 10.3, Province: 15.8},
		central.AttentionPoint{Unit: 28291, UnitName: "Xã Tân Mỹ Chánh", Measure: "oldest_pending_days", Label: "số ngày hồ sơ chờ lâu nhất", Value: 9, Province: 2})
	d, m := open(t, i18n.Vi, loaderOf(r, nil))
	v := view(t, d)
	for _, want := range []string{"Điểm cần chú ý (3, a: xem hết):", "Thị trấn Mỹ Phước: dấu hiệu lạm dụng/1.000 giấy 30,0 (cả tỉnh 8,3)",
		"Xã Đạo Thạnh: tỷ lệ hồ sơ bị từ chối (%) 10 (cả tỉnh 16)"} {
		if !strings.Contains(v, want) {
			t.Errorf("the screen lacks %q:\n%s", want, v)
		}
	}
	press(d, "a")
	if v := view(t, d); !strings.Contains(v, "3. Xã Tân Mỹ Chánh: số ngày hồ sơ chờ lâu nhất 9 ngày (cả tỉnh 2 ngày)") {
		t.Errorf("the attention list lacks the third point:\n%s", v)
	}
	press(d, "down", "enter")
	if v := view(t, d); m.Mode() != ModeDetail || !strings.Contains(v, "Xã Đạo Thạnh\nThuộc: Thành phố Mỹ Tho") {
		t.Errorf("enter did not open Xã Đạo Thạnh:\n%s", v)
	}
	press(d, "esc")
	if m.Mode() != ModeAttention {
		t.Errorf("esc from the unit went to %v", m.Mode())
	}
	press(d, "esc")
	if m.Mode() != ModeList {
		t.Errorf("esc from the attention list went to %v", m.Mode())
	}
	// A name two units bear says its district.
	r.Districts[1].Units[2].Name = "Xã Tân Mỹ Chánh"
	m.Update(loadedMsg{gen: m.gen, rep: r})
	if got := m.attention(r.Attention[2]); !strings.HasPrefix(got, "Xã Tân Mỹ Chánh (Thành phố Mỹ Tho): ") {
		t.Errorf("a shared name without its district: %q", got)
	}
	if got := m.attention(r.Attention[1]); !strings.HasPrefix(got, "Xã Đạo Thạnh: ") {
		t.Errorf("a name of its own with its district: %q", got)
	}
	// In English the measure is the desk's own words, with its unit.
	en := New(Options{Lang: i18n.En})
	if got := en.attention(r.Attention[1]); got != "Xã Đạo Thạnh: share rejected 10% (province 16%)" {
		t.Errorf("in English: %q", got)
	}
}

// A recompute asked twice shows the later answer, even when the earlier
// one comes last.
func TestReportDropsAStaleAnswer(t *testing.T) {
	calls := 0
	load := func(ctx context.Context, from, to time.Time) (central.ProvinceReport, error) {
		calls++
		r := sample()
		r.Districts[0].Units[0].Name = fmt.Sprintf("Lần %d", calls)
		return r, nil
	}
	m := New(Options{Lang: i18n.Vi, Load: load, From: day(1), To: day(9), Width: 80, Height: 24})
	first := m.Init()
	_, second := m.Update(drive.Key("ctrl+r"))
	m.Update(second()) // "Lần 1": the commands run in any order
	m.Update(first())  // "Lần 2", stale
	if got := m.Names()[1]; got != "Lần 1" || m.Loading() {
		t.Errorf("the table shows %q (loading %v), want the later load's", got, m.Loading())
	}
}
