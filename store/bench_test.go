package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/storetest"
)

var (
	benchFamily = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
	benchMiddle = []string{"Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Kim", "Thu", "Công"}
	benchGiven  = []string{"An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh",
		"Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Ngọc", "Nhung", "Phúc", "Phương", "Quân", "Quang", "Sơn", "Tâm", "Thảo",
		"Thắng", "Thủy", "Trang", "Trung", "Tuấn", "Vân", "Việt", "Yến", "Lộc", "Nghĩa"}
)

// millionPeople returns a database of 1,000,000 people, built once and kept
// in the temp dir between runs (building it takes a minute).
func millionPeople(b *testing.B) *store.DB {
	return benchPeople(b, 1_000_000, fmt.Sprintf("thonghanh-bench-1m-v%d-b.db", store.SchemaVersion()))
}

// benchPeople returns a database of n people with the desk's common names,
// built once into the temp dir's file name and kept between runs.
func benchPeople(b *testing.B, n int, name string) *store.DB {
	b.Helper()
	ctx := context.Background()
	file := filepath.Join(os.TempDir(), name)
	if _, err := os.Stat(file); err == nil {
		db, err := store.Open(ctx, file)
		if err == nil && count(b, db, "people") == n {
			return db
		}
		if db != nil {
			db.Close()
		}
		os.Remove(file)
	}
	db, err := store.Open(ctx, file+".tmp")
	if err != nil {
		b.Fatal(err)
	}
	if err := db.SeedProvince(ctx); err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	err = db.Write(ctx, func(tx *store.Tx) error {
		stmt, err := tx.Prepare(`INSERT INTO people (id, id_number, full_name, folded, birth_date, sex, commune, created_at, updated_at)
			VALUES (?, ?, ?, ?, '1980-01-01', 'M', 28291, 0, 0)`)
		if err != nil {
			return err
		}
		for i := range n {
			name := benchFamily[r.IntN(len(benchFamily))] + " " + benchMiddle[r.IntN(len(benchMiddle))] + " " + benchGiven[r.IntN(len(benchGiven))]
			if _, err := stmt.Exec(fmt.Sprintf("P%07d", i), fmt.Sprintf("082080%06d", i), name, store.Fold(name)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	// A desk's index is merged as it grows; merge the bulk-loaded one likewise.
	if _, err := db.SQL().Exec(`INSERT INTO people_fts (people_fts) VALUES ('optimize')`); err != nil {
		b.Fatal(err)
	}
	db.Close()
	if err := os.Rename(file+".tmp", file); err != nil {
		b.Fatal(err)
	}
	os.Remove(file + ".tmp-wal")
	os.Remove(file + ".tmp-shm")
	if db, err = store.Open(ctx, file); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkSearchPeople1M: one query over a million people (target ≤ 20 ms).
func BenchmarkSearchPeople1M(b *testing.B) {
	db := millionPeople(b)
	defer db.Close()
	ctx := context.Background()
	for _, q := range []string{"nguyen van duc", "tran thi", "huynh kim phuong", "van duc", "ngoc", "0820801234"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.SearchPeople(ctx, q, 50); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFindPersonByName: the intake's "Tìm người" query on a desk of
// 100,000 people, as the clerk types it (a whole folded name, a name being
// typed, one word of it, accents typed), with the screen's limit (100,
// tui/intake findLimit). Each is
// an indexed range or an FTS5 match stopping at the limit, so the cost
// does not grow with the desk.
func BenchmarkFindPersonByName(b *testing.B) {
	db := benchPeople(b, 100_000, fmt.Sprintf("thonghanh-bench-100k-v%d.db", store.SchemaVersion()))
	defer db.Close()
	ctx := context.Background()
	for _, q := range []string{"nguyen van duc", "nguyen van d", "duc", "Nguyễn Văn Đức", "tran thi ha"} {
		b.Run(q, func(b *testing.B) {
			n, cpu0 := 0, storetest.ProcessCPU()
			for b.Loop() {
				if _, err := db.SearchPeople(ctx, q, 100); err != nil {
					b.Fatal(err)
				}
				n++
			}
			// CPU time per query holds steady when other work shares
			// the machine; the wall time does not.
			if cpu := storetest.ProcessCPU() - cpu0; cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(n), "cpu-ms/op")
			}
		})
	}
}

// BenchmarkSubmitBatch: walk-in applications submitted in batches of 1,000
// (target ≥ 20,000 per second), reported as apps/s.
func BenchmarkSubmitBatch(b *testing.B) {
	ctx := context.Background()
	db, _ := demoDB(b, 10, 1)
	db.SetClock(func() time.Time { return sept21 })
	clerk := login(b, db, "canbo")
	const batch = 1000
	people := make([]store.Intake, 200)
	for i := range people {
		in := walkIn()
		in.Person.IDNumber = fmt.Sprintf("082190%06d", i)
		people[i] = in
	}
	// The people exist already: a returning walk-in is the common case.
	if _, err := db.SubmitBatch(ctx, clerk, people); err != nil {
		b.Fatal(err)
	}
	ins := make([]store.Intake, batch)
	for i := range ins {
		ins[i] = people[i%len(people)]
	}
	n := 0
	cpu0 := storetest.ProcessCPU()
	for b.Loop() {
		if _, err := db.SubmitBatch(ctx, clerk, ins); err != nil {
			b.Fatal(err)
		}
		n += batch
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "apps/s")
	if cpu := storetest.ProcessCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n)/cpu.Seconds(), "apps/cpu-s")
	}
}
