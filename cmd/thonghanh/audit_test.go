package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"thonghanh/store"
	"thonghanh/store/batchsync"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
)

func runExit(ctx context.Context, args ...string) (int, string) {
	var out, errb bytes.Buffer
	code := run(ctx, args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	return code, out.String() + errb.String()
}

// A desk synced to a real server: `audit verify` says how far the centre
// acknowledged and catches a tail cut below it; `server audit verify` names
// each desk's first bad entry after the central database is edited.
func TestAuditVerifyDeskAndServer(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	cheap := store.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1}
	deskPath := filepath.Join(tmp, "desk.db")
	desk, err := store.Open(ctx, deskPath)
	if err != nil {
		t.Fatal(err)
	}
	defer desk.Close()
	if _, err := seed.Demo(ctx, desk, seed.Options{People: 20, PerCategory: 2, Seed: 1, PasswordParams: &cheap,
		KeyParams: &seal.CheapKeyParams}); err != nil {
		t.Fatal(err)
	}
	serverDir := filepath.Join(tmp, "central")
	url, _, stop, err := batchsync.StartDemoServer(ctx, serverDir, seed.DemoRootKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := batchsync.EnrollDemoDesk(ctx, url, desk); err != nil {
		t.Fatal(err)
	}
	c, err := batchsync.NewClient(ctx, desk, batchsync.ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	var last int64
	if err := desk.SQL().QueryRow(`SELECT MAX(seq) FROM audit`).Scan(&last); err != nil || last < 3 {
		t.Fatalf("demo desk has %d audit entries (%v)", last, err)
	}
	if code, out := runExit(ctx, "audit", "verify", "--db", deskPath); code != exitOK ||
		!strings.Contains(out, fmt.Sprintf("đã xác nhận đến mục %d", last)) {
		t.Fatalf("clean synced desk: exit %d\n%s", code, out)
	}
	if code, out := runExit(ctx, "server", "audit", "verify", "--dir", serverDir); code != exitOK || !strings.Contains(out, "Tất cả nguyên vẹn") {
		t.Fatalf("clean server: exit %d\n%s", code, out)
	}

	// The desk's last two entries, and their copies waiting in the outbox,
	// deleted with a SQLite tool.
	if _, err := desk.SQL().Exec(`DROP TRIGGER audit_no_delete;
		DELETE FROM outbox WHERE entity = 'audit' AND entity_id IN (SELECT id FROM audit WHERE seq >= ?);
		DELETE FROM audit WHERE seq >= ?`, last-1, last-1); err != nil {
		t.Fatal(err)
	}
	code, out := runExit(ctx, "audit", "verify", "--db", deskPath)
	if code != exitFail || !strings.Contains(out, "KHÔNG NGUYÊN VẸN") || !strings.Contains(out, fmt.Sprintf("mục số %d", last-1)) {
		t.Fatalf("cut tail: exit %d\n%s", code, out)
	}

	central, err := batchsync.OpenCentral(ctx, serverDir)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := desk.Desk(ctx)
	_, err = central.SQL().Exec(`DROP TRIGGER desk_audit_no_update; UPDATE desk_audit SET detail = 'sửa' WHERE desk_id = ? AND seq = 2`, d.ID)
	central.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out = runExit(ctx, "server", "audit", "verify", "--dir", serverDir)
	if code != exitFail || !strings.Contains(out, "Máy "+d.ID+" (đơn vị "+fmt.Sprint(d.Unit)) || !strings.Contains(out, "mục số 2") {
		t.Fatalf("edited central: exit %d\n%s", code, out)
	}
}
