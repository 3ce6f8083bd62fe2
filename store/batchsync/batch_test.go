package batchsync

import (
	"context"
	"encoding/json"
	"testing"

	"thonghanh/store"
	"thonghanh/store/central"
)

// A push of 500 ops of which one is malformed, one forbidden and one a
// duplicate applies the other 497 in one transaction (a reader sees none of
// them until the batch commits), with exactly those three results; the
// refused ops roll back alone and their results are kept.
func TestBatchOf500AppliesInOneTransaction(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 248) // 248 people, 248 applications, 1 audit entry
	good := pendingOps(t, desk)
	if len(good) != 497 {
		t.Fatalf("the desk queued %d ops, want 497", len(good))
	}
	malformed := store.PushOp{OpID: store.NewID(sept21), Entity: "person", EntityID: "x", Op: "put", Payload: []byte(`{"id_number":`)}
	forbidden := store.PushOp{OpID: store.NewID(sept21), Entity: "voucher", EntityID: "28294-1-2021-V000001", Op: "put", Payload: []byte(`{}`)}
	ops := append([]store.PushOp{}, good[:100]...)
	ops = append(ops, malformed)
	ops = append(ops, good[100:300]...)
	ops = append(ops, forbidden)
	ops = append(ops, good[300:]...)
	ops = append(ops, good[0]) // sent twice in the one push
	if len(ops) != 500 {
		t.Fatalf("%d ops", len(ops))
	}
	tok, _, _ := desk.Setting(ctx, store.SettingSyncToken)
	auth, err := e.central.AuthenticateDesk(ctx, string(tok))
	if err != nil {
		t.Fatal(err)
	}
	seen, visible := 0, 0
	res, err := e.central.ApplyBatch(ctx, e.root, auth, ops, func(store.PushOp) bool {
		if seen++; seen == 400 {
			visible = count(t, e.central.DB, `SELECT COUNT(*) FROM sync_ops`)
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	if visible != 0 {
		t.Fatalf("a reader saw %d ops of the batch before it committed: not one transaction", visible)
	}
	if len(res) != 500 {
		t.Fatalf("%d results for 500 ops", len(res))
	}
	counts := map[string]int{}
	for i, r := range res {
		if r.OpID != ops[i].OpID {
			t.Fatalf("result %d is op %s, want %s", i, r.OpID, ops[i].OpID)
		}
		counts[r.Status]++
	}
	if counts[store.PushAccepted] != 497 {
		t.Fatalf("results %v, want 497 accepted", counts)
	}
	if r := res[100]; r.Status != store.PushRejected || r.Code != "INVALID" || r.Retryable {
		t.Fatalf("malformed op: %+v", r)
	}
	if r := res[301]; r.Status != store.PushForbidden || r.Code != "AUTHORITY" || r.Retryable {
		t.Fatalf("forbidden op: %+v", r)
	}
	if r := res[499]; r.Status != store.PushDuplicate || r.Original != store.PushAccepted || r.Retryable {
		t.Fatalf("duplicate op: %+v", r)
	}
	// The two refusals are kept with their results, the duplicate is not a
	// second row, and every accepted op made its record once.
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM sync_ops`); n != 499 {
		t.Fatalf("centre holds %d ops, want 499", n)
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM sync_ops WHERE status IN ('rejected', 'forbidden')`); n != 2 {
		t.Fatalf("centre kept %d refusals, want 2", n)
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM applications WHERE received_unit = ?`, unitA); n != 248 {
		t.Fatalf("centre has %d applications, want 248", n)
	}
	// Sent again, the whole batch answers from what was kept.
	again, err := e.central.ApplyBatch(ctx, e.root, auth, ops, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range again {
		if r.Status != store.PushDuplicate || r.Original != res[i].Status && i != 499 {
			t.Fatalf("resent op %d: %+v (first %+v)", i, r, res[i])
		}
	}
}

// A push stopped between ops (the client hung up) commits what it applied
// and leaves the rest out of the results, pending on the desk.
func TestBatchStoppedMidwayKeepsTheAppliedOps(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	submit(t, desk, unitA, 50)
	ops := pendingOps(t, desk)
	tok, _, _ := desk.Setting(ctx, store.SettingSyncToken)
	auth, err := e.central.AuthenticateDesk(ctx, string(tok))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	res, err := e.central.ApplyBatch(ctx, e.root, auth, ops, func(store.PushOp) bool { n++; return n <= 30 })
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 30 {
		t.Fatalf("%d results, want the 30 applied", len(res))
	}
	if held := count(t, e.central.DB, `SELECT COUNT(*) FROM sync_ops`); held != 30 {
		t.Fatalf("centre holds %d ops, want 30", held)
	}
}

// The centre indexes pushed people for name search once per push, outside
// the ops' savepoints: a pushed person is found by name, and a person whose
// name a later push changes is found by the new name only.
func TestCentreSearchFindsPushedPeople(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	tok, _, _ := desk.Setting(ctx, store.SettingSyncToken)
	auth, err := e.central.AuthenticateDesk(ctx, string(tok))
	if err != nil {
		t.Fatal(err)
	}
	p := person(unitA, 777001)
	p.ID = store.NewID(sept21)
	p.FullName = "Lê Thị Hồng Nhung"
	put := func(p store.Person) {
		t.Helper()
		body, _ := json.Marshal(store.PersonToWire(p))
		res, err := e.central.ApplyBatch(ctx, e.root, auth, []store.PushOp{{OpID: store.NewID(sept21), Entity: "person", EntityID: p.ID, Op: "put", Payload: body}}, nil)
		if err != nil || len(res) != 1 || res[0].Status != store.PushAccepted {
			t.Fatalf("%+v %v", res, err)
		}
	}
	found := func(q string) int {
		t.Helper()
		got, err := e.central.SearchPeople(ctx, q, 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(got)
	}
	put(p)
	if found("hong nhung") != 1 {
		t.Fatal("a pushed person is not found by name on the centre")
	}
	p.FullName = "Lê Thị Thu Trang"
	put(p)
	if found("thu trang") != 1 || found("hong nhung") != 0 {
		t.Fatalf("after the new name: %d by the new, %d by the old", found("thu trang"), found("hong nhung"))
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM people_fts_queue`); n != 0 {
		t.Fatalf("%d people left unindexed after the push committed", n)
	}
}

// A decision on an application the centre refused for good is refused for
// good too (DEPENDENCY_REFUSED, not retried), and the permit the desk sealed
// for it goes on the province's revocation list; the desk's own revocation
// of that permit is then accepted, not held back waiting for it.
func TestDecisionOnARefusedApplicationIsRefusedForGood(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	first := submit(t, desk, unitA, 1)[0]
	mustSync(t, e.client(desk, nil))
	if _, err := desk.SQL().ExecContext(ctx, `UPDATE counters SET value = value - 1 WHERE name = 'application'`); err != nil {
		t.Fatal(err)
	}
	second := submit(t, desk, unitA, 1)[0] // the same number: the centre refuses it
	serial := approve(t, desk, second.ID)[0]
	ops := pendingOps(t, desk)
	res := rawPush(t, e, desk, ops)
	var decision store.OpResult
	for i, op := range ops {
		switch op.Entity {
		case "application":
			if res[i].Status != store.PushRejected || res[i].Retryable {
				t.Fatalf("the reused number was not refused for good: %+v", res[i])
			}
		case "decision":
			decision = res[i]
		}
	}
	if decision.Status != store.PushRejected || decision.Code != central.CodeRefusedDep || decision.Retryable {
		t.Fatalf("decision on the refused application: %+v", decision)
	}
	if decision.Revoked != serial {
		t.Fatalf("the centre revoked %q, want the desk's permit %s", decision.Revoked, serial)
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM revocations WHERE serial = ?`, serial); n != 1 {
		t.Fatal("the permit of the refused application is not on the revocation list")
	}
	// Sent again, the answer is the same (kept), not a retry.
	again := rawPush(t, e, desk, ops)
	for i, op := range ops {
		if op.Entity == "decision" && (again[i].Status != store.PushDuplicate || again[i].Original != store.PushRejected) {
			t.Fatalf("decision resent: %+v", again[i])
		}
	}
	// The desk revoking that permit itself is answered, not held back.
	d, _ := desk.Desk(ctx)
	body, _ := json.Marshal(map[string]any{"serial": serial, "reason": "hồ sơ bị máy chủ từ chối", "officer": officerID(t, e, unitA), "at": sept21.Unix()})
	rev := rawPush(t, e, desk, []store.PushOp{{OpID: store.NewID(sept21), Entity: "revocation", EntityID: serial, Op: "revoke", Payload: body}})
	if rev[0].Status != store.PushAccepted {
		t.Fatalf("desk %s revoking its refused permit: %+v", d.ID, rev[0])
	}
	_ = first
}

func officerID(t *testing.T, e *env, unit uint32) string {
	t.Helper()
	var id string
	if err := e.central.SQL().QueryRow(`SELECT id FROM officers WHERE unit = ? AND username LIKE 'duyet.%'`, unit).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}
