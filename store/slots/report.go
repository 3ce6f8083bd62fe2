package slots

import "math"

// CapacityRow is one market's line in a preview table.
type CapacityRow struct {
	Market      int // index into markets
	ID, Name    string
	SlotsPerDay int
	PerSlot     int // Market.Capacity
	PerDay      int // SlotsPerDay × PerSlot
	Period      int // PerDay × days
	Assigned    int // trips placed here over the period
	HomeTrips   int // of those, trips of households whose home market this is
	Peak        int // fullest slot of the period
	// DroppedMinutes is opening time no slot covers (the last partial slot).
	DroppedMinutes int
}

// Capacity summarises the plan per market, for the preview shown before
// vouchers are printed. markets must be the slice given to Split.
func (p *Plan) Capacity(markets []Market) []CapacityRow {
	rows := make([]CapacityRow, len(p.SlotsPerDay))
	for m := range rows {
		r := &rows[m]
		r.Market = m
		if m < len(markets) {
			r.ID, r.Name, r.PerSlot = markets[m].ID, markets[m].Name, markets[m].Capacity
		}
		r.SlotsPerDay = p.SlotsPerDay[m]
		r.PerDay = r.SlotsPerDay * r.PerSlot
		r.Period = r.PerDay * p.Days
		if m < len(p.DroppedMinutes) {
			r.DroppedMinutes = p.DroppedMinutes[m]
		}
		for _, day := range p.Load[m] {
			for _, n := range day {
				r.Assigned += n
				r.Peak = max(r.Peak, n)
			}
		}
	}
	for _, t := range p.Trips {
		if p.Home[t.Household] == t.Market {
			rows[t.Market].HomeTrips++
		}
	}
	return rows
}

// Fairness measures how early and late slots were shared out. A slot's
// position is 0 for a market's first slot of the day and 1 for its last (½
// when a market has a single slot); each household's mean position is taken
// over its trips.
type Fairness struct {
	Households int     // households with at least one trip
	MeanMin    float64 // lowest household mean position
	MeanMax    float64 // highest household mean position
	StdDev     float64 // standard deviation of household means: 0 is perfectly fair
	// AlwaysEarly and AlwaysLate count households with two or more trips
	// that were all in the first third of the day (position < ⅓), or all in
	// the last (> ⅔): the ones rotation failed. Thirds, not halves, so that
	// a household kept near the middle is not counted as failed.
	AlwaysEarly, AlwaysLate int
}

// Fairness computes the measure over the plan.
func (p *Plan) Fairness() Fairness {
	f := Fairness{MeanMin: math.Inf(1), MeanMax: math.Inf(-1)}
	var sum, sumSq float64
	for i := 0; i < len(p.Trips); {
		h := p.Trips[i].Household
		var total float64
		n, early, late := 0, 0, 0
		for ; i < len(p.Trips) && p.Trips[i].Household == h; i++ {
			t := p.Trips[i]
			pos := 0.5
			if S := p.SlotsPerDay[t.Market]; S > 1 {
				pos = float64(t.Slot) / float64(S-1)
			}
			total += pos
			n++
			switch {
			case 3*pos < 1:
				early++
			case 3*pos > 2:
				late++
			}
		}
		mean := total / float64(n)
		f.Households++
		sum += mean
		sumSq += mean * mean
		f.MeanMin = min(f.MeanMin, mean)
		f.MeanMax = max(f.MeanMax, mean)
		if n >= 2 && early == n {
			f.AlwaysEarly++
		}
		if n >= 2 && late == n {
			f.AlwaysLate++
		}
	}
	if f.Households == 0 {
		return Fairness{}
	}
	m := sum / float64(f.Households)
	f.StdDev = math.Sqrt(max(0, sumSq/float64(f.Households)-m*m))
	return f
}
