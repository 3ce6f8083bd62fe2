package store

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"
)

// A desk that synced before the anchor existed starts from the newest of
// its entries the centre answered as done, so its verify holds from the
// first run of the new version.
func TestMigrationAuditAnchorFromSettledOps(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "desk.db")
	old, err := openAt(ctx, file, 3)
	if err != nil {
		t.Fatal(err)
	}
	old.SetClock(func() time.Time { return leanNow })
	if err := old.SeedProvince(ctx); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := old.SubmitBatch(ctx, System(), []Intake{leanIntake(i)}); err != nil {
			t.Fatal(err)
		}
	}
	// The first two submissions' ops were pushed and accepted.
	if _, err := old.sql.Exec(`UPDATE outbox SET state = 'done' WHERE seq <= (SELECT seq FROM outbox WHERE entity = 'audit' AND entity_id = (SELECT id FROM audit WHERE seq = 2))`); err != nil {
		t.Fatal(err)
	}
	var hash []byte
	if err := old.sql.QueryRow(`SELECT hash FROM audit WHERE seq = 2`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	old.Close()
	db, err := Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seq, got, ok, err := db.AuditAnchor(ctx)
	if err != nil || !ok || seq != 2 || !bytes.Equal(got, hash) {
		t.Fatalf("anchor after upgrade = %d %x (ok %v, %v), want entry 2", seq, got, ok, err)
	}
	if n, problem, err := db.VerifyAudit(ctx); err != nil || problem != nil || n != 3 {
		t.Fatalf("upgraded desk: %d entries, %v, %v", n, problem, err)
	}
}
