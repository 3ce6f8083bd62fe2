package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"thonghanh/store"
	"thonghanh/store/batchsync"
	"thonghanh/store/seed"
)

func TestDeskAndDemoHelp(t *testing.T) {
	for _, args := range [][]string{{"desk", "--help"}, {"demo", "--help"}} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), args, stdio{in: strings.NewReader(""), out: &out, err: &errOut})
		if code != exitOK {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut.String())
		}
		for _, want := range []string{"Cách dùng: thonghanh", "-lang"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%v help lacks %q:\n%s", args, want, out.String())
			}
		}
	}
}

func TestDeskRefusesMissingDatabase(t *testing.T) {
	var out, errOut bytes.Buffer
	missing := filepath.Join(t.TempDir(), "none.db")
	code := run(context.Background(), []string{"desk", "--db", missing}, stdio{in: strings.NewReader(""), out: &out, err: &errOut})
	if code != exitFail || !strings.Contains(errOut.String(), missing) {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}

// TestPrepareDemoDesk seeds a demo desk once, reuses it, and recreates it
// with --reset.
func TestPrepareDemoDesk(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a whole demo province")
	}
	ctx := context.Background()
	dir := t.TempDir()
	path, err := prepareDemoDesk(ctx, dir, seed.DefaultUnit, false, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	first := deskID(t, path)
	again, err := prepareDemoDesk(ctx, dir, seed.DefaultUnit, false, io.Discard)
	if err != nil || again != path || deskID(t, again) != first {
		t.Fatalf("an existing demo should be reused: %s %v", again, err)
	}
	reset, err := prepareDemoDesk(ctx, dir, seed.DefaultUnit, true, io.Discard)
	if err != nil || deskID(t, reset) == first {
		t.Fatalf("--reset should make a new demo desk (%v)", err)
	}
}

func deskID(t *testing.T, path string) string {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d, err := db.Desk(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := db.Setting(context.Background(), "demo"); !ok || string(v) != "1" {
		t.Error("the demo desk is not marked as demo")
	}
	return d.ID
}

// TestDemoTwoDesksShareTheCentral: the commune's demo desk forwards a
// request that leaves its district; the district's demo desk, started beside
// it on the same demo central server, receives it by sync, approves it, and
// the server accepts the decision.
func TestDemoTwoDesksShareTheCentral(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds two demo provinces")
	}
	ctx := context.Background()
	dir := t.TempDir()
	communePath, err := prepareDemoDesk(ctx, dir, seed.DefaultUnit, false, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	districtPath, err := prepareDemoDesk(ctx, filepath.Join(dir, "815"), 815, false, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	_, stopA, err := startDemoCentral(ctx, filepath.Join(dir, "central"), communePath)
	if err != nil {
		t.Fatal(err)
	}
	defer stopA()
	_, stopB, err := startDemoCentral(ctx, filepath.Join(dir, "central"), districtPath)
	if err != nil {
		t.Fatal(err)
	}
	defer stopB()

	commune, district := openTestStore(t, communePath), openTestStore(t, districtPath)
	syncOnce := func(db *store.DB) {
		t.Helper()
		c, err := batchsync.NewClient(ctx, db, batchsync.ClientOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	syncOnce(commune) // the commune's own applications reach the centre first

	head, err := commune.Login(ctx, "duyet", seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	queue, _ := commune.Queue(ctx, head.Unit)
	var forwarded string
	for _, q := range queue {
		if q.Authority.Forward {
			forwarded = q.ID
			break
		}
	}
	if res, err := commune.Forward(ctx, head, []string{forwarded}); err != nil || res[0].Err != nil {
		t.Fatalf("forward: %v %v", err, res)
	}
	syncOnce(commune)
	syncOnce(district)

	approver, err := district.Login(ctx, "duyet.815", seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := district.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	res, err := district.Approve(ctx, approver, signer, []string{forwarded})
	if err != nil || res[0].Err != nil {
		t.Fatalf("district approves the forwarded request: %v %v", err, res)
	}
	syncOnce(district)
	var state, lastErr string
	district.SQL().QueryRow(`SELECT state, last_error FROM outbox WHERE entity = 'decision' AND entity_id = ?`, forwarded).Scan(&state, &lastErr)
	if state != store.OpDone {
		t.Fatalf("the district's decision is %s at the centre (%s), want accepted", state, lastErr)
	}
	syncOnce(commune)
	if a, _ := commune.Application(ctx, forwarded); a.Status != store.StatusApproved {
		t.Errorf("the commune sees the request as %s, want approved", a.Status)
	}
}

func openTestStore(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
