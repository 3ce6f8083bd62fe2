package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"thonghanh/store"
	"thonghanh/store/batchsync"
	"thonghanh/store/seed"
	"thonghanh/store/slots"
	"thonghanh/tui"
	"thonghanh/tui/i18n"
)

// safetyNet bounds every wait of the checkpoint test: there only to end a
// test whose answer never comes, never waited out when all goes well.
const safetyNet = 5 * time.Minute

// gate is one market entrance running the check program's model in a real
// Bubble Tea program, with the desk's sync client in the background, the
// way `thonghanh check` runs them.
type gate struct {
	t      *testing.T
	db     *store.DB
	tm     *teatest.TestModel
	syncer interface{ SyncNow() }

	mu      sync.Mutex
	screens []string
	changed chan struct{}
	pulled  chan struct{} // a pull's response was read to its end
}

// gateModel is the checkpoint program, keeping each screen it draws.
type gateModel struct {
	*tui.Checkpoint
	g *gate
}

func (m gateModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := m.Checkpoint.Update(msg)
	s := ansi.Strip(m.View().Content)
	m.g.mu.Lock()
	if n := len(m.g.screens); n == 0 || m.g.screens[n-1] != s {
		m.g.screens = append(m.g.screens, s)
	}
	m.g.mu.Unlock()
	select {
	case m.g.changed <- struct{}{}:
	default:
	}
	return m, cmd
}

// waitFor waits for a screen drawn since the last wait that satisfies cond.
func (g *gate) waitFor(what string, cond func(string) bool) {
	g.t.Helper()
	net := time.NewTimer(safetyNet)
	defer net.Stop()
	for {
		g.mu.Lock()
		for i, s := range g.screens {
			if cond(s) {
				g.screens = g.screens[i+1:]
				g.mu.Unlock()
				return
			}
		}
		last := ""
		if n := len(g.screens); n > 0 {
			last = g.screens[n-1]
			g.screens = g.screens[n-1:]
		}
		g.mu.Unlock()
		select {
		case <-g.changed:
		case <-net.C:
			g.t.Fatalf("no screen %s within %s; the last:\n%s", what, safetyNet, last)
		}
	}
}

// scan is a USB scanner reading a code: its text, then Enter.
func (g *gate) scan(text string) { g.tm.Send(tea.PasteMsg{Content: text + "\r"}) }

// offlineTransport fails every exchange while the network is cut, and
// tells when a pull's answer has been read.
type offlineTransport struct {
	next   http.RoundTripper
	cut    *atomic.Bool
	pulled chan struct{}
}

func (o offlineTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if o.cut.Load() {
		return nil, errors.New("mất mạng")
	}
	resp, err := o.next.RoundTrip(r)
	if err == nil && r.URL.Path == batchsync.PathPull {
		resp.Body = notifyClose{resp.Body, o.pulled}
	}
	return resp, err
}

type notifyClose struct {
	io.ReadCloser
	done chan struct{}
}

func (n notifyClose) Close() error {
	err := n.ReadCloser.Close()
	select {
	case n.done <- struct{}{}:
	default:
	}
	return err
}

func startGate(t *testing.T, ctx context.Context, db *store.DB, cut *atomic.Bool) *gate {
	t.Helper()
	g := &gate{t: t, db: db, changed: make(chan struct{}, 1), pulled: make(chan struct{}, 1)}
	syncer, stop := startSync(ctx, stdio{err: io.Discard}, db, batchsync.ClientOptions{Interval: batchsync.ScanningInterval,
		WrapTransport: func(rt http.RoundTripper) http.RoundTripper { return offlineTransport{rt, cut, g.pulled} }}, "check")
	if syncer == nil {
		t.Fatal("the entrance is not enrolled")
	}
	t.Cleanup(stop)
	g.syncer = syncer
	app, err := tui.NewCheckpoint(tui.CheckpointOptions{Ctx: ctx, DB: db, Lang: i18n.Vi, Checkpoint: seed.DefaultUnit, Syncer: syncer})
	if err != nil {
		t.Fatal(err)
	}
	g.tm = teatest.NewTestModel(t, gateModel{app, g}, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() {
		g.tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
		g.tm.WaitFinished(t, teatest.WithFinalTimeout(safetyNet))
	})
	g.tm.Type("kiemtra")
	g.tm.Send(tea.KeyPressMsg{Code: tea.KeyTab})
	g.tm.Type(seed.DemoPassword)
	g.tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	g.waitFor("ready to scan", func(s string) bool {
		return strings.Contains(s, "S Ẵ N   S À N G") && strings.Contains(s, "Chốt: Xã Tân Mỹ Chánh")
	})
	return g
}

// issueDemoVouchers issues a week of vouchers from start on a demo desk of
// Xã Tân Mỹ Chánh for two households of its zone, and returns them.
func issueDemoVouchers(t *testing.T, db *store.DB, start time.Time) []store.Voucher {
	t.Helper()
	ctx := context.Background()
	head, err := db.Login(ctx, "duyet", seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportHouseholds(ctx, head, head.Unit, []store.HouseholdRow{
		{Code: "TMC-001", Representative: "Nguyễn Văn An", IDNumber: "082061001001", Hamlet: "Ấp 1", Members: "2"},
		{Code: "TMC-002", Representative: "Trần Thị Bích", IDNumber: "082162001002", Hamlet: "Ấp 1", Members: "3"},
	}); err != nil {
		t.Fatal(err)
	}
	zones, err := db.Zones(ctx, seed.DefaultUnit)
	if err != nil || len(zones) == 0 {
		t.Fatalf("demo zones: %v %v", zones, err)
	}
	plan, err := db.PlanVouchers(ctx, zones[0].ID, slots.Params{Start: start, Days: 7, TripsPerWeek: 2, SlotMinutes: 60, Pattern: slots.Alternate})
	if err != nil {
		t.Fatal(err)
	}
	signer, err := db.UnlockSigner(ctx, head, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	serials, err := db.IssueVouchers(ctx, head, signer, plan)
	if err != nil || len(serials) < 2 {
		t.Fatalf("issued %d vouchers: %v", len(serials), err)
	}
	vs, err := db.Vouchers(ctx, store.VoucherFilter{Serials: serials})
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// TestTwoEntrancesShareVoucherUses is the three-party run of issue 20: one
// central server, two market entrances of one commune, each running the
// check program with its sync client. A voucher let in at entrance 1 is
// refused at entrance 2 once the use has been relayed (the relay time is
// logged, not asserted); a voucher let in at both while they were offline
// is named in the abuse report with its household and both entrances.
func TestTwoEntrancesShareVoucherUses(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a demo province and runs two checkpoints")
	}
	ctx := context.Background()
	dir := t.TempDir()
	path1, err := prepareDemoDesk(ctx, filepath.Join(dir, "loi-vao-1"), seed.DefaultUnit, false, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	_, stop, err := startDemoCentral(ctx, filepath.Join(dir, "central"), path1)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	desk1 := openTestStore(t, path1)

	// The commune's vouchers, issued on entrance 1's desk.
	vs := issueDemoVouchers(t, desk1, store.InVietnam(time.Now()).AddDate(0, 0, 1))
	v1, v2 := vs[0], vs[1]

	// Entrance 2: a second desk of the commune, enrolled with the centre.
	url, _, _ := desk1.Setting(ctx, store.SettingSyncURL)
	pin, _, _ := desk1.Setting(ctx, store.SettingSyncPin)
	centre, err := batchsync.OpenCentral(ctx, filepath.Join(dir, "central"))
	if err != nil {
		t.Fatal(err)
	}
	code, _, err := centre.CreateEnrollCode(ctx, seed.DefaultUnit, time.Hour)
	centre.Close()
	if err != nil {
		t.Fatal(err)
	}
	desk2 := openTestStore(t, filepath.Join(dir, "loi-vao-2.db"))
	if _, err := batchsync.Enroll(ctx, desk2, batchsync.EnrollOptions{URL: string(url), Code: code, Pin: string(pin),
		Approver: "duyet", Password: seed.DemoPassword}); err != nil {
		t.Fatal(err)
	}
	// Both entrances scan during the vouchers' slots.
	var clock atomic.Pointer[time.Time]
	setClock := func(at time.Time) { clock.Store(&at) }
	setClock(v1.SlotStart.Add(time.Minute))
	for _, db := range []*store.DB{desk1, desk2} {
		db.SetClock(func() time.Time { return *clock.Load() })
	}

	var cut atomic.Bool
	gate1 := startGate(t, ctx, desk1, &cut)
	gate2 := startGate(t, ctx, desk2, &cut)

	valid := func(serial string) func(string) bool {
		return func(s string) bool { return strings.Contains(s, "✔ H Ợ P   L Ệ") && strings.Contains(s, serial) }
	}
	// Online: entrance 1 lets the household in, and its use is pushed at once.
	gate1.scan(v1.QR)
	gate1.waitFor("admitting voucher 1 at entrance 1", valid(v1.Serial))
	scanned := time.Now()
	net := time.NewTimer(safetyNet)
	defer net.Stop()
	for {
		var n int
		// A write waits for a pull being applied: the count is its outcome.
		if err := desk2.Write(ctx, func(tx *store.Tx) error {
			return tx.QueryRow(`SELECT COUNT(*) FROM scan_events WHERE serial = ?`, v1.Serial).Scan(&n)
		}); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		select {
		case <-gate2.pulled:
		case <-net.C:
			t.Fatalf("entrance 2 did not learn of the use within %s", safetyNet)
		}
	}
	relay := time.Since(scanned)
	t.Logf("relay: a use at entrance 1 reached entrance 2 in %s (entrances pull every %s)", relay.Round(time.Millisecond), batchsync.ScanningInterval)
	gate2.scan(v1.QR)
	// Entrance 2 issued nothing, yet names the household and the market:
	// the centre relayed the voucher's facts with the use.
	gate2.waitFor("refusing voucher 1 at entrance 2, naming its household and market", func(s string) bool {
		return strings.Contains(s, "✘ P H I Ế U   Đ Ã   D Ù N G") && strings.Contains(s, v1.Serial) &&
			strings.Contains(s, strings.ToUpper(v1.Representative)) && strings.Contains(s, "Chợ        "+v1.MarketName)
	})

	// Offline: both entrances let voucher 2 in, and say the other
	// entrance's uses may be missing.
	cut.Store(true)
	for _, g := range []*gate{gate1, gate2} {
		g.syncer.SyncNow()
		g.waitFor("offline", func(s string) bool { return strings.Contains(s, "Ngoại tuyến") })
	}
	setClock(v2.SlotStart.Add(time.Minute))
	for _, g := range []*gate{gate1, gate2} {
		g.scan(v2.QR)
		g.waitFor("admitting voucher 2 offline, with the warning", func(s string) bool {
			return valid(v2.Serial)(s) && strings.Contains(s, "Lối vào khác có thể đã dùng phiếu này: chưa đồng bộ từ")
		})
	}
	cut.Store(false)
	for _, g := range []*gate{gate1, gate2} {
		g.syncer.SyncNow()
		g.waitFor("everything sent", func(s string) bool { return strings.Contains(s, "Trực tuyến · 0 chờ gửi") })
	}

	centre, err = batchsync.OpenCentral(ctx, filepath.Join(dir, "central"))
	if err != nil {
		t.Fatal(err)
	}
	defer centre.Close()
	rows, err := centre.AbuseReport(ctx, store.AbuseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var found *store.AbuseRow
	for i, r := range rows {
		switch r.Serial {
		case v2.Serial:
			found = &rows[i]
		case v1.Serial:
			t.Errorf("voucher 1, refused at entrance 2, reported as abuse: %+v", r)
		}
	}
	if found == nil {
		t.Fatalf("voucher 2, let in at both entrances, is not in the abuse report: %+v", rows)
	}
	if found.Kind != store.AbuseVoucherReused || len(found.Admissions) != 2 || found.Admissions[0].Desk == found.Admissions[1].Desk ||
		!strings.Contains(found.Holder, v2.Representative) || !strings.Contains(found.Holder, v2.HouseholdCode) {
		t.Errorf("abuse row for voucher 2: %+v", *found)
	}
	t.Logf("abuse row: %s — %s", found.Holder, found.Detail)
}
