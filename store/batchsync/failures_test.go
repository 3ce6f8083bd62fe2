package batchsync

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/central"
)

// SYNC.md, "Failures it must survive": one test each, against a real server
// on loopback, each ending with the central holding every op exactly once.

func TestFailure01ConnectionCutMidPush(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 300)
	proxy := newCutProxy(t, e.ts.Listener.Addr().String(), 16<<10)
	proxy.armed.Store(true)
	c, err := NewClient(context.Background(), desk, ClientOptions{URL: "https://" + proxy.ln.Addr().String(), RequestTimeout: patience})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Sync(context.Background()); err == nil {
		t.Fatal("sync through a cut connection succeeded")
	}
	if proxy.cuts.Load() != 1 {
		t.Fatalf("proxy cut %d times, want 1", proxy.cuts.Load())
	}
	if st := outboxStates(t, desk); st[store.OpInFlight] != 0 || st[store.OpPending] == 0 {
		t.Fatalf("after the cut: %v; want ops pending again, none in flight", st)
	}
	if s := c.State(); s.LastError == "" || s.Running {
		t.Fatalf("state after the cut = %+v", s)
	}
	mustSync(t, c)
	checkExactlyOnce(t, e.central, desk, true)
}

func TestFailure02ResponseLostResendIsDuplicate(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 20)
	var lost atomic.Bool
	lost.Store(true)
	var duplicates atomic.Int32
	c := e.client(desk, func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := rt.RoundTrip(r)
			if err != nil || !isPush(r) {
				return resp, err
			}
			if lost.CompareAndSwap(true, false) {
				resp.Body.Close()
				return nil, errors.New("connection reset by peer (the answer was lost)")
			}
			body, _ := io.ReadAll(resp.Body)
			duplicates.Add(int32(bytes.Count(body, []byte(`"status":"duplicate"`))))
			resp.Body = io.NopCloser(bytes.NewReader(body))
			return resp, nil
		})
	})
	if err := c.Sync(context.Background()); err == nil {
		t.Fatal("a lost answer counted as success")
	}
	// 20 people, 20 applications and the submission's audit entry.
	if held := count(t, e.central.DB, `SELECT COUNT(*) FROM sync_ops`); held != 41 {
		t.Fatalf("the server committed %d ops before the answer was lost, want 41", held)
	}
	mustSync(t, c)
	if duplicates.Load() != 41 {
		t.Fatalf("resend got %d duplicates, want 41", duplicates.Load())
	}
	checkExactlyOnce(t, e.central, desk, true)
}

func TestFailure03ResendWeeksLater(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	apps := submit(t, desk, unitA, 10)
	approve(t, desk, ids(apps[:5])...)
	c := e.client(desk, nil)
	mustSync(t, c)
	// The desk lost its answers (restored its own disk); three weeks pass.
	if _, err := desk.RequeueSettled(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.setClock(sept21.AddDate(0, 0, 21))
	ops := pendingOps(t, desk)
	for _, r := range rawPush(t, e, desk, ops) {
		if r.Status != store.PushDuplicate || r.Original != store.PushAccepted {
			t.Fatalf("op %s resent weeks later: %s/%s %s", r.OpID, r.Status, r.Original, r.Message)
		}
	}
	mustSync(t, c)
	checkExactlyOnce(t, e.central, desk, true)
}

func TestFailure04SameOpIDDifferentPayload(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 3)
	ops := pendingOps(t, desk)
	c := e.client(desk, nil)
	mustSync(t, c)
	forged := ops[1]
	forged.Payload = bytes.Replace(forged.Payload, []byte(`"route":"Nhà → chợ"`), []byte(`"route":"Đi khắp tỉnh"`), 1)
	forged.Hash = ""
	if bytes.Equal(forged.Payload, ops[1].Payload) {
		t.Fatal("test did not change the payload")
	}
	res := rawPush(t, e, desk, []store.PushOp{forged})
	if len(res) != 1 || res[0].Status != store.PushRejected || res[0].Code != central.CodeMismatch {
		t.Fatalf("same op_id, other payload = %+v, want rejected %s", res, central.CodeMismatch)
	}
	var route string
	e.central.SQL().QueryRow(`SELECT route FROM applications WHERE id = ?`, ops[1].EntityID).Scan(&route)
	if route != "Nhà → chợ" {
		t.Fatalf("the forged resend changed the record: route %q", route)
	}
	checkExactlyOnce(t, e.central, desk, true)
}

func TestFailure05ConcurrentPushesOfSameOps(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 100)
	ops := pendingOps(t, desk)
	var wg sync.WaitGroup
	results := make([][]store.OpResult, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = rawPush(t, e, desk, ops)
		}()
	}
	wg.Wait()
	for j, op := range ops {
		accepted := 0
		for i := range results {
			switch r := results[i][j]; r.Status {
			case store.PushAccepted:
				accepted++
			case store.PushDuplicate:
			default:
				t.Fatalf("op %s: %+v", op.OpID, r)
			}
		}
		if accepted != 1 {
			t.Fatalf("op %s accepted %d times by 4 racing pushes", op.OpID, accepted)
		}
	}
	mustSync(t, e.client(desk, nil))
	checkExactlyOnce(t, e.central, desk, true)
}

func TestFailure06DeskCrashWithOpsInFlight(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 50)
	ctx := context.Background()
	claimed, err := desk.ClaimOutbox(ctx, 0, 60, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var wire []store.PushOp
	for _, o := range claimed {
		wire = append(wire, store.PushOp{OpID: o.OpID, Entity: o.Entity, EntityID: o.EntityID, Op: o.Op, Payload: o.Payload})
	}
	rawPush(t, e, desk, wire) // the server commits; then the desk crashes before settling
	if st := outboxStates(t, desk); st[store.OpInFlight] != 60 {
		t.Fatalf("before the crash: %v", st)
	}
	c := e.client(desk, nil) // the restarted desk
	if st := outboxStates(t, desk); st[store.OpInFlight] != 0 {
		t.Fatalf("after restart ops still in flight: %v", st)
	}
	mustSync(t, c)
	checkExactlyOnce(t, e.central, desk, true)
}

func TestFailure07DeskCrashBetweenPageAndCursor(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 5)
	ctx := context.Background()
	// Online applications for the desk's commune: they reach it by pull.
	var online []string
	for i := range 30 {
		a, err := e.central.SubmitOnline(ctx, store.Intake{Person: person(unitA, 900000+i), Application: store.Application{
			Category: store.CatResident, Purpose: store.PurposeMedical, Area: []uint32{unitA}, Route: "Nhà → trạm y tế",
			ValidFrom: sept21.AddDate(0, 0, 1), ValidUntil: sept21.AddDate(0, 0, 3)}})
		if err != nil {
			t.Fatal(err)
		}
		online = append(online, a.ID)
	}
	c := e.client(desk, nil)
	crash := errors.New("power cut")
	c.beforeCursor = func() error {
		c.beforeCursor = nil
		return crash
	}
	before, _, _ := desk.Setting(ctx, store.SettingSyncCursor)
	if err := c.Sync(ctx); !errors.Is(err, crash) {
		t.Fatalf("sync = %v, want the crash", err)
	}
	after, _, _ := desk.Setting(ctx, store.SettingSyncCursor)
	if string(before) != string(after) {
		t.Fatalf("cursor moved from %s to %s though the page was not applied", before, after)
	}
	if n := count(t, desk, `SELECT COUNT(*) FROM applications WHERE source = 'online'`); n != 0 {
		t.Fatalf("%d online applications applied without the cursor", n)
	}
	mustSync(t, c)
	for _, id := range online {
		if n := count(t, desk, `SELECT COUNT(*) FROM applications WHERE id = ?`, id); n != 1 {
			t.Fatalf("online application %s on the desk %d times", id, n)
		}
	}
	queue, err := desk.Queue(ctx, unitA)
	if err != nil || len(queue) != 35 {
		t.Fatalf("desk queue has %d applications (%v), want 35", len(queue), err)
	}
	checkExactlyOnce(t, e.central, desk, true)
}

func TestFailure08PartialBatch(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 10)
	ctx := context.Background()
	err := desk.Write(ctx, func(tx *store.Tx) error {
		// An enterprise for another unit's licence: not this commune's to register.
		if err := enqueue(tx, "enterprise", "E1", "put", store.Enterprise{ID: "E1", Name: "Công ty May Mỹ Tho", TaxCode: "1200100100",
			District: 815, ManagingUnit: 820301}); err != nil {
			return err
		}
		// An audit entry whose hash does not match.
		return enqueue(tx, "audit", "A1", "append", store.AuditEntry{Seq: 999, ID: "A1", Action: "approve", Hash: []byte("forged")})
	})
	if err != nil {
		t.Fatal(err)
	}
	submit(t, desk, unitA, 10)
	mustSync(t, e.client(desk, nil))
	st := outboxStates(t, desk)
	if st[store.OpRejected] != 2 || st[store.OpDone] == 0 || st[store.OpPending] != 0 {
		t.Fatalf("partial batch: %v, want 2 rejected and the rest done", st)
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM applications`); n != 20 {
		t.Fatalf("central has %d applications, want 20", n)
	}
	checkExactlyOnce(t, e.central, desk, true)
}

func TestFailure09OpsOutOfOrder(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	apps := submit(t, desk, unitA, 3)
	approve(t, desk, apps[0].ID)
	ops := pendingOps(t, desk)
	reversed := make([]store.PushOp, len(ops))
	for i, o := range ops {
		reversed[len(ops)-1-i] = o
	}
	res := rawPush(t, e, desk, reversed)
	retry := 0
	for _, r := range res {
		if r.Retryable {
			retry++
			// An audit entry ahead of the one it chains from waits too.
			if r.Code != central.CodeMissing && r.Code != central.CodeAuditChain {
				t.Fatalf("retryable op %s code %s", r.OpID, r.Code)
			}
		}
	}
	if retry == 0 {
		t.Fatal("ops in reverse order were all applied: nothing depended on anything")
	}
	c := e.client(desk, nil)
	mustSync(t, c)
	mustSync(t, c)
	var status string
	e.central.SQL().QueryRow(`SELECT status FROM applications WHERE id = ?`, apps[0].ID).Scan(&status)
	if status != store.StatusApproved {
		t.Fatalf("approved application is %q on the central", status)
	}
	checkExactlyOnce(t, e.central, desk, true)
}

func TestFailure10DecisionRace(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	d1, d2 := e.enroll(unitA), e.enroll(unitA)
	c1, c2 := e.client(d1, nil), e.client(d2, nil)
	apps := submit(t, d1, unitA, 2)
	mustSync(t, c1)
	mustSync(t, c2) // desk 2 learns the applications of its unit's queue
	if q, _ := d2.Queue(ctx, unitA); len(q) != 2 {
		t.Fatalf("desk 2 sees %d applications of its queue, want 2", len(q))
	}
	won := approve(t, d1, apps[0].ID)[0]
	lost := approve(t, d2, apps[0].ID)[0]
	mustSync(t, c1)
	mustSync(t, c2)
	if st := outboxStates(t, d2); st[store.OpConflict] != 1 {
		t.Fatalf("loser's outbox: %v, want one conflict", st)
	}
	p, err := d2.Permit(ctx, lost)
	if err != nil || p.RevokedAt.IsZero() {
		t.Fatalf("loser's permit %s not revoked on its desk: %+v %v", lost, p, err)
	}
	if revoked, _ := d2.IsRevoked(ctx, lost); !revoked {
		t.Fatal("loser's serial not on its desk's revocation list")
	}
	a, _ := d2.Application(ctx, apps[0].ID)
	if a.Status != store.StatusApproved || a.Version != 2 {
		t.Fatalf("loser's desk holds %s v%d, want the server's approved v2", a.Status, a.Version)
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM revocations WHERE serial = ?`, lost); n != 1 {
		t.Fatal("server did not revoke the losing permit")
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM permits WHERE serial = ?`, won); n != 1 {
		t.Fatal("winning permit missing on the central")
	}
	mustSync(t, c1) // the winner's desk learns the revocation too
	if revoked, _ := d1.IsRevoked(ctx, lost); !revoked {
		t.Fatal("the other desk did not learn the revocation by pull")
	}
	checkExactlyOnce(t, e.central, d1, true)
	checkExactlyOnce(t, e.central, d2, true)
}

func TestFailure11DeskClockOffByDays(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	desk.SetClock(func() time.Time { return sept21.AddDate(0, 0, 4) })
	apps := submit(t, desk, unitA, 10)
	approve(t, desk, ids(apps[:4])...)
	mustSync(t, e.client(desk, nil))
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM applications WHERE status = 'approved'`); n != 4 {
		t.Fatalf("central approved %d, want 4", n)
	}
	checkExactlyOnce(t, e.central, desk, true)
}

func TestFailure12CaptivePortal(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 10)
	var portal atomic.Bool
	portal.Store(true)
	c := e.client(desk, func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if portal.Load() {
				return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Request: r,
					Body: io.NopCloser(strings.NewReader("<html><body>Đăng nhập Wi-Fi miễn phí</body></html>"))}, nil
			}
			return rt.RoundTrip(r)
		})
	})
	err := c.Sync(context.Background())
	if !errors.Is(err, ErrNotProtocol) {
		t.Fatalf("sync behind a captive portal = %v, want ErrNotProtocol", err)
	}
	if st := outboxStates(t, desk); st[store.OpDone] != 0 {
		t.Fatalf("ops marked done behind a portal: %v", st)
	}
	// A portal answering JSON of another shape is refused too.
	portal.Store(false)
	wrongJSON := e.client(desk, func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Request: r,
				Body: io.NopCloser(strings.NewReader(`{"status":"ok"}`))}, nil
		})
	})
	if err := wrongJSON.Sync(context.Background()); !errors.Is(err, ErrNotProtocol) {
		t.Fatalf("sync against foreign JSON = %v", err)
	}
	mustSync(t, c)
	checkExactlyOnce(t, e.central, desk, true)
}

func TestFailure13ProxyTooLarge(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 400)
	var refused atomic.Int32
	c := e.client(desk, func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if isPush(r) && r.ContentLength > 12<<10 {
				refused.Add(1)
				return &http.Response{StatusCode: 413, Header: http.Header{"Content-Type": {"text/html"}}, Request: r,
					Body: io.NopCloser(strings.NewReader("<h1>413 Request Entity Too Large</h1>nginx"))}, nil
			}
			return rt.RoundTrip(r)
		})
	})
	mustSync(t, c)
	if refused.Load() == 0 {
		t.Fatal("the proxy never refused: batches were already small")
	}
	checkExactlyOnce(t, e.central, desk, true)
}

func TestFailure14TokenRevokedMidSync(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 400) // 801 ops: two batches
	d, _ := desk.Desk(context.Background())
	var pushes atomic.Int32
	c := e.client(desk, func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := rt.RoundTrip(r)
			if isPush(r) && pushes.Add(1) == 1 {
				if _, err := e.central.RevokeTokens(context.Background(), d.ID); err != nil {
					t.Error(err)
				}
			}
			return resp, err
		})
	})
	err := c.Sync(context.Background())
	if !errors.Is(err, ErrRevoked) || !c.Revoked() {
		t.Fatalf("sync after revocation = %v (revoked %v), want ErrRevoked", err, c.Revoked())
	}
	if !strings.Contains(c.State().LastError, "thu hồi") {
		t.Fatalf("the desk does not say it was revoked: %q", c.State().LastError)
	}
	if err := c.Sync(context.Background()); !errors.Is(err, ErrRevoked) {
		t.Fatal("a revoked desk kept syncing")
	}
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	if err := c.Run(ctx); !errors.Is(err, ErrRevoked) {
		t.Fatalf("background loop of a revoked desk = %v, want it to stop with ErrRevoked", err)
	}
	st := outboxStates(t, desk)
	if st[store.OpDone] != 500 || st[store.OpPending] != 301 {
		t.Fatalf("after revocation: %v; want the first batch done and the rest kept pending", st)
	}
	checkExactlyOnce(t, e.central, desk, false)
}

func TestFailure15ServerRestoredFromOlderBackup(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	apps := submit(t, desk, unitA, 20)
	c := e.client(desk, nil)
	mustSync(t, c)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := e.central.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	approve(t, desk, ids(apps[:5])...)
	submit(t, desk, unitA, 20)
	mustSync(t, c)
	// The server's disk dies; the province restores last night's backup.
	e.restoreCentral(backup)
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM applications`); n != 20 {
		t.Fatalf("restored server has %d applications, want the backup's 20", n)
	}
	c = e.client(desk, nil) // same desk, the server's new address
	mustSync(t, c)
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM applications`); n != 40 {
		t.Fatalf("after resync the server has %d applications, want 40", n)
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM permits`); n != 5 {
		t.Fatalf("after resync the server has %d permits, want 5", n)
	}
	checkExactlyOnce(t, e.central, desk, true)
}

func TestFailure16ManyOpsAfterWeeksOffline(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	day := sept21
	desk.SetClock(func() time.Time { return day })
	for week := range 3 {
		day = sept21.AddDate(0, 0, 7*week)
		submit(t, desk, unitA, 2500/3+1)
	}
	if n, _ := desk.OutboxWaiting(context.Background()); n < 5000 {
		t.Fatalf("desk has %d ops waiting, want at least 5,000", n)
	}
	e.setClock(sept21.AddDate(0, 0, 21))
	var pushes atomic.Int32
	c := e.client(desk, func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if isPush(r) {
				pushes.Add(1)
			}
			return rt.RoundTrip(r)
		})
	})
	mustSync(t, c)
	if pushes.Load() < 10 {
		t.Fatalf("5,000 ops went in %d pushes: batches not bounded", pushes.Load())
	}
	checkExactlyOnce(t, e.central, desk, true)
}

// stallAfter is how many pushed ops the first server of TestFailure17
// applies before it stops in the middle of the batch, waiting to be killed
// (it says so in the file "stalled" of its directory).
const stallAfter = 100

// serveForTest is the subprocess of TestFailure17: a real server over dir.
// With THONGHANH_SYNC_STALL set it applies stallAfter ops and then stops
// before the next, so the test kills it in the middle of a batch on any
// machine, at any speed.
func serveForTest(dir string) {
	ctx := context.Background()
	stall := os.Getenv("THONGHANH_SYNC_STALL") != ""
	// The province run may ask for a shorter push limit than the default,
	// to see the centre refuse at a size that runs in a minute.
	busyAfter, _ := time.ParseDuration(os.Getenv("THONGHANH_SYNC_BUSY_AFTER"))
	var applied atomic.Int64
	err := Serve(ctx, ServeOptions{Dir: dir, Addr: "127.0.0.1:0", BusyAfter: busyAfter,
		opHook: func(store.PushOp) {
			if stall && applied.Add(1) > stallAfter {
				os.WriteFile(filepath.Join(dir, "stalled"), nil, 0o600)
				select {} // until SIGKILL
			}
		},
		Ready: func(addr string) {
			os.WriteFile(filepath.Join(dir, "addr.tmp"), []byte(addr), 0o600)
			os.Rename(filepath.Join(dir, "addr.tmp"), filepath.Join(dir, "addr"))
		}})
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
	os.Exit(0)
}

func startServerProcess(t *testing.T, dir string, stall bool) (*exec.Cmd, string) {
	t.Helper()
	os.Remove(filepath.Join(dir, "addr"))
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "THONGHANH_SYNC_SERVE_DIR="+dir)
	if stall {
		cmd.Env = append(cmd.Env, "THONGHANH_SYNC_STALL=1")
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(patience)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(filepath.Join(dir, "addr")); err == nil {
			return cmd, "https://" + string(b)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	t.Fatal("server subprocess did not start")
	return nil, ""
}

func TestFailure17ServerKilledMidBatch(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := InitServerDir(ctx, InitOptions{Dir: dir, Insecure: true}); err != nil {
		t.Fatal(err)
	}
	central, err := OpenCentral(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer central.Close()
	if _, err := central.CreateOfficer(ctx, "", store.NewOfficer{Username: "duyet", FullName: "Lê Thị Duyệt", Unit: unitA,
		Roles: []store.Role{store.RoleApprover}, Password: password}); err != nil {
		t.Fatal(err)
	}
	code, _, err := central.CreateEnrollCode(ctx, unitA, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pin, _ := CertFingerprint(dir)
	proc, url := startServerProcess(t, dir, true)
	desk, err := store.Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer desk.Close()
	if _, err := Enroll(ctx, desk, EnrollOptions{URL: url, Code: code, Pin: pin, Approver: "duyet", Password: password}); err != nil {
		t.Fatal(err)
	}
	submit(t, desk, unitA, 250) // 500 ops, one batch
	c, err := NewClient(ctx, desk, ClientOptions{RequestTimeout: patience})
	if err != nil {
		t.Fatal(err)
	}
	syncErr := make(chan error, 1)
	go func() { syncErr <- c.Sync(ctx) }()
	killed := false
	for deadline := time.Now().Add(patience); time.Now().Before(deadline); {
		if _, err := os.Stat(filepath.Join(dir, "stalled")); err == nil {
			proc.Process.Signal(syscall.SIGKILL)
			killed = true
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	proc.Wait()
	if !killed {
		t.Fatal("the batch never started")
	}
	if err := <-syncErr; err == nil {
		t.Fatal("sync against a killed server succeeded")
	}
	// The batch applies in one transaction: killed after applying
	// stallAfter of its ops, the server kept none of them.
	if held := count(t, central.DB, `SELECT COUNT(*) FROM sync_ops`); held != 0 {
		t.Fatalf("server held %d ops after SIGKILL in the middle of one batch, want none", held)
	}
	proc, url = startServerProcess(t, dir, false)
	defer func() {
		proc.Process.Signal(syscall.SIGTERM)
		proc.Wait()
	}()
	c, err = NewClient(ctx, desk, ClientOptions{URL: url, RequestTimeout: patience})
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, c)
	checkExactlyOnce(t, central, desk, true)
	if n := count(t, central.DB, `SELECT COUNT(*) FROM applications`); n != 250 {
		t.Fatalf("central has %d applications, want 250", n)
	}
}
