package store_test

import (
	"context"
	"testing"

	"thonghanh/store"
)

// BenchmarkQueueLoad loads the approval queue (db.Queue, what every open
// and refresh of the desk's queue screen runs) on a desk holding 10,000
// valid permits, with 200 applications waiting, half of them from holders
// of a permit for the same days: the duplicate marks read only the queued
// holders' permits.
//
//	go test -run '^$' -bench 'BenchmarkQueueLoad$' ./store/
func BenchmarkQueueLoad(b *testing.B) {
	const permits, waiting = 10_000, 200
	ctx := context.Background()
	template, officer, signer := bulkTemplate(b, permits+waiting/2)
	db := copyDB(b, template)
	defer db.Close()
	ids := pendingIDs(b, db, officer.Unit)
	for c := 0; c < permits; c += approveChunk {
		res, err := db.Approve(ctx, officer, signer, ids[c:min(c+approveChunk, permits)])
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil {
				b.Fatalf("%s: %v", r.ApplicationID, r.Err)
			}
		}
	}
	// Holders of the first permits ask again for the same days.
	var again []store.Intake
	for _, id := range ids[:waiting/2] {
		a, err := db.Application(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		p, err := db.Person(ctx, a.PersonID)
		if err != nil {
			b.Fatal(err)
		}
		a.ID, a.Number = "", ""
		again = append(again, store.Intake{Person: p, Application: a})
	}
	if _, err := db.SubmitBatch(ctx, store.System(), again); err != nil {
		b.Fatal(err)
	}
	rows, marked := 0, 0
	for b.Loop() {
		q, err := db.Queue(ctx, officer.Unit)
		if err != nil {
			b.Fatal(err)
		}
		rows, marked = len(q), 0
		for _, it := range q {
			if it.Duplicate {
				marked++
			}
		}
	}
	if marked < waiting/2 {
		b.Fatalf("%d of %d rows marked, want at least %d", marked, rows, waiting/2)
	}
	b.ReportMetric(float64(rows), "rows")
}
