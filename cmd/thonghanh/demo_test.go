package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"thonghanh/store"
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
	path, err := prepareDemoDesk(ctx, dir, false, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	first := deskID(t, path)
	again, err := prepareDemoDesk(ctx, dir, false, io.Discard)
	if err != nil || again != path || deskID(t, again) != first {
		t.Fatalf("an existing demo should be reused: %s %v", again, err)
	}
	reset, err := prepareDemoDesk(ctx, dir, true, io.Discard)
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
