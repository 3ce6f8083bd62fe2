package slots

// Choosing days.
//
// Every household of a class (everyone with Spread; the odd-numbered or the
// even-numbered half with Alternate) gets a phase φ = (j+½)/n, the n phases
// evenly spaced in [0,1), and its k-th trip goes on class day
//
//	⌊(φ + k) × classDays / trips⌋.
//
// Day e then takes the trips whose φ+k falls in [e, e+1) × trips/classDays,
// an arc of length trips/classDays ≤ 1 once wrapped into [0,1), and evenly
// spaced points put ⌊x⌋ or ⌈x⌉ of themselves in any such arc, x = n ×
// trips/classDays. So every day carries at most ⌈demand/days⌉ trips, and
// demand ≤ capacity is enough for a split to exist: that is why the
// shortage test with Spread is on totals alone. Consecutive trips are
// ⌊classDays/trips⌋ or more days apart, so two or more whenever classDays ≥
// 2×trips; the one period that allows spacing but not by this formula,
// classDays == 2×trips−1, is handled by spacedTight.
//
// Which household gets which phase decides how each market's hamlets spread
// over the days. Households are ordered by home market and position i gets
// phase index j = i×g mod n, g ≈ 0.618n coprime with n: the golden-ratio
// walk puts any run of consecutive positions, hence each market's
// households, evenly around [0,1) too, so each market's own demand is about
// the same every day and fallbacks happen only where a market is too small
// for its hamlets on every day, not because its hamlets bunched up on one.

// assignDays fills s.tripDay.
func (s *setup) assignDays() {
	s.tripDay = make([]int32, s.n*s.trips)
	members := make([]int32, s.n)
	order := make([]int32, s.n)
	if s.p.Pattern == Spread {
		for i := range members {
			members[i] = int32(i)
		}
		s.assignClass(members, order, 0, 1, s.days)
		return
	}
	// Odd numbers first, then even, in list order within each.
	o, e := 0, s.odd
	for i := range s.hh {
		if s.hh[i].Number&1 != 0 {
			members[o] = int32(i)
			o++
		} else {
			members[e] = int32(i)
			e++
		}
	}
	// Day index 0 is the period's day 1, an odd day.
	s.assignClass(members[:s.odd], order[:s.odd], 0, 2, (s.days+1)/2)
	s.assignClass(members[s.odd:], order[s.odd:], 1, 2, s.days/2)
}

// assignClass gives each of members its days first + step×e, e < classDays.
func (s *setup) assignClass(members, order []int32, first, step, classDays int) {
	n := len(members)
	if n == 0 {
		return
	}
	s.byHome(members, order)
	g := stride(n)
	T := int64(s.trips)
	cd := int64(classDays)
	n64 := int64(n)

	// The tight corner: Spread, classDays == 2×trips−1. Only days 0,2,4,…
	// are a spaced schedule; `relax` households (the fewest that capacity
	// allows) are given one even day and every odd day instead.
	tight := step == 1 && T >= 2 && cd == 2*T-1
	var relax int64
	if tight {
		relax = s.spacedTight(n64, T)
		s.relaxed += int(relax)
	}

	for i, h := range order {
		j := int64(i) * g % n64
		days := s.tripDay[int(h)*s.trips : int(h+1)*s.trips]
		switch {
		case tight && j < relax:
			a := j % T // round robin over the even days balances them
			for k := range T {
				var e int64
				switch {
				case k < a:
					e = 2*k + 1
				case k == a:
					e = 2 * a
				default:
					e = 2*k - 1
				}
				days[k] = int32(int64(first) + int64(step)*e)
			}
		case tight:
			for k := range T {
				days[k] = int32(int64(first) + int64(step)*2*k)
			}
		default:
			for k := range T {
				e := (2*j + 1 + 2*k*n64) * cd / (2 * n64 * T)
				days[k] = int32(int64(first) + int64(step)*e)
			}
		}
	}
}

// spacedTight returns how many of n households must give up spacing when
// days == 2×trips−1. A spaced household uses all T even days; any other uses
// at least one even day of the T and at most the T−1 odd ones. With x spaced
// households the even days carry at least xT + (n−x) trips, so at most
// x = (T×C − n)/(T−1) can be spaced (C = one day's places); and that x works:
// the n−x others on one even day each (round robin) and every odd day fit
// exactly when n×T ≤ (2T−1)×C, the shortage test already passed.
func (s *setup) spacedTight(n, T int64) int64 {
	C := int64(s.daily)
	if n <= C {
		return 0
	}
	return n - (T*C-n)/(T-1)
}

// byHome writes members into order grouped by home market, households with
// no home market last, keeping list order within a group (counting sort).
func (s *setup) byHome(members, order []int32) {
	var small [17]int32
	var cnt []int32
	if s.nm+2 <= len(small) {
		cnt = small[:s.nm+2]
	} else {
		cnt = make([]int32, s.nm+2)
	}
	bucket := func(h int32) int {
		if m := s.home[h]; m >= 0 {
			return int(m)
		}
		return s.nm
	}
	for _, h := range members {
		cnt[bucket(h)+1]++
	}
	for b := 1; b < len(cnt); b++ {
		cnt[b] += cnt[b-1]
	}
	for _, h := range members {
		b := bucket(h)
		order[cnt[b]] = h
		cnt[b]++
	}
}

// stride is a step coprime with n close to n×(√5−1)/2. Integer arithmetic:
// a float product may be fused differently on another CPU, and the plan must
// be the same on every desk.
func stride(n int) int64 {
	if n <= 2 {
		return 1
	}
	n64 := int64(n)
	g := (n64*618034 + 500000) / 1000000
	for gcd(g, n64) != 1 {
		g++
	}
	return g
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
