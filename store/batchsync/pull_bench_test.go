package batchsync

import (
	"context"
	"fmt"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/storetest"
)

// BenchmarkPull is one page of a new desk's first pull: 500 applications
// of its unit, three in four approved (with their permits), and the notices
// of ten revocations, which a desk of the same unit pushed. "centre" reads
// the page as the feed serves it (central.DB.Changes); "desk" applies it on
// a freshly enrolled desk (store.DB.ApplyChanges), the enrollment left out
// of the timing; "https" is a fresh desk's whole first pull over loopback.
// Each reports the CPU each change cost (the process's rusage, so the
// figure holds on a shared machine):
//
//	go test -run '^$' -bench 'BenchmarkPull$' -benchtime 20x ./store/batchsync/
func BenchmarkPull(b *testing.B) {
	ctx := context.Background()
	e := newEnv(b)
	deskA := e.enroll(unitA)
	apps := submit(b, deskA, unitA, 500)
	serials := approve(b, deskA, ids(apps[:375])...)
	o, err := deskA.Login(ctx, fmt.Sprintf("duyet.%d", unitA), password)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range serials[:10] {
		if err := deskA.Revoke(ctx, o, s, "người được cấp đã chuyển đi"); err != nil {
			b.Fatal(err)
		}
	}
	mustSync(b, e.client(deskA, nil))
	// The page is a second desk's: a desk is not sent what its own ops
	// caused.
	deskB := e.enroll(unitA)
	tok, _, _ := deskB.Setting(ctx, store.SettingSyncToken)
	auth, err := e.central.AuthenticateDesk(ctx, string(tok))
	if err != nil {
		b.Fatal(err)
	}
	page, err := e.central.Changes(ctx, auth, 0, 1000)
	if err != nil {
		b.Fatal(err)
	}
	if n := len(page.Changes); n < 510 || page.More {
		b.Fatalf("the page holds %d changes (more %v), want the 500 applications and 10 notices at least", n, page.More)
	}
	perChange := func(b *testing.B, changes int, cpu time.Duration) {
		if cpu > 0 {
			b.ReportMetric(float64(cpu.Microseconds())/float64(changes), "cpu-µs/change")
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(changes), "µs/change")
	}
	b.Run("centre", func(b *testing.B) {
		served := 0
		cpu0 := storetest.ProcessCPU()
		for b.Loop() {
			p, err := e.central.Changes(ctx, auth, 0, 1000)
			if err != nil {
				b.Fatal(err)
			}
			served += len(p.Changes)
		}
		perChange(b, served, storetest.ProcessCPU()-cpu0)
	})
	b.Run("desk", func(b *testing.B) {
		applied := 0
		var cpu time.Duration
		for b.Loop() {
			b.StopTimer()
			desk := e.enroll(unitA)
			b.StartTimer()
			cpu0 := storetest.ProcessCPU()
			if err := desk.ApplyChanges(ctx, page.Changes, page.Next, "", nil); err != nil {
				b.Fatal(err)
			}
			cpu += storetest.ProcessCPU() - cpu0
			applied += len(page.Changes)
			b.StopTimer()
			if n := count(b, desk, `SELECT COUNT(*) FROM applications`); n != 500 {
				b.Fatalf("the desk holds %d applications after the page, want 500", n)
			}
			desk.Close()
			b.StartTimer()
		}
		perChange(b, applied, cpu)
	})
	// "https": the whole first pull of a fresh desk over loopback HTTPS,
	// the centre and the desk in this one process: the pages' encoding,
	// compression and transport beside the two above.
	b.Run("https", func(b *testing.B) {
		pulled := 0
		var cpu time.Duration
		for b.Loop() {
			b.StopTimer()
			desk := e.enroll(unitA)
			c, err := NewClient(ctx, desk, ClientOptions{URL: e.url, RequestTimeout: patience})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			cpu0 := storetest.ProcessCPU()
			mustSync(b, c)
			cpu += storetest.ProcessCPU() - cpu0
			pulled += len(page.Changes)
			b.StopTimer()
			desk.Close()
			b.StartTimer()
		}
		perChange(b, pulled, cpu)
	})
}

// TestNewDeskPullsALargePageWhole: a new desk's first pull of pages of a
// thousand changes, more than the centre reads in one list (500) and the
// desk writes in one statement (100), with revocation notices after their
// applications. The new desk ends with every application of its unit as the
// desk that made them holds it: number, status, version, holder, permit and
// its QR, revoked or not.
func TestNewDeskPullsALargePageWhole(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	deskA := e.enroll(unitA)
	apps := submit(t, deskA, unitA, 1234)
	serials := approve(t, deskA, ids(apps[:777])...)
	o, err := deskA.Login(ctx, fmt.Sprintf("duyet.%d", unitA), password)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{serials[0], serials[499], serials[776]} {
		if err := deskA.Revoke(ctx, o, s, "người được cấp đã chuyển đi"); err != nil {
			t.Fatal(err)
		}
	}
	mustSync(t, e.client(deskA, nil))
	deskB := e.enroll(unitA)
	c, err := NewClient(ctx, deskB, ClientOptions{URL: e.url, RequestTimeout: patience, PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, c)
	held := func(db *store.DB) []string {
		rows, err := db.SQL().Query(`SELECT a.id || ' ' || a.number || ' ' || a.status || ' ' || a.version || ' ' || a.decided_by || ' ' ||
			p.id_number || ' ' || p.full_name || ' ' || COALESCE(pm.serial, '-') || ' ' || COALESCE(pm.qr, '-') || ' ' ||
			COALESCE(pm.revoked_at > 0, 0) || ' ' || (SELECT COUNT(*) FROM revocations r WHERE r.serial = pm.serial)
			FROM applications a JOIN people p ON p.id = a.person_id LEFT JOIN permits pm ON pm.application_id = a.id ORDER BY a.id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	want, got := held(deskA), held(deskB)
	if len(want) != 1234 || len(got) != len(want) {
		t.Fatalf("the new desk holds %d applications, the desk that made them %d (want 1234)", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("application %d on the new desk:\n%s\nwant (as its desk holds it):\n%s", i, got[i], want[i])
		}
	}
	for _, s := range []string{serials[0], serials[499], serials[776]} {
		if revoked, err := deskB.IsRevoked(ctx, s); err != nil || !revoked {
			t.Fatalf("the new desk does not hold %s as revoked (%v)", s, err)
		}
	}
}
