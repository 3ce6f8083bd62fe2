package batchsync

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"thonghanh/store"
)

// goName is the Go field name a snake_case wire name was written under before
// the snake_case names (person_id → PersonID, id_number → IDNumber): the
// legacy form old desks queued and old centres send, spelt out here rather
// than taken from package wire so that the tests do not agree with the code
// by construction.
func goName(snake string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(snake, "_") {
		if part == "id" {
			b.WriteString("ID")
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// legacyRecord re-encodes a snake_case application, person or enterprise
// under the Go names.
func legacyRecord(t testing.TB, payload []byte) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	old := make(map[string]any, len(m))
	for k, v := range m {
		if k != strings.ToLower(k) {
			t.Fatalf("payload %s is not in the snake_case form", payload)
		}
		old[goName(k)] = v
	}
	b, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A desk upgraded with ops still queued by its old build pushes them as they
// are, under the Go names: the centre applies them like any other.
func TestCentreAppliesLegacyPayloads(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	apps := submit(t, desk, unitA, 3)
	// Rewrite the queued rows as the old build wrote them, hash and all.
	rewritten := 0
	for _, op := range pendingOps(t, desk) {
		if op.Entity != "application" && op.Entity != "person" {
			continue
		}
		old := legacyRecord(t, op.Payload)
		hash := sha256.Sum256(old)
		// A queued op is never edited (a trigger says so): the row is put
		// back whole, as the old build would have written it.
		tx, err := desk.SQL().BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`CREATE TEMP TABLE old_op AS SELECT * FROM outbox WHERE op_id = ?`, []any{op.OpID}},
			{`DELETE FROM outbox WHERE op_id = ?`, []any{op.OpID}},
			{`UPDATE old_op SET payload = ?, payload_hash = ?`, []any{old, hash[:]}},
			{`INSERT INTO outbox SELECT * FROM old_op`, nil},
			{`DROP TABLE old_op`, nil},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
				t.Fatalf("%s: %v", q.sql, err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		rewritten++
	}
	if rewritten != 6 {
		t.Fatalf("rewrote %d ops, want 3 people and 3 applications", rewritten)
	}
	for _, op := range pendingOps(t, desk) {
		if op.Entity == "application" && !bytes.Contains(op.Payload, []byte(`"PersonID":`)) {
			t.Fatalf("the queued application is not in the legacy form: %s", op.Payload)
		}
	}
	mustSync(t, e.client(desk, nil))
	checkExactlyOnce(t, e.central, desk, true)
	if s := outboxStates(t, desk); s[store.OpDone] != count(t, desk, `SELECT COUNT(*) FROM outbox`) {
		t.Fatalf("outbox after the push: %v", s)
	}
	for _, a := range apps {
		if n := count(t, e.central.DB, `SELECT COUNT(*) FROM applications a JOIN people p ON p.id = a.person_id
			WHERE a.number = ? AND a.route = ? AND a.valid_from = ? AND p.full_name = ?`, a.Number, a.Route,
			a.ValidFrom.Unix(), "Trần Văn Bình"); n != 1 {
			t.Errorf("the centre holds %d applications %s with the pushed route, dates and holder", n, a.Number)
		}
	}
}

// snakeName is the snake_case wire name of a Go field name (PersonID →
// person_id, IDNumber → id_number), spelt out here as goName is.
func snakeName(goName string) string {
	var b strings.Builder
	r := []rune(goName)
	for i, c := range r {
		upper := 'A' <= c && c <= 'Z'
		if upper && i > 0 && ('a' <= r[i-1] && r[i-1] <= 'z' || i+1 < len(r) && 'a' <= r[i+1] && r[i+1] <= 'z') {
			b.WriteByte('_')
		}
		b.WriteString(strings.ToLower(string(c)))
	}
	return b.String()
}

// reKey re-encodes the application, person and enterprise of an AppState
// with each key renamed.
func reKey(t testing.TB, payload []byte, rename func(string) string) []byte {
	t.Helper()
	var st map[string]json.RawMessage
	if err := json.Unmarshal(payload, &st); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"application", "person", "enterprise"} {
		v, ok := st[k]
		if !ok || string(v) == "null" {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(v))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[rename(k)] = v
		}
		st[k], _ = json.Marshal(out)
	}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// feedFilter hands every application change of a pulled page to edit.
func feedFilter(t testing.TB, edit func(payload []byte) []byte) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(r)
			if err != nil || r.URL.Path != PathPull || resp.StatusCode != http.StatusOK {
				return resp, err
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return nil, err
			}
			var page pullResponse
			if err := json.Unmarshal(body, &page); err != nil {
				t.Errorf("pull page: %v", err)
				return nil, err
			}
			for i, c := range page.Changes {
				if c.Entity == store.ChangeApplication {
					page.Changes[i].Payload = edit(c.Payload)
				}
			}
			body, _ = json.Marshal(page)
			resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
			resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
			return resp, nil
		})
	}
}

// The centre sends desks the applications of its feed under the Go names,
// which desks of older builds read; a desk of this build applies them, and
// applies the snake_case form a later centre will send as well.
func TestDeskReadsEitherFeedForm(t *testing.T) {
	e := newEnv(t)
	d1, d2, d3 := e.enroll(unitA), e.enroll(unitA), e.enroll(unitA)
	apps := submit(t, d1, unitA, 3)
	mustSync(t, e.client(d1, nil))
	legacy, snake := 0, 0
	mustSync(t, e.client(d2, feedFilter(t, func(p []byte) []byte {
		if !bytes.Contains(p, []byte(`"PersonID":`)) || !bytes.Contains(p, []byte(`"ValidFrom":`)) {
			t.Errorf("the centre sent an application an older desk cannot read: %s", p)
		}
		legacy++
		return p
	})))
	mustSync(t, e.client(d3, feedFilter(t, func(p []byte) []byte {
		snake++
		return reKey(t, p, snakeName)
	})))
	if legacy < len(apps) || snake < len(apps) {
		t.Fatalf("the feed carried %d and %d applications, want %d", legacy, snake, len(apps))
	}
	for _, desk := range []*store.DB{d2, d3} {
		for _, a := range apps {
			if n := count(t, desk, `SELECT COUNT(*) FROM applications a JOIN people p ON p.id = a.person_id
				WHERE a.id = ? AND a.number = ? AND a.route = ? AND a.valid_from = ? AND p.full_name = ?`, a.ID, a.Number,
				a.Route, a.ValidFrom.Unix(), "Trần Văn Bình"); n != 1 {
				t.Errorf("a desk holds %d applications %s with the pulled route, dates and holder", n, a.Number)
			}
		}
	}
}
