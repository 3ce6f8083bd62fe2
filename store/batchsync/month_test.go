package batchsync

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"thonghanh/store"
)

// monthDays is the month of TestMonthFirstPull; each of its days is an
// ordinary day, a third of the peak day (issue 16).
const monthDays = 30

// provinceMonth is a month of Tiền Giang: the people, and ten peak days'
// applications, decisions and revocations (30 days at a third of the peak).
func provinceMonth(f float64) provinceDay {
	m := peakDay.scaled(f)
	m.applications, m.decisions, m.revocations = m.applications*monthDays/3, m.decisions*monthDays/3, m.revocations*monthDays/3
	return m
}

// TestMonthFirstPull is a new desk's first pull after a month of province
// traffic, over HTTPS on loopback with the centre in its own process. The
// centre holds the province's people and a month of its 172 communes'
// applications, decisions and revocations; one commune's month comes
// through its desk's pushes (the centre's own apply path), the other
// communes' is written straight into the centre's file in large
// transactions, as the rows their pushes leave (applications, permits,
// revocations and their changes in the feed). Then a second desk of that
// commune enrolls and makes its first pull: its time, pages and largest page
// are reported, every page is within the client's cap, and the desk ends
// with every application of its commune, the notices of its commune's
// revocations and, from the signed list, every revocation of the province.
//
// What the month's pushes also leave but a pull never reads is not written:
// the checkpoints' scans and the ops kept for idempotency (the province run
// measures those). The other communes' permits carry the QR text of one of
// the commune's real permits, of the same length: no one reads them here.
//
// The default run is a miniature (1/2000 of the month). The real size, or a
// fraction of it, is asked for by THONGHANH_MONTH:
//
//	THONGHANH_MONTH=1 go test ./store/batchsync/ -run TestMonthFirstPull -v -timeout 2h
func TestMonthFirstPull(t *testing.T) {
	month := provinceMonth(1.0 / 2000)
	if v := os.Getenv("THONGHANH_MONTH"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 || f > 1 {
			t.Fatalf("THONGHANH_MONTH=%q: a fraction of the month, 0 < f ≤ 1", v)
		}
		month = provinceMonth(f)
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
	var communes []uint32
	for _, u := range units.All() {
		if u.Kind == store.KindCommunePC {
			communes = append(communes, u.Code)
		}
	}
	home := communes[0]
	start := time.Now()
	seedProvincePeople(t, centre.DB, month.people, communes)
	t.Logf("seeded %d people in %v", month.people, time.Since(start).Round(time.Millisecond))
	var officers []store.NewOfficer
	for _, c := range communes {
		officers = append(officers, store.NewOfficer{Username: fmt.Sprintf("duyet.%d", c), FullName: "Nguyễn Văn Duyệt", Unit: c,
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
	enroll := func() *store.DB {
		code, _, err := centre.CreateEnrollCode(ctx, home, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		desk, err := store.Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { desk.Close() })
		if _, err := Enroll(ctx, desk, EnrollOptions{URL: url, Code: code, Pin: pin, Approver: fmt.Sprintf("duyet.%d", home), Password: password}); err != nil {
			t.Fatalf("enroll: %v", err)
		}
		return desk
	}

	// The commune's month, queued on its desk.
	share := func(total, i, n int) int { return total/n + boolInt(i < total%n) }
	deskA := enroll()
	start = time.Now()
	homeApps, homeDecisions, homeRevs := share(month.applications, 0, len(communes)), share(month.decisions, 0, len(communes)),
		max(1, share(month.revocations, 0, len(communes)))
	provinceDeskDay(t, deskA, home, 0, len(communes), month.people, homeApps, homeDecisions, homeRevs)
	var qr string
	if err := deskA.SQL().QueryRow(`SELECT qr FROM permits LIMIT 1`).Scan(&qr); err != nil {
		t.Fatal(err)
	}
	queued, _ := deskA.OutboxWaiting(ctx)
	t.Logf("queued the commune's month on its desk: %d applications, %d approved, %d revoked; %d ops in %v",
		homeApps, homeDecisions, homeRevs, queued, time.Since(start).Round(time.Millisecond))

	// The other communes' month, straight into the centre's file.
	start = time.Now()
	others := seedProvinceMonth(t, centre.DB, communes, month, qr)
	t.Logf("wrote the other %d communes' month into the centre: %d applications, %d permits, %d revocations, in %v",
		len(communes)-1, others.applications, others.decisions, others.revocations, time.Since(start).Round(time.Millisecond))

	// The commune's desk pushes its month (and pulls the province's
	// revocations).
	start = time.Now()
	cA, err := NewClient(ctx, deskA, ClientOptions{URL: url, RequestTimeout: patience})
	if err != nil {
		t.Fatal(err)
	}
	if err := cA.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("the commune's desk pushed its %d ops and pulled in %v", queued, time.Since(start).Round(time.Millisecond))
	checkExactlyOnce(t, centre, deskA, true)

	var feedRows int
	centre.SQL().QueryRow(`SELECT COUNT(*) FROM changes`).Scan(&feedRows)
	var fileSize int64
	for _, suffix := range []string{"", "-wal"} {
		if st, err := os.Stat(filepath.Join(dir, FileDB) + suffix); err == nil {
			fileSize += st.Size()
		}
	}
	t.Logf("centre: file %.1f MB, the feed %d changes", float64(fileSize)/(1<<20), feedRows)

	// A new desk of the commune: enrollment and its first pull.
	var mu sync.Mutex
	pages, largest, lists, revocations, apps := 0, 0, 0, 0, 0
	inspect := func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := rt.RoundTrip(r)
			if err != nil || r.URL.Path != PathPull {
				return resp, err
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return nil, err
			}
			var page store.ChangePage
			if err := json.Unmarshal(body, &page); err != nil {
				return nil, err
			}
			mu.Lock()
			pages++
			largest = max(largest, len(body))
			for _, c := range page.Changes {
				switch c.Entity {
				case store.ChangeRevocationList:
					lists++
				case store.ChangeRevocation:
					revocations++
				case store.ChangeApplication:
					apps++
				}
			}
			mu.Unlock()
			resp.Body = io.NopCloser(bytes.NewReader(body))
			return resp, nil
		})
	}
	began := time.Now()
	deskB := enroll()
	enrolled := time.Since(began)
	cB, err := NewClient(ctx, deskB, ClientOptions{URL: url, WrapTransport: inspect, RequestTimeout: patience})
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	serverCPU, ownCPU := processCPU(proc.Process.Pid), processCPU(os.Getpid())
	if err := cB.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	pulled := time.Since(start)
	serverCPU, ownCPU = processCPU(proc.Process.Pid)-serverCPU, processCPU(os.Getpid())-ownCPU
	t.Logf("a new desk of unit %d: enrolled in %v, first pull in %v (%d pages, largest %d bytes; %d applications, %d revocations, %d revocation list); %v in all",
		home, enrolled.Round(time.Millisecond), pulled.Round(time.Millisecond), pages, largest, apps, revocations, lists, time.Since(began).Round(time.Millisecond))
	// On a shared machine the wall clock is a fraction of an idle one's:
	// the CPU each side spent is the comparable figure.
	t.Logf("CPU during the first pull: the centre %v, the desk (this process) %v", serverCPU, ownCPU)

	wantApps := count(t, centre.DB, `SELECT COUNT(*) FROM applications WHERE queue_unit = ? OR received_unit = ?`, home, home)
	wantRevs := count(t, centre.DB, `SELECT COUNT(*) FROM revocations`)
	if wantRevs != others.revocations+homeRevs {
		t.Fatalf("the centre holds %d revocations, want %d", wantRevs, others.revocations+homeRevs)
	}
	if got := count(t, deskB, `SELECT COUNT(*) FROM applications`); got != wantApps || apps != wantApps {
		t.Fatalf("the new desk holds %d applications (%d pulled), the centre %d of its commune", got, apps, wantApps)
	}
	// The notices of the commune's own revocations, every other one from
	// the signed list.
	if got := count(t, deskB, `SELECT COUNT(*) FROM revocations`); got != wantRevs || revocations != homeRevs || lists != 1 {
		t.Fatalf("the new desk holds %d revocations (%d notices, %d lists pulled), the centre %d; want every one, %d notices and the list once",
			got, revocations, lists, wantRevs, homeRevs)
	}
	if largest > maxResponse {
		t.Fatalf("a page of %d bytes: past the client's cap of %d", largest, maxResponse)
	}
	if revoked, err := deskB.IsRevoked(ctx, others.lastRevoked); err != nil || !revoked {
		t.Fatalf("the new desk does not hold another commune's %s as revoked (%v)", others.lastRevoked, err)
	}
}

// monthWritten is what seedProvinceMonth wrote.
type monthWritten struct {
	applications, decisions, revocations int
	lastRevoked                          string
}

// seedProvinceMonth writes the month of every commune but the first
// straight into the centre's tables, a day a transaction, as their desks'
// pushes would have left it: each commune's applications (by people of its
// register), the first of each day approved with a permit, the first of
// those revoked, each with its change in the feed (feedApp's and
// feedRevocation's rows). The revocation list is signed by the next push
// that revokes.
func seedProvinceMonth(t *testing.T, db *store.DB, communes []uint32, month provinceDay, qr string) monthWritten {
	t.Helper()
	ctx := context.Background()
	var personIDs []string
	rows, err := db.SQL().QueryContext(ctx, `SELECT id FROM people ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		personIDs = append(personIDs, id)
	}
	rows.Close()
	if len(personIDs) != month.people {
		t.Fatalf("%d people in the centre, want %d", len(personIDs), month.people)
	}
	approvers := map[uint32]string{}
	rows, err = db.SQL().QueryContext(ctx, `SELECT unit, id FROM officers`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var unit uint32
		var id string
		if err := rows.Scan(&unit, &id); err != nil {
			t.Fatal(err)
		}
		approvers[unit] = id
	}
	rows.Close()
	share := func(total, i, n int) int { return total/n + boolInt(i < total%n) }
	n := len(communes)
	var out monthWritten
	made := make([]int, n) // applications written per commune, for their numbers
	now := time.Now()
	first := store.StartOfDay(now).AddDate(0, 0, -monthDays)
	for day := range monthDays {
		at := first.AddDate(0, 0, day).Add(9 * time.Hour)
		from, until := at.Add(22*time.Hour).Unix(), at.AddDate(0, 0, 3).Unix()
		err := db.Write(ctx, func(tx *store.Tx) error {
			for i := 1; i < n; i++ {
				unit, origin := communes[i], fmt.Sprintf("desk-%d-1", communes[i])
				monthApps := share(month.applications, i, n)
				apps := share(monthApps, day, monthDays)
				decided := min(apps, share(share(month.decisions, i, n), day, monthDays))
				revoked := min(decided, share(share(month.revocations, i, n), day, monthDays))
				// The commune's people: i, i+n, i+2n, … of the register.
				residents := (month.people - i + n - 1) / n
				for j := range apps {
					seq := made[i] + j + 1
					k := i + n*((seq-1)%max(1, residents))
					id := store.NewID(at)
					status, decidedBy, decidedAt, version := store.StatusPending, "", int64(0), 1
					if j < decided {
						status, decidedBy, decidedAt, version = store.StatusApproved, approvers[unit], at.Unix(), 2
					}
					if _, err := tx.Exec(`INSERT INTO applications (id, number, person_id, category, purpose, area, route, valid_from, valid_until,
						source, status, queue_unit, received_unit, received_by, decided_by, decided_at, version, created_at, updated_at)
						VALUES (?, ?, ?, ?, ?, ?, 'Nhà → chợ', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
						id, fmt.Sprintf("HS%d-1-%d", unit, seq), personIDs[k], store.CatResident, store.PurposeFood, strconv.FormatUint(uint64(unit), 10),
						from, until, store.SourceWalkIn, status, unit, unit, approvers[unit], decidedBy, decidedAt, version, at.Unix(), at.Unix()); err != nil {
						return err
					}
					if _, err := tx.Exec(`INSERT INTO changes (unit, entity, entity_id, origin, created_at) VALUES (?, ?, ?, ?, ?)`,
						unit, store.ChangeApplication, id, origin, at.Unix()); err != nil {
						return err
					}
					if j >= decided {
						continue
					}
					serial := fmt.Sprintf("%d-1-%d-%06d", unit, at.Year(), seq)
					idNumber, _ := provinceID(k)
					name := provinceNames[k%len(provinceNames)]
					var revokedAt int64
					revokedBy, reason := "", ""
					if j < revoked {
						revokedAt, revokedBy, reason = at.Add(time.Hour).Unix(), approvers[unit], "người được cấp đã chuyển đi"
					}
					if _, err := tx.Exec(`INSERT INTO permits (serial, application_id, unit, desk_no, category, holder_name, folded, id_number,
						valid_from, valid_until, qr, approved_by, issued_at, revoked_at, revoked_by, revoke_reason) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
						serial, id, unit, store.CatResident, name, store.Fold(name), idNumber, from, until, qr, approvers[unit], at.Unix(),
						revokedAt, revokedBy, reason); err != nil {
						return err
					}
					if j >= revoked {
						continue
					}
					if _, err := tx.Exec(`INSERT INTO revocations (serial, revoked_at, reason) VALUES (?, ?, ?)`, serial, revokedAt, reason); err != nil {
						return err
					}
					if _, err := tx.Exec(`INSERT INTO changes (unit, entity, entity_id, origin, created_at) VALUES (?, ?, ?, ?, ?)`,
						unit, store.ChangeRevocation, serial, origin, revokedAt); err != nil {
						return err
					}
					out.lastRevoked = serial
				}
				made[i] += apps
				out.applications += apps
				out.decisions += decided
				out.revocations += revoked
			}
			return nil
		})
		if err != nil {
			t.Fatalf("day %d: %v", day+1, err)
		}
	}
	return out
}
