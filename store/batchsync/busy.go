package batchsync

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// The centre's writes go one at a time (central.DB.Write): with every desk
// of a province pushing at once, a push waits for all those before it, and
// past the desk's RequestTimeout (2 minutes by default) the desk gives up
// and sends the same ops again, which the centre then does twice the work
// for. So a push that would wait longer than the limit is told to come back
// later (429 with Retry-After) before anything of it is read: it costs the
// centre a few microseconds instead of a resend.
const (
	// DefaultBusyAfter is the longest a push is let wait for the write
	// queue: half the desk's default RequestTimeout, so an answer arrives
	// well inside it even when the estimate of the wait is off by two.
	DefaultBusyAfter = time.Minute

	// busyFloorRate is the apply rate, in ops a second, assumed before a
	// push has been measured: about what the centre sustained on a loaded
	// 2-core machine at province scale (README, "The centre at province
	// scale"), low so that a cold centre refuses too early rather than too
	// late.
	busyFloorRate = 500.0
	// coldRetry spreads the desks refused before coldPushes pushes are
	// measured: the floor is a guess and a cold centre's first pushes are
	// its slowest (3 times slower than the steady rate at 1/10 of the
	// province run), so they come back within it, when the centre has
	// measured itself, rather than after a wait the guess made up.
	coldRetry  = 10 * time.Second
	coldPushes = 5
	// busyRateWeight is the weight of the newest push in the moving rate.
	busyRateWeight = 0.2
	// maxRetryAfter caps the wait a refused desk is told: its ops wait on
	// the desk meanwhile, and the queue may drain faster than estimated.
	maxRetryAfter = 5 * time.Minute
)

// writeQueue counts the pushes admitted and not yet answered (waiting for
// the centre's Write or applying in it), their ops, and the rate the
// centre applies them at, measured from the pushes themselves.
type writeQueue struct {
	limit time.Duration // negative: never refuse

	mu     sync.Mutex
	pushes int // admitted, not answered
	ops    int // their ops, counted once decoded
	// The rate is the ratio of two moving averages over the pushes
	// measured, of their ops and of the seconds they held the Write: a
	// push of one scan weighs as little in it as its op does.
	avgOps, avgSecs float64
	samples         int // pushes measured
	// live is the push applying now, while none has been measured: its
	// progress is the first measure of a centre all of whose desks push at
	// once, before any of them is answered.
	live *pushTicket
}

// liveAfter is how long the first push must have applied before its
// progress replaces the floor rate.
const liveAfter = 50 * time.Millisecond

// rate is the centre's apply rate in ops a second: measured, or
// busyFloorRate before any push is.
func (q *writeQueue) rate() float64 {
	if q.avgSecs > 0 {
		return q.avgOps / q.avgSecs
	}
	if t := q.live; t != nil && t.applied > 0 {
		if took := time.Since(t.started); took >= liveAfter {
			return float64(t.applied) / took.Seconds()
		}
	}
	return busyFloorRate
}

func newWriteQueue(limit time.Duration) *writeQueue {
	if limit == 0 {
		limit = DefaultBusyAfter
	}
	return &writeQueue{limit: limit}
}

// wait is the estimated wait of a push arriving now: the ops ahead of it
// over the rate. Pushes admitted and not yet decoded count nothing: their
// body is read in milliseconds, while the wait this bounds is in seconds.
func (q *writeQueue) wait() time.Duration {
	return time.Duration(float64(q.ops) / q.rate() * float64(time.Second))
}

// admit lets a push into the queue, or says how long to come back after,
// in whole seconds (retryAfter). An admitted push is never refused later;
// its caller must call the returned ticket's done.
func (q *writeQueue) admit() (*pushTicket, int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if w := q.wait(); q.limit >= 0 && w > q.limit {
		if !q.measured() {
			return nil, retryAfter(coldRetry, coldRetry)
		}
		return nil, retryAfter(w, q.limit)
	}
	q.pushes++
	return &pushTicket{q: q}, 0
}

// measured reports whether the rate is more than a cold start's guess.
func (q *writeQueue) measured() bool { return q.samples >= coldPushes }

// pushTicket is one admitted push's place in the queue.
type pushTicket struct {
	q       *writeQueue
	ops     int
	started time.Time // when its first op was applied: it held the Write
	applied int       // ops begun so far (under q.mu)
	out     bool      // done was called
}

// decoded counts the push's ops in the queue.
func (t *pushTicket) decoded(ops int) {
	t.q.mu.Lock()
	t.ops = ops
	t.q.ops += ops
	t.q.mu.Unlock()
}

// applying notes that the push holds the Write and is about to apply one
// more op.
func (t *pushTicket) applying() {
	q := t.q
	q.mu.Lock()
	defer q.mu.Unlock()
	if t.started.IsZero() {
		t.started = time.Now()
		if q.avgSecs == 0 {
			q.live = t
		}
	}
	t.applied++
}

// done takes the push out of the queue once its Write is over (before its
// answer is written: a slow client is not the queue's time); applied ops
// over the time it held the Write are a sample of the centre's rate. Only
// the first call counts.
func (t *pushTicket) done(applied int) {
	if t.out {
		return
	}
	t.out = true
	q := t.q
	var took time.Duration
	if !t.started.IsZero() {
		took = time.Since(t.started)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pushes--
	q.ops -= t.ops
	if q.live == t {
		q.live = nil
	}
	if applied > 0 && took > 0 {
		q.samples++
	}
	switch {
	case applied == 0 || took <= 0:
	case q.avgSecs == 0: // the first measured replaces the floor
		q.avgOps, q.avgSecs = float64(applied), took.Seconds()
	default:
		q.avgOps += busyRateWeight * (float64(applied) - q.avgOps)
		q.avgSecs += busyRateWeight * (took.Seconds() - q.avgSecs)
	}
}

// retryAfter is the wait told to a desk refused at an estimated wait
// beyond limit, in whole seconds: uniform over half the limit from when the
// queue should be back within the limit (wait − limit). The desks refused
// together so come back spread out, while the queue still holds work, and
// keep feeding it rather than leaving it idle; a desk back too early is
// refused again at the cost of a request. At least a second, at most
// maxRetryAfter.
func retryAfter(wait, limit time.Duration) int {
	limit = min(max(limit, 0), wait)
	d := wait - limit + rand.N(limit/2+1)
	return int(min(max(d, time.Second), maxRetryAfter) / time.Second)
}

// refuseBusy answers a push the write queue is too long for: 429 with
// Retry-After secs, nothing read or applied.
func refuseBusy(w http.ResponseWriter, r *http.Request, secs int) {
	tooMany(w, r, secs, codeBusy, "máy chủ tỉnh đang bận ghi các lô của máy khác: gửi lại sau "+strconv.Itoa(secs)+" giây")
}

// codeBusy is the error code of a push refused for the write queue.
const codeBusy = "busy"
