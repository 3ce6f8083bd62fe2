package batchsync

import (
	"context"
	"testing"

	"thonghanh/store"
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
