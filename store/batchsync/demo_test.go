package batchsync

import (
	"context"
	"path/filepath"
	"testing"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
)

// TestDemoServerAndSeededDesk is how `thonghanh demo` uses this package: a
// server in-process on loopback, the seeded desk joined to it, one sync.
func TestDemoServerAndSeededDesk(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	url, pin, stop, err := StartDemoServer(ctx, filepath.Join(dir, "central"), seed.DemoRootKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	desk, err := store.Open(ctx, filepath.Join(dir, "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer desk.Close()
	cheap := store.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1}
	if _, err := seed.Demo(ctx, desk, seed.Options{People: 60, PerCategory: 6, Seed: 1, PasswordParams: &cheap, KeyParams: &seal.CheapKeyParams}); err != nil {
		t.Fatal(err)
	}
	if err := EnrollDemoDesk(ctx, url, desk); err != nil {
		t.Fatal(err)
	}
	if err := EnrollDemoDesk(ctx, url, desk); err != nil { // joining twice changes nothing
		t.Fatal(err)
	}
	if got, _, _ := desk.Setting(ctx, store.SettingSyncPin); string(got) != pin {
		t.Fatalf("desk pinned %q, server is %q", got, pin)
	}
	c, err := NewClient(ctx, desk, ClientOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, c)
	st := outboxStates(t, desk)
	if st[store.OpRejected] != 0 || st[store.OpConflict] != 0 || st[store.OpPending] != 0 {
		t.Fatalf("demo desk's outbox after sync: %v", st)
	}
	central, err := OpenCentral(ctx, filepath.Join(dir, "central"))
	if err != nil {
		t.Fatal(err)
	}
	defer central.Close()
	checkExactlyOnce(t, central, desk, true)
	stop()
	if err := c.Sync(ctx); err == nil {
		t.Fatal("sync after stop succeeded")
	}
}
