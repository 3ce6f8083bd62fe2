package store

import (
	"time"
	_ "time/tzdata" // Windows desks have no zoneinfo; embed it so Vietnam time is right everywhere.
)

// Vietnam is the zone every time is shown in, on any machine. Vietnam has kept
// UTC+7 without daylight saving since 1975, so the fixed zone is the fallback
// should the embedded database ever lack the name.
var Vietnam = loadVietnam()

func loadVietnam() *time.Location {
	if loc, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return loc
	}
	return time.FixedZone("ICT", 7*3600)
}

// InVietnam returns t in Vietnam time.
func InVietnam(t time.Time) time.Time { return t.In(Vietnam) }

// StartOfDay is local midnight (Vietnam) of the day t falls in.
func StartOfDay(t time.Time) time.Time {
	y, m, d := t.In(Vietnam).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Vietnam)
}

// FormatDate prints a date the Vietnamese way: 21/09/2021.
func FormatDate(t time.Time) string { return t.In(Vietnam).Format("02/01/2006") }

// FormatDateTime prints 21/09/2021 07:00 in Vietnam time.
func FormatDateTime(t time.Time) string { return t.In(Vietnam).Format("02/01/2006 15:04") }

// FormatMinutes prints minutes after midnight as 06:30.
func FormatMinutes(m int) string {
	return time.Date(2000, 1, 1, m/60, m%60, 0, 0, time.UTC).Format("15:04")
}
