package central_test

import (
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"testing"

	"thonghanh/store"
	"thonghanh/store/central"
)

func scalar(t *testing.T, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func schemaObject(t *testing.T, db *store.DB, name string) bool {
	t.Helper()
	return scalar(t, db, `SELECT COUNT(*) FROM sqlite_master WHERE name = ?`, name) == 1
}

// pushOutbox writes an outbox row as the store's rules do when they run on
// the centre.
func pushOutbox(t *testing.T, db *store.DB) {
	t.Helper()
	if _, err := db.SQL().Exec(`INSERT INTO outbox (created_at, updated_at, op_id, entity, entity_id, op, payload, payload_hash)
		VALUES (1, 1, 'op-1', 'person', 'p-1', 'create', x'7b7d', x'00')`); err != nil {
		t.Fatal(err)
	}
}

// A centre file made before store/central existed (its tables from the
// store's migrations, the role setting, the number index made at open, no
// central_migrations) opens, keeps its rows, and gets the centre's schema.
func TestCentreFileFromTheOldLayoutOpens(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "central.db")
	old, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.SeedProvince(ctx); err != nil {
		t.Fatal(err)
	}
	if err := old.SetSetting(ctx, central.SettingCentral, []byte("1")); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE UNIQUE INDEX IF NOT EXISTS applications_number ON applications (number)`,
		`INSERT INTO changes (unit, entity, entity_id, origin, created_at) VALUES (0, 'trust_list', 'trust', '', 1)`,
		`INSERT INTO id_aliases (entity, alias, id) VALUES ('person', 'a', 'b')`,
		// A zone and its market pushed before zones travelled in the feed.
		`INSERT INTO zones (id, commune, name, risk, hamlets, created_at) VALUES ('z-1', 28249, 'Ấp Bắc', 'high_risk', '', 1)`,
		`INSERT INTO markets (id, zone_id, name, open_minute, close_minute, capacity) VALUES ('m-1', 'z-1', 'Chợ Ấp Bắc', 360, 600, 50)`,
	} {
		if _, err := old.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()

	db, err := central.Open(ctx, file)
	if err != nil {
		t.Fatalf("open an old-layout centre: %v", err)
	}
	defer db.Close()
	if !db.IsCentral(ctx) {
		t.Fatal("the old centre is no longer a centre")
	}
	ms, err := store.ReadMigrations(os.DirFS("."))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := scalar(t, db.DB, `SELECT COALESCE(MAX(version), 0) FROM central_migrations`), ms[len(ms)-1].Version; got != want {
		t.Fatalf("central_migrations at %d, want %d", got, want)
	}
	if scalar(t, db.DB, `SELECT COUNT(*) FROM changes WHERE entity = 'trust_list'`) != 1 || scalar(t, db.DB, `SELECT COUNT(*) FROM id_aliases`) != 1 {
		t.Fatal("the old centre's rows are gone")
	}
	// The zone and then its market are in the feed of their commune.
	zoneSeq := scalar(t, db.DB, `SELECT COALESCE(MAX(seq), 0) FROM changes WHERE entity = 'zone' AND entity_id = 'z-1' AND unit = 28249`)
	marketSeq := scalar(t, db.DB, `SELECT COALESCE(MAX(seq), 0) FROM changes WHERE entity = 'market' AND entity_id = 'm-1' AND unit = 28249`)
	if zoneSeq == 0 || marketSeq <= zoneSeq || scalar(t, db.DB, `SELECT COUNT(*) FROM changes`) != 3 {
		t.Fatalf("the old zone's feed: zone at %d, market at %d, %d changes; want the zone, then its market, once each",
			zoneSeq, marketSeq, scalar(t, db.DB, `SELECT COUNT(*) FROM changes`))
	}
	if !schemaObject(t, db.DB, "applications_number") || !schemaObject(t, db.DB, "centre_outbox_none") {
		t.Fatal("the centre's index or outbox guard is missing")
	}
	pushOutbox(t, db.DB)
	if n := scalar(t, db.DB, `SELECT COUNT(*) FROM outbox`); n != 0 {
		t.Fatalf("the centre's outbox keeps %d ops, want none", n)
	}
	db.Close()
	again, err := central.Open(ctx, file)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer again.Close()
	if got := scalar(t, again.DB, `SELECT COUNT(*) FROM central_migrations`); got != len(ms) {
		t.Fatalf("central_migrations holds %d rows after a reopen, want %d", got, len(ms))
	}
}

// InitCentral gives a new file the centre's schema from its first row.
func TestInitCentralMakesTheCentreSchema(t *testing.T) {
	ctx := context.Background()
	_, root, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	db, err := central.Open(ctx, filepath.Join(t.TempDir(), "central.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.InitCentral(ctx, root); err != nil {
		t.Fatal(err)
	}
	if !schemaObject(t, db.DB, "applications_number") || !schemaObject(t, db.DB, "centre_outbox_none") {
		t.Fatal("a new centre lacks its index or outbox guard")
	}
	if n := scalar(t, db.DB, `SELECT COUNT(*) FROM outbox`); n != 0 {
		t.Fatalf("a new centre's outbox holds %d ops, want none", n)
	}
	if err := db.InitCentral(ctx, root); store.ErrorCode(err) != store.EConflict {
		t.Fatalf("a second InitCentral = %v, want a conflict", err)
	}
}

// A desk's file opened as a centre by mistake is left as it is: its outbox
// keeps its ops, and the caller sees it is no centre.
func TestDeskFileOpenedAsCentreIsLeftAlone(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "desk.db")
	desk, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.SeedProvince(ctx); err != nil {
		t.Fatal(err)
	}
	desk.Close()
	db, err := central.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.IsCentral(ctx) {
		t.Fatal("a desk's file reads as a centre")
	}
	if schemaObject(t, db.DB, "centre_outbox_none") || schemaObject(t, db.DB, "central_migrations") {
		t.Fatal("the centre's schema was put on a desk's file")
	}
	pushOutbox(t, db.DB)
	if n := scalar(t, db.DB, `SELECT COUNT(*) FROM outbox`); n != 1 {
		t.Fatalf("the desk's outbox holds %d ops, want 1", n)
	}
}
