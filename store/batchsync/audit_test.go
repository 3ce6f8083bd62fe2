package batchsync

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/central"
)

// syncedDesk is a desk of unitA whose audit entries (a submission, four
// approvals) were all pushed and acknowledged; it returns the last seq.
func syncedDesk(t *testing.T) (*env, *store.DB, *Client, int64) {
	t.Helper()
	ctx := context.Background()
	e := newEnv(t)
	desk := e.enroll(unitA)
	approve(t, desk, ids(submit(t, desk, unitA, 4))...)
	c := e.client(desk, nil)
	mustSync(t, c)
	last := int64(count(t, desk, `SELECT MAX(seq) FROM audit`))
	if last < 5 {
		t.Fatalf("only %d audit entries", last)
	}
	seq, hash, ok, err := desk.AuditAnchor(ctx)
	if err != nil || !ok || seq != last || string(hash) != string(auditEntry(t, desk, last).Hash) {
		t.Fatalf("anchor after sync = %d (ok %v, err %v), want the last entry %d", seq, ok, err, last)
	}
	// The desk's first entry chained from the genesis at the centre, and
	// every one is held there.
	d, _ := desk.Desk(ctx)
	if held := count(t, e.central.DB, `SELECT COUNT(*) FROM desk_audit WHERE desk_id = ? AND seq BETWEEN 1 AND ?`, d.ID, last); int64(held) != last {
		t.Fatalf("centre holds %d of the desk's %d entries", held, last)
	}
	if _, problem, err := desk.VerifyAudit(ctx); problem != nil || err != nil {
		t.Fatalf("clean synced desk: %v, %v", problem, err)
	}
	return e, desk, c, last
}

func auditEntry(t testing.TB, db *store.DB, seq int64) store.AuditEntry {
	t.Helper()
	var a store.AuditEntry
	err := db.SQL().QueryRow(`SELECT seq, id, at, officer_id, unit, action, entity, entity_id, detail, prev_hash, hash FROM audit WHERE seq = ?`, seq).
		Scan(&a.Seq, &a.ID, &a.At, &a.Officer, &a.Unit, &a.Action, &a.Entity, &a.EntityID, &a.Detail, &a.PrevHash, &a.Hash)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func mustExec(t testing.TB, db *store.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.SQL().Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// dropGuards is what anyone with the file and a SQLite tool does first.
func dropGuards(t testing.TB, db *store.DB) {
	mustExec(t, db, `DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; DROP TRIGGER IF EXISTS outbox_ops_immutable`)
}

// rewriteFrom edits the detail of entry k and rehashes the chain from it to
// the end, so that the chain alone is whole again. With copies, the outbox
// copies of the entries are rewritten to match too.
func rewriteFrom(t testing.TB, db *store.DB, k int64, copies bool) {
	t.Helper()
	dropGuards(t, db)
	last := int64(count(t, db, `SELECT MAX(seq) FROM audit`))
	prev := auditEntry(t, db, k-1).Hash
	if k == 1 {
		prev = []byte{}
	}
	for s := k; s <= last; s++ {
		a := auditEntry(t, db, s)
		if s == k {
			a.Detail = "Đủ giấy tờ"
		}
		a.PrevHash = prev
		a.Hash = a.ComputeHash()
		mustExec(t, db, `UPDATE audit SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?`, a.Detail, a.PrevHash, a.Hash, s)
		if copies {
			body, _ := json.Marshal(a)
			sum := sha256.Sum256(body)
			mustExec(t, db, `UPDATE outbox SET payload = ?, payload_hash = ? WHERE entity = 'audit' AND entity_id = ?`, body, sum[:], a.ID)
		}
		prev = a.Hash
	}
}

// A tail cut at or below the head the centre acknowledged is seen on the
// desk, with or without the outbox's copies of the deleted entries.
func TestAuditCutTailDetectedOnSyncedDesk(t *testing.T) {
	ctx := context.Background()
	for _, withCopies := range []bool{false, true} {
		t.Run(fmt.Sprintf("outbox_copies_deleted=%v", withCopies), func(t *testing.T) {
			_, desk, _, last := syncedDesk(t)
			cut := last - 1
			dropGuards(t, desk)
			if withCopies {
				mustExec(t, desk, `DELETE FROM outbox WHERE entity = 'audit' AND entity_id IN (SELECT id FROM audit WHERE seq >= ?)`, cut)
			}
			mustExec(t, desk, `DELETE FROM audit WHERE seq >= ?`, cut)
			_, problem, err := desk.VerifyAudit(ctx)
			if err != nil || problem == nil || problem.Seq != cut {
				t.Fatalf("tail from %d deleted: problem = %v, %v; want entry %d named", cut, problem, err, cut)
			}
			if withCopies && !strings.Contains(problem.Reason, fmt.Sprintf("đã xác nhận đến mục %d", last)) {
				t.Fatalf("reason does not name the acknowledged head: %s", problem.Reason)
			}
		})
	}
}

// Entries edited and the whole chain rehashed after dropping the triggers:
// the desk names the first edited entry from the outbox's copies; with the
// copies rewritten too, the acknowledged head; with the head deleted as
// well, the head's loss. With all of that and the copies deleted, only the
// centre can tell: the desk's next entry is refused as a fork and reported,
// while the rest of that push goes through.
func TestAuditRewrittenTailDetectedOnSyncedDesk(t *testing.T) {
	ctx := context.Background()
	t.Run("chain rehashed", func(t *testing.T) {
		_, desk, _, _ := syncedDesk(t)
		rewriteFrom(t, desk, 2, false)
		if _, problem, _ := desk.VerifyAudit(ctx); problem == nil || problem.Seq != 2 {
			t.Fatalf("entry 2 rewritten, chain rehashed: problem = %v", problem)
		}
	})
	t.Run("outbox copies rewritten", func(t *testing.T) {
		_, desk, _, last := syncedDesk(t)
		rewriteFrom(t, desk, 2, true)
		_, problem, _ := desk.VerifyAudit(ctx)
		if problem == nil || problem.Seq != last || !strings.Contains(problem.Reason, "máy chủ tỉnh đã xác nhận") {
			t.Fatalf("copies rewritten too: problem = %v, want the acknowledged head %d", problem, last)
		}
	})
	t.Run("anchor deleted", func(t *testing.T) {
		_, desk, _, last := syncedDesk(t)
		rewriteFrom(t, desk, 2, true)
		mustExec(t, desk, `DELETE FROM audit_anchor`)
		if _, problem, _ := desk.VerifyAudit(ctx); problem == nil || problem.Seq != last {
			t.Fatalf("anchor deleted too: problem = %v, want the last acknowledged entry %d", problem, last)
		}
	})
	t.Run("only the centre can tell", func(t *testing.T) {
		e, desk, c, last := syncedDesk(t)
		rewriteFrom(t, desk, 2, false)
		mustExec(t, desk, `DELETE FROM outbox WHERE entity = 'audit'`)
		mustExec(t, desk, `DELETE FROM audit_anchor`)
		if _, problem, _ := desk.VerifyAudit(ctx); problem != nil {
			t.Fatalf("expected the desk alone to be fooled, got %v", problem)
		}
		apps := submit(t, desk, unitA, 2) // one more audit entry, chained from the rewritten head
		if err := c.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		for _, a := range apps {
			if n := count(t, e.central.DB, `SELECT COUNT(*) FROM applications WHERE id = ?`, a.ID); n != 1 {
				t.Fatalf("application %s of the same push not kept at the centre", a.Number)
			}
		}
		var state, lastErr string
		if err := desk.SQL().QueryRow(`SELECT state, last_error FROM outbox WHERE entity = 'audit'`).Scan(&state, &lastErr); err != nil {
			t.Fatal(err)
		}
		if state != store.OpRejected || !strings.Contains(lastErr, central.CodeAuditChain) {
			t.Fatalf("forked entry on the desk: %s %q", state, lastErr)
		}
		d, _ := desk.Desk(ctx)
		checks, err := e.central.VerifyDeskAudits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(checks) != 1 || checks[0].DeskID != d.ID || checks[0].Problem != nil || len(checks[0].Refusals) != 1 {
			t.Fatalf("centre's check = %+v", checks)
		}
		if r := checks[0].Refusals[0]; r.Seq != last+1 || r.Kind != "fork" {
			t.Fatalf("refusal = %+v, want a fork at %d", r, last+1)
		}
		// The refusal is now on the desk too.
		if _, problem, _ := desk.VerifyAudit(ctx); problem == nil || problem.Seq != last+1 {
			t.Fatalf("desk after the centre refused its entry: problem = %v", problem)
		}
	})
}

// pushAudit makes the op of audit entry a as a desk would send it.
func pushAudit(a store.AuditEntry) store.PushOp {
	body, _ := json.Marshal(a)
	sum := sha256.Sum256(body)
	return store.PushOp{OpID: store.NewID(time.Now()), Entity: "audit", EntityID: a.ID, Op: "append",
		Payload: body, Hash: fmt.Sprintf("%x", sum)}
}

// A desk pushing a forked, gapped or forged audit entry is refused for that
// op alone, AUDIT_CHAIN, and reported; the other ops of the batch are
// applied; a resend of an accepted op stays duplicate; a gap is refused
// until the missing entries arrive.
func TestAuditForkAndGapRefusedAtCentre(t *testing.T) {
	ctx := context.Background()
	e, desk, _, last := syncedDesk(t)
	d, _ := desk.Desk(ctx)
	apps := submit(t, desk, unitA, 2)
	legit := pendingOps(t, desk) // 2 people, 2 applications, audit entry last+1
	if len(legit) != 5 || legit[4].Entity != "audit" {
		t.Fatalf("pending ops: %+v", legit)
	}

	fork := auditEntry(t, desk, last) // another entry at a seq the centre holds
	fork.ID, fork.Detail = store.NewID(time.Now()), "mục viết lại"
	fork.Hash = fork.ComputeHash()
	gap := auditEntry(t, desk, last)
	gap.Seq, gap.ID, gap.PrevHash = last+5, store.NewID(time.Now()), gap.Hash
	gap.Hash = gap.ComputeHash()
	forged := auditEntry(t, desk, last)
	forged.Seq, forged.ID, forged.PrevHash, forged.Detail = last+2, store.NewID(time.Now()), forged.Hash, "giả"
	forged.Hash = []byte("không phải mã băm")

	ops := append([]store.PushOp{pushAudit(fork)}, legit...)
	ops = append(ops, pushAudit(gap), pushAudit(forged))
	res := rawPush(t, e, desk, ops)
	if len(res) != len(ops) {
		t.Fatalf("%d results for %d ops", len(res), len(ops))
	}
	for i, r := range res {
		switch i {
		case 0, 7:
			if r.Status != store.PushRejected || r.Code != central.CodeAuditChain || r.Retryable {
				t.Fatalf("op %d (fork or forged): %+v", i, r)
			}
		case 6:
			if r.Status != store.PushRejected || r.Code != central.CodeAuditChain || !r.Retryable {
				t.Fatalf("gap: %+v", r)
			}
		default:
			if r.Status != store.PushAccepted {
				t.Fatalf("legitimate op %d (%s) beside the refused ones: %+v", i, ops[i].Entity, r)
			}
		}
	}
	for _, a := range apps {
		if n := count(t, e.central.DB, `SELECT COUNT(*) FROM applications WHERE id = ?`, a.ID); n != 1 {
			t.Fatalf("application %s not kept", a.Number)
		}
	}
	if held := count(t, e.central.DB, `SELECT COUNT(*) FROM desk_audit WHERE desk_id = ?`, d.ID); int64(held) != last+1 {
		t.Fatalf("centre holds %d entries, want %d", held, last+1)
	}

	// The same push again: what was settled comes back duplicate, the gap
	// is weighed again.
	res = rawPush(t, e, desk, ops)
	for i, r := range res {
		want := store.PushDuplicate
		if i == 6 {
			want = store.PushRejected
		}
		if r.Status != want {
			t.Fatalf("resent op %d: %+v, want %s", i, r, want)
		}
	}

	checks, err := e.central.VerifyDeskAudits(ctx)
	if err != nil || len(checks) != 1 {
		t.Fatalf("centre's check: %+v, %v", checks, err)
	}
	c := checks[0]
	if c.DeskID != d.ID || c.Unit != unitA || c.Problem != nil || c.Entries != last+1 || !c.Bad() {
		t.Fatalf("centre's check = %+v", c)
	}
	kinds := map[int64]string{}
	for _, r := range c.Refusals {
		kinds[r.Seq] = r.Kind
		if r.Kind == "gap" && r.Attempts != 2 {
			t.Fatalf("gap refused twice, recorded %d times", r.Attempts)
		}
	}
	if kinds[last] != "fork" || kinds[last+5] != "gap" || kinds[last+2] != "hash" || len(kinds) != 3 {
		t.Fatalf("refusals = %+v", c.Refusals)
	}
}

// The centre names the first bad entry of each desk's chain it holds after
// its database is edited.
func TestAuditCentreVerifyNamesFirstBadEntry(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	deskA, deskB := e.enroll(unitA), e.enroll(unitB)
	for _, desk := range []*store.DB{deskA, deskB} {
		d, _ := desk.Desk(ctx)
		approve(t, desk, ids(submit(t, desk, d.Unit, 3))...)
		mustSync(t, e.client(desk, nil))
	}
	checks, err := e.central.VerifyDeskAudits(ctx)
	if err != nil || len(checks) != 2 || checks[0].Bad() || checks[1].Bad() {
		t.Fatalf("clean centre: %+v, %v", checks, err)
	}
	a, _ := deskA.Desk(ctx)
	b, _ := deskB.Desk(ctx)
	mustExec(t, e.central.DB, `DROP TRIGGER desk_audit_no_update; DROP TRIGGER desk_audit_no_delete`)
	mustExec(t, e.central.DB, `UPDATE desk_audit SET detail = 'Đủ giấy tờ' WHERE desk_id = ? AND seq = 2`, a.ID)
	mustExec(t, e.central.DB, `DELETE FROM desk_audit WHERE desk_id = ? AND seq = 3`, b.ID)
	checks, err = e.central.VerifyDeskAudits(ctx)
	if err != nil || len(checks) != 2 {
		t.Fatalf("%+v, %v", checks, err)
	}
	for _, c := range checks {
		want := map[string]int64{a.ID: 2, b.ID: 3}[c.DeskID]
		if c.Problem == nil || c.Problem.Seq != want {
			t.Fatalf("desk %s (unit %d): problem %v, want entry %d", c.DeskID, c.Unit, c.Problem, want)
		}
	}
}
