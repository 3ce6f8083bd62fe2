package batchsync

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"thonghanh/store"
)

// One address that floods POST /v1/applications is told to wait (429 with
// Retry-After) and writes nothing more; another address is not affected.
func TestOnlineApplicationsAreLimitedPerAddress(t *testing.T) {
	e := newEnv(t)
	srv := NewServer(e.central, e.root, ServerOptions{Online: OnlineLimit{PerMinute: 6, Burst: 3}})
	start := store.StartOfDay(sept21).AddDate(0, 0, 1)
	post := func(addr string, i int) *httptest.ResponseRecorder {
		in := OnlineApplication{Person: person(unitB, 777000+i), Application: store.Application{Category: store.CatResident,
			Purpose: store.PurposeMedical, Area: []uint32{unitB}, Route: "Nhà → chợ", ValidFrom: start, ValidUntil: start.AddDate(0, 0, 2)}}
		body, _ := json.Marshal(in)
		r := httptest.NewRequest(http.MethodPost, PathApplications, bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.RemoteAddr = addr
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		return w
	}
	applications := func() int {
		var n int
		e.central.SQL().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM applications`).Scan(&n)
		return n
	}
	for i := range 3 {
		if w := post("203.0.113.7:5000", i); w.Code != http.StatusCreated {
			t.Fatalf("application %d within the burst: %d %s", i, w.Code, w.Body)
		}
	}
	before := applications()
	w := post("203.0.113.7:5001", 3)
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("the 4th application at once = %d, want 429", w.Code)
	}
	var body ErrorBody
	json.Unmarshal(w.Body.Bytes(), &body)
	if ra := w.Header().Get("Retry-After"); ra != "10" || body.Error != "too_many" || body.Message == "" {
		t.Errorf("refusal: Retry-After %q, body %+v", ra, body)
	}
	if applications() != before {
		t.Error("a refused application was written")
	}
	if w := post("198.51.100.9:4000", 4); w.Code != http.StatusCreated {
		t.Errorf("another address was refused: %d %s", w.Code, w.Body)
	}
}

// The bucket refills with time; a negative rate switches the limit off.
func TestClientLimiterRefillsAndCanBeOff(t *testing.T) {
	l := newClientLimiter(OnlineLimit{PerMinute: 60, Burst: 2})
	now := time.Date(2021, 9, 21, 8, 0, 0, 0, time.UTC)
	for i, want := range []bool{true, true, false} {
		if ok, _ := l.allow("a", now); ok != want {
			t.Fatalf("request %d: allowed %v", i, ok)
		}
	}
	if ok, wait := l.allow("a", now); ok || wait <= 0 || wait > time.Second {
		t.Errorf("empty bucket: allowed %v, wait %v", ok, wait)
	}
	if ok, _ := l.allow("a", now.Add(time.Second)); !ok {
		t.Error("one second later one more request should pass")
	}
	off := newClientLimiter(OnlineLimit{PerMinute: -1})
	for range 1000 {
		if ok, _ := off.allow("a", now); !ok {
			t.Fatal("a switched-off limit refused a request")
		}
	}
}

func TestClientAddrGroupsIPv6By64(t *testing.T) {
	for addr, want := range map[string]string{
		"203.0.113.7:5000":            "203.0.113.7",
		"[2001:db8:1:2:aaaa::1]:443":  "2001:db8:1:2::/64",
		"[2001:db8:1:2:bbbb::9]:8443": "2001:db8:1:2::/64",
		"[2001:db8:1:3::1]:443":       "2001:db8:1:3::/64",
		"[::ffff:203.0.113.7]:5000":   "203.0.113.7",
	} {
		r := httptest.NewRequest(http.MethodPost, PathApplications, nil)
		r.RemoteAddr = addr
		if got := clientAddr(r); got != want {
			t.Errorf("clientAddr(%s) = %s, want %s", addr, got, want)
		}
	}
}
