package slots

import "time"

// golden is 2^64 × (√5−1)/2: adding it to a phase steps around the circle by
// the golden ratio, the step that keeps successive phases farthest apart.
const golden = 0x9e3779b97f4a7c15

// Placing a day's trips in markets and slots.
//
// Days are done in order. Each market first takes its own hamlets' trips up
// to its places for the day; the trips beyond that, and those of households
// no market lists, go to the market with the most places left. When a market
// overflows, the households sent away are those sent away least often so far
// (then a per-day hash), so one house at the edge of a busy market does not
// walk to the far one every time. The day's total never exceeds the places
// (assignDays keeps it ≤ ⌈demand/days⌉ ≤ places), so every trip finds room.
//
// Within a market and day the trips are ranked by a rotation key and the
// r-th of L goes to slot ⌊(r+θ)×S/L⌋, 0 ≤ θ < 1: the L positions are evenly
// spaced, so the load is level across the S slots (⌊L/S⌋ or ⌈L/S⌉ each,
// never above capacity since L ≤ S×capacity) and nobody is packed into the
// early slots while late ones stand empty. θ = Σkeys − (L−1)/2, clamped, is
// the shift that brings the positions closest to the keys on average: about
// ½ on a busy day, and the key itself for a trip alone in its market, so a
// small market still rotates its few households between early and late.
//
// The keys make each household's mean slot the same. Trips come in pairs
// keyed V and 1−V (early on one trip, late on the next), with V the
// household's phase ψ stepped by golden for each pair. An odd count ends in
// a triple keyed V, frac(1−2V), frac(V+½), which also sums to 3/2 for every
// V while each of the three is still uniform over the day. Uniform keys per
// trip number matter: a day mixes first, second, … trips of different
// households, and only if every kind is spread evenly does a household's
// rank among them land near its key. One trip cannot be balanced at all.
func (s *setup) slotKey(h int32, k int) uint32 {
	T := s.trips
	if T%2 == 1 && T >= 3 && k >= T-3 {
		v := uint32((s.psi[h] + uint64((T-3)/2)*golden) >> 32)
		switch k - (T - 3) {
		case 0:
			return v
		case 1:
			return -(2 * v) // frac(1−2V) in 32-bit fixed point: unsigned negation wraps
		default:
			return v + 1<<31
		}
	}
	v := uint32((s.psi[h] + uint64(k/2)*golden) >> 32)
	if k&1 == 1 {
		v = ^v
	}
	return v
}

// offset is θ (see above) in 16-bit fixed point, for keys sorted ascending
// with the rotation key in their top 32 bits.
func offset(keys []uint64) uint64 {
	var sum uint64 // < 2^31 keys of < 2^32 each: no overflow
	for _, k := range keys {
		sum += k >> 32
	}
	theta := int64(sum) - int64(len(keys)-1)<<31
	return uint64(min(max(theta, 0), 1<<32-1)) >> 16
}

// placement is the result of placeDays, per trip.
type placement struct {
	market    []int32
	slot      []int32
	load      []int // flat [market][day][slot]
	loadAt    []int // start of [market] in load
	fallbacks int
}

func (s *setup) placeDays() *placement {
	T := s.trips
	M := s.n * T
	nb := s.nm + 1 // home buckets; the last holds households with no home market
	pl := &placement{market: make([]int32, M), slot: make([]int32, M), loadAt: make([]int, s.nm+1)}
	for m := range s.nm {
		pl.loadAt[m+1] = pl.loadAt[m] + s.days*s.slotsPerDay[m]
	}
	pl.load = make([]int, pl.loadAt[s.nm])

	// Counting sort of trips by (day, home bucket), trip order kept within.
	start := make([]int32, s.days*nb+1)
	for h := range s.n {
		b := int(s.home[h])
		if b < 0 {
			b = s.nm
		}
		for _, d := range s.tripDay[h*T : (h+1)*T] {
			start[int(d)*nb+b+1]++
		}
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	order := make([]int32, M)
	cursor := make([]int32, len(start))
	copy(cursor, start)
	for h := range s.n {
		b := int(s.home[h])
		if b < 0 {
			b = s.nm
		}
		for k, d := range s.tripDay[h*T : (h+1)*T] {
			c := int(d)*nb + b
			order[cursor[c]] = int32(h*T + k)
			cursor[c]++
		}
	}

	// Scratch sized once for the largest bucket and day, so the loops
	// below never allocate.
	maxBucket, maxDay := 0, 0
	for d := range s.days {
		for b := range nb {
			maxBucket = max(maxBucket, int(start[d*nb+b+1]-start[d*nb+b]))
		}
		maxDay = max(maxDay, int(start[(d+1)*nb]-start[d*nb]))
	}
	fb := make([]uint16, s.n) // times sent away so far; ≤ MaxDays
	spare := make([]int, s.nm)
	flex := make([]int32, 0, maxDay)
	keys, tmp := make([]uint64, maxBucket), make([]uint64, maxBucket)
	for d := range s.days {
		copy(spare, s.perDay)
		flex = flex[:0]
		for m := range s.nm {
			trips := order[start[d*nb+m]:start[d*nb+m+1]]
			if len(trips) <= s.perDay[m] {
				for _, t := range trips {
					pl.market[t] = int32(m)
				}
				spare[m] -= len(trips)
				continue
			}
			keys = keys[:len(trips)]
			for i, t := range trips {
				h := t / int32(T)
				hash := mix64(s.psi[h]+uint64(d)*golden) >> 48
				keys[i] = uint64(fb[h])<<48 | hash<<32 | uint64(t)
			}
			radixSort(keys, tmp, 32) // stable: equal keys stay in trip order
			over := len(trips) - s.perDay[m]
			for i, key := range keys {
				t := int32(uint32(key))
				if i < over {
					flex = append(flex, t)
				} else {
					pl.market[t] = int32(m)
				}
			}
			spare[m] = 0
		}
		sentAway := len(flex)
		flex = append(flex, order[start[d*nb+s.nm]:start[d*nb+s.nm+1]]...)
		for i, t := range flex {
			best := 0
			for m := 1; m < s.nm; m++ {
				if spare[m] > spare[best] {
					best = m
				}
			}
			// spare[best] > 0 here: the day's trips never exceed its places.
			pl.market[t] = int32(best)
			spare[best]--
			if i < sentAway {
				pl.fallbacks++
				fb[t/int32(T)]++
			}
		}
	}

	// Counting sort again, now by (day, market), reusing order and start.
	start = start[:s.days*s.nm+1]
	clear(start)
	for t, m := range pl.market {
		d := int(s.tripDay[t])
		start[d*s.nm+int(m)+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	cursor = cursor[:len(start)]
	copy(cursor, start)
	for t, m := range pl.market {
		c := int(s.tripDay[t])*s.nm + int(m)
		order[cursor[c]] = int32(t)
		cursor[c]++
	}

	maxBucket = 0
	for c := range len(start) - 1 {
		maxBucket = max(maxBucket, int(start[c+1]-start[c]))
	}
	if maxBucket > cap(keys) {
		keys, tmp = make([]uint64, maxBucket), make([]uint64, maxBucket)
	}
	for d := range s.days {
		for m := range s.nm {
			trips := order[start[d*s.nm+m]:start[d*s.nm+m+1]]
			L := len(trips)
			if L == 0 {
				continue
			}
			keys = keys[:L]
			for i, t := range trips {
				h := t / int32(T)
				keys[i] = uint64(s.slotKey(h, int(t)%T))<<32 | uint64(t)
			}
			radixSort(keys, tmp, 32) // stable: equal keys stay in trip order
			S := s.slotsPerDay[m]
			load := pl.load[pl.loadAt[m]+d*S : pl.loadAt[m]+(d+1)*S]
			theta := offset(keys)
			for r, key := range keys {
				t := int32(uint32(key))
				sl := int((uint64(r)<<16 + theta) * uint64(S) / (uint64(L) << 16))
				pl.slot[t] = int32(sl)
				load[sl]++
			}
		}
	}
	return pl
}

// plan builds the exported Plan from the working arrays.
func (s *setup) plan(pl *placement) *Plan {
	T := s.trips
	base := s.start()
	slotLen := time.Duration(s.p.SlotMinutes) * time.Minute
	p := &Plan{
		Trips:             make([]Trip, s.n*T),
		SlotsPerDay:       s.slotsPerDay,
		Load:              make([][][]int, s.nm),
		Fallbacks:         pl.fallbacks,
		TripsPerHousehold: T,
		Days:              s.days,
		Pattern:           s.p.Pattern,
		Start:             base,
		SlotMinutes:       s.p.SlotMinutes,
		Home:              make([]int, s.n),
		NoHomeMarket:      s.noHome,
		SpacingRelaxed:    s.relaxed,
		DroppedMinutes:    s.dropped,
	}
	// One backing array for all [market][day] rows.
	rows := make([][]int, s.nm*s.days)
	for m := range s.nm {
		S := s.slotsPerDay[m]
		p.Load[m] = rows[m*s.days : (m+1)*s.days]
		for d := range s.days {
			p.Load[m][d] = pl.load[pl.loadAt[m]+d*S : pl.loadAt[m]+(d+1)*S : pl.loadAt[m]+(d+1)*S]
		}
	}
	for h := range s.n {
		p.Home[h] = int(s.home[h])
	}
	for t := range p.Trips {
		d, m, sl := int(s.tripDay[t]), int(pl.market[t]), int(pl.slot[t])
		at := base.Add(time.Duration(d*24*60+s.mk[m].OpenMinute+sl*s.p.SlotMinutes) * time.Minute)
		p.Trips[t] = Trip{Household: t / T, Market: m, Day: d, Slot: sl, Start: at, End: at.Add(slotLen)}
	}
	return p
}
