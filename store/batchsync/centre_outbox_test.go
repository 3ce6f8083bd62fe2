package batchsync

import (
	"context"
	"testing"

	"thonghanh/store"
)

// The centre pushes to no one, so its transactions queue no outbox ops at
// all: with its trigger (the guard for a centre's file opened by the plain
// store) dropped, a desk's mixed push and the centre's own admin writes
// leave its outbox empty, on the handle InitCentral made a centre and on one
// opened later.
func TestCentreQueuesNoOutboxOps(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.central.SQL().ExecContext(ctx, `DROP TRIGGER centre_outbox_none`); err != nil {
		t.Fatal(err)
	}
	desk := e.enroll(unitA)
	tok, _, _ := desk.Setting(ctx, store.SettingSyncToken)
	push := func(n int) {
		t.Helper()
		auth, err := e.central.AuthenticateDesk(ctx, string(tok))
		if err != nil {
			t.Fatal(err)
		}
		ops := mixRound(t, desk, n, n/2, n/2)
		res, err := e.central.ApplyBatch(ctx, e.root, auth, ops, nil)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for i, r := range res {
			if r.Status != store.PushAccepted {
				t.Fatalf("%s: %+v", ops[i].Entity, r)
			}
			kinds[ops[i].Entity]++
		}
		if kinds["person"] == 0 || kinds["application"] == 0 || kinds["decision"] == 0 || kinds["scan"] == 0 || kinds["audit"] == 0 {
			t.Fatalf("not a mix: %v", kinds)
		}
		if got := count(t, e.central.DB, `SELECT COUNT(*) FROM outbox`); got != 0 {
			t.Fatalf("the centre's outbox holds %d ops after a push, want none", got)
		}
	}
	push(6)
	e.central.Close()
	e.openCentral()
	push(4)
	if _, err := e.central.CreateOfficer(ctx, "", store.NewOfficer{Username: "duyet.moi", FullName: "Trần Thị Mới",
		Unit: unitA, Roles: []store.Role{store.RoleApprover}, Password: password}); err != nil {
		t.Fatal(err)
	}
	if got := count(t, e.central.DB, `SELECT COUNT(*) FROM outbox`); got != 0 {
		t.Fatalf("the centre's outbox holds %d ops after an officer was added, want none", got)
	}
}
