package slots

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ShortageError says the markets cannot hold the demand. Split returns it
// before planning anything, so a clerk never prints half a list.
type ShortageError struct {
	Needed    int // trips the period needs: households × trips each
	Available int // places in the whole period: Σ markets × days × slots × capacity
	// Day is -1 when the period as a whole is short. With Alternate it can
	// instead be the first (0-based) day that cannot hold its half of the
	// households while the period as a whole could; ShortDays lists them all.
	Day int

	Households        int
	TripsPerHousehold int
	Days              int
	PerDay            int    // places on one day, all markets
	Formula           string // how Available is made, e.g. "4 chợ × 7 ngày × 8 khung giờ × 670 lượt/khung giờ"
	ShortDays         []DayShortage
	Start             time.Time // midnight, UTC+7, of day 0, for dates in the message
}

// DayShortage is one day that needs more trips than it has places. Needed is
// that day's share of an even split, the least any split could give it.
type DayShortage struct {
	Day       int // 0-based
	Date      time.Time
	Needed    int
	Available int
}

// maxListedDays keeps the message readable on a counter screen.
const maxListedDays = 5

func (e *ShortageError) Error() string {
	var b strings.Builder
	if e.Day < 0 {
		fmt.Fprintf(&b, "Không đủ chỗ: cần %d lượt, chỉ có %d lượt (%s); %d hộ × %d lượt mỗi hộ, thiếu %d lượt.",
			e.Needed, e.Available, e.Formula, e.Households, e.TripsPerHousehold, e.Needed-e.Available)
	} else {
		fmt.Fprintf(&b, "Không đủ chỗ theo lịch chẵn/lẻ: cả đợt cần %d lượt, có %d lượt (%s), nhưng hộ số lẻ chỉ đi ngày lẻ, hộ số chẵn chỉ đi ngày chẵn, mỗi ngày chỉ có %d chỗ.",
			e.Needed, e.Available, e.Formula, e.PerDay)
	}
	for i, d := range e.ShortDays {
		if i == maxListedDays {
			fmt.Fprintf(&b, " … và %d ngày khác.", len(e.ShortDays)-i)
			break
		}
		fmt.Fprintf(&b, " Ngày thứ %d (%s): cần %d lượt, chỉ có %d lượt.", d.Day+1, d.Date.Format("02/01/2006"), d.Needed, d.Available)
	}
	if e.Day < 0 {
		b.WriteString(" Cần thêm chợ, tăng số người mỗi khung giờ hoặc giảm số lượt mỗi tuần.")
	} else {
		b.WriteString(" Có thể chọn cách chia đều, tăng số người mỗi khung giờ hoặc giảm số lượt mỗi tuần.")
	}
	return b.String()
}

// formula writes how the period's places are counted: the short form when
// every market has the same slots and capacity, the market-by-market sum
// otherwise.
func (s *setup) formula(days int) string {
	same := true
	for i := range s.mk {
		if s.slotsPerDay[i] != s.slotsPerDay[0] || s.mk[i].Capacity != s.mk[0].Capacity {
			same = false
		}
	}
	if same {
		return fmt.Sprintf("%d chợ × %d ngày × %d khung giờ × %d lượt/khung giờ", s.nm, days, s.slotsPerDay[0], s.mk[0].Capacity)
	}
	parts := make([]string, s.nm)
	for i, m := range s.mk {
		parts[i] = fmt.Sprintf("%s %d khung giờ × %d", label(m, i), s.slotsPerDay[i], m.Capacity)
	}
	return fmt.Sprintf("%d ngày × (%s lượt/khung giờ)", days, strings.Join(parts, " + "))
}

func (s *setup) start() time.Time {
	y, m, d := s.p.Start.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, ict)
}

// checkCapacity compares demand with places. With Spread, an even split of
// days always exists when the totals fit (assignDays builds it), so the
// totals are the whole test. With Alternate each half of the households has
// only its own days, so each half is tested against them.
func (s *setup) checkCapacity() error {
	needed := s.n * s.trips
	available := s.daily * s.days
	e := &ShortageError{
		Needed: needed, Available: available, Day: -1,
		Households: s.n, TripsPerHousehold: s.trips, Days: s.days, PerDay: s.daily,
		Start: s.start(),
	}
	if s.p.Pattern == Alternate {
		for first, n := range [2]int{s.odd, s.n - s.odd} {
			classDays := (s.days + 1 - first) / 2 // odd days (first 0): ⌈D/2⌉; even: ⌊D/2⌋
			if classDays == 0 {
				continue
			}
			need := n * s.trips
			q, r := need/classDays, need%classDays
			for c := range classDays {
				dayNeed := q
				if c < r {
					dayNeed++
				}
				if dayNeed > s.daily {
					d := first + 2*c
					e.ShortDays = append(e.ShortDays, DayShortage{Day: d, Date: e.Start.AddDate(0, 0, d), Needed: dayNeed, Available: s.daily})
				}
			}
		}
		if len(e.ShortDays) == 0 {
			return nil
		}
		// The odd half's days were listed first; the message reads by date.
		slices.SortFunc(e.ShortDays, func(a, b DayShortage) int { return a.Day - b.Day })
		if needed <= available {
			e.Day = e.ShortDays[0].Day
		}
	} else if needed <= available {
		return nil
	}
	e.Formula = s.formula(s.days)
	return e
}
