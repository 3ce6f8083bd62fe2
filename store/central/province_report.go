package central

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
)

// The province's accountability report: every unit that issues permits, side
// by side, over a period (whole days, Vietnam time). These are the figures
// only; the PDF (package print, through cmd), the CSV and the TUI's Báo cáo
// screen render the same values, so a figure is computed once, here.

// ProvinceReport is the province's report over [From, To].
type ProvinceReport struct {
	From, To   time.Time // first and last day covered (start of day, Vietnam time)
	MadeAt     time.Time // when the figures were read
	Categories []ReportCategory
	Province   UnitFigures       // the whole province: every unit summed
	Districts  []DistrictFigures // by district code; a district's own units (its offices) are in its Units too
	PerDay     []DayPermits      // every day of the period, in order, zeros included
	Attention  []AttentionPoint  // the units whose rates stand furthest from the province's, furthest first
}

// ReportCategory is a permit category as the report counts it: index i of
// every per-category slice below is Categories[i].
type ReportCategory struct {
	Code    int    // 1..5 (seal.Category)
	Name    string // the one wording (seal's table)
	MaxDays int    // the category's longest validity allowed, in days
}

// DistrictFigures is one district (or the province-level offices, grouped
// under the province's own code) with its units.
type DistrictFigures struct {
	Code   uint32
	Name   string
	Totals UnitFigures   // its units summed
	Units  []UnitFigures // by unit code
}

// UnitFigures is what one unit (or a sum of units) received, decided,
// issued and had revoked and flagged over the period.
type UnitFigures struct {
	Code uint32 // 0 for a sum
	Name string

	ReceivedWalkIn int // applications taken at the unit's counter
	ReceivedOnline int // applications filed online to the unit
	Approved       int // decided by the unit
	Rejected       int
	Forwarded      int // passed by the unit to the unit with authority
	// PendingAtEnd is the applications waiting in the unit's queue at the
	// end of the period; OldestPending the age, then, of the oldest of them.
	PendingAtEnd  int
	OldestPending time.Duration

	PermitsByCategory []int             // permits issued, per ReportCategory
	PermitsTotal      int               // sum of PermitsByCategory
	Validity          []ValidityFigures // per ReportCategory
	Revoked           int               // permits of the unit revoked in the period
	RevocationReasons []ReasonCount     // most frequent first
	Abuse             AbuseFigures      // signals seen at checkpoints on the unit's permits
	AbusePer1000      float64           // Abuse.Total() per 1,000 permits issued (0 when none issued)
}

// ValidityFigures is the validity of a category's permits against the
// category's maximum.
type ValidityFigures struct {
	Permits  int     // permits counted
	AvgDays  float64 // average validity in days (0 when none)
	LongDays int     // the longest validity, in days
	MaxDays  int     // the category's maximum (copied from ReportCategory)
	OverMax  int     // permits whose validity exceeds the maximum (should be 0)
}

// ReasonCount is one revocation reason and how often it was given.
type ReasonCount struct {
	Reason string
	Count  int
}

// AbuseFigures counts the checkpoint signals (store's abuse report) on a
// unit's permits over the period.
type AbuseFigures struct {
	OutsideArea     int
	OutsideHours    int
	ManyCheckpoints int // more checkpoints in a day than the route explains
}

// Total is every signal counted.
func (a AbuseFigures) Total() int { return a.OutsideArea + a.OutsideHours + a.ManyCheckpoints }

// DayPermits is the province's permits issued on one day, per ReportCategory.
type DayPermits struct {
	Day        time.Time
	ByCategory []int
}

// AttentionPoint is one "điểm cần chú ý": a unit whose figure on a measure
// stands far from the province's, with both figures. Its sentence is made
// from these fields by the renderer, never written by hand.
type AttentionPoint struct {
	Unit     uint32
	UnitName string  // the unit, with its district for a commune ("Phường 4, Thị xã Gò Công"): communes' names repeat
	Measure  string  // a stable key: "abuse_per_1000", "revoked_per_1000", "rejected_share", "avg_validity_ratio" (attentionMeasures)
	Label    string  // the measure in Vietnamese, for the sentence
	Value    float64 // the unit's figure
	Province float64 // the province's figure on the same measure
}

// What the figures count, over the period's whole days [start, end)
// (Vietnam time), from what the centre holds: every desk's applications,
// permits, revocations and scans as pushed. The centre keeps each
// application's current state, not its history, so:
//
//   - ReceivedWalkIn, ReceivedOnline: applications whose received_unit is
//     the unit, created in the period, by source (withdrawn ones included:
//     they were received);
//   - Forwarded: of those, the ones now held or decided by another unit
//     (queue_unit differs): passed up at the counter or routed at intake to
//     the unit with authority. When they were passed is not kept, so they
//     count in the period they were received;
//   - Approved, Rejected: decided in the period (decided_at) by the unit
//     whose queue held them (queue_unit);
//   - PendingAtEnd, OldestPending: applications created before the end and
//     not decided by it (still pending or forwarded, or decided after the
//     end), in the queue of the unit holding them now: one decided after
//     the end may have waited, at the end, in the queue of the unit that
//     forwarded it, which the centre cannot tell. Withdrawn applications are
//     not counted: when they were withdrawn is not kept. The age is taken at
//     the end, or at MadeAt when the period runs into the future;
//   - PermitsByCategory, Validity, PerDay: permits issued in the period
//     (issued_at) by the issuing unit (permits.unit); validity is
//     valid_until − valid_from, over the category's maximum when longer than
//     MaxDays days (the rule NormalizeApplication applies);
//   - Revoked, RevocationReasons: permits of the unit revoked in the period
//     (revoked_at), whenever issued; vouchers are not counted;
//   - Abuse: the store's abuse report (store.DB.AbuseReport) over the
//     period's scans, its permit findings counted per issuing unit: one
//     signal per permit, day and pattern (outside area, outside hours, more
//     than DefaultMaxCheckpointsPerDay checkpoints); AbusePer1000 divides by
//     the permits the unit issued in the period.
//
// A unit is listed when any of its figures is not zero. Units are grouped by
// the district they lie in (UnitIndex.District); the province's own bodies
// (departments, agencies, the industrial-parks board) under the province's
// code, listed last.

// AttentionMinPermits is how many permits a unit must have issued in the
// period (or decided, for the rejected share) before its rates are set
// against the province's: two permits and one revocation is no rate.
const AttentionMinPermits = 20

// attentionRatio is how far above the province's figure a unit's must stand
// to be a point: half as high again.
const attentionRatio = 1.5

// attentionMax is how many points the report lists.
const attentionMax = 8

// ProvinceReport reads the province's figures for the days from..to
// (inclusive, Vietnam time). It reads and writes nothing else.
func (db *DB) ProvinceReport(ctx context.Context, from, to time.Time) (ProvinceReport, error) {
	start, end := store.StartOfDay(from), store.StartOfDay(to).AddDate(0, 0, 1)
	if !end.After(start) {
		return ProvinceReport{}, invalid("Thời gian", "ngày kết thúc phải sau ngày bắt đầu")
	}
	units, err := db.Units(ctx)
	if err != nil {
		return ProvinceReport{}, err
	}
	r := ProvinceReport{From: start, To: end.AddDate(0, 0, -1), MadeAt: db.Now()}
	maxDays := db.MaxDaysByCategory(ctx)
	for c := store.CatWorker; c <= store.CatZone; c++ {
		r.Categories = append(r.Categories, ReportCategory{Code: c, Name: seal.CategoryText(uint8(c), "vi"), MaxDays: maxDays[c]})
	}
	b := &reportBuilder{r: &r, units: map[uint32]*UnitFigures{}, day0: start}
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		r.PerDay = append(r.PerDay, DayPermits{Day: d, ByCategory: make([]int, len(r.Categories))})
	}
	for _, step := range []func(context.Context, *DB, int64, int64) error{b.applications, b.permits, b.revocations} {
		if err := step(ctx, db, start.Unix(), end.Unix()); err != nil {
			return ProvinceReport{}, fmt.Errorf("báo cáo toàn tỉnh: %w", err)
		}
	}
	findings, err := db.AbuseReport(ctx, store.AbuseOptions{From: start, Until: end})
	if err != nil {
		return ProvinceReport{}, fmt.Errorf("báo cáo toàn tỉnh: %w", err)
	}
	for _, f := range findings {
		switch f.Kind {
		case store.AbuseOutsideArea:
			b.unit(f.Unit).Abuse.OutsideArea++
		case store.AbuseOutsideHours:
			b.unit(f.Unit).Abuse.OutsideHours++
		case store.AbuseManyCheckpoints:
			b.unit(f.Unit).Abuse.ManyCheckpoints++
		}
	}
	// Ages at the end, or now for a period not over yet.
	ageAt := end
	if r.MadeAt.Before(ageAt) {
		ageAt = r.MadeAt
	}
	b.finish(units, ageAt)
	return r, nil
}

// reportBuilder gathers the figures per unit as the passes read them.
type reportBuilder struct {
	r     *ProvinceReport
	units map[uint32]*UnitFigures
	day0  time.Time
	// Per unit: the oldest pending creation time, the validity sums
	// (seconds) per category, and the revocation reasons.
	oldest  map[uint32]int64
	valSum  map[uint32][]float64
	reasons map[uint32]map[string]int
}

func (b *reportBuilder) unit(code uint32) *UnitFigures {
	u := b.units[code]
	if u == nil {
		n := len(b.r.Categories)
		u = &UnitFigures{Code: code, PermitsByCategory: make([]int, n), Validity: make([]ValidityFigures, n)}
		b.units[code] = u
	}
	return u
}

// applications reads the applications received, decided or waiting in the
// period in one pass, summed by units, source and status.
func (b *reportBuilder) applications(ctx context.Context, db *DB, start, end int64) error {
	const pendingAtEnd = `(a.status IN ('pending', 'forwarded') OR (a.status IN ('approved', 'rejected') AND a.decided_at >= ?))`
	rows, err := db.SQL().QueryContext(ctx, `SELECT a.received_unit, a.queue_unit, a.source, a.status,
		SUM(CASE WHEN a.created_at >= ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN a.status IN ('approved', 'rejected') AND a.decided_at >= ? AND a.decided_at < ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+pendingAtEnd+` THEN 1 ELSE 0 END),
		MIN(CASE WHEN `+pendingAtEnd+` THEN a.created_at END)
		FROM applications a
		WHERE a.created_at < ? AND (a.created_at >= ? OR a.decided_at >= ? OR a.status IN ('pending', 'forwarded'))
		GROUP BY a.received_unit, a.queue_unit, a.source, a.status`, start, start, end, end, end, end, start, start)
	if err != nil {
		return err
	}
	defer rows.Close()
	b.oldest = map[uint32]int64{}
	for rows.Next() {
		var received, queue uint32
		var source, status string
		var nReceived, nDecided, nPending int
		var oldest *int64
		if err := rows.Scan(&received, &queue, &source, &status, &nReceived, &nDecided, &nPending, &oldest); err != nil {
			return err
		}
		if nReceived > 0 {
			u := b.unit(received)
			if source == "online" {
				u.ReceivedOnline += nReceived
			} else {
				u.ReceivedWalkIn += nReceived
			}
			if queue != received {
				u.Forwarded += nReceived
			}
		}
		if nDecided > 0 {
			if status == store.StatusApproved {
				b.unit(queue).Approved += nDecided
			} else {
				b.unit(queue).Rejected += nDecided
			}
		}
		if nPending > 0 {
			b.unit(queue).PendingAtEnd += nPending
			if o, ok := b.oldest[queue]; oldest != nil && (!ok || *oldest < o) {
				b.oldest[queue] = *oldest
			}
		}
	}
	return rows.Err()
}

// permits reads the permits issued in the period in one pass, summed by
// unit, category and day.
func (b *reportBuilder) permits(ctx context.Context, db *DB, start, end int64) error {
	// The categories' limits are the centre's own integers, written into
	// the query as numbers.
	over := "CASE p.category"
	for _, c := range b.r.Categories {
		over += fmt.Sprintf(" WHEN %d THEN %d", c.Code, int64(c.MaxDays)*86400)
	}
	over += " ELSE 0 END"
	// Days are counted in Vietnam (UTC+7 all year), as the abuse report
	// counts them.
	const day = `((p.issued_at + 25200) / 86400)`
	rows, err := db.SQL().QueryContext(ctx, `SELECT p.unit, p.category, `+day+`, COUNT(*),
		SUM(p.valid_until - p.valid_from), MAX(p.valid_until - p.valid_from),
		SUM(CASE WHEN p.valid_until - p.valid_from > `+over+` THEN 1 ELSE 0 END)
		FROM permits p WHERE p.issued_at >= ? AND p.issued_at < ?
		GROUP BY p.unit, p.category, `+day, start, end)
	if err != nil {
		return err
	}
	defer rows.Close()
	b.valSum = map[uint32][]float64{}
	for rows.Next() {
		var unit uint32
		var category, day, n, overMax int
		var sum, longest int64
		if err := rows.Scan(&unit, &category, &day, &n, &sum, &longest, &overMax); err != nil {
			return err
		}
		i := category - 1
		if i < 0 || i >= len(b.r.Categories) {
			continue
		}
		u := b.unit(unit)
		u.PermitsByCategory[i] += n
		v := &u.Validity[i]
		v.Permits += n
		v.OverMax += overMax
		if d := int(math.Round(float64(longest) / 86400)); d > v.LongDays {
			v.LongDays = d
		}
		if b.valSum[unit] == nil {
			b.valSum[unit] = make([]float64, len(b.r.Categories))
		}
		b.valSum[unit][i] += float64(sum)
		day -= int((start + 25200) / 86400)
		if day >= 0 && day < len(b.r.PerDay) {
			b.r.PerDay[day].ByCategory[i] += n
		}
	}
	return rows.Err()
}

// revocations reads the permits revoked in the period, by unit and reason.
func (b *reportBuilder) revocations(ctx context.Context, db *DB, start, end int64) error {
	rows, err := db.SQL().QueryContext(ctx, `SELECT p.unit, p.revoke_reason, COUNT(*) FROM permits p
		WHERE p.revoked_at >= ? AND p.revoked_at < ? GROUP BY p.unit, p.revoke_reason`, start, end)
	if err != nil {
		return err
	}
	defer rows.Close()
	b.reasons = map[uint32]map[string]int{}
	for rows.Next() {
		var unit uint32
		var reason string
		var n int
		if err := rows.Scan(&unit, &reason, &n); err != nil {
			return err
		}
		b.unit(unit).Revoked += n
		if b.reasons[unit] == nil {
			b.reasons[unit] = map[string]int{}
		}
		b.reasons[unit][reason] += n
	}
	return rows.Err()
}

// finish names the units, derives their rates, groups them by district,
// sums the districts and the province and picks the points of attention.
func (b *reportBuilder) finish(units *store.UnitIndex, ageAt time.Time) {
	r := b.r
	n := len(r.Categories)
	byDistrict := map[uint32]*DistrictFigures{}
	province := UnitFigures{Name: units.Name(store.ProvinceCode), PermitsByCategory: make([]int, n), Validity: make([]ValidityFigures, n)}
	provinceSum := make([]float64, n)
	provinceOldest := int64(0)
	codes := make([]uint32, 0, len(b.units))
	for code := range b.units {
		codes = append(codes, code)
	}
	sort.Slice(codes, func(i, j int) bool { return codes[i] < codes[j] })
	for _, code := range codes {
		u := b.units[code]
		u.Name = units.Name(code)
		if o, ok := b.oldest[code]; ok {
			u.OldestPending = max(ageAt.Sub(time.Unix(o, 0)), 0)
			if provinceOldest == 0 || o < provinceOldest {
				provinceOldest = o
			}
		}
		b.rates(u, b.valSum[code])
		for reason, c := range b.reasons[code] {
			u.RevocationReasons = append(u.RevocationReasons, ReasonCount{Reason: reason, Count: c})
		}
		sortReasons(u.RevocationReasons)
		d := units.District(code)
		if d == 0 {
			d = store.ProvinceCode
		}
		df := byDistrict[d]
		if df == nil {
			df = &DistrictFigures{Code: d, Name: units.Name(d), Totals: UnitFigures{PermitsByCategory: make([]int, n), Validity: make([]ValidityFigures, n)}}
			byDistrict[d] = df
		}
		df.Units = append(df.Units, *u)
		addFigures(&df.Totals, u)
		addFigures(&province, u)
		for i, s := range b.valSum[code] {
			provinceSum[i] += s
		}
	}
	for _, df := range byDistrict {
		sums := make([]float64, n)
		oldest := time.Duration(0)
		for _, u := range df.Units {
			for i, s := range b.valSum[u.Code] {
				sums[i] += s
			}
			oldest = max(oldest, u.OldestPending)
		}
		df.Totals.OldestPending = oldest
		df.Totals.Name = df.Name
		b.rates(&df.Totals, sums)
		sortReasons(df.Totals.RevocationReasons)
		r.Districts = append(r.Districts, *df)
	}
	sort.Slice(r.Districts, func(i, j int) bool {
		a, c := r.Districts[i].Code, r.Districts[j].Code
		if (a == store.ProvinceCode) != (c == store.ProvinceCode) {
			return c == store.ProvinceCode // the province's own bodies last
		}
		return a < c
	})
	if provinceOldest != 0 {
		province.OldestPending = max(ageAt.Sub(time.Unix(provinceOldest, 0)), 0)
	}
	b.rates(&province, provinceSum)
	sortReasons(province.RevocationReasons)
	r.Province = province
	r.Attention = attention(r, b.valSum)
}

// rates derives a unit's (or a sum's) totals, validity averages and abuse
// rate from its counts; sums are its validity seconds per category.
func (b *reportBuilder) rates(u *UnitFigures, sums []float64) {
	u.PermitsTotal = 0
	for i, c := range b.r.Categories {
		u.PermitsTotal += u.PermitsByCategory[i]
		v := &u.Validity[i]
		v.MaxDays = c.MaxDays
		v.AvgDays = 0
		if v.Permits > 0 && sums != nil {
			v.AvgDays = sums[i] / 86400 / float64(v.Permits)
		}
	}
	u.AbusePer1000 = 0
	if u.PermitsTotal > 0 {
		u.AbusePer1000 = float64(u.Abuse.Total()) * 1000 / float64(u.PermitsTotal)
	}
}

// addFigures adds u's counts into sum (rates are derived after).
func addFigures(sum, u *UnitFigures) {
	sum.ReceivedWalkIn += u.ReceivedWalkIn
	sum.ReceivedOnline += u.ReceivedOnline
	sum.Approved += u.Approved
	sum.Rejected += u.Rejected
	sum.Forwarded += u.Forwarded
	sum.PendingAtEnd += u.PendingAtEnd
	for i := range u.PermitsByCategory {
		sum.PermitsByCategory[i] += u.PermitsByCategory[i]
		s, v := &sum.Validity[i], u.Validity[i]
		s.Permits += v.Permits
		s.OverMax += v.OverMax
		s.LongDays = max(s.LongDays, v.LongDays)
	}
	sum.Revoked += u.Revoked
	for _, rc := range u.RevocationReasons {
		found := false
		for j := range sum.RevocationReasons {
			if sum.RevocationReasons[j].Reason == rc.Reason {
				sum.RevocationReasons[j].Count += rc.Count
				found = true
				break
			}
		}
		if !found {
			sum.RevocationReasons = append(sum.RevocationReasons, rc)
		}
	}
	sum.Abuse.OutsideArea += u.Abuse.OutsideArea
	sum.Abuse.OutsideHours += u.Abuse.OutsideHours
	sum.Abuse.ManyCheckpoints += u.Abuse.ManyCheckpoints
}

// sortReasons orders reasons most frequent first, then by wording.
func sortReasons(rs []ReasonCount) {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].Count != rs[j].Count {
			return rs[i].Count > rs[j].Count
		}
		return rs[i].Reason < rs[j].Reason
	})
}

// The measures a point of attention is drawn from: for each, higher is
// worse, and a unit is set against the province only with enough permits
// issued (or applications decided) for the rate to mean something.
var attentionMeasures = []struct {
	key, label string
	// value returns the unit's figure, and whether the unit has enough
	// behind it to be set against the province.
	value func(u UnitFigures, validityRatio float64) (float64, bool)
}{
	{"abuse_per_1000", "dấu hiệu lạm dụng trên 1.000 giấy", func(u UnitFigures, _ float64) (float64, bool) {
		return u.AbusePer1000, u.PermitsTotal >= AttentionMinPermits
	}},
	{"revoked_per_1000", "giấy bị thu hồi trên 1.000 giấy", func(u UnitFigures, _ float64) (float64, bool) {
		if u.PermitsTotal == 0 {
			return 0, false
		}
		return float64(u.Revoked) * 1000 / float64(u.PermitsTotal), u.PermitsTotal >= AttentionMinPermits
	}},
	{"rejected_share", "tỷ lệ hồ sơ bị từ chối (%)", func(u UnitFigures, _ float64) (float64, bool) {
		n := u.Approved + u.Rejected
		if n == 0 {
			return 0, false
		}
		return float64(u.Rejected) * 100 / float64(n), n >= AttentionMinPermits
	}},
	{"avg_validity_ratio", "thời hạn trung bình so với mức tối đa (%)", func(u UnitFigures, ratio float64) (float64, bool) {
		return ratio * 100, u.PermitsTotal >= AttentionMinPermits
	}},
}

// validityRatio is the average, over a unit's permits, of each permit's
// validity over its category's maximum: 1 when every permit runs the full
// length allowed.
func validityRatio(r *ProvinceReport, sums []float64, total int) float64 {
	if total == 0 || sums == nil {
		return 0
	}
	var x float64
	for i, c := range r.Categories {
		if c.MaxDays > 0 {
			x += sums[i] / 86400 / float64(c.MaxDays)
		}
	}
	return x / float64(total)
}

// attention picks the units whose figures stand at least attentionRatio
// times the province's (the province's own figure over every unit), the
// furthest (by that ratio) first, at most attentionMax, one per unit and
// measure.
func attention(r *ProvinceReport, valSum map[uint32][]float64) []AttentionPoint {
	var provinceSum []float64
	for _, s := range valSum {
		if provinceSum == nil {
			provinceSum = make([]float64, len(s))
		}
		for i := range s {
			provinceSum[i] += s[i]
		}
	}
	type scored struct {
		p     AttentionPoint
		ratio float64
	}
	var all []scored
	for _, m := range attentionMeasures {
		prov, _ := m.value(r.Province, validityRatio(r, provinceSum, r.Province.PermitsTotal))
		if prov <= 0 {
			continue
		}
		for _, d := range r.Districts {
			for _, u := range d.Units {
				v, enough := m.value(u, validityRatio(r, valSum[u.Code], u.PermitsTotal))
				if !enough || v < prov*attentionRatio {
					continue
				}
				// Communes' names repeat across districts (Phường 4 of
				// Mỹ Tho, of Gò Công): a point names the district too.
				name := u.Name
				if d.Code != store.ProvinceCode && u.Code != d.Code {
					name += ", " + d.Name
				}
				all = append(all, scored{AttentionPoint{Unit: u.Code, UnitName: name, Measure: m.key, Label: m.label,
					Value: v, Province: prov}, v / prov})
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].ratio != all[j].ratio {
			return all[i].ratio > all[j].ratio
		}
		return all[i].p.Unit < all[j].p.Unit
	})
	if len(all) > attentionMax {
		all = all[:attentionMax]
	}
	out := make([]AttentionPoint, len(all))
	for i, s := range all {
		out[i] = s.p
	}
	return out
}
