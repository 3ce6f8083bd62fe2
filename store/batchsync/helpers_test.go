package batchsync

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/central"
	"thonghanh/store/seal"
)

// The province's first day of QR permits: central and desks run on it.
var sept21 = time.Date(2021, 9, 21, 8, 0, 0, 0, store.Vietnam)

const (
	unitA    = 28291         // Xã Tân Mỹ Chánh, Thành phố Mỹ Tho
	unitB    = 28294         // another commune of Mỹ Tho
	unitDept = 820101        // Sở Công Thương
	password = "demo-pass-1" // an approver's: 10 characters at least
)

func TestMain(m *testing.M) {
	if dir := os.Getenv("THONGHANH_SYNC_SERVE_DIR"); dir != "" {
		serveForTest(dir) // the subprocess of TestFailure17ServerKilledMidBatch
		return
	}
	seal.DefaultKeyParams = seal.CheapKeyParams
	store.DefaultPasswordParams = store.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1}
	os.Exit(m.Run())
}

// env is a central server on loopback, over a real central database.
type env struct {
	t       testing.TB
	dir     string
	root    ed25519.PrivateKey
	central *central.DB
	srv     *Server
	ts      *httptest.Server
	url     string
	pin     string
	clock   atomic.Pointer[time.Time]
	opts    ServerOptions // the server's, kept across restoreCentral
}

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, dir: t.TempDir()}
	now := sept21
	e.clock.Store(&now)
	_, e.root, _ = seal.GenerateKey()
	e.openCentral()
	if err := e.central.InitCentral(ctx, e.root); err != nil {
		t.Fatal(err)
	}
	for _, u := range []uint32{unitA, unitB, unitDept} {
		if _, err := e.central.CreateOfficer(ctx, "", store.NewOfficer{Username: fmt.Sprintf("duyet.%d", u), FullName: "Nguyễn Văn Duyệt",
			Unit: u, Roles: []store.Role{store.RoleApprover, store.RoleClerk}, Password: password}); err != nil {
			t.Fatal(err)
		}
	}
	e.start()
	t.Cleanup(e.stop)
	return e
}

func (e *env) openCentral() {
	db, err := central.Open(context.Background(), filepath.Join(e.dir, "central.db"))
	if err != nil {
		e.t.Fatal(err)
	}
	db.SetClock(func() time.Time { return *e.clock.Load() })
	e.central = db
}

func (e *env) setClock(t time.Time) { e.clock.Store(&t) }

func (e *env) start() {
	e.srv = NewServer(e.central, e.root, e.opts)
	e.ts = httptest.NewUnstartedServer(e.srv)
	e.ts.StartTLS()
	e.url = e.ts.URL
	e.pin = Fingerprint(e.ts.Certificate().Raw)
	if !strings.HasPrefix(e.ts.Listener.Addr().String(), "127.0.0.1:") {
		e.t.Fatalf("test server not on loopback: %s", e.ts.Listener.Addr())
	}
}

func (e *env) stop() {
	if e.ts != nil {
		e.ts.Close()
		e.ts = nil
	}
	if e.central != nil {
		e.central.Close()
		e.central = nil
	}
}

// serveWith serves the same database again with opt (a new address: enroll
// the desks after it).
func (e *env) serveWith(opt ServerOptions) {
	e.ts.Close()
	e.opts = opt
	e.start()
}

// restoreCentral stops the server, replaces its database (and journals)
// with the backup file, and serves again: a province restoring last night's
// copy after a disk failure.
func (e *env) restoreCentral(backup string) {
	e.t.Helper()
	e.stop()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(filepath.Join(e.dir, "central.db") + suffix)
	}
	data, err := os.ReadFile(backup)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(e.dir, "central.db"), data, 0o600); err != nil {
		e.t.Fatal(err)
	}
	e.openCentral()
	e.start()
}

// enroll makes a desk of unit through POST /v1/enroll.
func (e *env) enroll(unit uint32) *store.DB {
	e.t.Helper()
	ctx := context.Background()
	code, _, err := e.central.CreateEnrollCode(ctx, unit, time.Hour)
	if err != nil {
		e.t.Fatal(err)
	}
	desk, err := store.Open(ctx, filepath.Join(e.t.TempDir(), "desk.db"))
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { desk.Close() })
	desk.SetClock(func() time.Time { return *e.clock.Load() })
	if _, err := Enroll(ctx, desk, EnrollOptions{URL: e.url, Code: code, Pin: e.pin, Approver: fmt.Sprintf("duyet.%d", unit), Password: password}); err != nil {
		e.t.Fatal(err)
	}
	return desk
}

// patience bounds every wait of these tests for an answer: long enough
// for the race detector on a busy two-core machine, where every step runs
// ten times slower, and there only to end a test whose answer never comes.
// No test waits it out when all goes well.
const patience = 5 * time.Minute

// client is a desk's client; wrap injects faults.
func (e *env) client(desk *store.DB, wrap func(http.RoundTripper) http.RoundTripper) *Client {
	e.t.Helper()
	c, err := NewClient(context.Background(), desk, ClientOptions{URL: e.url, WrapTransport: wrap, MinBackoff: 10 * time.Millisecond,
		MaxBackoff: 50 * time.Millisecond, RequestTimeout: patience, PageSize: 200})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// person numbers a valid CCCD for a man born in 1980.
func person(commune uint32, i int) store.Person {
	return store.Person{IDNumber: fmt.Sprintf("082080%06d", i), FullName: "Trần Văn Bình", BirthDate: time.Date(1980, 5, 5, 0, 0, 0, 0, store.Vietnam),
		Sex: store.SexMale, Commune: commune, Hamlet: "Ấp 1"}
}

var personSeq atomic.Int64

// submit records n category-4 applications of residents of commune at desk:
// 2n outbox ops (person, application) and an audit entry per 500.
func submit(t testing.TB, desk *store.DB, commune uint32, n int) []store.Application {
	t.Helper()
	ctx := context.Background()
	start := store.StartOfDay(desk.Now()).AddDate(0, 0, 1)
	var out []store.Application
	for i := 0; i < n; i += 500 {
		var ins []store.Intake
		for j := i; j < min(n, i+500); j++ {
			p := person(commune, int(personSeq.Add(1)))
			ins = append(ins, store.Intake{Person: p, Application: store.Application{Category: store.CatResident, Purpose: store.PurposeFood,
				Area: []uint32{commune}, Route: "Nhà → chợ", ValidFrom: start.Add(7 * time.Hour), ValidUntil: start.AddDate(0, 0, 3)}})
		}
		apps, err := desk.SubmitBatch(ctx, store.System(), ins)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, apps...)
	}
	return out
}

// approve approves ids at desk as its unit's approver; returns the serials.
func approve(t testing.TB, desk *store.DB, ids ...string) []string {
	t.Helper()
	ctx := context.Background()
	d, _ := desk.Desk(ctx)
	o, err := desk.Login(ctx, fmt.Sprintf("duyet.%d", d.Unit), password)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := desk.UnlockSigner(ctx, o, password)
	if err != nil {
		t.Fatal(err)
	}
	res, err := desk.Approve(ctx, o, signer, ids)
	if err != nil {
		t.Fatal(err)
	}
	var serials []string
	for _, r := range res {
		if r.Err != nil {
			t.Fatalf("approve %s: %v", r.ApplicationID, r.Err)
		}
		serials = append(serials, r.Serial)
	}
	return serials
}

func ids(apps []store.Application) []string {
	out := make([]string, len(apps))
	for i, a := range apps {
		out[i] = a.ID
	}
	return out
}

func mustSync(t testing.TB, c *Client) {
	t.Helper()
	if err := c.Sync(context.Background()); err != nil {
		t.Fatalf("sync: %v", err)
	}
}

func outboxStates(t testing.TB, desk *store.DB) map[string]int {
	t.Helper()
	m, err := desk.OutboxCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func count(t testing.TB, db *store.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// checkExactlyOnce: every op of the desk's outbox that the desk counts as
// settled is held by the central database exactly once, with the same
// payload hash; the central holds no op of this desk the desk does not
// have; every application op made exactly one application and every
// accepted permit exactly one permit. With allSettled, nothing may still be
// waiting on the desk.
func checkExactlyOnce(t testing.TB, centre *central.DB, desk *store.DB, allSettled bool) {
	t.Helper()
	ctx := context.Background()
	d, err := desk.Desk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := desk.SQL().QueryContext(ctx, `SELECT op_id, entity, entity_id, payload_hash, state FROM outbox ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	settled, total := 0, 0
	for rows.Next() {
		var opID, entity, entityID, state string
		var hash []byte
		if err := rows.Scan(&opID, &entity, &entityID, &hash, &state); err != nil {
			t.Fatal(err)
		}
		total++
		var n int
		var held []byte
		var status string
		err := centre.SQL().QueryRow(`SELECT COUNT(*), MAX(payload_hash), COALESCE(MAX(status), '') FROM sync_ops WHERE desk_id = ? AND op_id = ?`,
			d.ID, opID).Scan(&n, &held, &status)
		if err != nil {
			t.Fatal(err)
		}
		switch state {
		case store.OpPending, store.OpInFlight:
			if allSettled {
				t.Fatalf("op %s (%s) still %s on the desk", opID, entity, state)
			}
			continue
		}
		settled++
		if n != 1 || string(held) != string(hash) {
			t.Fatalf("op %s (%s %s, desk state %s): central holds it %d times (hash match %v)", opID, entity, entityID, state, n, string(held) == string(hash))
		}
		if entity == "application" && status == store.PushAccepted {
			if got := count(t, centre.DB, `SELECT COUNT(*) FROM applications WHERE id = ?`, entityID); got != 1 {
				t.Fatalf("application %s: %d rows on the central", entityID, got)
			}
		}
		if entity == "decision" && status == store.PushAccepted {
			if got := count(t, centre.DB, `SELECT COUNT(*) FROM permits WHERE application_id = ?`, entityID); got > 1 {
				t.Fatalf("application %s: %d permits on the central", entityID, got)
			}
		}
	}
	if held := count(t, centre.DB, `SELECT COUNT(*) FROM sync_ops WHERE desk_id = ?`, d.ID); held != settled && allSettled {
		t.Fatalf("central holds %d ops of desk %s, the desk settled %d of %d", held, d.ID, settled, total)
	}
	if total == 0 {
		t.Fatal("the desk made no op: nothing was tested")
	}
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// isPush reports whether r is a push.
func isPush(r *http.Request) bool { return r.URL.Path == PathPush }

// rawPush posts ops as desk would, with its token, and returns the results.
func rawPush(t testing.TB, e *env, desk *store.DB, ops []store.PushOp) []store.OpResult {
	t.Helper()
	ctx := context.Background()
	d, _ := desk.Desk(ctx)
	tok, _, _ := desk.Setting(ctx, store.SettingSyncToken)
	var resp PushResponse
	hc := &http.Client{Transport: pinnedTransport(e.pin, nil)}
	err := exchange(ctx, hc, patience, http.MethodPost, e.url+PathPush, string(tok),
		PushRequest{DeskID: d.ID, BatchID: "raw", SchemaVersion: store.SchemaVersion(), Ops: ops}, &resp)
	if err != nil {
		t.Fatal(err)
	}
	return resp.Results
}

// pendingOps reads the desk's pending outbox ops as they go on the wire.
func pendingOps(t testing.TB, desk *store.DB) []store.PushOp {
	t.Helper()
	rows, err := desk.SQL().Query(`SELECT op_id, entity, entity_id, op, payload, payload_hash FROM outbox WHERE state = 'pending' ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []store.PushOp
	for rows.Next() {
		var o store.PushOp
		var payload, hash []byte
		if err := rows.Scan(&o.OpID, &o.Entity, &o.EntityID, &o.Op, &payload, &hash); err != nil {
			t.Fatal(err)
		}
		o.Payload = json.RawMessage(payload)
		o.Hash = fmt.Sprintf("%x", hash)
		out = append(out, o)
	}
	return out
}

// cutProxy is a TCP proxy on loopback that forwards to target and, while
// armed, cuts both directions once cutAfter bytes have gone client→server.
type cutProxy struct {
	ln       net.Listener
	target   string
	cutAfter int64
	armed    atomic.Bool
	cuts     atomic.Int32
	wg       sync.WaitGroup
	mu       sync.Mutex
	conns    []net.Conn
}

func (p *cutProxy) track(c net.Conn) {
	p.mu.Lock()
	p.conns = append(p.conns, c)
	p.mu.Unlock()
}

func newCutProxy(t testing.TB, target string, cutAfter int64) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target, cutAfter: cutAfter}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				p.serve(c)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		for _, c := range p.conns {
			c.Close()
		}
		p.mu.Unlock()
		p.wg.Wait()
	})
	return p
}

func (p *cutProxy) serve(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer server.Close()
	p.track(client)
	p.track(server)
	done := make(chan struct{}, 2)
	go func() {
		io.Copy(client, server)
		done <- struct{}{}
	}()
	go func() {
		buf := make([]byte, 4096)
		var sent int64
		for {
			n, err := client.Read(buf)
			if n > 0 {
				if p.armed.Load() && sent+int64(n) > p.cutAfter {
					server.Write(buf[:p.cutAfter-sent])
					p.cuts.Add(1)
					p.armed.Store(false)
					client.Close()
					server.Close()
					break
				}
				server.Write(buf[:n])
				sent += int64(n)
			}
			if err != nil {
				break
			}
		}
		done <- struct{}{}
	}()
	<-done
}

// enqueue writes an outbox row in tx as the store's own writes queue one:
// failure tests push ops no use case of the store makes (a forged audit
// entry, another unit's enterprise, a bare revocation).
func enqueue(tx *store.Tx, entity, entityID, op string, payload any) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	hash := sha256.Sum256(body)
	_, err = tx.Exec(`INSERT INTO outbox (created_at, updated_at, op_id, entity, entity_id, op, payload, payload_hash)
		VALUES (?1, ?1, ?, ?, ?, ?, ?, ?)`, tx.Now.Unix(), store.NewID(tx.Now), entity, entityID, op, body, hash[:])
	return err
}
