package central

import (
	"context"
	"errors"
	"time"
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
	UnitName string
	Measure  string  // a stable key: "abuse_per_1000", "revoked_per_1000", "rejected_share", "avg_validity_ratio", "oldest_pending_days"
	Label    string  // the measure in Vietnamese, for the sentence
	Value    float64 // the unit's figure
	Province float64 // the province's figure on the same measure
}

// ProvinceReport reads the province's figures for the days from..to
// (inclusive, Vietnam time). It reads and writes nothing else.
func (db *DB) ProvinceReport(ctx context.Context, from, to time.Time) (ProvinceReport, error) {
	return ProvinceReport{}, errors.New("báo cáo toàn tỉnh: chưa có")
}
