package batchsync

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"thonghanh/store"
)

// heldQueue serves e with a push limit of a nanosecond, so that any push
// arriving behind another is told the centre is busy, and holds the first
// pushed op in the centre's Write until release is called: the queue is long
// for as long as the test says, on a machine of any speed.
func heldQueue(e *env) (entered <-chan struct{}, release func()) {
	in, hold := make(chan struct{}), make(chan struct{})
	var once, freed sync.Once
	e.serveWith(ServerOptions{BusyAfter: time.Nanosecond, opHook: func(store.PushOp) {
		once.Do(func() { close(in) })
		<-hold
	}})
	release = func() { freed.Do(func() { close(hold) }) }
	e.t.Cleanup(release)
	return in, release
}

// refusal is what a desk's transport saw of the centre's 429s.
type refusal struct {
	mu      sync.Mutex
	retry   []string // Retry-After of each 429 to a push
	codes   []string // its error code
	message []string
}

func (f *refusal) wrap(rt http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := rt.RoundTrip(r)
		if err != nil || !isPush(r) || resp.StatusCode != http.StatusTooManyRequests {
			return resp, err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(strings.NewReader(string(body)))
		var eb ErrorBody
		json.Unmarshal(body, &eb)
		f.mu.Lock()
		f.retry, f.codes, f.message = append(f.retry, resp.Header.Get("Retry-After")), append(f.codes, eb.Error), append(f.message, eb.Message)
		f.mu.Unlock()
		return resp, err
	})
}

func (f *refusal) seen() ([]string, []string, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.retry, f.codes, f.message
}

// A desk pushing while another's push holds the centre's write queue is
// told to come back later: 429, Retry-After, the "busy" body. Nothing of its
// push reaches the centre, its ops stay pending with no attempt counted, it
// still pulls, and its next round sends every op once. The push admitted
// before it finishes.
func TestBusyCentreTellsADeskToComeBackLater(t *testing.T) {
	e := newEnv(t)
	entered, release := heldQueue(e)
	deskA, deskB := e.enroll(unitA), e.enroll(unitB)
	submit(t, deskA, unitA, 3)
	submit(t, deskB, unitB, 4)
	ctx := context.Background()
	a := e.client(deskA, nil)
	doneA := make(chan error, 1)
	go func() { doneA <- a.Sync(ctx) }()
	<-entered // A's push holds the Write, its ops counted in the queue

	d, _ := deskB.Desk(ctx)
	heldBefore := count(t, e.central.DB, `SELECT COUNT(*) FROM sync_ops`)
	var seen refusal
	b := e.client(deskB, seen.wrap)
	err := b.Sync(ctx)
	var busy *BusyError
	if !errors.As(err, &busy) || !errors.Is(err, ErrBusy) {
		t.Fatalf("desk B's round behind a held queue: %v, want a BusyError", err)
	}
	retry, codes, msgs := seen.seen()
	if len(retry) != 1 || codes[0] != codeBusy || !strings.Contains(msgs[0], "bận") {
		t.Fatalf("429s to B's pushes: Retry-After %q, codes %q, messages %q; want one busy refusal", retry, codes, msgs)
	}
	secs, perr := strconv.Atoi(retry[0])
	if perr != nil || secs < 1 || secs > int(maxRetryAfter/time.Second) || busy.Wait != time.Duration(secs)*time.Second {
		t.Errorf("Retry-After %q, the desk's wait %v: want whole seconds in [1, %v], the same", retry[0], busy.Wait, maxRetryAfter)
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM sync_ops WHERE desk_id = ?`, d.ID); n != 0 {
		t.Errorf("the centre holds %d ops of the refused push", n)
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM sync_ops`); n != heldBefore {
		t.Errorf("the centre's ops went from %d to %d during the refusal", heldBefore, n)
	}
	if n := count(t, deskB, `SELECT COUNT(*) FROM outbox WHERE state <> 'pending' OR attempts > 0`); n != 0 {
		t.Errorf("%d of B's ops are not pending, or counted as tried, after the refusal", n)
	}
	st := b.State()
	if !st.Online || !st.Busy || !strings.Contains(st.LastError, "máy chủ tỉnh đang bận") || !strings.Contains(st.LastError, retry[0]+" giây") {
		t.Errorf("B's state: online %v, busy %v, %q; want online, busy and the busy wait in Vietnamese", st.Online, st.Busy, st.LastError)
	}
	if st.ListsAt.IsZero() {
		t.Error("B did not pull after its push was refused: the pull waited for the write queue or was skipped")
	}
	if n, _ := deskB.OutboxWaiting(ctx); n == 0 || st.Pending != n {
		t.Errorf("B shows %d pending, its outbox holds %d", st.Pending, n)
	}

	release()
	if err := <-doneA; err != nil {
		t.Fatalf("the push admitted before the refusal: %v", err)
	}
	checkExactlyOnce(t, e.central, deskA, true)
	mustSync(t, b)
	checkExactlyOnce(t, e.central, deskB, true)
	if b.State().Busy {
		t.Error("B still reads as told busy after a round the centre took")
	}
	if retry, _, _ := seen.seen(); len(retry) != 1 {
		t.Errorf("B was refused %d times, want once (the queue was empty)", len(retry))
	}
}

// The background loop waits the Retry-After of a busy centre, not its
// backoff, and then sends everything.
func TestDeskWaitsTheRetryAfterOfABusyCentre(t *testing.T) {
	e := newEnv(t)
	entered, release := heldQueue(e)
	deskA, deskB := e.enroll(unitA), e.enroll(unitB)
	submit(t, deskA, unitA, 2)
	submit(t, deskB, unitB, 2)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := e.client(deskA, nil)
	doneA := make(chan error, 1)
	go func() { doneA <- a.Sync(ctx) }()
	<-entered

	var seen refusal
	b := e.client(deskB, seen.wrap)
	type wait struct {
		d    time.Duration
		busy bool
	}
	waits := make(chan wait, 10)
	b.wait = func(d time.Duration, busy bool) time.Duration {
		waits <- wait{d, busy}
		if busy { // the queue clears while B waits; then its next round, at once
			release()
			<-doneA
			return 0
		}
		return time.Hour
	}
	stop := b.Start(ctx)
	first, second := <-waits, <-waits
	stop()
	retry, _, _ := seen.seen()
	if len(retry) != 1 {
		t.Fatalf("B saw %d refusals, want 1", len(retry))
	}
	if secs, _ := strconv.Atoi(retry[0]); !first.busy || first.d != time.Duration(secs)*time.Second {
		t.Errorf("after the 429 B waited %v (busy %v), want the Retry-After %ss and not its backoff (≤ 50ms)", first.d, first.busy, retry[0])
	}
	if second.busy || second.d != b.opt.Interval {
		t.Errorf("after the queue cleared: wait %v busy %v, want the interval", second.d, second.busy)
	}
	checkExactlyOnce(t, e.central, deskA, true)
	checkExactlyOnce(t, e.central, deskB, true)
}

// The queue's estimate: ops ahead over the rate (the floor until a push has
// applied for a while, then its progress, then the pushes answered); a
// push that would wait past the limit is refused, one within it is
// admitted. Refused before coldPushes pushes are measured, a desk comes
// back within coldRetry; on a measured rate, Retry-After is spread over half the limit
// from when the queue should be back within the limit, whole seconds in
// [1 s, maxRetryAfter].
func TestWriteQueueEstimatesTheWait(t *testing.T) {
	q := newWriteQueue(10 * time.Second)
	first, _ := q.admit()
	first.decoded(int(busyFloorRate) * 10) // 10 s of ops at the floor rate
	second, _ := q.admit()
	if second == nil {
		t.Fatal("a push 10 s behind, at a limit of 10 s, was refused")
	}
	second.decoded(1)
	if w := q.wait(); w <= 10*time.Second || w > 11*time.Second {
		t.Fatalf("estimated wait behind 5,001 ops at the floor rate: %v", w)
	}
	if third, secs := q.admit(); third != nil || secs < 1 || secs > int(coldRetry/time.Second) {
		t.Fatalf("a push 10.002 s behind, nothing measured: admitted %v, Retry-After %d s, want within %v", third != nil, secs, coldRetry)
	}
	// Before any push is answered, the one applying is the measure: 1,000
	// ops begun in about a second.
	first.applying()
	first.started, first.applied = time.Now().Add(-time.Second), 1000
	if r := q.rate(); r < 800 || r > 1000 {
		t.Errorf("rate while the first push applies, 1,000 ops in about 1 s: %.0f ops/s", r)
	}
	// 5,001 ops at 800–1,000 ops/s is 5–6.3 s: past a limit of 2 s, told
	// to come back within a second of when it is back within 2 s, once
	// the centre is measured.
	q.limit, q.samples = 2*time.Second, coldPushes
	if third, secs := q.admit(); third != nil || secs < 2 || secs > 6 {
		t.Fatalf("a push 5–6.3 s behind at a limit of 2 s, measured: admitted %v, Retry-After %d s, want 2–6", third != nil, secs)
	}
	// It held the Write for a second or a little more: the rate becomes
	// its ops over that.
	first.done(first.ops)
	if r := q.rate(); r < 4000 || r > 5000 {
		t.Errorf("rate after 5,000 ops in about 1 s: %.0f ops/s", r)
	}
	second.done(0) // nothing applied: no sample
	if q.pushes != 0 || q.ops != 0 {
		t.Errorf("queue after both pushes: %d pushes, %d ops", q.pushes, q.ops)
	}
	if off := newWriteQueue(-1); off.limit >= 0 {
		t.Error("a negative limit must switch refusals off")
	}
	for _, c := range []struct{ wait, limit, lo, hi time.Duration }{
		{0, time.Nanosecond, time.Second, time.Second},
		{10 * time.Second, time.Nanosecond, 9 * time.Second, 10 * time.Second},
		{90 * time.Second, time.Minute, 30 * time.Second, time.Minute},
		{time.Hour, time.Minute, maxRetryAfter, maxRetryAfter}} {
		for range 50 {
			if got := time.Duration(retryAfter(c.wait, c.limit)) * time.Second; got < c.lo || got > c.hi {
				t.Fatalf("retryAfter(%v, limit %v) = %v, want in [%v, %v]", c.wait, c.limit, got, c.lo, c.hi)
			}
		}
	}
}

// A desk honours Retry-After in seconds or as a date, within bounds.
func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2021, 9, 21, 8, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"7": 7 * time.Second, "0": time.Second, "99999": maxBusyWait, "": defaultBusyWait, "soon": defaultBusyWait,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
	} {
		if got := parseRetryAfter(v, now); got != want {
			t.Errorf("Retry-After %q: %v, want %v", v, got, want)
		}
	}
	if DefaultBusyAfter > defaultRequestTimeout/2 {
		t.Errorf("DefaultBusyAfter %v is not well inside the desk's default RequestTimeout %v", DefaultBusyAfter, defaultRequestTimeout)
	}
}
