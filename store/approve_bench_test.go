package store_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
)

// approveChunk is how many applications the desk signs per db.Approve call
// (tui/queue.ChunkSize: each chunk is one transaction and one progress step).
const approveChunk = 500

// BenchmarkBulkApprove10k approves 10,000 pending applications through
// db.Approve in chunks, as the desk's queue does: for each, the authority
// check, a sealed permit, the application's new state, an audit entry and
// two outbox ops. It reports, from the same run, the floor — one
// ed25519.Sign and one insert per permit into a table shaped like permits,
// all in one transaction — and the ratio to it.
func BenchmarkBulkApprove10k(b *testing.B) {
	const n = 10_000
	ctx := context.Background()
	template, officer, signer := bulkTemplate(b, n)

	var approveTotal, floorTotal time.Duration
	rounds := 0
	for b.Loop() {
		rounds++
		b.StopTimer()
		db := copyDB(b, template)
		ids := pendingIDs(b, db, officer.Unit)
		if len(ids) < n {
			b.Fatalf("only %d pending applications", len(ids))
		}
		ids = ids[:n]
		floor := signAndInsertFloor(b, db, signer, n)
		floorTotal += floor
		b.StartTimer()

		start := time.Now()
		for c := 0; c < len(ids); c += approveChunk {
			res, err := db.Approve(ctx, officer, signer, ids[c:min(c+approveChunk, len(ids))])
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range res {
				if r.Err != nil {
					b.Fatalf("%s: %v", r.ApplicationID, r.Err)
				}
			}
		}
		approveTotal += time.Since(start)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	approve := approveTotal / time.Duration(rounds)
	floor := floorTotal / time.Duration(rounds)
	b.ReportMetric(float64(approve.Milliseconds()), "approve-ms")
	b.ReportMetric(float64(floor.Milliseconds()), "floor-ms")
	b.ReportMetric(float64(approve)/float64(floor), "x-floor")
	b.ReportMetric(float64(approve.Microseconds())/n, "µs/permit")
}

// bulkTemplate seeds a desk with n extra pending category-4 applications of
// the desk commune's residents, once, and returns its file, the approver and
// the unlocked signer.
func bulkTemplate(b *testing.B, n int) (string, store.Officer, *seal.Signer) {
	b.Helper()
	ctx := context.Background()
	db, _ := demoDB(b, 50, 5)
	from := store.StartOfDay(db.Now()).AddDate(0, 0, 1)
	batch := make([]store.Intake, 0, 1000)
	for i := range n {
		batch = append(batch, store.Intake{
			Person: store.Person{IDNumber: fmt.Sprintf("082080%06d", i), FullName: "Nguyễn Văn " + spell(i),
				BirthDate: time.Date(1980, 1, 1, 0, 0, 0, 0, store.Vietnam), Sex: store.SexMale, Commune: seed.DefaultUnit, Hamlet: "Ấp 3"},
			Application: store.Application{Category: store.CatResident, Purpose: store.PurposeFood, Area: []uint32{seed.DefaultUnit},
				Route: "Nhà → chợ Tân Mỹ Chánh → nhà", ValidFrom: from, ValidUntil: from.AddDate(0, 0, 6), HasHours: true,
				HoursFrom: 6 * 60, HoursTo: 11 * 60, Source: store.SourceWalkIn},
		})
		if len(batch) == cap(batch) || i == n-1 {
			if _, err := db.SubmitBatch(ctx, store.System(), batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	officer := login(b, db, "duyet")
	signer, err := db.UnlockSigner(ctx, officer, seed.DemoPassword)
	if err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(b.TempDir(), "template.db")
	if err := db.Backup(ctx, file); err != nil {
		b.Fatal(err)
	}
	return file, officer, signer
}

// spell writes i in letters: names take no digits.
func spell(i int) string {
	const letters = "ABCDEGHKLMNOPQRSTUVXY"
	s := ""
	for {
		s += string(letters[i%len(letters)])
		i /= len(letters)
		if i == 0 {
			return s
		}
	}
}

func copyDB(b *testing.B, template string) *store.DB {
	b.Helper()
	ctx := context.Background()
	file := filepath.Join(b.TempDir(), "desk.db")
	src, err := store.Open(ctx, template)
	if err != nil {
		b.Fatal(err)
	}
	if err := src.Backup(ctx, file); err != nil {
		b.Fatal(err)
	}
	src.Close()
	db, err := store.Open(ctx, file)
	if err != nil {
		b.Fatal(err)
	}
	db.SetClock(func() time.Time { return sept21 })
	return db
}

func pendingIDs(b *testing.B, db *store.DB, unit uint32) []string {
	b.Helper()
	items, err := db.Queue(context.Background(), unit)
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for _, it := range items {
		if it.Authority.Allowed && it.Category == store.CatResident && it.Name[:len("Nguyễn Văn")] == "Nguyễn Văn" {
			ids = append(ids, it.ID)
		}
	}
	return ids
}

// signAndInsertFloor is the least any bulk approval must do: sign each
// permit's payload and insert one row per permit, in one transaction, into a
// table shaped like permits. It returns how long that took.
func signAndInsertFloor(b *testing.B, db *store.DB, signer *seal.Signer, n int) time.Duration {
	b.Helper()
	sq := db.SQL()
	if _, err := sq.Exec(`CREATE TABLE IF NOT EXISTS floor_permits (
		serial TEXT PRIMARY KEY, application_id TEXT NOT NULL UNIQUE, unit INTEGER NOT NULL, desk_no INTEGER NOT NULL,
		category INTEGER NOT NULL, holder_name TEXT NOT NULL, folded TEXT NOT NULL, id_number TEXT NOT NULL,
		valid_from INTEGER NOT NULL, valid_until INTEGER NOT NULL, qr TEXT NOT NULL, approved_by TEXT NOT NULL,
		issued_at INTEGER NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	priv := seed.DemoDeskKey(seed.DefaultUnit)
	if signer.KID() != seal.KID(priv.Public().(ed25519.PublicKey)) {
		b.Fatal("the demo desk key is not the unlocked signer's")
	}
	// A payload the size of a sealed permit's body.
	payload := make([]byte, 220)
	for i := range payload {
		payload[i] = byte('A' + i%26)
	}
	start := time.Now()
	tx, err := sq.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO floor_permits VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		payload[0], payload[1] = byte(i), byte(i>>8)
		sig := ed25519.Sign(priv, payload)
		qr := "TH1:" + seal.EncodeBase45(append(payload[:len(payload):len(payload)], sig...))
		if _, err := stmt.Exec(fmt.Sprintf("28291-1-2021-%06d", i), fmt.Sprintf("app-%d", i), 28291, 1, 4,
			"Nguyễn Văn A", "nguyen van a", "082080000000", 0, 1, qr, "officer", 0); err != nil {
			b.Fatal(err)
		}
	}
	stmt.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// BenchmarkBulkApproveOverlapShare measures what the one-paper-per-purpose
// check costs BenchmarkBulkApprove10k's approval: each round approves the
// same 10,000 applications on two copies of one desk, with and without the
// check, in alternating order so that a machine busy with other work
// weighs on both alike. It reports the check's share of the approval.
func BenchmarkBulkApproveOverlapShare(b *testing.B) {
	const n = 10_000
	ctx := context.Background()
	template, officer, signer := bulkTemplate(b, n)
	defer store.SetOverlapCheck(true)
	run := func(check bool) time.Duration {
		b.StopTimer()
		db := copyDB(b, template)
		defer db.Close()
		ids := pendingIDs(b, db, officer.Unit)[:n]
		store.SetOverlapCheck(check)
		b.StartTimer()
		start := time.Now()
		for c := 0; c < len(ids); c += approveChunk {
			res, err := db.Approve(ctx, officer, signer, ids[c:min(c+approveChunk, len(ids))])
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range res {
				if r.Err != nil {
					b.Fatalf("%s: %v", r.ApplicationID, r.Err)
				}
			}
		}
		return time.Since(start)
	}
	var with, without time.Duration
	round := 0
	for b.Loop() {
		if round%2 == 0 {
			with += run(true)
			without += run(false)
		} else {
			without += run(false)
			with += run(true)
		}
		round++
	}
	b.ReportMetric(float64(with.Milliseconds())/float64(round), "with-ms")
	b.ReportMetric(float64(without.Milliseconds())/float64(round), "without-ms")
	b.ReportMetric(100*(float64(with)-float64(without))/float64(without), "check-%")
}
