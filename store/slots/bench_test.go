package slots

import (
	"fmt"
	"testing"
	"time"
)

// bigCommune is the benchmark's commune: 100,000 households in 8 hamlets of
// uneven size (so some markets overflow and fallbacks are exercised), 4
// markets of 8 one-hour slots.
func bigCommune() ([]Household, []Market, Params) {
	hamlets := []string{"Ấp Bắc", "Ấp Tân Thuận", "Ấp Hòa Bình", "Ấp Mỹ Lợi", "Ấp Long Hưng", "Ấp Phú Quý", "Ấp Bình Tạo", "Ấp Thới Sơn"}
	weights := []int{20, 9, 14, 11, 16, 10, 12, 8} // per 100 households
	hh := make([]Household, 0, 100_000)
	for i := range 100_000 {
		r, a := i%100, 0
		for r >= weights[a] {
			r -= weights[a]
			a++
		}
		hh = append(hh, Household{Code: fmt.Sprintf("TG-%06d", i), Number: i + 1, Hamlet: hamlets[a]})
	}
	var mk []Market
	for i := range 4 {
		mk = append(mk, Market{
			ID: fmt.Sprintf("CHO%d", i+1), Name: fmt.Sprintf("Chợ %d", i+1),
			Hamlets:    hamlets[2*i : 2*i+2],
			OpenMinute: 6 * 60, CloseMinute: 14 * 60, Capacity: 1000,
		})
	}
	p := Params{Start: time.Date(2021, 9, 21, 0, 0, 0, 0, time.UTC), Days: 7, TripsPerWeek: 2, SlotMinutes: 60, Pattern: Spread}
	return hh, mk, p
}

func BenchmarkSplit100k(b *testing.B) {
	hh, mk, p := bigCommune()
	b.ReportAllocs()
	var plan *Plan
	for b.Loop() {
		var err error
		plan, err = Split(hh, mk, p)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(plan.Fallbacks), "fallbacks")
}

func BenchmarkSplit100kAlternate(b *testing.B) {
	hh, mk, p := bigCommune()
	p.Pattern = Alternate
	for i := range mk {
		mk[i].Capacity = 1200 // the even half has 3 days of 7, not 3.5
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Split(hh, mk, p); err != nil {
			b.Fatal(err)
		}
	}
}
