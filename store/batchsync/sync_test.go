package batchsync

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/central"
	"thonghanh/store/seal"
)

// modifiedApproval enqueues, on desk, a decision op a modified desk would
// send: it approves app with a permit sealed by signer, whatever the rules.
func modifiedApproval(t *testing.T, desk *store.DB, signer *seal.Signer, unit uint32, app store.Application) string {
	t.Helper()
	ctx := context.Background()
	d, _ := desk.Desk(ctx)
	p, err := desk.Person(ctx, app.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	o, err := desk.Login(ctx, fmt.Sprintf("duyet.%d", d.Unit), password)
	if err != nil {
		t.Fatal(err)
	}
	serial := fmt.Sprintf("%d-%d-2021-%06d", d.Unit, d.Number, 900+len(app.ID)%7)
	qr, err := signer.Seal(seal.Payload{Kind: seal.KindPermit, Serial: serial, Unit: unit, Category: uint8(app.Category), Name: p.FullName,
		IDNumber: p.IDNumber, ValidFrom: app.ValidFrom, ValidUntil: app.ValidUntil, Area: app.Area, Route: app.Route,
		Purpose: seal.Purpose(app.Purpose), IssuedAt: desk.Now()})
	if err != nil {
		t.Fatal(err)
	}
	dec := store.Decision{ApplicationID: app.ID, ExpectedVersion: app.Version, Outcome: store.StatusApproved, Officer: o.ID,
		Unit: app.QueueUnit, At: desk.Now().Unix(), Permit: &store.Permit{Serial: serial, ApplicationID: app.ID, Unit: unit, QR: qr}}
	if err := desk.Write(ctx, func(tx *store.Tx) error { return enqueue(tx, "decision", app.ID, "decide", dec) }); err != nil {
		t.Fatal(err)
	}
	return serial
}

func lastResult(t *testing.T, desk *store.DB) (state, lastErr string) {
	t.Helper()
	desk.SQL().QueryRow(`SELECT state, last_error FROM outbox WHERE entity = 'decision' ORDER BY seq DESC LIMIT 1`).Scan(&state, &lastErr)
	return
}

func TestModifiedDeskApprovingOutsideItsAuthorityIsForbidden(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	c := e.client(desk, nil)
	// A walk-in at commune A from commune B: it goes to B's queue.
	start := store.StartOfDay(sept21).AddDate(0, 0, 1)
	app, err := desk.Submit(ctx, store.System(), store.Intake{Person: person(unitB, 777001), Application: store.Application{
		Category: store.CatResident, Purpose: store.PurposeFood, Area: []uint32{unitB}, ValidFrom: start, ValidUntil: start.AddDate(0, 0, 2)}})
	if err != nil {
		t.Fatal(err)
	}
	if app.QueueUnit != unitB {
		t.Fatalf("routed to %d, want %d", app.QueueUnit, unitB)
	}
	mustSync(t, c)
	o, _ := desk.Login(ctx, fmt.Sprintf("duyet.%d", unitA), password)
	signer, err := desk.UnlockSigner(ctx, o, password)
	if err != nil {
		t.Fatal(err)
	}
	serial := modifiedApproval(t, desk, signer, unitA, app)
	mustSync(t, c)
	state, msg := lastResult(t, desk)
	if state != store.OpRejected || !strings.HasPrefix(msg, store.PushForbidden) {
		t.Fatalf("approval outside authority: %s %q, want forbidden", state, msg)
	}
	a, _ := e.central.Application(ctx, app.ID)
	if a.Status != store.StatusPending || count(t, e.central.DB, `SELECT COUNT(*) FROM permits`) != 0 {
		t.Fatalf("central took the forbidden approval: %s", a.Status)
	}
	// The seal is genuine, so the paper would pass a checkpoint: it is revoked.
	if revoked, _ := e.central.IsRevoked(ctx, serial); !revoked {
		t.Fatal("the forbidden permit was not revoked")
	}
	if revoked, _ := desk.IsRevoked(ctx, serial); !revoked {
		t.Fatal("the desk was not told its permit is revoked")
	}
	checkExactlyOnce(t, e.central, desk, true)
}

func TestPermitSignedByKeyNotCertifiedForTheDeskIsForbidden(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	other := e.enroll(unitB)
	c := e.client(desk, nil)
	apps := submit(t, desk, unitA, 2)
	mustSync(t, c)

	// A key the province never certified.
	_, stray, _ := seal.GenerateKey()
	modifiedApproval(t, desk, seal.NewSigner(stray), unitA, apps[0])
	mustSync(t, c)
	if state, msg := lastResult(t, desk); state != store.OpRejected || !strings.Contains(msg, central.CodeSignature) {
		t.Fatalf("uncertified key: %s %q", state, msg)
	}

	// A genuine key, certified for another commune.
	o, _ := other.Login(ctx, fmt.Sprintf("duyet.%d", unitB), password)
	signerB, err := other.UnlockSigner(ctx, o, password)
	if err != nil {
		t.Fatal(err)
	}
	serial := modifiedApproval(t, desk, signerB, unitB, apps[1])
	mustSync(t, c)
	if state, msg := lastResult(t, desk); state != store.OpRejected || !strings.Contains(msg, central.CodeSignature) {
		t.Fatalf("key of another unit: %s %q", state, msg)
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM permits`); n != 0 {
		t.Fatalf("central stored %d forbidden permits", n)
	}
	// The seal is genuine but another unit's: this desk's decision may not
	// put it on the list (issue 13: any desk could revoke any permit).
	if revoked, _ := e.central.IsRevoked(ctx, serial); revoked {
		t.Fatal("a desk's refused decision revoked a permit sealed by another unit")
	}
	checkExactlyOnce(t, e.central, desk, true)
}

func TestRevokedDeskDropsFromTrustList(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	d1, d2 := e.enroll(unitA), e.enroll(unitA)
	desk1, _ := d1.Desk(ctx)
	root := e.root.Public().(ed25519.PublicKey)
	before, _, _ := e.central.Setting(ctx, store.SettingTrustList)
	lb, _ := seal.OpenTrustList(root, before, 0)
	if err := e.central.RevokeDesk(ctx, e.root, desk1.ID); err != nil {
		t.Fatal(err)
	}
	after, _, _ := e.central.Setting(ctx, store.SettingTrustList)
	la, err := seal.OpenTrustList(root, after, lb.Sequence)
	if err != nil || la.Sequence != lb.Sequence+1 || len(la.Keys) != len(lb.Keys)-1 {
		t.Fatalf("trust list after revoking: seq %d→%d keys %d→%d (%v)", lb.Sequence, la.Sequence, len(lb.Keys), len(la.Keys), err)
	}
	if _, ok := la.Lookup(seal.KID(desk1.PublicKey)); ok {
		t.Fatal("revoked desk's key still trusted")
	}
	// The other desk pulls the new list; GET /v1/trust serves it raw.
	mustSync(t, e.client(d2, nil))
	held, _, _ := d2.Setting(ctx, store.SettingTrustList)
	if !bytes.Equal(held, after) {
		t.Fatal("desk 2 did not receive the new trust list by pull")
	}
	resp, err := (&http.Client{Transport: pinnedTransport(e.pin, nil)}).Get(e.url + PathTrust)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if !bytes.Equal(buf.Bytes(), after) || resp.Header.Get("Content-Type") != "application/cbor" {
		t.Fatal("GET /v1/trust does not serve the signed list")
	}
	if err := e.client(d1, nil).Sync(ctx); err == nil {
		t.Fatal("a revoked desk still syncs")
	}
}

func TestPinRefusesAnotherCertificate(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	c, err := NewClient(context.Background(), desk, ClientOptions{URL: e.url, Pin: strings.Repeat("ab", 32)})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Sync(context.Background()); err == nil || !strings.Contains(err.Error(), "ghim") {
		t.Fatalf("sync to a certificate other than the pinned one = %v", err)
	}
}

func TestOnlineApplicationReachesTheQueueOfItsUnit(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	deskA, deskB := e.enroll(unitA), e.enroll(unitB)
	start := store.StartOfDay(sept21).AddDate(0, 0, 1)
	in := OnlineApplication{Person: person(unitB, 555001), Application: store.Application{Category: store.CatResident,
		Purpose: store.PurposeMedical, Area: []uint32{unitB}, Route: "Nhà → bệnh viện", ValidFrom: start, ValidUntil: start.AddDate(0, 0, 2)}}
	var receipt OnlineReceipt
	hc := &http.Client{Transport: pinnedTransport(e.pin, nil)}
	if err := exchange(ctx, hc, patience, http.MethodPost, e.url+PathApplications, "", in, &receipt); err != nil {
		t.Fatal(err)
	}
	if receipt.QueueUnit != unitB || receipt.Status != store.StatusPending {
		t.Fatalf("receipt %+v", receipt)
	}
	bad := in
	bad.Application.Area = []uint32{4242}
	err := exchange(ctx, hc, patience, http.MethodPost, e.url+PathApplications, "", bad, &receipt)
	if he, ok := err.(*HTTPError); !ok || he.Status != http.StatusBadRequest {
		t.Fatalf("invalid online application = %v, want 400", err)
	}
	mustSync(t, e.client(deskA, nil))
	mustSync(t, e.client(deskB, nil))
	if q, _ := deskB.Queue(ctx, unitB); len(q) != 1 || q[0].ID != receipt.ID {
		t.Fatalf("queue of B = %+v", q)
	}
	if n := count(t, deskA, `SELECT COUNT(*) FROM applications`); n != 0 {
		t.Fatalf("desk A received %d applications of another unit's queue", n)
	}
}

func TestGzipBombIsRefusedWith413(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	d, _ := desk.Desk(context.Background())
	tok, _, _ := desk.Setting(context.Background(), store.SettingSyncToken)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(`{"desk_id":"` + d.ID + `","ops":[`))
	zw.Write(bytes.Repeat([]byte(" "), int(DefaultLimits.MaxBytes)+10))
	zw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.url+PathPush, bytes.NewReader(buf.Bytes()))
	req.Header.Set("Authorization", "Bearer "+string(tok))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	resp, err := (&http.Client{Transport: pinnedTransport(e.pin, nil)}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || buf.Len() > 64<<10 {
		t.Fatalf("gzip bomb of %d bytes: status %d, want 413", buf.Len(), resp.StatusCode)
	}
}

func TestClientLoopStateAndStop(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 30)
	c, err := NewClient(context.Background(), desk, ClientOptions{URL: e.url, Interval: time.Hour, MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if s := c.State(); s.Pending != 61 || s.Online { // 30 people, 30 applications, 1 audit entry
		t.Fatalf("state before any round = %+v", s)
	}
	stop := c.Start(context.Background())
	defer stop()
	deadline := time.Now().Add(patience)
	for c.State().LastSuccess.IsZero() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	s := c.State()
	if s.LastSuccess.IsZero() || s.Pending != 0 || !s.Online || s.Done != 61 || s.Total != 61 || s.LastError != "" {
		t.Fatalf("state after the first round = %+v", s)
	}
	submit(t, desk, unitA, 5)
	c.SyncNow() // the loop sleeps for an hour: SyncNow wakes it
	for {
		n, _ := desk.OutboxWaiting(context.Background())
		if s := c.State(); n == 0 && s.Pending == 0 && !s.Running {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("SyncNow did not sync: %+v", c.State())
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	for i := 1; i < 40; i++ { // backoff stays within its bounds
		if b := c.backoff(i); b < 5*time.Millisecond || b > 20*time.Millisecond {
			t.Fatalf("backoff(%d) = %v", i, b)
		}
	}
	checkExactlyOnce(t, e.central, desk, true)
}

func TestReportCSV(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	d1, d2 := e.enroll(unitA), e.enroll(unitA)
	apps := submit(t, d1, unitA, 6)
	c1, c2 := e.client(d1, nil), e.client(d2, nil)
	mustSync(t, c1)
	mustSync(t, c2)
	approve(t, d1, ids(apps[:3])...)
	approve(t, d2, apps[0].ID) // loses the race: revoked
	mustSync(t, c1)
	mustSync(t, c2)
	r, err := e.central.UnitReport(ctx, unitA, sept21, sept21)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Permits) != 1 || r.Permits[0].Issued != 3 || len(r.Revocations) != 1 {
		t.Fatalf("report: permits %+v, revocations %+v", r.Permits, r.Revocations)
	}
	var buf bytes.Buffer
	if err := WriteReportCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFF") || !strings.Contains(out, "Người dân có lý do thật sự cần thiết") || !strings.Contains(out, "\r\n") {
		t.Fatalf("CSV lacks the BOM, Vietnamese text or CRLF:\n%s", out)
	}
}

// TestLoadEightDesks: 8 desks push their ops at once; every op is accepted
// exactly once. 10,000 ops a desk; 600 (two push batches) with -short or
// -race.
func TestLoadEightDesks(t *testing.T) {
	perDesk := 10_000
	if testing.Short() || raceDetector {
		perDesk = 600 // two push batches a desk; the full size runs in CI's own step, without -race
	}
	e := newEnv(t)
	desks := make([]*store.DB, 8)
	units := []uint32{28291, 28294, 28297, 28300, 28303, 28306, 28309, 28312}
	for i := range desks {
		if _, err := e.central.CreateOfficer(context.Background(), "", store.NewOfficer{Username: fmt.Sprintf("duyet.x%d", units[i]),
			FullName: "Phạm Văn Tải", Unit: units[i], Roles: []store.Role{store.RoleApprover}, Password: password}); err != nil && units[i] != unitA && units[i] != unitB {
			t.Fatal(err)
		}
	}
	for i := range desks {
		code, _, err := e.central.CreateEnrollCode(context.Background(), units[i], time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		desks[i] = e.enrollWith(units[i], code, fmt.Sprintf("duyet.x%d", units[i]))
		submit(t, desks[i], units[i], perDesk/2)
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(desks))
	for i, d := range desks {
		c := e.client(d, nil)
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A desk told the centre is busy (429: under -race eight
			// desks at once can queue past the limit) sends again, as its
			// background loop would after the Retry-After; the ops stay
			// pending meanwhile, so exactly once still holds.
			for range 600 {
				var busy *BusyError
				if errs[i] = c.Sync(context.Background()); !errors.As(errs[i], &busy) {
					break
				}
				time.Sleep(min(busy.Wait, time.Second)) // the Retry-After, shortened: not a timing
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("desk %d: %v", i, err)
		}
	}
	for _, d := range desks {
		checkExactlyOnce(t, e.central, d, true)
	}
	total := count(t, e.central.DB, `SELECT COUNT(*) FROM sync_ops WHERE status = 'accepted'`)
	// Each desk's ops, and the audit entry of each batch of up to 500 submits.
	if want := 8 * (perDesk + (perDesk/2+499)/500); total != want {
		t.Fatalf("central accepted %d ops, want %d", total, want)
	}
	t.Logf("8 desks × %d ops: %d ops accepted exactly once in %v (%.0f ops/s)", perDesk, total, took.Round(time.Millisecond), float64(total)/took.Seconds())
}

// enrollWith enrolls a desk with a given code and approver.
func (e *env) enrollWith(unit uint32, code, approver string) *store.DB {
	e.t.Helper()
	ctx := context.Background()
	desk, err := store.Open(ctx, e.t.TempDir()+"/desk.db")
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { desk.Close() })
	desk.SetClock(func() time.Time { return *e.clock.Load() })
	if _, err := Enroll(ctx, desk, EnrollOptions{URL: e.url, Code: code, Pin: e.pin, Approver: approver, Password: password}); err != nil {
		e.t.Fatal(err)
	}
	return desk
}

// BenchmarkPush: batches of 500 person ops applied by the centre directly
// (one transaction a push), a desk's realistic mix the same way, and the
// person ops pushed end to end over loopback HTTPS by a desk's client. Run
// beside the desk's own write rate:
//
//	go test -run '^$' -bench 'BenchmarkSubmitBatch$|BenchmarkPush$' ./store/ ./store/batchsync/
func BenchmarkPush(b *testing.B) {
	personOp := func(i int) (store.Person, []byte) {
		p := person(unitA, 500000+i)
		p.ID = store.NewID(sept21)
		body, _ := json.Marshal(p)
		return p, body
	}
	// Each round pushes one batch of fresh ops; both sides report ops/s.
	const batch = 500
	next := 0
	freshOps := func() []store.PushOp {
		ops := make([]store.PushOp, batch)
		for i := range ops {
			p, body := personOp(next)
			next++
			ops[i] = store.PushOp{OpID: store.NewID(sept21), Entity: "person", EntityID: p.ID, Op: "put", Payload: body}
		}
		return ops
	}
	b.Run("direct", func(b *testing.B) {
		e := newEnv(b)
		desk := e.enroll(unitA)
		tok, _, _ := desk.Setting(context.Background(), store.SettingSyncToken)
		auth, err := e.central.AuthenticateDesk(context.Background(), string(tok))
		if err != nil {
			b.Fatal(err)
		}
		pushed := 0
		var cpu time.Duration // the centre's work only, not making the ops
		for b.Loop() {
			b.StopTimer()
			ops := freshOps()
			b.StartTimer()
			cpu0 := processCPU(os.Getpid())
			res, err := e.central.ApplyBatch(context.Background(), e.root, auth, ops, nil)
			cpu += processCPU(os.Getpid()) - cpu0
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range res {
				if r.Status != store.PushAccepted {
					b.Fatalf("%+v", r)
				}
			}
			pushed += len(ops)
		}
		b.ReportMetric(float64(pushed)/b.Elapsed().Seconds(), "ops/s")
		if cpu > 0 {
			b.ReportMetric(float64(pushed)/cpu.Seconds(), "ops/cpu-s")
		}
	})
	// A desk's realistic round, applied directly: people and applications,
	// approvals whose permits' seals the centre verifies, checkpoint scans
	// and the desk's audit entries, in the desk's own outbox order.
	b.Run("direct_mix", func(b *testing.B) {
		e := newEnv(b)
		desk := e.enroll(unitA)
		ctx := context.Background()
		tok, _, _ := desk.Setting(ctx, store.SettingSyncToken)
		auth, err := e.central.AuthenticateDesk(ctx, string(tok))
		if err != nil {
			b.Fatal(err)
		}
		round := func() []store.PushOp { return mixRound(b, desk, 100, 75, 200) }
		pushed, kinds := 0, map[string]int{}
		var cpu time.Duration // the centre's work only, not making the ops
		for b.Loop() {
			b.StopTimer()
			ops := round()
			b.StartTimer()
			cpu0 := processCPU(os.Getpid())
			res, err := e.central.ApplyBatch(ctx, e.root, auth, ops, nil)
			cpu += processCPU(os.Getpid()) - cpu0
			if err != nil {
				b.Fatal(err)
			}
			for i, r := range res {
				if r.Status != store.PushAccepted {
					b.Fatalf("%s: %+v", ops[i].Entity, r)
				}
				kinds[ops[i].Entity]++
			}
			pushed += len(ops)
		}
		if kinds["decision"] == 0 || kinds["scan"] == 0 || kinds["audit"] == 0 {
			b.Fatalf("not a mix: %v", kinds)
		}
		b.ReportMetric(float64(pushed)/b.Elapsed().Seconds(), "ops/s")
		if cpu > 0 {
			b.ReportMetric(float64(pushed)/cpu.Seconds(), "ops/cpu-s")
		}
	})
	b.Run("http", func(b *testing.B) {
		e := newEnv(b)
		desk := e.enroll(unitA)
		c := e.client(desk, nil)
		pushed := 0
		cpu0 := processCPU(os.Getpid())
		for b.Loop() {
			b.StopTimer()
			err := desk.Write(context.Background(), func(tx *store.Tx) error {
				for _, op := range freshOps() {
					if err := enqueue(tx, "person", op.EntityID, "put", json.RawMessage(op.Payload)); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			mustSync(b, c)
			pushed += batch
		}
		if n, _ := desk.OutboxWaiting(context.Background()); n != 0 {
			b.Fatalf("%d ops left", n)
		}
		b.ReportMetric(float64(pushed)/b.Elapsed().Seconds(), "ops/s")
		if cpu := processCPU(os.Getpid()) - cpu0; cpu > 0 {
			b.ReportMetric(float64(pushed)/cpu.Seconds(), "ops/cpu-s")
		}
	})
}

// A desk restored from an old backup numbers again from an old counter: the
// centre, which keeps application numbers unique, refuses the second
// application with that number and says why; the first keeps it.
func TestCentreRefusesAReusedApplicationNumber(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	first := submit(t, desk, unitA, 1)[0]
	mustSync(t, e.client(desk, nil))
	if _, err := desk.SQL().ExecContext(ctx, `UPDATE counters SET value = value - 1 WHERE name = 'application'`); err != nil {
		t.Fatal(err)
	}
	second := submit(t, desk, unitA, 1)[0]
	if second.Number != first.Number {
		t.Fatalf("the rewound counter gave %s, not %s", second.Number, first.Number)
	}
	mustSync(t, e.client(desk, nil))
	var holders int
	var holder string
	e.central.SQL().QueryRowContext(ctx, `SELECT COUNT(*), MIN(id) FROM applications WHERE number = ?`, first.Number).Scan(&holders, &holder)
	if holders != 1 || holder != first.ID {
		t.Fatalf("number %s is held by %d applications at the centre (first: %s)", first.Number, holders, holder)
	}
	problems, err := desk.OutboxProblems(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || problems[0].EntityID != second.ID || !strings.Contains(problems[0].LastError, first.Number) {
		t.Fatalf("the desk should see its second application refused, naming %s: %+v", first.Number, problems)
	}
}

// An online request for a person the province knows cannot rewrite them:
// the stored commune, which decides authority, stays.
func TestOnlineApplicationKeepsAKnownPerson(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	start := store.StartOfDay(sept21).AddDate(0, 0, 1)
	app := func(p store.Person) OnlineApplication {
		return OnlineApplication{Person: p, Application: store.Application{Category: store.CatResident, Purpose: store.PurposeMedical,
			Area: []uint32{p.Commune}, Route: "Nhà → bệnh viện", ValidFrom: start, ValidUntil: start.AddDate(0, 0, 2)}}
	}
	hc := &http.Client{Transport: pinnedTransport(e.pin, nil)}
	var first, second OnlineReceipt
	if err := exchange(ctx, hc, patience, http.MethodPost, e.url+PathApplications, "", app(person(unitB, 555002)), &first); err != nil {
		t.Fatal(err)
	}
	moved := person(unitA, 555002) // the same ID number, another commune
	if err := exchange(ctx, hc, patience, http.MethodPost, e.url+PathApplications, "", app(moved), &second); err != nil {
		t.Fatal(err)
	}
	p, err := e.central.PersonByIDNumber(ctx, moved.IDNumber)
	if err != nil {
		t.Fatal(err)
	}
	if p.Commune != unitB || second.QueueUnit != unitB {
		t.Errorf("an anonymous request moved the person to %d (queue %d), want %d", p.Commune, second.QueueUnit, unitB)
	}
}

// A desk may only use its own series of application numbers: one that
// numbers as another desk of its unit is refused, naming the series.
func TestCentreRefusesAnotherDesksSeries(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	d, err := desk.Desk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.SQL().ExecContext(ctx, `UPDATE desks SET number = number + 1 WHERE id = ?`, d.ID); err != nil {
		t.Fatal(err)
	}
	app := submit(t, desk, unitA, 1)[0]
	mustSync(t, e.client(desk, nil))
	problems, err := desk.OutboxProblems(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	own := fmt.Sprintf("HS%d-%d-", unitA, d.Number)
	if len(problems) != 1 || problems[0].EntityID != app.ID || !strings.Contains(problems[0].LastError, own) {
		t.Fatalf("%s should be refused as outside %s…: %+v", app.Number, own, problems)
	}
}

// A revoked market voucher reaches the province's list: the centre keeps no
// voucher rows, so it must not wait for one.
func TestVoucherRevocationReachesTheList(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	d, _ := desk.Desk(ctx)
	officer, err := desk.Login(ctx, fmt.Sprintf("duyet.%d", unitA), password)
	if err != nil {
		t.Fatal(err)
	}
	serial := fmt.Sprintf("%d-%d-2021-V000007", unitA, d.Number)
	payload := map[string]any{"serial": serial, "reason": "hộ chuyển đi", "officer": officer.ID, "at": sept21.Unix()}
	if err := desk.Write(ctx, func(tx *store.Tx) error { return enqueue(tx, "revocation", serial, "revoke", payload) }); err != nil {
		t.Fatal(err)
	}
	mustSync(t, e.client(desk, nil))
	if states := outboxStates(t, desk); states[store.OpPending] != 0 || states[store.OpInFlight] != 0 {
		t.Fatalf("the voucher's revocation is still waiting: %v", states)
	}
	revoked, err := e.central.IsRevoked(ctx, serial)
	if err != nil || !revoked {
		t.Fatalf("%s is not on the province's list (%v)", serial, err)
	}
}

// A permit must say what its application says: one sealed without the
// application's daily hours (good at any hour) is refused and revoked.
func TestPermitThatDropsTheHoursIsRefused(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	c := e.client(desk, nil)
	start := store.StartOfDay(sept21).AddDate(0, 0, 1)
	app, err := desk.Submit(ctx, store.System(), store.Intake{Person: person(unitA, 777002), Application: store.Application{
		Category: store.CatResident, Purpose: store.PurposeFood, Area: []uint32{unitA}, ValidFrom: start, ValidUntil: start.AddDate(0, 0, 2),
		HasHours: true, HoursFrom: 6 * 60, HoursTo: 9 * 60}})
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, c)
	o, _ := desk.Login(ctx, fmt.Sprintf("duyet.%d", unitA), password)
	signer, err := desk.UnlockSigner(ctx, o, password)
	if err != nil {
		t.Fatal(err)
	}
	serial := modifiedApproval(t, desk, signer, unitA, app) // sealed with no hours
	mustSync(t, c)
	if state, msg := lastResult(t, desk); state != store.OpRejected || !strings.Contains(msg, central.CodeSignature) {
		t.Fatalf("a permit without the application's hours: %s %q", state, msg)
	}
	if revoked, _ := e.central.IsRevoked(ctx, serial); !revoked {
		t.Error("the permit that drops the hours was not revoked")
	}
}

// mixRound makes a desk's realistic round and takes its ops off the outbox,
// as a push would, in outbox order: people and n applications, approvals of
// the first `approved` of them (permits whose seals the centre verifies),
// that many `scans` at a checkpoint of those permits, and the desk's audit
// entries.
func mixRound(t testing.TB, desk *store.DB, n, approved, scans int) []store.PushOp {
	t.Helper()
	ctx := context.Background()
	apps := submit(t, desk, unitA, n)
	serials := approve(t, desk, ids(apps[:approved])...)
	err := desk.Write(ctx, func(tx *store.Tx) error {
		for i := range scans {
			ev := store.ScanEvent{ID: store.NewID(tx.Now), At: tx.Now.Unix(), Serial: serials[i%len(serials)], Kind: seal.KindPermit,
				Verdict: seal.Valid, Checkpoint: unitA, Officer: "kiemtra"}
			if err := enqueue(tx, "scan", ev.ID, "create", store.ScanEventToWire(ev)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ops := pendingOps(t, desk)
	if _, err := desk.SQL().ExecContext(ctx, `UPDATE outbox SET state = 'done' WHERE state = 'pending'`); err != nil {
		t.Fatal(err)
	}
	return ops
}
