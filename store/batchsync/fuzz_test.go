package batchsync

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"thonghanh/store"
)

// The server's inputs under fuzzing: whatever a desk token holder or a
// citizen app sends, the server does not panic, answers a 4xx (never a 5xx)
// to what it refuses, and a refused request writes nothing.

// centralTables are what a refused request must leave as they were.
var centralTables = []string{"applications", "people", "permits", "revocations", "sync_ops", "changes", "audit",
	"desk_audit", "desks", "officers", "enterprises", "zones", "markets", "scan_events", "vouchers", "id_aliases", "settings"}

// centralRowCounts sums up the central database: the row count of every table
// a request could write, and the signed lists.
func centralRowCounts(t testing.TB, db *store.DB) string {
	t.Helper()
	var b strings.Builder
	for _, table := range centralTables {
		fmt.Fprintf(&b, "%s=%d ", table, count(t, db, `SELECT COUNT(*) FROM `+table))
	}
	var lists string
	if err := db.SQL().QueryRow(`SELECT COALESCE(group_concat(hex(value)), '') FROM settings WHERE key IN (?, ?)`,
		store.SettingTrustList, store.SettingRevocation).Scan(&lists); err != nil {
		t.Fatal(err)
	}
	return b.String() + lists
}

// fuzzEnv is a central with one enrolled desk of unit A and a server without
// the online rate limit, called in process (no network per input).
func fuzzEnv(f *testing.F) (*env, *Server, *store.DB) {
	e := newEnv(f)
	desk := e.enroll(unitA)
	return e, NewServer(e.central, e.root, ServerOptions{Online: OnlineLimit{PerMinute: -1}}), desk
}

// serve runs one request and checks the outcome every fuzz target shares:
// not a 5xx, and nothing written unless the request succeeded.
func serve(t *testing.T, e *env, srv *Server, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	before := centralRowCounts(t, e.central.DB)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	switch {
	case rec.Code >= 500:
		t.Fatalf("%s %s: %d %s", req.Method, req.URL, rec.Code, rec.Body.String())
	case rec.Code >= 400:
		var eb ErrorBody
		if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil || eb.Error == "" || eb.Message == "" {
			t.Fatalf("%s %s: %d answered %q, not an error body", req.Method, req.URL, rec.Code, rec.Body.String())
		}
		if after := centralRowCounts(t, e.central.DB); after != before {
			t.Fatalf("%s %s refused with %d wrote:\nbefore %s\nafter  %s", req.Method, req.URL, rec.Code, before, after)
		}
	}
	return rec
}

func FuzzPushBody(f *testing.F) {
	e, srv, desk := fuzzEnv(f)
	ctx := context.Background()
	d, _ := desk.Desk(ctx)
	tok := deskToken(f, desk)
	apps := submit(f, desk, unitA, 2)
	approve(f, desk, apps[0].ID)
	ops := pendingOps(f, desk)
	for _, batch := range [][]store.PushOp{ops, ops[:1], nil, {{}}, {{OpID: "x", Entity: "decision", Payload: json.RawMessage(`{}`)}}} {
		body, _ := json.Marshal(PushRequest{DeskID: d.ID, BatchID: "seed", SchemaVersion: store.SchemaVersion(), Ops: batch})
		f.Add(body)
	}
	for _, s := range []string{``, `{}`, `[]`, `null`, `{"ops":[{}]}`, `{"desk_id":"` + d.ID + `","ops":[{},{}]} x`,
		`{"desk_id":"` + d.ID + `","ops":{"a":1}}`, `{"desk_id":"` + d.ID + `","ops":[{"op_id":1}]}`,
		`{"desk_id":"` + d.ID + `","schema_version":99999,"ops":[]}`, `{"DESK_ID":"` + d.ID + `","OPS":[{"payload":"\u0000"}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, PathPush, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		rec := serve(t, e, srv, req)
		if rec.Code != http.StatusOK {
			return
		}
		var resp PushResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil || !resp.Valid() {
			t.Fatalf("push answered 200 with %q (%v)", rec.Body.String(), err)
		}
		for _, r := range resp.Results {
			if r.Status == "" {
				t.Fatalf("an op without a status: %+v", r)
			}
		}
	})
}

func FuzzPullQuery(f *testing.F) {
	e, srv, desk := fuzzEnv(f)
	tok := deskToken(f, desk)
	submit(f, desk, unitA, 3)
	mustSync(f, e.client(desk, nil))
	for _, q := range []string{"since=0", "since=0&limit=1", "since=3&limit=1000", "limit=0", "since=-1", "since=x",
		"since=9223372036854775807&limit=1", "since=0&limit=1001", "since=%zz", "since=0&since=1", ";", ""} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, query string) {
		req := httptest.NewRequest(http.MethodGet, PathPull, nil)
		req.URL.RawQuery = query
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := serve(t, e, srv, req)
		switch rec.Code {
		case http.StatusOK:
			var page pullResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil || !page.Valid() {
				t.Fatalf("pull ?%s answered 200 with %q (%v)", query, rec.Body.String(), err)
			}
		case http.StatusBadRequest:
		default:
			t.Fatalf("pull ?%s: %d, want 200 or 400", query, rec.Code)
		}
	})
}

func FuzzOnlineApplication(f *testing.F) {
	e, srv, _ := fuzzEnv(f)
	start := store.StartOfDay(sept21).AddDate(0, 0, 1)
	good := OnlineApplication{Person: person(unitB, 777001), Application: store.Application{Category: store.CatResident,
		Purpose: store.PurposeMedical, Area: []uint32{unitB}, Route: "Nhà → bệnh viện", ValidFrom: start, ValidUntil: start.AddDate(0, 0, 2)}}
	body, _ := json.Marshal(good)
	f.Add(body)
	odd := good
	odd.Person.FullName = "Trần\u202eVăn"
	odd.Application.ValidUntil = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	body, _ = json.Marshal(odd)
	f.Add(body)
	for _, s := range []string{``, `{}`, `[]`, `null`, `{"person":{},"application":{}}`, `{"application":{"Category":9}}`,
		`{"person":{"IDNumber":"082080000001"},"application":{"Area":[0,0,0,0]}}`, // the legacy Go names
		`{"person":{"id_number":"082080000001"},"application":{"area":[0,0,0,0]}}`,
		`{"person":{"ID":"x","id_number":"082080000001"},"application":{"area":[0,0,0,0],"Area":[1]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, PathApplications, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := serve(t, e, srv, req)
		if rec.Code < 400 {
			var receipt OnlineReceipt
			if err := json.Unmarshal(rec.Body.Bytes(), &receipt); err != nil || rec.Code != http.StatusCreated || !receipt.Valid() {
				t.Fatalf("application answered %d with %q (%v)", rec.Code, rec.Body.String(), err)
			}
			if n := count(t, e.central.DB, `SELECT COUNT(*) FROM applications WHERE id = ?`, receipt.ID); n != 1 {
				t.Fatalf("receipt %s for an application the centre does not hold", receipt.ID)
			}
		}
	})
}
