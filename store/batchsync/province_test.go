package batchsync

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
)

// provinceDay is a peak day of Tiền Giang (issue 16): the people the centre
// holds and what the desks push in one day.
type provinceDay struct {
	people, applications, decisions, scans, revocations int
	desks                                               int // 184: one per unit of store/data
}

func (d provinceDay) scaled(f float64) provinceDay {
	n := func(v int) int { return max(1, int(float64(v)*f)) }
	return provinceDay{people: n(d.people), applications: n(d.applications), decisions: n(d.decisions), scans: n(d.scans),
		revocations: n(d.revocations), desks: d.desks}
}

var peakDay = provinceDay{people: 1_700_000, applications: 200_000, decisions: 150_000, scans: 400_000, revocations: 10_000, desks: 184}

// TestProvinceRun is the centre at province scale, over HTTPS on loopback
// with the centre in its own process: seeded with the province's people and
// its 184 units, every unit's desk pushes its share of a peak day at once,
// then a new desk makes its first pull and a checkpoint refreshes its
// lists. It reports the push rate sustained, push latency, the centre's file
// and memory, the first pull's time, and checks every op_id was kept once.
//
// The default run is a miniature (6 desks, 1/2000 of the day). The real
// size, or a fraction of it, is asked for by THONGHANH_PROVINCE:
//
//	THONGHANH_PROVINCE=1 go test ./store/batchsync/ -run TestProvinceRun -v -timeout 3h
//	THONGHANH_PROVINCE=0.1 go test ./store/batchsync/ -run TestProvinceRun -v -timeout 1h
//
// THONGHANH_SYNC_BUSY_AFTER (a duration) sets the centre's push limit
// (ServerOptions.BusyAfter), to see it refuse at a size that runs in
// minutes.
func TestProvinceRun(t *testing.T) {
	day, desks := peakDay.scaled(1.0/2000), 6
	if v := os.Getenv("THONGHANH_PROVINCE"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 || f > 1 {
			t.Fatalf("THONGHANH_PROVINCE=%q: a fraction of the peak day, 0 < f ≤ 1", v)
		}
		day, desks = peakDay.scaled(f), peakDay.desks
	}
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := InitServerDir(ctx, InitOptions{Dir: dir, Insecure: true}); err != nil {
		t.Fatal(err)
	}
	centre, err := OpenCentral(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer centre.Close()
	units, err := centre.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all := units.All()
	var communes []uint32
	for _, u := range all {
		if u.Kind == store.KindCommunePC {
			communes = append(communes, u.Code)
		}
	}
	t.Logf("centre: %d units (%d communes) from store/data", len(all), len(communes))

	// The province's people, written straight into the centre's file.
	start := time.Now()
	seedProvincePeople(t, centre.DB, day.people, communes)
	t.Logf("seeded %d people in %v", day.people, time.Since(start).Round(time.Second))

	// The desks: every unit's (the communes' first), each enrolled by an
	// approver of its unit.
	picked := slices.Clone(all)
	slices.SortStableFunc(picked, func(a, b store.Unit) int {
		return boolInt(b.Kind == store.KindCommunePC) - boolInt(a.Kind == store.KindCommunePC)
	})
	picked = picked[:min(desks, len(picked))]
	var officers []store.NewOfficer
	for _, u := range picked {
		officers = append(officers, store.NewOfficer{Username: fmt.Sprintf("duyet.%d", u.Code), FullName: "Nguyễn Văn Duyệt", Unit: u.Code,
			Roles: []store.Role{store.RoleApprover, store.RoleClerk}, Password: password})
	}
	if err := centre.CreateOfficers(ctx, officers); err != nil {
		t.Fatal(err)
	}
	proc, url := startServerProcess(t, dir, false)
	defer func() {
		proc.Process.Kill()
		proc.Wait()
	}()
	pin, _ := CertFingerprint(dir)
	enroll := func(unit uint32) *store.DB {
		code, _, err := centre.CreateEnrollCode(ctx, unit, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		desk, err := store.Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { desk.Close() })
		if _, err := Enroll(ctx, desk, EnrollOptions{URL: url, Code: code, Pin: pin, Approver: fmt.Sprintf("duyet.%d", unit), Password: password}); err != nil {
			t.Fatalf("enroll unit %d: %v", unit, err)
		}
		return desk
	}
	start = time.Now()
	deskDBs := make([]*store.DB, len(picked))
	for i, u := range picked {
		deskDBs[i] = enroll(u.Code)
	}
	t.Logf("enrolled %d desks in %v", len(deskDBs), time.Since(start).Round(time.Second))

	// The day's work on the desks, queued in their outboxes: applications
	// (half of returning people the centre holds), approvals sealed by the
	// desk, revocations of some of those permits, checkpoint scans.
	start = time.Now()
	ncomm := 0
	for _, u := range picked {
		if u.Kind == store.KindCommunePC {
			ncomm++
		}
	}
	share := func(total, i, n int) int { return total/n + boolInt(i < total%n) }
	var serials []string
	for i := range ncomm {
		serials = append(serials, provinceDeskDay(t, deskDBs[i], picked[i].Code, i, len(communes), day.people,
			share(day.applications, i, ncomm), share(day.decisions, i, ncomm), share(day.revocations, i, ncomm))...)
	}
	rng := rand.New(rand.NewPCG(16, 184))
	for i, desk := range deskDBs {
		n := share(day.scans, i, len(deskDBs))
		err := desk.Write(ctx, func(tx *store.Tx) error {
			for range n {
				ev := store.ScanEvent{ID: store.NewID(tx.Now), At: tx.Now.Unix(), Serial: serials[rng.IntN(len(serials))], Kind: seal.KindPermit,
					Verdict: seal.Valid, Checkpoint: picked[i].Code, Officer: "kiemtra"}
				if err := enqueue(tx, "scan", ev.ID, "create", store.ScanEventToWire(ev)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	totalOps := 0
	for _, desk := range deskDBs {
		n, _ := desk.OutboxWaiting(ctx)
		totalOps += n
	}
	t.Logf("queued the day on the desks: %d ops in %v", totalOps, time.Since(start).Round(time.Second))

	// Every desk syncs at once; each push is timed.
	var mu sync.Mutex
	var latencies []time.Duration
	var refused atomic.Int32 // pushes answered 429: the centre busy
	timed := func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			began := time.Now()
			resp, err := rt.RoundTrip(r)
			if err == nil && isPush(r) && resp.StatusCode == http.StatusTooManyRequests {
				refused.Add(1)
			} else if err == nil && isPush(r) {
				// The answer is whole once its body is read.
				body, rerr := io.ReadAll(resp.Body)
				resp.Body.Close()
				resp.Body = io.NopCloser(strings.NewReader(string(body)))
				if rerr == nil {
					mu.Lock()
					latencies = append(latencies, time.Since(began))
					mu.Unlock()
				}
			}
			return resp, err
		})
	}
	cpu0 := processCPU(proc.Process.Pid)
	start = time.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(deskDBs))
	var again, toldBusy atomic.Int32
	for i, desk := range deskDBs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := NewClient(ctx, desk, ClientOptions{URL: url, WrapTransport: timed, RequestTimeout: patience,
				MinBackoff: 50 * time.Millisecond, MaxBackoff: time.Second})
			// A round that fails (a push waiting past the request timeout
			// behind the others) is run again, as a desk's background sync
			// would: what the centre applied of it is kept, and the
			// exactly-once check below covers the resends.
			for round, busy := 1, 0; err == nil; round++ {
				err = c.Sync(ctx)
				// Told the centre is busy, the desk waits what it was told,
				// as its background sync does (Run), and goes again.
				var be *BusyError
				if errors.As(err, &be) && busy < maxBusyRounds {
					busy++
					toldBusy.Add(1)
					round--
					select {
					case <-time.After(be.Wait):
					case <-ctx.Done():
					}
					err = nil
					continue
				}
				if err == nil || round == syncRounds {
					break
				}
				again.Add(1)
				t.Logf("desk of unit %d, round %d: %v; again", picked[i].Code, round, err)
				err = nil
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	took := time.Since(start)
	cpu := processCPU(proc.Process.Pid) - cpu0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("desk of unit %d: %v", picked[i].Code, err)
		}
	}
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))].Round(time.Millisecond)
	}
	t.Logf("pushed %d ops from %d desks in %v: %.0f ops/s sustained; %d pushes answered, latency p50 %v, p99 %v, max %v; %d rounds run again after a failure; %d pushes told the centre is busy (429), %d rounds waited their Retry-After",
		totalOps, len(deskDBs), took.Round(time.Second), float64(totalOps)/took.Seconds(), len(latencies), pct(0.50), pct(0.99), latencies[len(latencies)-1].Round(time.Millisecond),
		again.Load(), refused.Load(), toldBusy.Load())
	if cpu > 0 {
		// The centre's own CPU time, pulls included: what the rate would be
		// on cores of its own (this machine is shared, the desks' clients
		// run beside it).
		t.Logf("centre CPU during the pushes: %v (%.0f%% of one core), %.0f ops per centre CPU-second", cpu.Round(time.Second),
			100*cpu.Seconds()/took.Seconds(), float64(totalOps)/cpu.Seconds())
	}

	// A new desk's first pull, and a checkpoint refreshing its lists.
	start = time.Now()
	fresh := enroll(communes[0])
	c, err := NewClient(ctx, fresh, ClientOptions{URL: url, RequestTimeout: patience})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	var apps int
	fresh.SQL().QueryRow(`SELECT COUNT(*) FROM applications`).Scan(&apps)
	t.Logf("a new desk of unit %d enrolled and made its first pull in %v (%d applications of its unit)", communes[0], time.Since(start).Round(time.Millisecond), apps)
	hc := &http.Client{Transport: pinnedTransport(pin, nil)}
	start = time.Now()
	size := 0
	for _, path := range []string{PathTrust, PathRevocations} {
		resp, err := hc.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
		}
		size += len(body)
		if path == PathRevocations {
			root, _, _ := centre.Setting(ctx, store.SettingRootKey)
			l, err := seal.OpenRevocationList(ed25519.PublicKey(root), body, 0)
			if err != nil || len(l.Serials) < day.revocations {
				t.Fatalf("revocation list: %d serials (%v), want at least %d", len(l.Serials), err, day.revocations)
			}
		}
	}
	t.Logf("a checkpoint's list refresh (trust and revocations, %d bytes): %v", size, time.Since(start).Round(time.Millisecond))

	// The centre: its file and its memory, then every op_id once.
	var fileSize int64
	for _, suffix := range []string{"", "-wal"} {
		if st, err := os.Stat(filepath.Join(dir, FileDB) + suffix); err == nil {
			fileSize += st.Size()
		}
	}
	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", proc.Process.Pid))
	var rss []string
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmRSS") || strings.HasPrefix(line, "VmHWM") {
			rss = append(rss, strings.Join(strings.Fields(line), " "))
		}
	}
	t.Logf("centre: file %.1f MB, memory %v", float64(fileSize)/(1<<20), rss)
	held := count(t, centre.DB, `SELECT COUNT(*) FROM sync_ops`)
	for _, desk := range deskDBs {
		checkExactlyOnce(t, centre, desk, true)
	}
	if held != totalOps {
		t.Fatalf("the centre holds %d ops, the desks sent %d", held, totalOps)
	}
	t.Logf("exactly once: %d op_ids, each held once with its payload hash", held)
}

// syncRounds is how many failed sync rounds a desk of the province run
// tries; maxBusyRounds, how many rounds the centre may tell it is busy.
const (
	syncRounds    = 5
	maxBusyRounds = 100
)

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// provinceID is the k-th person of the province: a CCCD of a man born in
// 1960 + k / 1,000,000, living in the commune k falls to.
func provinceID(k int) (string, time.Time) {
	year := 60 + k/1_000_000
	return fmt.Sprintf("0820%02d%06d", year, k%1_000_000), time.Date(1900+year, 5, 5, 0, 0, 0, 0, store.Vietnam)
}

var provinceNames = []string{"Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường", "Phạm Thị Dung", "Huỳnh Văn Em", "Võ Thị Giang", "Đặng Văn Hải"}

// seedProvincePeople writes n people straight into the centre's tables, as
// an import of the province's register would, and indexes their names once.
func seedProvincePeople(t *testing.T, db *store.DB, n int, communes []uint32) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	const chunk = 50_000
	for from := 0; from < n; from += chunk {
		err := db.Write(ctx, func(tx *store.Tx) error {
			for k := from; k < min(n, from+chunk); k++ {
				id, born := provinceID(k)
				name := provinceNames[k%len(provinceNames)]
				if _, err := tx.Exec(`INSERT INTO people (id, id_number, full_name, folded, birth_date, sex, phone, commune, hamlet, address,
					version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '', ?, 'Ấp 1', '', 1, ?, ?)`,
					store.NewID(now), id, name, store.Fold(name), born.Format(time.DateOnly), store.SexMale, communes[k%len(communes)],
					now.Unix(), now.Unix()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{`DELETE FROM people_fts_queue`, `INSERT INTO people_fts (people_fts) VALUES ('rebuild')`} {
		if _, err := db.SQL().ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
}

// provinceDeskDay queues a commune desk's day: apps applications (every
// other one of a person the centre holds, who lives in the commune), the
// first decisions of them approved, revocations of those permits. It
// returns the serials it issued.
func provinceDeskDay(t *testing.T, desk *store.DB, commune uint32, index, communes, people, apps, decisions, revocations int) []string {
	t.Helper()
	ctx := context.Background()
	begin := store.StartOfDay(desk.Now()).AddDate(0, 0, 1)
	var ins []store.Intake
	for j := range apps {
		// The j-th returning resident of this commune, or a new person
		// numbered past the province's register.
		k := index + communes*(j/2)
		if j%2 == 1 || k >= people {
			k = people + int(personSeq.Add(1))
		}
		idNumber, born := provinceID(k)
		name := provinceNames[k%len(provinceNames)]
		ins = append(ins, store.Intake{Person: store.Person{IDNumber: idNumber, FullName: name, BirthDate: born, Sex: store.SexMale, Commune: commune, Hamlet: "Ấp 1"},
			Application: store.Application{Category: store.CatResident, Purpose: store.PurposeFood, Area: []uint32{commune}, Route: "Nhà → chợ",
				ValidFrom: begin.Add(7 * time.Hour), ValidUntil: begin.AddDate(0, 0, 3)}})
	}
	var made []store.Application
	for from := 0; from < len(ins); from += 1000 {
		a, err := desk.SubmitBatch(ctx, store.System(), ins[from:min(len(ins), from+1000)])
		if err != nil {
			t.Fatalf("commune %d: %v", commune, err)
		}
		made = append(made, a...)
	}
	serials := approve(t, desk, ids(made[:min(decisions, len(made))])...)
	o, err := desk.Login(ctx, fmt.Sprintf("duyet.%d", commune), password)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range serials[:min(revocations, len(serials))] {
		if err := desk.Revoke(ctx, o, s, "người được cấp đã chuyển đi"); err != nil {
			t.Fatal(err)
		}
	}
	return serials
}

// processCPU is the user and system time of process pid so far (Linux;
// zero elsewhere).
func processCPU(pid int) time.Duration {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The fields after the command name, which is in parentheses.
	_, rest, ok := strings.Cut(string(stat), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / 100 // clock ticks: USER_HZ is 100 on Linux
}
