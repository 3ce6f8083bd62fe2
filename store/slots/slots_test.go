package slots

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var day1 = time.Date(2021, 9, 21, 0, 0, 0, 0, time.UTC)

func commune(n int, hamlets ...string) []Household {
	hh := make([]Household, n)
	for i := range hh {
		hh[i] = Household{Code: fmt.Sprintf("H%05d", i), Number: i + 1, Hamlet: hamlets[i%len(hamlets)]}
	}
	return hh
}

func TestTripsFor(t *testing.T) {
	for _, c := range []struct{ perWeek, days, want int }{
		{2, 7, 2}, {2, 14, 4}, {2, 3, 1}, {2, 10, 3}, {3, 10, 4}, {1, 1, 1}, {1, 2, 1}, {7, 7, 7}, {7, 3, 3},
		{4, 7, 4}, {4, 5, 3}, {1, 11, 2}, {0, 7, 0}, {2, 0, 0},
	} {
		if got := TripsFor(c.perWeek, c.days); got != c.want {
			t.Errorf("TripsFor(%d, %d) = %d, want %d", c.perWeek, c.days, got, c.want)
		}
	}
	// Never more trips than days: one trip a day at most.
	for w := 1; w <= 7; w++ {
		for d := 1; d <= MaxDays; d++ {
			if n := TripsFor(w, d); n > d || n < 1 {
				t.Fatalf("TripsFor(%d, %d) = %d", w, d, n)
			}
		}
	}
}

func TestInputErrors(t *testing.T) {
	good := func() ([]Household, []Market, Params) {
		return commune(10, "Ấp Bắc", "Ấp Tân Thuận"),
			[]Market{{ID: "CB", Name: "Chợ Ấp Bắc", Hamlets: []string{"Ấp Bắc"}, OpenMinute: 360, CloseMinute: 600, Capacity: 5}},
			Params{Start: day1, Days: 7, TripsPerWeek: 2, SlotMinutes: 60}
	}
	cases := []struct {
		name, field, msg string
		edit             func(*[]Household, *[]Market, *Params)
	}{
		{"no markets", "markets", "Chưa có chợ nào", func(_ *[]Household, m *[]Market, _ *Params) { *m = nil }},
		{"zero capacity", "markets[0].Capacity", "số người mỗi khung giờ phải lớn hơn 0", func(_ *[]Household, m *[]Market, _ *Params) { (*m)[0].Capacity = 0 }},
		{"huge capacity", "markets[0].Capacity", "quá lớn", func(_ *[]Household, m *[]Market, _ *Params) { (*m)[0].Capacity = 2_000_000 }},
		{"closes before it opens", "markets[0].CloseMinute", "giờ đóng cửa phải sau giờ mở cửa 06:00", func(_ *[]Household, m *[]Market, _ *Params) { (*m)[0].CloseMinute = 300 }},
		{"opens at 25:00", "markets[0].OpenMinute", "giờ mở cửa phải trong ngày", func(_ *[]Household, m *[]Market, _ *Params) { (*m)[0].OpenMinute = 1500 }},
		{"shorter than a slot", "markets[0].CloseMinute", "ngắn hơn một khung giờ 60 phút", func(_ *[]Household, m *[]Market, _ *Params) { (*m)[0].CloseMinute = 400 }},
		{"duplicate market", "markets[1].ID", `Mã chợ "CB" bị trùng`, func(_ *[]Household, m *[]Market, _ *Params) { *m = append(*m, (*m)[0]) }},
		{"zero days", "params.Days", "Số ngày của đợt phải lớn hơn 0 (đang là 0)", func(_ *[]Household, _ *[]Market, p *Params) { p.Days = 0 }},
		{"negative days", "params.Days", "phải lớn hơn 0", func(_ *[]Household, _ *[]Market, p *Params) { p.Days = -3 }},
		{"a decade", "params.Days", "tối đa 366 ngày", func(_ *[]Household, _ *[]Market, p *Params) { p.Days = 3650 }},
		{"no start", "params.Start", "Chưa chọn ngày bắt đầu", func(_ *[]Household, _ *[]Market, p *Params) { p.Start = time.Time{} }},
		{"zero trips", "params.TripsPerWeek", "từ 1 đến 7", func(_ *[]Household, _ *[]Market, p *Params) { p.TripsPerWeek = 0 }},
		{"eight trips", "params.TripsPerWeek", "từ 1 đến 7", func(_ *[]Household, _ *[]Market, p *Params) { p.TripsPerWeek = 8 }},
		{"zero slot", "params.SlotMinutes", "Độ dài một khung giờ", func(_ *[]Household, _ *[]Market, p *Params) { p.SlotMinutes = 0 }},
		{"bad pattern", "params.Pattern", "Cách chia ngày", func(_ *[]Household, _ *[]Market, p *Params) { p.Pattern = 7 }},
		{"empty code", "households[3].Code", "Hộ ở dòng 4 chưa có mã hộ", func(h *[]Household, _ *[]Market, _ *Params) { (*h)[3].Code = "  " }},
		{"duplicate code", "households[7].Code", `Mã hộ "H00002" bị trùng (dòng 3 và dòng 8)`, func(h *[]Household, _ *[]Market, _ *Params) {
			(*h)[7].Code = "H00002"
			(*h)[9].Code = "H00004" // a later duplicate: the first one met is reported
		}},
		{"alternate, 4 a week", "params.TripsPerWeek", "hộ số chẵn chỉ có 3 ngày chẵn trong đợt 7 ngày, không đủ cho 4 lượt", func(_ *[]Household, _ *[]Market, p *Params) {
			p.Pattern, p.TripsPerWeek = Alternate, 4
		}},
		{"alternate, one day", "params.TripsPerWeek", "hộ số chẵn chỉ có 0 ngày chẵn trong đợt 1 ngày", func(_ *[]Household, _ *[]Market, p *Params) {
			p.Pattern, p.Days = Alternate, 1
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hh, mk, p := good()
			c.edit(&hh, &mk, &p)
			plan, err := Split(hh, mk, p)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("want *InputError, got %v", err)
			}
			if plan != nil {
				t.Fatal("a plan came with the error")
			}
			if ie.Field != c.field || !strings.Contains(ie.Msg, c.msg) || ie.Error() != ie.Msg {
				t.Fatalf("got %s: %q\nwant %s: …%q…", ie.Field, ie.Msg, c.field, c.msg)
			}
		})
	}
	// The good input is good, and the odd-only list is fine on one day.
	hh, mk, p := good()
	if _, err := Split(hh, mk, p); err != nil {
		t.Fatal(err)
	}
	p.Pattern, p.Days = Alternate, 1
	odd := []Household{{Code: "a", Number: 1}, {Code: "b", Number: 3}}
	if _, err := Split(odd, mk, p); err != nil {
		t.Fatal(err)
	}
}

func TestDroppedPartialSlot(t *testing.T) {
	mk := []Market{{ID: "A", OpenMinute: 7 * 60, CloseMinute: 11*60 + 45, Capacity: 2}}
	plan, err := Split(commune(5, "x"), mk, Params{Start: day1, Days: 7, TripsPerWeek: 2, SlotMinutes: 60})
	if err != nil {
		t.Fatal(err)
	}
	if plan.SlotsPerDay[0] != 4 || plan.DroppedMinutes[0] != 45 {
		t.Fatalf("slots %d, dropped %d; want 4 slots, 45 minutes dropped", plan.SlotsPerDay[0], plan.DroppedMinutes[0])
	}
	for _, tr := range plan.Trips {
		if tr.End.Hour() > 11 || tr.End.Hour() == 11 && tr.End.Minute() > 0 {
			t.Fatalf("trip ends at %s, in the dropped part", tr.End.Format("15:04"))
		}
	}
}

func TestShortageMessage100k(t *testing.T) {
	hh, mk, p := bigCommune()
	for i := range mk {
		mk[i].Capacity = 669
	}
	_, err := Split(hh, mk, p)
	var se *ShortageError
	if !errors.As(err, &se) {
		t.Fatalf("want a shortage, got %v", err)
	}
	want := "Không đủ chỗ: cần 200000 lượt, chỉ có 149856 lượt (4 chợ × 7 ngày × 8 khung giờ × 669 lượt/khung giờ); 100000 hộ × 2 lượt mỗi hộ, thiếu 50144 lượt."
	if !strings.HasPrefix(err.Error(), want) || se.Day != -1 || se.ShortDays != nil {
		t.Fatalf("got  %s (day %d, %d short days)\nwant %s", err, se.Day, len(se.ShortDays), want)
	}

	// Markets of different sizes are added up market by market.
	mk[1].Capacity, mk[2].CloseMinute = 400, 12*60
	_, err = Split(hh, mk, p)
	want = "(7 ngày × (Chợ 1 (mã CHO1) 8 khung giờ × 669 + Chợ 2 (mã CHO2) 8 khung giờ × 400 + Chợ 3 (mã CHO3) 6 khung giờ × 669 + Chợ 4 (mã CHO4) 8 khung giờ × 669 lượt/khung giờ))"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v\nwant …%s…", err, want)
	}
}

func TestAlternateOddOnOddDays(t *testing.T) {
	// Pairs of rows per hamlet, so each hamlet has odd and even numbers.
	hh := commune(300, "Ấp Bắc", "Ấp Bắc", "Ấp Tân Thuận", "Ấp Tân Thuận")
	mk := []Market{
		{ID: "CB", Name: "Chợ Ấp Bắc", Hamlets: []string{"Ấp Bắc"}, OpenMinute: 360, CloseMinute: 660, Capacity: 6},
		{ID: "TT", Name: "Chợ Tân Thuận", Hamlets: []string{"Ấp Tân Thuận"}, OpenMinute: 390, CloseMinute: 690, Capacity: 6},
	}
	p := Params{Start: day1, Days: 14, TripsPerWeek: 2, SlotMinutes: 30, Pattern: Alternate}
	plan, err := Split(hh, mk, p)
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, "alternate", hh, mk, p, plan)
	for _, tr := range plan.Trips {
		// Day 1 of the period is 21/09, so here the period's odd days are
		// also odd dates; the rule itself counts days of the period.
		if tr.Start.Day()%2 != hh[tr.Household].Number%2 || tr.PeriodDay()%2 != hh[tr.Household].Number%2 {
			t.Fatalf("household %d on %s", hh[tr.Household].Number, tr.Start.Format("02/01"))
		}
	}
	if plan.Fallbacks != 0 {
		t.Fatalf("%d fallbacks with room at home", plan.Fallbacks)
	}
}

func TestStartOnlyDateCounts(t *testing.T) {
	far := time.FixedZone("UTC-10", -10*3600)
	mk := []Market{{ID: "A", OpenMinute: 360, CloseMinute: 420, Capacity: 5}}
	p := Params{Start: time.Date(2021, 9, 21, 23, 30, 0, 0, far), Days: 3, TripsPerWeek: 7, SlotMinutes: 60}
	plan, err := Split(commune(1, "x"), mk, p)
	if err != nil {
		t.Fatal(err)
	}
	got := plan.Trips[0].Start.Format(time.RFC3339)
	if got != "2021-09-21T06:00:00+07:00" {
		t.Fatalf("first trip at %s", got)
	}
}

func TestHamletMatching(t *testing.T) {
	mk := []Market{
		{ID: "A", Hamlets: []string{"Ấp Bắc"}, OpenMinute: 360, CloseMinute: 600, Capacity: 50},
		{ID: "B", Hamlets: []string{"Ấp Tân Thuận", "Ấp Bắc"}, OpenMinute: 360, CloseMinute: 600, Capacity: 50},
	}
	hh := []Household{
		{Code: "1", Hamlet: "Ấp Bắc"},
		{Code: "2", Hamlet: "A\u0302\u0301p Ba\u0306\u0301c"}, // decomposed, as a Mac types it
		{Code: "3", Hamlet: "  ấp TÂN   thuận "},
		{Code: "4", Hamlet: "Ấp Bác"}, // another hamlet: the marks count
		{Code: "5"},
	}
	plan, err := Split(hh, mk, Params{Start: day1, Days: 7, TripsPerWeek: 2, SlotMinutes: 60})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 0, 1, -1, -1}; fmt.Sprint(plan.Home) != fmt.Sprint(want) {
		t.Fatalf("homes %v, want %v (a hamlet listed twice belongs to the first market)", plan.Home, want)
	}
	if plan.NoHomeMarket != 2 || plan.Fallbacks != 0 {
		t.Fatalf("no home %d, fallbacks %d", plan.NoHomeMarket, plan.Fallbacks)
	}
}

// A market too small for its hamlets sends the overflow elsewhere, and
// rotates who goes: nobody walks to the far market twice before everyone
// has once.
func TestFallbacksRotate(t *testing.T) {
	hh := commune(700, "Ấp Bắc", "Ấp Bắc", "Ấp Tân Thuận")
	mk := []Market{
		// 6 trips each in 14 days: Ấp Bắc's 467 households need 200 places a
		// day and have 160; Ấp Tân Thuận's 233 need 100 of their 160.
		{ID: "CB", Hamlets: []string{"Ấp Bắc"}, OpenMinute: 360, CloseMinute: 840, Capacity: 20},
		{ID: "TT", Hamlets: []string{"Ấp Tân Thuận"}, OpenMinute: 360, CloseMinute: 840, Capacity: 20},
	}
	p := Params{Start: day1, Days: 14, TripsPerWeek: 3, SlotMinutes: 60}
	plan, err := Split(hh, mk, p)
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, "fallbacks", hh, mk, p, plan)
	per := make([]int, len(hh))
	for _, tr := range plan.Trips {
		if tr.Market != plan.Home[tr.Household] {
			per[tr.Household]++
		}
	}
	lo, hi := 1<<30, 0
	for h, n := range per {
		if plan.Home[h] == 0 {
			lo, hi = min(lo, n), max(hi, n)
		}
	}
	t.Logf("%d fallbacks; each Ấp Bắc household sent away %d to %d times", plan.Fallbacks, lo, hi)
	if plan.Fallbacks == 0 || hi-lo > 1 {
		t.Fatalf("fallbacks %d, spread %d…%d: want some, and shared within one", plan.Fallbacks, lo, hi)
	}
}

// Rotation: with two or more trips, every household's mean slot is near the
// middle of the day, and almost nobody is early (or late) on every trip.
func TestSlotsRotate(t *testing.T) {
	hh := commune(1000, "Ấp Bắc", "Ấp Tân Thuận", "Ấp Hòa Bình")
	mk := []Market{
		{ID: "CB", Hamlets: []string{"Ấp Bắc"}, OpenMinute: 360, CloseMinute: 840, Capacity: 60},
		{ID: "TT", Hamlets: []string{"Ấp Tân Thuận", "Ấp Hòa Bình"}, OpenMinute: 420, CloseMinute: 900, Capacity: 90},
	}
	for _, c := range []struct {
		perWeek int
		pattern Pattern
	}{{2, Spread}, {2, Alternate}, {3, Spread}, {3, Alternate}, {4, Spread}, {7, Spread}} {
		p := Params{Start: day1, Days: 7, TripsPerWeek: c.perWeek, SlotMinutes: 60, Pattern: c.pattern}
		plan, err := Split(hh, mk, p)
		if err != nil {
			t.Fatal(err)
		}
		f := plan.Fairness()
		t.Logf("%d a week, %v: %+v", c.perWeek, c.pattern, f)
		if f.Households != len(hh) || f.StdDev > 0.05 || f.MeanMin < 0.3 || f.MeanMax > 0.7 || f.AlwaysEarly+f.AlwaysLate > len(hh)/200 {
			t.Errorf("%d a week, %v: unfair: %+v", c.perWeek, c.pattern, f)
		}
	}
}

func TestCapacityRows(t *testing.T) {
	hh := commune(100, "Ấp Bắc", "Ấp Tân Thuận")
	mk := []Market{
		{ID: "CB", Name: "Chợ Ấp Bắc", Hamlets: []string{"Ấp Bắc"}, OpenMinute: 360, CloseMinute: 630, Capacity: 3},
		{ID: "TT", Name: "Chợ Tân Thuận", Hamlets: []string{"Ấp Tân Thuận"}, OpenMinute: 360, CloseMinute: 600, Capacity: 5},
	}
	plan, err := Split(hh, mk, Params{Start: day1, Days: 7, TripsPerWeek: 2, SlotMinutes: 60})
	if err != nil {
		t.Fatal(err)
	}
	rows := plan.Capacity(mk)
	got := fmt.Sprintf("%+v", rows)
	// Chợ Ấp Bắc: 4 slots × 3 = 12 a day, 84 a week, for 50 households × 2 trips: 16 go elsewhere.
	want := "[{Market:0 ID:CB Name:Chợ Ấp Bắc SlotsPerDay:4 PerSlot:3 PerDay:12 Period:84 Assigned:84 HomeTrips:84 Peak:3 DroppedMinutes:30} " +
		"{Market:1 ID:TT Name:Chợ Tân Thuận SlotsPerDay:4 PerSlot:5 PerDay:20 Period:140 Assigned:116 HomeTrips:100 Peak:5 DroppedMinutes:0}]"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if plan.Fallbacks != 100-84 {
		t.Fatalf("fallbacks %d", plan.Fallbacks)
	}
}

func TestNoHouseholds(t *testing.T) {
	mk := []Market{{ID: "A", OpenMinute: 360, CloseMinute: 600, Capacity: 5}}
	plan, err := Split(nil, mk, Params{Start: day1, Days: 7, TripsPerWeek: 2, SlotMinutes: 60, Pattern: Alternate})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Trips) != 0 || len(plan.Load[0]) != 7 || len(plan.Load[0][6]) != 4 || plan.Fairness() != (Fairness{}) {
		t.Fatalf("empty plan: %+v", plan)
	}
}

func TestRadixSort(t *testing.T) {
	keys := []uint64{5 << 32, 1<<32 | 9, 5<<32 | 1, 0, 1<<32 | 2, 1 << 63}
	tmp := make([]uint64, len(keys))
	radixSort(keys, tmp, 32)
	// Stable on the high half: 1<<32|9 stays before 1<<32|2.
	want := []uint64{0, 1<<32 | 9, 1<<32 | 2, 5 << 32, 5<<32 | 1, 1 << 63}
	if fmt.Sprint(keys) != fmt.Sprint(want) {
		t.Fatalf("got %v\nwant %v", keys, want)
	}
	radixSort(keys, tmp, 0)
	want = []uint64{0, 1<<32 | 2, 1<<32 | 9, 5 << 32, 5<<32 | 1, 1 << 63}
	if fmt.Sprint(keys) != fmt.Sprint(want) {
		t.Fatalf("got %v\nwant %v", keys, want)
	}
}

// Each market's own hamlets are spread evenly over the days, so a market
// with a little headroom on the average day never overflows on a bad one.
func TestHomeDemandLevelAcrossDays(t *testing.T) {
	hh, mk, p := bigCommune()
	hh = hh[:20_000]
	trips := TripsFor(p.TripsPerWeek, p.Days)
	for _, pattern := range []Pattern{Spread, Alternate} {
		p.Pattern = pattern
		// Each market's busiest average day: Spread has one class of
		// households over all days; Alternate the odd ones over ⌈D/2⌉ days
		// and the even ones over ⌊D/2⌋.
		var count [4][2]int
		for _, h := range hh {
			for m := range mk {
				if slices.Contains(mk[m].Hamlets, h.Hamlet) {
					count[m][h.Number&1]++
				}
			}
		}
		for m := range mk {
			avg := float64((count[m][0]+count[m][1])*trips) / float64(p.Days)
			if pattern == Alternate {
				avg = max(float64(count[m][1]*trips)/float64((p.Days+1)/2), float64(count[m][0]*trips)/float64(p.Days/2))
			}
			mk[m].Capacity = int(avg*1.02/8) + 1 // 2% headroom over 8 slots
		}
		plan, err := Split(hh, mk, p)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Fallbacks != 0 {
			t.Errorf("%v: %d fallbacks with 2%% headroom in every market", pattern, plan.Fallbacks)
		}
	}
}
