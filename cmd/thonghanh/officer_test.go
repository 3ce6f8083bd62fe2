package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"thonghanh/store"
	"thonghanh/store/seed"
)

// auditSince returns the audit entries after seq, oldest first, as
// "action officer_id" lines.
func auditSince(t *testing.T, db *store.DB, seq int64) []string {
	t.Helper()
	rows, err := db.SQL().Query(`SELECT action, officer_id FROM audit WHERE seq > ? ORDER BY seq`, seq)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var action, officer string
		if err := rows.Scan(&action, &officer); err != nil {
			t.Fatal(err)
		}
		out = append(out, action+" "+officer)
	}
	return out
}

func auditHead(t *testing.T, db *store.DB) int64 {
	t.Helper()
	var seq int64
	if err := db.SQL().QueryRow(`SELECT COALESCE(MAX(seq), 0) FROM audit`).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	return seq
}

// TestOfficerCommandsLogIn: a command acting as an officer with a wrong or
// no password writes one failed-login audit entry and nothing else; with
// the right one, a login entry and then what it did, under that officer.
func TestOfficerCommandsLogIn(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "desk.db")
	db, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := seed.Demo(ctx, db, seed.Options{People: 20, PerCategory: 1, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	admin, err := db.Login(ctx, "quantri", seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	zones := func() int {
		zs, err := db.Zones(ctx, admin.Unit)
		if err != nil {
			t.Fatal(err)
		}
		return len(zs)
	}
	zoneAdd := func(stdin string) (int, string) {
		var out, errb bytes.Buffer
		code := run(ctx, []string{"zone", "add", "--db", file, "--officer", "quantri", "--name", "Vùng thử"},
			stdio{in: strings.NewReader(stdin), out: &out, err: &errb})
		return code, errb.String()
	}
	before, head := zones(), auditHead(t, db)

	for _, c := range []struct{ env, stdin string }{{"", ""}, {"sai-mat-khau-roi", ""}, {"", "cung-sai-nua\n"}} {
		t.Setenv(envPassword, c.env)
		if code, stderr := zoneAdd(c.stdin); code != exitFail || !strings.Contains(stderr, "mật khẩu") {
			t.Fatalf("password %q/%q: exit %d %q, want 1 and a password message", c.env, c.stdin, code, stderr)
		}
		// A password never typed is no attempt: nothing is logged and the
		// lockout does not count it; a wrong one is a failed login.
		want := 1
		if c.env == "" && c.stdin == "" {
			want = 0
		}
		if got := auditSince(t, db, head); len(got) != want || want == 1 && got[0] != store.ActionLoginFailed+" "+admin.ID {
			t.Fatalf("password %q/%q: audit %q, want %d failed login of quantri", c.env, c.stdin, got, want)
		}
		if zones() != before {
			t.Fatal("a zone was made without the officer's password")
		}
		head = auditHead(t, db)
	}

	// Typed at the prompt (standard input not a terminal: one line).
	t.Setenv(envPassword, "")
	if code, stderr := zoneAdd(seed.DemoPassword + "\n"); code != exitOK {
		t.Fatalf("right password: exit %d %q", code, stderr)
	}
	if got := auditSince(t, db, head); len(got) != 2 || got[0] != store.ActionLogin+" "+admin.ID || got[1] != store.ActionAdmin+" "+admin.ID {
		t.Fatalf("audit after the zone: %q, want quantri's login then the zone", got)
	}
	if zones() != before+1 {
		t.Fatal("no zone made with the right password")
	}
	if _, problem, err := db.VerifyAudit(ctx); err != nil || problem != nil {
		t.Fatalf("audit chain: %v %v", problem, err)
	}
}

// TestOfficerCommandsRefuseAWeakPassword: an account whose password no
// longer meets the rules is sent to the desk to change it, and nothing is
// done meanwhile.
func TestOfficerCommandsRefuseAWeakPassword(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "desk.db")
	db, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := seed.Demo(ctx, db, seed.Options{People: 20, PerCategory: 1, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	// An account from before the rules: its hash is of "1111".
	weak, err := store.HashPassword("1111", seed.DemoPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`UPDATE officers SET password_hash = ? WHERE username = 'quantri'`, weak); err != nil {
		t.Fatal(err)
	}
	t.Setenv(envPassword, "1111")
	var out, errb bytes.Buffer
	code := run(ctx, []string{"zone", "add", "--db", file, "--officer", "quantri", "--name", "Vùng thử"}, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	if code != exitFail || !strings.Contains(errb.String(), "để đổi") {
		t.Fatalf("weak password: exit %d %q", code, errb.String())
	}
	if zs, _ := db.Zones(ctx, seed.DefaultUnit); len(zs) != 1 {
		t.Fatalf("%d zones, want the seed's one", len(zs))
	}
}

// TestFilesAreOwnerOnly: the desk's database and its backup are readable by
// their owner only.
func TestFilesAreOwnerOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"init", dir}, stdio{in: strings.NewReader(""), out: &out, err: &errb}); code != exitOK {
		t.Fatalf("init: %d %s", code, errb.String())
	}
	backup := filepath.Join(dir, "copy.db")
	if code := run(ctx, []string{"backup", "--db", filepath.Join(dir, "desk.db"), backup}, stdio{in: strings.NewReader(""), out: &out, err: &errb}); code != exitOK {
		t.Fatalf("backup: %d %s", code, errb.String())
	}
	for _, name := range []string{"desk.db", "desk.db-wal", "desk.db-shm", "copy.db"} {
		assertOwnerOnly(t, filepath.Join(dir, name))
	}
}

func assertOwnerOnly(t *testing.T, file string) {
	t.Helper()
	fi, err := os.Stat(file)
	if os.IsNotExist(err) && (strings.HasSuffix(file, "-wal") || strings.HasSuffix(file, "-shm")) {
		return // removed at close
	}
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("%s has mode %v, want 0600", filepath.Base(file), perm)
	}
}

// TestServerFilesAreOwnerOnly: the centre's database, its root key and its
// TLS key are readable by their owner only.
func TestServerFilesAreOwnerOnly(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "central")
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"server", "init", "--dir", dir, "--insecure-root-key", "--host", "localhost"},
		stdio{in: strings.NewReader(""), out: &out, err: &errb}); code != exitOK {
		t.Fatalf("server init: %d %s", code, errb.String())
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	var checked int
	for _, f := range files {
		switch name := filepath.Base(f); {
		case strings.HasPrefix(name, "central.db"), strings.HasSuffix(name, ".key"), strings.Contains(name, "root") && !strings.HasSuffix(name, ".pub"):
			assertOwnerOnly(t, f)
			checked++
		}
	}
	if checked < 3 {
		t.Fatalf("checked %d files of %v, want the database, the root key and the TLS key", checked, files)
	}
}
