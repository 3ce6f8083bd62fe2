package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/batchsync"
	"thonghanh/store/seal"
)

// lockedBuffer is a bytes.Buffer two goroutines may use.
type lockedBuffer struct {
	mu  gosync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func runCmd(t *testing.T, ctx context.Context, args ...string) (string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(ctx, args, stdio{in: strings.NewReader(""), out: &out, err: &errb}); code != exitOK {
		t.Fatalf("thonghanh %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errb.String())
	}
	return out.String(), errb.String()
}

// TestServerInitRunEnroll drives the province's setup as an administrator
// and a commune would: init, an approver, an enrollment code, the server
// running, a desk enrolling, a report, and a graceful stop.
func TestServerInitRunEnroll(t *testing.T) {
	seal.DefaultKeyParams = seal.CheapKeyParams
	store.DefaultPasswordParams = store.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1}
	ctx := context.Background()
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "server")
	passphrase := filepath.Join(tmp, "pass")
	os.WriteFile(passphrase, []byte("mật khẩu tỉnh rất dài\n"), 0o600)
	pw := filepath.Join(tmp, "pw")
	os.WriteFile(pw, []byte("duyet-2021\n"), 0o600)

	out, _ := runCmd(t, ctx, "server", "init", "--dir", dir, "--host", "127.0.0.1", "--passphrase-file", passphrase)
	fp := regexp.MustCompile(`SHA-256\): ([0-9a-f]{64})`).FindStringSubmatch(out)
	if fp == nil {
		t.Fatalf("init printed no fingerprint:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, batchsync.FileRootInsecure)); err == nil {
		t.Fatal("root key kept in clear without --insecure-root-key")
	}
	runCmd(t, ctx, "server", "officers", "add", "--dir", dir, "--unit", "28291", "--username", "duyet.tmc",
		"--name", "Võ Thị Duyệt", "--roles", "approver,clerk", "--password-file", pw)
	out, _ = runCmd(t, ctx, "server", "units", "--dir", dir, "--search", "tan my chanh")
	if !strings.Contains(out, "28291") {
		t.Fatalf("units search:\n%s", out)
	}
	code, _ := runCmd(t, ctx, "server", "enroll-code", "--dir", dir, "--unit", "28291", "--ttl", "2h")
	code = strings.TrimSpace(code)

	srvCtx, stop := context.WithCancel(ctx)
	logs := &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(srvCtx, []string{"server", "run", "--dir", dir, "--addr", "127.0.0.1:0", "--passphrase-file", passphrase},
			stdio{in: strings.NewReader(""), out: logs, err: logs})
	}()
	addrRe := regexp.MustCompile(`"addr":"(127\.0\.0\.1:\d+)"`)
	var addr string
	for deadline := time.Now().Add(5 * time.Minute); addr == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addrRe.FindStringSubmatch(logs.String()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		stop()
		t.Fatalf("server did not start:\n%s", logs.String())
	}
	deskDB := filepath.Join(tmp, "desk", "desk.db")
	out, _ = runCmd(t, ctx, "enroll", "--db", deskDB, "--fingerprint", fp[1], "--approver", "duyet.tmc", "--password-file", pw,
		"https://"+addr, code)
	if !strings.Contains(out, "Đã đăng ký") || !strings.Contains(out, fp[1]) {
		t.Fatalf("enroll:\n%s", out)
	}
	assertOwnerOnly(t, deskDB) // it holds the desk key wrapped under the approver's password
	// The code was for one desk only.
	var o, e bytes.Buffer
	if run(ctx, []string{"enroll", "--db", filepath.Join(tmp, "desk2.db"), "--fingerprint", fp[1], "--approver", "duyet.tmc",
		"--password-file", pw, "https://" + addr, code}, stdio{in: strings.NewReader(""), out: &o, err: &e}) == exitOK {
		t.Fatal("an enrollment code worked twice")
	}
	desk, err := store.Open(ctx, deskDB)
	if err != nil {
		t.Fatal(err)
	}
	d, err := desk.Desk(ctx)
	if err != nil || d.Unit != 28291 || d.Number != 1 {
		t.Fatalf("desk record %+v %v", d, err)
	}
	approver, err := desk.Login(ctx, "duyet.tmc", "duyet-2021")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.UnlockSigner(ctx, approver, "duyet-2021"); err != nil {
		t.Fatalf("approver cannot unlock the desk key: %v", err)
	}
	desk.Close()
	// One round from the shell, as a scheduled task runs it.
	out, progress := runCmd(t, ctx, "sync", "--db", deskDB)
	if !strings.Contains(progress, "Đang đồng bộ với máy chủ tỉnh") || !strings.Contains(out, "Đã gửi ") ||
		!strings.Contains(out, "còn 0 thao tác chờ gửi") || !strings.Contains(out, "Đồng bộ xong lúc") {
		t.Fatalf("sync:\n%s%s", progress, out)
	}
	out, _ = runCmd(t, ctx, "server", "desks", "list", "--dir", dir)
	if !strings.Contains(out, d.ID) {
		t.Fatalf("desks list:\n%s", out)
	}
	csvFile := filepath.Join(tmp, "report.csv")
	runCmd(t, ctx, "server", "report", "--dir", dir, "--unit", "28291", "--from", "01/09/2021", "--to", "31/12/2030", "--csv", csvFile)
	if b, err := os.ReadFile(csvFile); err != nil || !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("report CSV: %v", err)
	}
	runCmd(t, ctx, "server", "tokens", "revoke", "--dir", dir, d.ID)
	stop()
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("server run exited %d:\n%s", code, logs.String())
		}
	case <-time.After(5 * time.Minute): // a safety net for a lost stop, not a speed target
		t.Fatal("server did not stop")
	}
	for _, args := range [][]string{{"server", "--help"}, {"server", "init", "--help"}, {"server", "run", "--help"}, {"enroll", "--help"},
		{"server", "report", "--help"}, {"server", "officers", "--help"}, {"server", "desks", "--help"}, {"server", "tokens", "--help"}} {
		out, _ := runCmd(t, ctx, args...)
		if !strings.Contains(out, "Cách dùng") {
			t.Fatalf("%v has no Vietnamese help:\n%s", args, out)
		}
	}
}
