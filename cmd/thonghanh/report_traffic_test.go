package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/batchsync"
	"thonghanh/store/central"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
)

// A centre's traffic for the province report, written straight into a real
// centre's tables with plain SQL in one transaction, as the centre holds
// them after every desk's push: the agreement test counts its figures from
// these records, the benchmark builds a month of the province with it.

type trafficApp struct {
	id, number      string
	received, queue uint32
	source, status  string
	category        int
	area            uint32
	created         int64
	decided         int64 // 0 when not decided
}

type trafficPermit struct {
	serial                string
	app                   *trafficApp
	unit                  uint32
	category              int
	validFrom, validUntil int64
	issued, revoked       int64
	reason                string
}

type trafficScan struct {
	serial     string
	at         int64
	checkpoint uint32
	verdict    string
}

type traffic struct {
	apps    []*trafficApp
	permits []*trafficPermit
	scans   []trafficScan
}

// The hours every generated application asks for: 06:00–18:00.
const trafficHoursFrom, trafficHoursTo = 6 * 60, 18 * 60

var trafficReasons = []string{"Hết nhu cầu đi lại", "Khai sai thông tin", "Vi phạm phạm vi đi lại"}

// genTraffic makes n applications per unit over the days [start, start+days)
// (and a few days either side), with their decisions, permits, revocations
// and one ordinary scan per permit (in its area and hours). district gives
// the unit a commune forwards to (0: it forwards nowhere).
// checkpointIn names a checkpoint inside an area that is not a commune
// (a commune is its own).
func genTraffic(seedN uint64, units []uint32, district, checkpointIn map[uint32]uint32, n int, start time.Time, days int, maxDays map[int]int) *traffic {
	rng := rand.New(rand.NewPCG(seedN, 1))
	tr := &traffic{}
	day := int64(86400)
	s := start.Unix()
	seq := 0
	for _, u := range units {
		for i := range n {
			seq++
			a := &trafficApp{id: fmt.Sprintf("A%09d", seq), number: fmt.Sprintf("%d-1-2021-%07d", u, seq), received: u, queue: u,
				source: "walk_in", category: 1 + rng.IntN(5), area: u}
			if u >= 100000 { // a province body: the whole province
				a.area = store.ProvinceCode
			}
			if i%3 == 0 {
				a.source = "online"
			}
			// From five days before the period to two after it.
			a.created = s - 5*day + rng.Int64N(int64(days+7)*day)
			switch x := rng.IntN(100); {
			case x < 55:
				a.status = store.StatusApproved
			case x < 68:
				a.status = store.StatusRejected
			case x < 80 && district[u] != 0:
				a.queue = district[u]
				a.status = []string{store.StatusForwarded, store.StatusApproved, store.StatusRejected}[rng.IntN(3)]
			case x < 95:
				a.status = store.StatusPending
			default:
				a.status = store.StatusWithdrawn
			}
			if a.status == store.StatusApproved || a.status == store.StatusRejected {
				a.decided = a.created + 600 + rng.Int64N(4*day)
			}
			tr.apps = append(tr.apps, a)
			if a.status != store.StatusApproved {
				continue
			}
			from := store.StartOfDay(time.Unix(a.decided, 0)).AddDate(0, 0, 1).Unix()
			p := &trafficPermit{serial: fmt.Sprintf("%d-1-2021-%06d", a.queue, seq), app: a, unit: a.queue, category: a.category,
				validFrom: from, validUntil: from + int64(1+rng.IntN(maxDays[a.category]))*day, issued: a.decided}
			if rng.IntN(100) < 5 {
				p.revoked = p.issued + 3600 + rng.Int64N(3*day)
				p.reason = trafficReasons[rng.IntN(len(trafficReasons))]
			}
			tr.permits = append(tr.permits, p)
			// One ordinary scan: the next morning, in its area.
			cp := a.area
			if c, ok := checkpointIn[cp]; ok {
				cp = c
			}
			tr.scans = append(tr.scans, trafficScan{p.serial, from + 8*3600, cp, string(seal.Valid)})
		}
	}
	return tr
}

// newTrafficCentre makes a real centre (server init's folder) and writes tr
// into it.
func newTrafficCentre(tb testing.TB, tr *traffic) string {
	tb.Helper()
	ctx := context.Background()
	dir := filepath.Join(tb.TempDir(), "server")
	if _, err := batchsync.InitServerDir(ctx, batchsync.InitOptions{Dir: dir, Insecure: true, RootKey: seed.DemoRootKey()}); err != nil {
		tb.Fatal(err)
	}
	db, err := batchsync.OpenCentral(ctx, dir)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	writeTraffic(tb, db, tr)
	return dir
}

func writeTraffic(tb testing.TB, db *central.DB, tr *traffic) {
	tb.Helper()
	tx, err := db.SQL().Begin()
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	exec := func(q string, args ...any) {
		if _, err := tx.Exec(q, args...); err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO officers (id, username, full_name, unit, roles, password_hash, created_at) VALUES ('OFF-1', 'duyet-tinh', 'Cán bộ duyệt', 82, 'approver', '-', 0)`)
	exec(`INSERT INTO people (id, id_number, full_name, folded, birth_date, sex, commune, created_at, updated_at)
		VALUES ('P-1', '082190000001', 'Nguyễn Văn An', 'nguyen van an', '1990-01-01', 'M', 28249, 0, 0)`)
	prep := func(q string) *sql.Stmt {
		st, err := tx.Prepare(q)
		if err != nil {
			tb.Fatal(err)
		}
		return st
	}
	apps := prep(`INSERT INTO applications (id, number, person_id, category, purpose, area, valid_from, valid_until, hours_from, hours_to,
		source, status, queue_unit, received_unit, decided_at, created_at, updated_at) VALUES (?, ?, 'P-1', ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	permits := prep(`INSERT INTO permits (serial, application_id, unit, desk_no, category, holder_name, folded, id_number, valid_from, valid_until,
		qr, approved_by, issued_at, revoked_at, revoke_reason) VALUES (?, ?, ?, 1, ?, 'Nguyễn Văn An', 'nguyen van an', '082190000001', ?, ?, '', 'OFF-1', ?, ?, ?)`)
	scans := prep(`INSERT INTO scan_events (id, at, serial, kind, verdict, checkpoint, officer_id, desk_id) VALUES (?, ?, ?, ?, ?, ?, 'OFF-1', 'D-1')`)
	for _, a := range tr.apps {
		if _, err := apps.Exec(a.id, a.number, a.category, strconv.FormatUint(uint64(a.area), 10), a.created, a.created+86400,
			trafficHoursFrom, trafficHoursTo, a.source, a.status, a.queue, a.received, a.decided, a.created, max(a.created, a.decided)); err != nil {
			tb.Fatal(err)
		}
	}
	for _, p := range tr.permits {
		if _, err := permits.Exec(p.serial, p.app.id, p.unit, p.category, p.validFrom, p.validUntil, p.issued, p.revoked, p.reason); err != nil {
			tb.Fatal(err)
		}
		if p.revoked != 0 {
			exec(`INSERT INTO revocations (serial, revoked_at, reason) VALUES (?, ?, ?)`, p.serial, p.revoked, p.reason)
		}
	}
	for i, s := range tr.scans {
		if _, err := scans.Exec(fmt.Sprintf("S%09d", i), s.at, s.serial, int(seal.KindPermit), s.verdict, s.checkpoint); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}
