package batchsync

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
)

// postPush sends body to the push endpoint with desk's token and returns the
// status (0 when the exchange failed before an answer came back).
func postPush(t testing.TB, e *env, desk *store.DB, body []byte, gzipped bool) (int, error) {
	t.Helper()
	tok, _, _ := desk.Setting(context.Background(), store.SettingSyncToken)
	req, err := http.NewRequest(http.MethodPost, e.url+PathPush, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+string(tok))
	req.Header.Set("Content-Type", "application/json")
	if gzipped {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := (&http.Client{Transport: pinnedTransport(e.pin, nil)}).Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// emptyOpsBody is a push of as many `{}` ops as fit in size bytes: about
// 2.8 million in 8 MiB.
func emptyOpsBody(deskID string, size int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"desk_id":%q,"batch_id":"b","schema_version":%d,"ops":[{}`, deskID, store.SchemaVersion())
	for b.Len() < size-8 {
		b.WriteString(",{}")
	}
	b.WriteString("]}")
	return b.Bytes()
}

func gzipped(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}

// An 8 MiB push of millions of empty ops is refused with 413 as soon as it
// passes the op cap, plain or gzipped, without the server decoding the rest:
// what the whole process allocates while four such pushes run at once (an
// upper bound of its peak heap growth, whatever the timing) stays under
// 100 MB, where decoding each body whole took gigabytes.
func TestPushOfMillionsOfEmptyOpsIsRefusedInBoundedMemory(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	d, _ := desk.Desk(context.Background())
	plain := emptyOpsBody(d.ID, int(DefaultLimits.MaxBytes))
	if n := bytes.Count(plain, []byte("{}")); n < 2_500_000 {
		t.Fatalf("attack body holds %d ops", n)
	}
	bomb := gzipped(t, plain)
	held := count(t, e.central.DB, `SELECT COUNT(*) FROM sync_ops`)

	const concurrent = 4
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	statuses := make([]int, 2*concurrent)
	errs := make([]error, 2*concurrent)
	for i := range 2 * concurrent {
		wg.Go(func() {
			if i%2 == 0 {
				statuses[i], errs[i] = postPush(t, e, desk, plain, false)
			} else {
				statuses[i], errs[i] = postPush(t, e, desk, bomb, true)
			}
		})
	}
	wg.Wait()
	runtime.ReadMemStats(&after)
	for i, st := range statuses {
		if st != http.StatusRequestEntityTooLarge {
			t.Errorf("push %d of millions of empty ops: status %d (%v), want 413", i, st, errs[i])
		}
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d pushes of %d bytes (%d gzipped): %.1f MB allocated, heap in use %+.1f MB",
		2*concurrent, len(plain), len(bomb), float64(allocated)/1e6, (float64(after.HeapInuse)-float64(before.HeapInuse))/1e6)
	if allocated > 100<<20 {
		t.Fatalf("the server allocated %.0f MB for %d refused pushes, want under 100 MB", float64(allocated)/1e6, 2*concurrent)
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM sync_ops`); n != held {
		t.Fatalf("refused pushes wrote %d ops", n-held)
	}
}

// A push whose body passes the byte cap is refused with 413 wherever the
// excess lies: in one op's payload, or in a key the server does not know.
func TestPushPastTheByteCapIsRefused(t *testing.T) {
	e := newEnv(t)
	desk := e.enroll(unitA)
	d, _ := desk.Desk(context.Background())
	e.srv.limits.MaxBytes = 64 << 10 // the same code path as 8 MiB, at a test's cost
	big := bytes.Repeat([]byte("a"), int(e.srv.limits.MaxBytes))
	for name, body := range map[string][]byte{
		"payload": fmt.Appendf(nil, `{"desk_id":%q,"ops":[{"op_id":"x","payload":"%s"}]}`, d.ID, big),
		"unknown": fmt.Appendf(nil, `{"desk_id":%q,"padding":"%s","ops":[]}`, d.ID, big),
		"spaces":  fmt.Appendf(nil, `{"desk_id":%q,"ops":[%s]}`, d.ID, bytes.Repeat([]byte(" "), len(big))),
	} {
		for _, gz := range []bool{false, true} {
			b := body
			if gz {
				b = gzipped(t, body)
			}
			if st, err := postPush(t, e, desk, b, gz); st != http.StatusRequestEntityTooLarge {
				t.Errorf("%s past the cap (gzip %v): status %d (%v), want 413", name, gz, st, err)
			}
		}
	}
	// Garbage within the caps is a 400, and trailing data is not ignored.
	for _, body := range []string{`[]`, `{"ops":{}}`, `{"ops":[1]}`, `{"desk_id":"` + d.ID + `","ops":[]} {}`, `{"desk_id":"` + d.ID + `"`} {
		if st, err := postPush(t, e, desk, []byte(body), false); st != http.StatusBadRequest {
			t.Errorf("push %s: status %d (%v), want 400", body, st, err)
		}
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM sync_ops`); n != 0 {
		t.Fatalf("refused pushes wrote %d ops", n)
	}
}

// Every revocation re-signs the whole list and feeds it: a page of the feed
// carries the list once, not once per revocation, so a desk back after weeks
// offline is not sent the list thousands of times over. The other desk of
// the unit gets each revocation's notice; a desk of another unit, the list.
func TestPullPageCarriesEachRecordOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	deskA, deskA2, deskB := e.enroll(unitA), e.enroll(unitA), e.enroll(unitB)
	d, _ := deskA.Desk(ctx)
	officer, err := deskA.Login(ctx, fmt.Sprintf("duyet.%d", unitA), password)
	if err != nil {
		t.Fatal(err)
	}
	const n = 150
	err = deskA.Write(ctx, func(tx *store.Tx) error {
		for i := range n {
			serial := fmt.Sprintf("%d-%d-2021-V%06d", unitA, d.Number, i)
			payload := map[string]any{"serial": serial, "reason": "hộ chuyển đi", "officer": officer.ID, "at": sept21.Unix()}
			if err := enqueue(tx, "revocation", serial, "revoke", payload); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, e.client(deskA, nil))
	tok, _, _ := deskA2.Setting(ctx, store.SettingSyncToken)
	auth, err := e.central.AuthenticateDesk(ctx, string(tok))
	if err != nil {
		t.Fatal(err)
	}
	page, err := e.central.Changes(ctx, auth, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	lists, revocations, size := 0, 0, 0
	for _, c := range page.Changes {
		size += len(c.Payload)
		switch c.Entity {
		case store.ChangeRevocationList:
			lists++
		case store.ChangeRevocation:
			revocations++
		}
	}
	t.Logf("%d changes, %d bytes of payload", len(page.Changes), size)
	if lists != 1 || revocations != n || page.More {
		t.Fatalf("page: %d revocation lists, %d revocations (more %v); want the list once and the %d revocations", lists, revocations, page.More, n)
	}
	mustSync(t, e.client(deskB, nil))
	for _, serial := range []string{fmt.Sprintf("%d-%d-2021-V%06d", unitA, d.Number, 0), fmt.Sprintf("%d-%d-2021-V%06d", unitA, d.Number, n-1)} {
		if revoked, err := deskB.IsRevoked(ctx, serial); err != nil || !revoked {
			t.Fatalf("desk B does not hold %s as revoked (%v)", serial, err)
		}
	}
}

// The citizen endpoint reads at most 256 KiB, plain or gzipped (a gzip bomb
// is cut off at the cap), and writes nothing for what it refuses.
func TestOnlineApplicationBodyIsCapped(t *testing.T) {
	e := newEnv(t)
	before := centralState(t, e.central.DB)
	big := append([]byte(`{"person":{"FullName":"`), bytes.Repeat([]byte("a"), 300<<10)...)
	for _, gz := range []bool{false, true} {
		body := big
		if gz {
			body = gzipped(t, big)
		}
		req, _ := http.NewRequest(http.MethodPost, e.url+PathApplications, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if gz {
			req.Header.Set("Content-Encoding", "gzip")
		}
		resp, err := (&http.Client{Transport: pinnedTransport(e.pin, nil)}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("online application of %d bytes (gzip %v): %d, want 413", len(body), gz, resp.StatusCode)
		}
	}
	if after := centralState(t, e.central.DB); after != before {
		t.Fatalf("refused applications wrote:\n%s\n%s", before, after)
	}
}

// A day of ten thousand revocations: the feed keeps one revocation list (the
// last), the list is signed once a push, not once a revocation, the notices
// go to the desks of the unit that issued the serials, and a new desk of
// another unit gets every revocation from the list, once, each page well
// under the client's cap.
func TestFeedAfterTenThousandRevocations(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	deskA := e.enroll(unitA)
	d, _ := deskA.Desk(ctx)
	officer, err := deskA.Login(ctx, fmt.Sprintf("duyet.%d", unitA), password)
	if err != nil {
		t.Fatal(err)
	}
	const n = 10000
	err = deskA.Write(ctx, func(tx *store.Tx) error {
		for i := range n {
			serial := fmt.Sprintf("%d-%d-2021-V%06d", unitA, d.Number, i)
			payload := map[string]any{"serial": serial, "reason": "hộ chuyển đi", "officer": officer.ID, "at": sept21.Unix()}
			if err := enqueue(tx, "revocation", serial, "revoke", payload); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var pushes atomic.Int32
	mustSync(t, e.client(deskA, func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if isPush(r) {
				pushes.Add(1)
			}
			return rt.RoundTrip(r)
		})
	}))
	if lists := count(t, e.central.DB, `SELECT COUNT(*) FROM changes WHERE entity = ?`, store.ChangeRevocationList); lists != 1 {
		t.Fatalf("the feed holds %d revocation lists, want the last one only", lists)
	}
	var list []byte
	e.central.SQL().QueryRow(`SELECT value FROM settings WHERE key = ?`, store.SettingRevocation).Scan(&list)
	l, err := seal.OpenRevocationList(e.root.Public().(ed25519.PublicKey), list, 0)
	if err != nil || len(l.Serials) != n || l.Sequence > 1+uint64(pushes.Load()) {
		t.Fatalf("revocation list: %d serials, sequence %d after %d pushes (%v); want %d serials signed once a push", len(l.Serials), l.Sequence, pushes.Load(), err, n)
	}
	deskB := e.enroll(unitB)
	var mu sync.Mutex
	pages, largest, lists, revocations := 0, 0, 0, 0
	c := e.client(deskB, func(rt http.RoundTripper) http.RoundTripper {
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
				}
			}
			mu.Unlock()
			resp.Body = io.NopCloser(bytes.NewReader(body))
			return resp, nil
		})
	})
	began := time.Now()
	mustSync(t, c)
	t.Logf("first pull: %d pages, largest %d bytes, in %v", pages, largest, time.Since(began).Round(time.Millisecond))
	if lists != 1 || revocations != 0 {
		t.Fatalf("first pull carried %d revocation lists and %d revocation notices; want 1 and none (the list names them)", lists, revocations)
	}
	if notices := count(t, e.central.DB, `SELECT COUNT(*) FROM changes WHERE entity = ? AND unit = ?`, store.ChangeRevocation, unitA); notices != n {
		t.Fatalf("the feed holds %d notices for the desks of unit %d, want %d", notices, unitA, n)
	}
	if largest > maxResponse/8 {
		t.Fatalf("a page of %d bytes: too near the client's cap of %d", largest, maxResponse)
	}
	if revoked, err := deskB.IsRevoked(ctx, fmt.Sprintf("%d-%d-2021-V%06d", unitA, d.Number, n-1)); err != nil || !revoked {
		t.Fatalf("desk B does not hold the last serial as revoked (%v)", err)
	}
}
