package slots

import (
	"time"
)

// Pattern chooses which days of the period a household may use.
type Pattern int

const (
	// Spread spreads each household's trips evenly over the whole period.
	Spread Pattern = iota
	// Alternate sends households with an odd Number on odd days of the period
	// (day 1, 3, 5, …) and even numbers on even days, as communes did in 2021
	// ("số nhà lẻ đi ngày lẻ").
	Alternate
)

// String names the pattern in Vietnamese, for previews and messages.
func (p Pattern) String() string {
	switch p {
	case Spread:
		return "chia đều"
	case Alternate:
		return "chẵn/lẻ"
	}
	return "không rõ"
}

// Household is one household on the commune's list.
type Household struct {
	Code   string // unique within one split
	Number int    // decides odd/even days with Alternate (house or list number)
	Hamlet string // ấp / khu phố; matched against Market.Hamlets
}

// Market is one market and the hamlets it serves.
type Market struct {
	ID      string
	Name    string
	Hamlets []string // a hamlet listed by two markets belongs to the first
	// OpenMinute and CloseMinute are minutes after midnight, 0…1440.
	OpenMinute, CloseMinute int
	// Capacity is how many households (one person each) one time slot takes.
	Capacity int
}

// Params are the commune's choices for one period.
type Params struct {
	Start        time.Time // first day; only its year, month and day are used, in its own zone
	Days         int       // length of the period, 1…MaxDays
	TripsPerWeek int       // 1…7; see TripsFor for a period that is not a week
	SlotMinutes  int       // length of one time slot; a last partial slot is dropped
	Pattern      Pattern
}

// MaxDays bounds a period: a split is planned for weeks, and the bound keeps
// a typo (3650 days) from allocating a decade of empty slots.
const MaxDays = 366

// Trip is one household's visit: a market, a day and a slot.
type Trip struct {
	Household int // index into the households given to Split
	Market    int // index into the markets given to Split
	Day       int // 0-based day of the period; the period's day number is Day+1
	Slot      int // 0-based slot of that market's day
	// Start and End are in Vietnam time (UTC+7, no daylight saving).
	Start, End time.Time
}

// PeriodDay is the 1-based day number that odd/even refers to.
func (t Trip) PeriodDay() int { return t.Day + 1 }

// Plan is the result of Split.
type Plan struct {
	Trips       []Trip    // sorted by household index, then day
	SlotsPerDay []int     // per market
	Load        [][][]int // [market][day][slot] = households assigned
	Fallbacks   int       // trips placed outside the household's home market

	TripsPerHousehold int       // TripsFor(TripsPerWeek, Days)
	Days              int       // Params.Days
	Pattern           Pattern   // Params.Pattern
	Start             time.Time // midnight, UTC+7, of day 0
	SlotMinutes       int       // Params.SlotMinutes

	// Home is each household's home market, -1 when no market lists its
	// hamlet; such households go wherever there is room and are not counted
	// as fallbacks.
	Home         []int
	NoHomeMarket int // households with Home == -1

	// SpacingRelaxed counts households given two trips on adjacent days
	// although the period is long enough for spacing; it is non-zero only in
	// the tight corner described in the package doc (Spread, Days == 2×trips−1,
	// more households than one day holds), and is then the least possible.
	SpacingRelaxed int

	// DroppedMinutes is, per market, the opening time after the last whole
	// slot, which no slot covers (e.g. 7:00–11:45 in 60-minute slots drops 45).
	DroppedMinutes []int
}

// TripsOf returns household h's trips, in day order. Every household has
// exactly TripsPerHousehold trips and Trips is sorted by household, so this
// is a slice of Trips, not a search.
func (p *Plan) TripsOf(h int) []Trip {
	T := p.TripsPerHousehold
	return p.Trips[h*T : (h+1)*T : (h+1)*T]
}

// ict is Vietnam's time zone. A fixed zone, not time.LoadLocation, so the
// package needs no zoneinfo on a Windows desk; Vietnam has no daylight saving.
var ict = time.FixedZone("ICT", 7*3600)

// TripsFor is the number of trips each household gets in a period of days:
// tripsPerWeek × days / 7 rounded to the nearest whole trip (there are never
// exact halves, since 7 is odd and the product is a whole number), and at
// least 1 when tripsPerWeek > 0, so a short period still feeds everyone.
// It is 0 when either argument is ≤ 0.
//
//	TripsFor(2, 7) = 2   TripsFor(2, 3) = 1   TripsFor(3, 10) = 4   TripsFor(1, 2) = 1
func TripsFor(tripsPerWeek, days int) int {
	if tripsPerWeek <= 0 || days <= 0 {
		return 0
	}
	return max((2*tripsPerWeek*days+7)/14, 1)
}

// SlotsPerDay is how many whole slots of slotMinutes fit in m's opening hours.
func SlotsPerDay(m Market, slotMinutes int) int {
	if slotMinutes <= 0 || m.CloseMinute <= m.OpenMinute {
		return 0
	}
	return (m.CloseMinute - m.OpenMinute) / slotMinutes
}

// Split assigns every household its trips. It returns *InputError for bad
// input and *ShortageError when the markets cannot hold the demand; in both
// cases nothing else is returned. It reads its arguments without changing
// them and keeps no state between calls, so it is safe to call from several
// goroutines; the same arguments always give the same Plan.
func Split(households []Household, markets []Market, p Params) (*Plan, error) {
	s, err := prepare(households, markets, p)
	if err != nil {
		return nil, err
	}
	if err := s.checkCapacity(); err != nil {
		return nil, err
	}
	s.assignDays()
	return s.plan(s.placeDays()), nil
}
