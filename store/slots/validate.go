package slots

import (
	"fmt"
	"math"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// InputError is bad input: nothing was planned. Msg is Vietnamese, for the
// commune clerk; Field names the input at fault in Go terms (for example
// "markets[2].Capacity" or "households[17].Code"), for code and logs.
type InputError struct {
	Field string
	Msg   string
}

func (e *InputError) Error() string { return e.Msg }

func inputErr(field, format string, args ...any) *InputError {
	return &InputError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// maxCapacity bounds Market.Capacity so that capacity sums cannot overflow an
// int on a 32-bit build; a market slot of a million people is a typo anyway.
const maxCapacity = 1_000_000

// setup is one Split in progress: validated input plus the working arrays.
// The arrays are flat and indexed by household or by trip (h*trips + k), so
// the 100k-household case costs a handful of allocations, not one per trip.
type setup struct {
	hh    []Household
	mk    []Market
	p     Params
	n     int // households
	nm    int // markets
	days  int
	trips int // per household

	slotsPerDay []int // per market
	perDay      []int // per market: slots × capacity
	daily       int   // all markets, one day
	dropped     []int // per market: minutes after the last whole slot

	home    []int32  // per household: market index, or -1
	noHome  int      // households with home -1
	psi     []uint64 // per household: a fixed pseudo-random phase for slot rotation
	odd     int      // households with an odd Number (Alternate)
	tripDay []int32  // per trip
	relaxed int      // households whose spacing was relaxed
}

func label(m Market, i int) string {
	switch {
	case m.Name != "" && m.ID != "" && m.Name != m.ID:
		return fmt.Sprintf("%s (mã %s)", m.Name, m.ID)
	case m.Name != "":
		return m.Name
	case m.ID != "":
		return m.ID
	}
	return fmt.Sprintf("chợ thứ %d", i+1)
}

func clock(minute int) string { return fmt.Sprintf("%02d:%02d", minute/60, minute%60) }

// hamletKey is how hamlet names are compared: NFC (a name typed on a Mac is
// decomposed, one typed on Windows is not), lower case, single spaces. Marks
// are kept: "Ấp Bắc" and "Ấp Bác" are different hamlets.
func hamletKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(norm.NFC.String(s)), " "))
}

func prepare(households []Household, markets []Market, p Params) (*setup, error) {
	s := &setup{hh: households, mk: markets, p: p, n: len(households), nm: len(markets), days: p.Days}

	// Parameters first: a wrong period makes every other message moot.
	switch {
	case p.Start.IsZero():
		return nil, inputErr("params.Start", "Chưa chọn ngày bắt đầu của đợt chia lượt đi chợ.")
	case p.Days <= 0:
		return nil, inputErr("params.Days", "Số ngày của đợt phải lớn hơn 0 (đang là %d).", p.Days)
	case p.Days > MaxDays:
		return nil, inputErr("params.Days", "Một đợt dài tối đa %d ngày (đang là %d).", MaxDays, p.Days)
	case p.TripsPerWeek < 1 || p.TripsPerWeek > 7:
		return nil, inputErr("params.TripsPerWeek",
			"Số lượt đi chợ mỗi tuần của một hộ phải từ 1 đến 7, mỗi ngày nhiều nhất một lượt (đang là %d).", p.TripsPerWeek)
	case p.SlotMinutes <= 0:
		return nil, inputErr("params.SlotMinutes", "Độ dài một khung giờ phải lớn hơn 0 phút (đang là %d).", p.SlotMinutes)
	case p.Pattern != Spread && p.Pattern != Alternate:
		return nil, inputErr("params.Pattern", "Cách chia ngày không hợp lệ (%d).", int(p.Pattern))
	}
	s.trips = TripsFor(p.TripsPerWeek, p.Days)

	if s.nm == 0 {
		return nil, inputErr("markets", "Chưa có chợ nào để chia lượt đi chợ.")
	}
	s.slotsPerDay = make([]int, s.nm)
	s.perDay = make([]int, s.nm)
	s.dropped = make([]int, s.nm)
	hamlets := make(map[string]int32)
	ids := make(map[string]int, s.nm)
	for i, m := range markets {
		f := fmt.Sprintf("markets[%d]", i)
		name := label(m, i)
		if m.ID != "" {
			if j, dup := ids[m.ID]; dup {
				return nil, inputErr(f+".ID", "Mã chợ %q bị trùng (chợ thứ %d và thứ %d).", m.ID, j+1, i+1)
			}
			ids[m.ID] = i
		}
		switch {
		case m.Capacity <= 0:
			return nil, inputErr(f+".Capacity", "Chợ %s: số người mỗi khung giờ phải lớn hơn 0 (đang là %d).", name, m.Capacity)
		case m.Capacity > maxCapacity:
			return nil, inputErr(f+".Capacity", "Chợ %s: số người mỗi khung giờ quá lớn (%d, tối đa %d).", name, m.Capacity, maxCapacity)
		case m.OpenMinute < 0 || m.OpenMinute >= 24*60:
			return nil, inputErr(f+".OpenMinute", "Chợ %s: giờ mở cửa phải trong ngày, từ 00:00 đến 23:59 (đang là %d phút).", name, m.OpenMinute)
		case m.CloseMinute <= m.OpenMinute || m.CloseMinute > 24*60:
			return nil, inputErr(f+".CloseMinute", "Chợ %s: giờ đóng cửa phải sau giờ mở cửa %s và không quá 24:00 (đang là %d phút).",
				name, clock(m.OpenMinute), m.CloseMinute)
		}
		open := m.CloseMinute - m.OpenMinute
		spd := open / p.SlotMinutes
		if spd == 0 {
			return nil, inputErr(f+".CloseMinute", "Chợ %s mở %s–%s (%d phút), ngắn hơn một khung giờ %d phút.",
				name, clock(m.OpenMinute), clock(m.CloseMinute), open, p.SlotMinutes)
		}
		s.slotsPerDay[i] = spd
		s.perDay[i] = spd * m.Capacity
		s.daily += s.perDay[i]
		s.dropped[i] = open - spd*p.SlotMinutes
		for _, h := range m.Hamlets {
			k := hamletKey(h)
			if k == "" {
				continue
			}
			if _, taken := hamlets[k]; !taken { // the first market listing a hamlet keeps it
				hamlets[k] = int32(i)
			}
		}
	}
	// A trip index must fit in 32 bits (see placeDays); no commune comes near.
	if int64(s.n)*int64(s.trips) >= math.MaxInt32 {
		return nil, inputErr("households", "Danh sách quá lớn để chia trong một lần (%d hộ × %d lượt).", s.n, s.trips)
	}

	// Households: codes unique, home market, phase, parity.
	s.home = make([]int32, s.n)
	s.psi = make([]uint64, s.n)
	// raw hamlet spelling → market: normalising every row would cost more
	// than the split itself; a commune has a few dozen distinct spellings.
	byRaw := make(map[string]int32)
	for i := range households {
		h := &households[i]
		if strings.TrimSpace(h.Code) == "" {
			return nil, inputErr(fmt.Sprintf("households[%d].Code", i), "Hộ ở dòng %d chưa có mã hộ.", i+1)
		}
		m, ok := byRaw[h.Hamlet]
		if !ok {
			m = -1
			if v, found := hamlets[hamletKey(h.Hamlet)]; found {
				m = v
			}
			byRaw[h.Hamlet] = m
		}
		s.home[i] = m
		if m < 0 {
			s.noHome++
		}
		s.psi[i] = phaseOf(h.Code)
		if h.Number&1 != 0 {
			s.odd++
		}
	}
	if err := s.checkCodes(); err != nil {
		return nil, err
	}

	if p.Pattern == Alternate {
		oddDays, evenDays := (s.days+1)/2, s.days/2
		if s.odd > 0 && s.trips > oddDays {
			return nil, inputErr("params.TripsPerWeek",
				"Lịch chẵn/lẻ: hộ số lẻ chỉ có %d ngày lẻ trong đợt %d ngày, không đủ cho %d lượt mỗi hộ (mỗi ngày nhiều nhất một lượt). Giảm số lượt mỗi tuần hoặc chọn cách chia đều.",
				oddDays, s.days, s.trips)
		}
		if s.n-s.odd > 0 && s.trips > evenDays {
			return nil, inputErr("params.TripsPerWeek",
				"Lịch chẵn/lẻ: hộ số chẵn chỉ có %d ngày chẵn trong đợt %d ngày, không đủ cho %d lượt mỗi hộ (mỗi ngày nhiều nhất một lượt). Giảm số lượt mỗi tuần hoặc chọn cách chia đều.",
				evenDays, s.days, s.trips)
		}
	}
	return s, nil
}

// phaseOf gives a household its slot-rotation phase from its code, not from
// its row, so reordering the list does not reshuffle who is early: FNV-1a,
// then a splitmix64 finaliser to spread codes that differ in one digit.
func phaseOf(code string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(code); i++ {
		h ^= uint64(code[i])
		h *= 1099511628211
	}
	return mix64(h)
}

func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// checkCodes rejects duplicate household codes. The usual list has none, and
// proving that by sorting the 64-bit code hashes already in s.psi is several
// times cheaper than filling a map of 100k strings (the map was a fifth of a
// split). Only when two hashes are equal, a duplicate or a rare collision,
// does the map run, in list order, so the error names the first row a clerk
// meets that repeats an earlier one.
func (s *setup) checkCodes() error {
	if s.n < 2 {
		return nil
	}
	buf := make([]uint64, 2*s.n)
	keys, tmp := buf[:s.n], buf[s.n:]
	copy(keys, s.psi)
	radixSort(keys, tmp, 0)
	equal := false
	for i := 1; i < s.n && !equal; i++ {
		equal = keys[i] == keys[i-1]
	}
	if !equal {
		return nil
	}
	seen := make(map[string]int, s.n)
	for i, h := range s.hh {
		if j, dup := seen[h.Code]; dup {
			return inputErr(fmt.Sprintf("households[%d].Code", i), "Mã hộ %q bị trùng (dòng %d và dòng %d).", h.Code, j+1, i+1)
		}
		seen[h.Code] = i
	}
	return nil
}
