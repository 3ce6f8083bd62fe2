package batchsync

import (
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// POST /v1/applications has no token: anyone with the citizen app may send
// one. Each client address gets a bucket, so one script cannot fill the
// province's queues while phones behind the same carrier NAT still get
// through: the default lets an address send a burst of 30 and then one every
// second.
const (
	DefaultOnlinePerMinute = 60
	DefaultOnlineBurst     = 30

	// clientsKept bounds the table of addresses; past it, addresses not seen
	// for clientIdle are forgotten (a full bucket again, which is harmless).
	clientsKept = 10_000
	clientIdle  = 10 * time.Minute
)

// OnlineLimit is how many online applications one client address may send.
type OnlineLimit struct {
	PerMinute int // zero: DefaultOnlinePerMinute; negative: no limit
	Burst     int // zero: DefaultOnlineBurst
}

type clientLimiter struct {
	every     rate.Limit
	burst     int
	off       bool
	mu        sync.Mutex
	clients   map[string]*clientBucket
	lastSweep time.Time
}

type clientBucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newClientLimiter(l OnlineLimit) *clientLimiter {
	if l.PerMinute == 0 {
		l.PerMinute = DefaultOnlinePerMinute
	}
	if l.Burst <= 0 {
		l.Burst = DefaultOnlineBurst
	}
	return &clientLimiter{every: rate.Limit(float64(l.PerMinute) / 60), burst: l.Burst, off: l.PerMinute < 0,
		clients: map[string]*clientBucket{}}
}

// allow takes one request of addr's bucket at now; when it is empty it says
// how long until the next request would be let in.
func (c *clientLimiter) allow(addr string, now time.Time) (bool, time.Duration) {
	if c.off {
		return true, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.clients[addr]
	if b == nil {
		// Past clientsKept, forget idle addresses, at most once a minute:
		// a flood of new addresses must not make every request sweep.
		if len(c.clients) >= clientsKept && now.Sub(c.lastSweep) > time.Minute {
			c.lastSweep = now
			for a, old := range c.clients {
				if now.Sub(old.seen) > clientIdle {
					delete(c.clients, a)
				}
			}
		}
		b = &clientBucket{lim: rate.NewLimiter(c.every, c.burst)}
		c.clients[addr] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// clientAddr is the request's client address without its port; an IPv6
// address counts by its /64, the block one subscriber is given.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	switch {
	case ip == nil:
		return host
	case ip.To4() != nil:
		return ip.To4().String() // also an IPv4 address written as IPv6
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// refuseTooMany answers 429 with the wait in Retry-After, in whole seconds.
func refuseTooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := int((wait + time.Second - 1) / time.Second)
	tooMany(w, r, secs, "too_many", "gửi quá nhiều hồ sơ từ cùng một địa chỉ: thử lại sau "+strconv.Itoa(secs)+" giây")
}

// tooMany is a 429: Retry-After secs and the protocol's error body.
func tooMany(w http.ResponseWriter, r *http.Request, secs int, code, msg string) {
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeError(w, r, http.StatusTooManyRequests, code, msg)
}
