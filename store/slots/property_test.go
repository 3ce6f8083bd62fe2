package slots

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

var hamletPool = []string{"Ấp Bắc", "Ấp Tân Thuận", "Ấp Hòa Bình", "Ấp Mỹ Lợi", "Ấp Long Hưng", "Ấp Phú Quý"}

// randomCase draws a small commune. Sizes are small so that every branch
// (shortage, tight spacing, overflowing markets, households without a home
// market, odd-only lists) comes up within a few hundred cases.
func randomCase(r *rand.Rand) ([]Household, []Market, Params) {
	slotLens := []int{15, 30, 45, 60, 90}
	p := Params{
		Start:        time.Date(2021, time.Month(1+r.IntN(12)), 1+r.IntN(28), 13, 0, 0, 0, time.UTC),
		Days:         1 + r.IntN(15),
		TripsPerWeek: 1 + r.IntN(7),
		SlotMinutes:  slotLens[r.IntN(len(slotLens))],
		Pattern:      Pattern(r.IntN(2)),
	}
	switch r.IntN(5) {
	case 0: // the tight spacing corner: 4 a week gives 2×trips−1 days for 3, 5, 7, 9
		p.Pattern, p.TripsPerWeek, p.Days = Spread, 4, 3+2*r.IntN(4)
	case 1: // Alternate as communes ran it: a few trips a week
		p.Pattern, p.TripsPerWeek = Alternate, 1+r.IntN(3)
	}
	nm := 1 + r.IntN(4)
	mk := make([]Market, nm)
	for i := range mk {
		open := 5*60 + r.IntN(4*60)
		mk[i] = Market{
			ID: fmt.Sprintf("C%d", i), Name: fmt.Sprintf("Chợ %d", i),
			OpenMinute: open, CloseMinute: open + p.SlotMinutes*(1+r.IntN(4)) + r.IntN(p.SlotMinutes),
			Capacity: 1 + r.IntN(5),
		}
		for _, h := range hamletPool[:5] { // the sixth hamlet has no market
			if r.IntN(nm) == i {
				mk[i].Hamlets = append(mk[i].Hamlets, h)
			}
		}
	}
	n := r.IntN(61)
	hh := make([]Household, n)
	oddOnly := r.IntN(10) == 0
	for i := range hh {
		num := 1 + r.IntN(999)
		if oddOnly {
			num |= 1
		}
		hh[i] = Household{Code: fmt.Sprintf("H%03d", i), Number: num, Hamlet: hamletPool[r.IntN(len(hamletPool))]}
	}
	r.Shuffle(len(hh), func(i, j int) { hh[i], hh[j] = hh[j], hh[i] })
	return hh, mk, p
}

// -slots.cases widens the sweep for a soak run: go test -run Properties -slots.cases 50000
var cases = flag.Int("slots.cases", 400, "random cases in TestSplitProperties")

func TestSplitProperties(t *testing.T) {
	var shortages, inputErrs, plans, tight, relaxed, fallbacks, homeless int
	for seed := range uint64(*cases) {
		r := rand.New(rand.NewPCG(seed, 2021))
		hh, mk, p := randomCase(r)
		name := fmt.Sprintf("seed%d", seed)
		plan, err := Split(hh, mk, p)

		T := TripsFor(p.TripsPerWeek, p.Days)
		daily := 0
		for _, m := range mk {
			daily += SlotsPerDay(m, p.SlotMinutes) * m.Capacity
		}
		odd := 0
		for _, h := range hh {
			odd += h.Number & 1
		}
		classDays := [2]int{(p.Days + 1) / 2, p.Days / 2}
		classN := [2]int{odd, len(hh) - odd}

		// Which error, if any, the input calls for.
		wantInput := p.Pattern == Alternate &&
			((classN[0] > 0 && T > classDays[0]) || (classN[1] > 0 && T > classDays[1]))
		wantShort := len(hh)*T > p.Days*daily
		if p.Pattern == Alternate {
			wantShort = false
			for c := range 2 {
				if classDays[c] > 0 && (classN[c]*T+classDays[c]-1)/classDays[c] > daily {
					wantShort = true
				}
			}
		}

		var ie *InputError
		var se *ShortageError
		switch {
		case wantInput:
			if !errors.As(err, &ie) {
				t.Fatalf("%s: want *InputError, got %v", name, err)
			}
			inputErrs++
			continue
		case wantShort:
			if !errors.As(err, &se) {
				t.Fatalf("%s: want *ShortageError (need %d, have %d), got %v", name, len(hh)*T, p.Days*daily, err)
			}
			if se.Needed != len(hh)*T || se.Available != p.Days*daily {
				t.Fatalf("%s: shortage numbers %d/%d, want %d/%d", name, se.Needed, se.Available, len(hh)*T, p.Days*daily)
			}
			if (se.Day == -1) != (se.Needed > se.Available) {
				t.Fatalf("%s: Day %d with need %d, available %d", name, se.Day, se.Needed, se.Available)
			}
			if plan != nil {
				t.Fatalf("%s: a plan came with the shortage", name)
			}
			shortages++
			continue
		case err != nil:
			t.Fatalf("%s: unexpected error %v (pattern %v, %d households, %d trips, %d days, %d places a day)",
				name, err, p.Pattern, len(hh), T, p.Days, daily)
		}
		plans++
		checkPlan(t, name, hh, mk, p, plan)
		if plan.Fallbacks > 0 {
			fallbacks++
		}
		if plan.NoHomeMarket > 0 {
			homeless++
		}

		if p.Pattern == Spread && T >= 2 && p.Days == 2*T-1 {
			tight++
			if len(hh) > daily {
				relaxed++
			}
		}

		// Same input, same bytes.
		again, err := Split(hh, mk, p)
		if err != nil {
			t.Fatalf("%s: second run: %v", name, err)
		}
		a, _ := json.Marshal(plan)
		b, _ := json.Marshal(again)
		if string(a) != string(b) {
			t.Fatalf("%s: two runs differ", name)
		}
	}
	t.Logf("%d plans (%d with fallbacks, %d with households of no market), %d shortages, %d input errors; %d in the tight corner, %d of them relaxed",
		plans, fallbacks, homeless, shortages, inputErrs, tight, relaxed)
	// The generator must keep reaching every branch.
	if *cases >= 400 && (plans < 100 || fallbacks < 10 || homeless < 10 || shortages < 20 || inputErrs < 5 || tight < 5 || relaxed < 1) {
		t.Fatalf("case mix drifted")
	}
}

// checkPlan verifies every hard rule, and the soft ones that are exact, on
// a plan: it recomputes everything from Trips and trusts no counter.
func checkPlan(t *testing.T, name string, hh []Household, mk []Market, p Params, plan *Plan) {
	t.Helper()
	T := TripsFor(p.TripsPerWeek, p.Days)
	if plan.TripsPerHousehold != T || len(plan.Trips) != len(hh)*T {
		t.Fatalf("%s: %d trips of %d each, want %d×%d", name, len(plan.Trips), plan.TripsPerHousehold, len(hh), T)
	}
	y, mo, d := p.Start.Date()
	base := time.Date(y, mo, d, 0, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	load := make(map[[3]int]int)
	homeDemand := make(map[[2]int]int) // [day, home market]
	daily := 0
	for _, m := range mk {
		daily += SlotsPerDay(m, p.SlotMinutes) * m.Capacity
	}
	dayLoad := make([]int, p.Days)
	fallbacks, spacingBroken := 0, 0
	for h := range hh {
		trips := plan.TripsOf(h)
		home := plan.Home[h]
		broken := false
		for k, tr := range trips {
			if tr.Household != h {
				t.Fatalf("%s: trip %d of household %d names household %d (not sorted)", name, k, h, tr.Household)
			}
			if tr.Day < 0 || tr.Day >= p.Days {
				t.Fatalf("%s: day %d outside the period", name, tr.Day)
			}
			if k > 0 {
				gap := tr.Day - trips[k-1].Day
				if gap < 1 {
					t.Fatalf("%s: household %d days %d then %d", name, h, trips[k-1].Day, tr.Day)
				}
				if gap < 2 {
					broken = true
				}
			}
			if p.Pattern == Alternate && tr.PeriodDay()%2 != hh[h].Number&1 {
				t.Fatalf("%s: household number %d on period day %d", name, hh[h].Number, tr.PeriodDay())
			}
			if tr.Slot < 0 || tr.Slot >= plan.SlotsPerDay[tr.Market] {
				t.Fatalf("%s: slot %d of %d", name, tr.Slot, plan.SlotsPerDay[tr.Market])
			}
			want := base.AddDate(0, 0, tr.Day).Add(time.Duration(mk[tr.Market].OpenMinute+tr.Slot*p.SlotMinutes) * time.Minute)
			if !tr.Start.Equal(want) || tr.End.Sub(tr.Start) != time.Duration(p.SlotMinutes)*time.Minute {
				t.Fatalf("%s: trip %+v, want start %v", name, tr, want)
			}
			if _, off := tr.Start.Zone(); off != 7*3600 {
				t.Fatalf("%s: start in zone offset %d", name, off)
			}
			if tr.End.After(base.AddDate(0, 0, tr.Day).Add(time.Duration(mk[tr.Market].CloseMinute) * time.Minute)) {
				t.Fatalf("%s: trip ends after closing: %+v", name, tr)
			}
			load[[3]int{tr.Market, tr.Day, tr.Slot}]++
			dayLoad[tr.Day]++
			if home >= 0 {
				homeDemand[[2]int{tr.Day, home}]++
				if tr.Market != home {
					fallbacks++
				}
			}
		}
		if broken {
			spacingBroken++
		}
	}
	// Capacity, and Load agreeing with Trips.
	for m := range mk {
		if plan.SlotsPerDay[m] != SlotsPerDay(mk[m], p.SlotMinutes) {
			t.Fatalf("%s: market %d has %d slots, want %d", name, m, plan.SlotsPerDay[m], SlotsPerDay(mk[m], p.SlotMinutes))
		}
		for d := range p.Days {
			for s := range plan.SlotsPerDay[m] {
				n := load[[3]int{m, d, s}]
				if plan.Load[m][d][s] != n {
					t.Fatalf("%s: Load[%d][%d][%d] = %d, trips say %d", name, m, d, s, plan.Load[m][d][s], n)
				}
				if n > mk[m].Capacity {
					t.Fatalf("%s: market %d day %d slot %d holds %d > %d", name, m, d, s, n, mk[m].Capacity)
				}
			}
		}
	}
	// Fallbacks: counted right, and only where the home market was full.
	if plan.Fallbacks != fallbacks {
		t.Fatalf("%s: Fallbacks %d, trips say %d", name, plan.Fallbacks, fallbacks)
	}
	forced := 0
	for d := range p.Days {
		for m := range mk {
			forced += max(0, homeDemand[[2]int{d, m}]-SlotsPerDay(mk[m], p.SlotMinutes)*mk[m].Capacity)
		}
	}
	if fallbacks != forced {
		t.Fatalf("%s: %d fallbacks, but only %d trips found their home market full", name, fallbacks, forced)
	}
	// Spacing.
	tight := p.Pattern == Spread && T >= 2 && p.Days == 2*T-1
	switch {
	case p.Pattern == Alternate || (p.Days >= 2*T-1 && !(tight && len(hh) > daily)):
		if spacingBroken != 0 || plan.SpacingRelaxed != 0 {
			t.Fatalf("%s: %d households with adjacent days (%d reported) although the period allows spacing", name, spacingBroken, plan.SpacingRelaxed)
		}
	case tight:
		// The least possible: see spacedTight.
		least := len(hh) - (T*daily-len(hh))/(T-1)
		if spacingBroken != plan.SpacingRelaxed || spacingBroken != least {
			t.Fatalf("%s: %d households relaxed (%d reported), the least possible is %d", name, spacingBroken, plan.SpacingRelaxed, least)
		}
	}
	// Spread levels the days (tight corner aside: there spacing comes first).
	if p.Pattern == Spread && !tight && len(hh) > 0 {
		most := (len(hh)*T + p.Days - 1) / p.Days
		for d, n := range dayLoad {
			if n > most {
				t.Fatalf("%s: day %d carries %d trips, an even split is at most %d", name, d, n, most)
			}
		}
	}
}

// TestShortageExactlyAtTheEdge walks household counts across the point where
// demand meets capacity, including the tight spacing corner, and checks that
// a plan comes right up to it and a shortage right after.
func TestShortageExactlyAtTheEdge(t *testing.T) {
	for _, c := range []struct{ days, perWeek int }{{7, 2}, {7, 4}, {5, 4}, {3, 5}, {6, 2}, {1, 3}, {14, 3}, {9, 4}} {
		mk := []Market{
			{ID: "A", Hamlets: []string{"Ấp Bắc"}, OpenMinute: 360, CloseMinute: 480, Capacity: 3},
			{ID: "B", Hamlets: []string{"Ấp Tân Thuận"}, OpenMinute: 420, CloseMinute: 540, Capacity: 2},
		}
		p := Params{Start: time.Date(2021, 9, 21, 0, 0, 0, 0, time.UTC), Days: c.days, TripsPerWeek: c.perWeek, SlotMinutes: 60}
		T := TripsFor(c.perWeek, c.days)
		daily := 2*3 + 2*2
		edge := c.days * daily / T // most households that fit
		for n := max(0, edge-12); n <= edge+2; n++ {
			hh := make([]Household, n)
			for i := range hh {
				hh[i] = Household{Code: fmt.Sprint(i), Number: i, Hamlet: hamletPool[i%3]}
			}
			name := fmt.Sprintf("%d days × %d/week, %d households", c.days, c.perWeek, n)
			plan, err := Split(hh, mk, p)
			if n <= edge {
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				checkPlan(t, name, hh, mk, p, plan)
			} else if se := (*ShortageError)(nil); !errors.As(err, &se) {
				t.Fatalf("%s: want a shortage, got %v", name, err)
			}
		}
	}
}
