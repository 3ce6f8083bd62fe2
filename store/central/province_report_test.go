package central_test

import (
	"context"
	"testing"
	"time"

	"thonghanh/store"
)

// A period that runs into today measures the waiting applications' age at
// the moment the figures are read, not at the period's end; a decision made
// after the end leaves the application waiting at the end; a period that
// ends before it starts is refused.
func TestProvinceReportPendingAgeAndEnd(t *testing.T) {
	ctx := context.Background()
	db := newCentre(t)
	now := time.Date(2021, 9, 22, 15, 0, 0, 0, store.Vietnam)
	db.SetClock(func() time.Time { return now })
	for _, q := range []string{
		`INSERT INTO people (id, id_number, full_name, folded, birth_date, sex, commune, created_at, updated_at)
			VALUES ('P-1', '082190000001', 'Nguyễn Văn An', 'nguyen van an', '1990-01-01', 'M', 28249, 0, 0)`,
	} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	app := func(id string, created time.Time, status string, decided time.Time) {
		t.Helper()
		d := int64(0)
		if !decided.IsZero() {
			d = decided.Unix()
		}
		if _, err := db.SQL().Exec(`INSERT INTO applications (id, number, person_id, category, purpose, area, valid_from, valid_until,
			source, status, queue_unit, received_unit, decided_at, created_at, updated_at)
			VALUES (?, ?, 'P-1', 4, 2, '28249', 0, 1, 'walk_in', ?, 28249, 28249, ?, ?, ?)`, id, id, status, d, created.Unix(), created.Unix()); err != nil {
			t.Fatal(err)
		}
	}
	app("A1", now.Add(-50*time.Hour), store.StatusPending, time.Time{})
	app("A2", now.Add(-30*time.Hour), store.StatusRejected, now.Add(-time.Hour))
	r, err := db.ProvinceReport(ctx, now.AddDate(0, 0, -3), now)
	if err != nil {
		t.Fatal(err)
	}
	u := r.Province
	if u.PendingAtEnd != 1 || u.OldestPending != 50*time.Hour || u.Rejected != 1 || u.ReceivedWalkIn != 2 || !r.MadeAt.Equal(now) {
		t.Fatalf("today: %+v", u)
	}
	// Up to yesterday: both waited at its end (midnight), the oldest 35 h.
	r, err = db.ProvinceReport(ctx, now.AddDate(0, 0, -3), now.AddDate(0, 0, -1))
	if err != nil {
		t.Fatal(err)
	}
	if u := r.Province; u.PendingAtEnd != 2 || u.OldestPending != 35*time.Hour || u.Rejected != 0 {
		t.Fatalf("yesterday: %+v", u)
	}
	if len(r.Districts) != 1 || r.Districts[0].Code != 815 || len(r.Districts[0].Units) != 1 || r.Districts[0].Units[0].Code != 28249 {
		t.Fatalf("districts %+v", r.Districts)
	}
	if _, err := db.ProvinceReport(ctx, now, now.AddDate(0, 0, -1)); err == nil {
		t.Fatal("a period ending before it starts was accepted")
	}
}
