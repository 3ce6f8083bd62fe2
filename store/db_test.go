package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"thonghanh/store"
)

func TestOpenMigratesOnceAndRecords(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "desk.db")
	db, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	// Every migration file is recorded once; numbers may have gaps while
	// branches that each add one are merged.
	files, _ := filepath.Glob("migrations/*.sql")
	var n, version int
	db.SQL().QueryRow(`SELECT COUNT(*), MAX(version) FROM schema_migrations`).Scan(&n, &version)
	if version != store.SchemaVersion() || n != len(files) {
		t.Fatalf("migrations recorded = %d up to %d, want %d up to %d", n, version, len(files), store.SchemaVersion())
	}
	var mode string
	db.SQL().QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	var fk int
	db.SQL().QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	if mode != "wal" || fk != 1 {
		t.Errorf("journal_mode=%s foreign_keys=%d, want wal and 1", mode, fk)
	}
	db.Close()
	db, err = store.Open(ctx, file) // reopening applies nothing twice
	if err != nil {
		t.Fatal(err)
	}
	db.SQL().QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
	if n != len(files) {
		t.Fatalf("after reopen %d migrations recorded", n)
	}
	db.Close()
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "desk.db")
	db, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	db.SQL().Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '999_future.sql', 0)`)
	db.Close()
	_, err = store.Open(ctx, file)
	var se *store.Error
	if !errors.As(err, &se) || se.Code != store.ESchema {
		t.Fatalf("Open of a newer database = %v, want a schema error", err)
	}
}

func TestBackupIsAConsistentCopy(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 50, 5)
	target := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(ctx, target); err != nil {
		t.Fatal(err)
	}
	cp, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if a, b := count(t, db, "applications"), count(t, cp, "applications"); a != b || a == 0 {
		t.Fatalf("backup has %d applications, original %d", b, a)
	}
	if err := db.Backup(ctx, target); err == nil {
		t.Fatal("backup over an existing file succeeded")
	}
}

func TestProvinceUnits(t *testing.T) {
	db := openDB(t)
	if err := db.SeedProvince(context.Background()); err != nil {
		t.Fatal(err)
	}
	units, _ := db.Units(context.Background())
	var admin, communes int
	for _, u := range units.All() {
		if u.Administrative() {
			admin++
		}
		if u.Kind == store.KindCommunePC {
			communes++
		}
	}
	if admin != 184 || communes != 172 {
		t.Fatalf("seeded %d administrative units (%d communes), want 184 (172)", admin, communes)
	}
	if !units.Within(28291, 815) || !units.Within(28291, 82) || units.Within(28291, 821) {
		t.Error("Xã Tân Mỹ Chánh must lie within Thành phố Mỹ Tho and the province, not Châu Thành")
	}
	if got := units.Search("tan my chanh", 5); len(got) != 1 || got[0].Code != 28291 {
		t.Errorf("folded unit search = %v", got)
	}
}
