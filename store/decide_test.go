package store_test

import (
	"context"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
)

func checkerFor(t testing.TB, db *store.DB) *seal.Checker {
	t.Helper()
	root, trustRaw, _, err := db.TrustMaterial(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	trust, err := seal.OpenTrustList(root, trustRaw, 0)
	if err != nil {
		t.Fatal(err)
	}
	return &seal.Checker{Trust: trust, Now: func() time.Time { return sept21.AddDate(0, 0, 1).Add(30 * time.Minute) }}
}

func TestApproveSignsPermitsOnlyWithinAuthority(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 100, 20)
	approver := login(t, db, "duyet")
	signer, err := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	queue, err := db.Queue(ctx, approver.Unit)
	if err != nil {
		t.Fatal(err)
	}
	var allowed, refused []string
	for _, q := range queue {
		if q.Authority.Allowed {
			allowed = append(allowed, q.ID)
		} else {
			refused = append(refused, q.ID)
		}
	}
	if len(allowed) == 0 || len(refused) == 0 {
		t.Fatalf("demo queue has %d decidable and %d not: want both", len(allowed), len(refused))
	}
	before := map[string]int{"permits": count(t, db, "permits"), "audit": count(t, db, "audit"), "outbox": count(t, db, "outbox")}
	results, err := db.Approve(ctx, approver, signer, append(allowed, refused...))
	if err != nil {
		t.Fatal(err)
	}
	checker := checkerFor(t, db)
	for i, r := range results {
		if i < len(allowed) {
			if r.Err != nil || r.Serial == "" {
				t.Fatalf("allowed %s: %v", r.ApplicationID, r.Err)
			}
			p, err := db.Permit(ctx, r.Serial)
			if err != nil {
				t.Fatal(err)
			}
			if v := checker.Verify(p.QR); v.Verdict != seal.Valid || v.Payload.Serial != r.Serial {
				t.Fatalf("permit %s verifies as %s (%s)", r.Serial, v.Verdict, v.Detail)
			}
		} else if store.ErrorCode(r.Err) != store.EForbidden {
			t.Errorf("outside authority %s: err = %v, want forbidden", r.ApplicationID, r.Err)
		}
	}
	n := len(allowed)
	for table, want := range map[string]int{"permits": n, "audit": n, "outbox": 2 * n} { // outbox: decision + audit entry
		if got := count(t, db, table) - before[table]; got != want {
			t.Errorf("%s: %d rows written, want %d", table, got, want)
		}
	}
	// Approving twice is a conflict, not a second permit.
	again, _ := db.Approve(ctx, approver, signer, allowed[:1])
	if store.ErrorCode(again[0].Err) != store.EConflict {
		t.Errorf("second approval: %v, want conflict", again[0].Err)
	}
	if ok, _, err := db.VerifyAudit(ctx); err != nil || ok == 0 {
		t.Fatalf("audit verify: %d, %v", ok, err)
	}
}

func TestOnlyApproversDecideAndSign(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 30, 5)
	clerk := login(t, db, "canbo")
	if _, err := db.UnlockSigner(ctx, clerk, seed.DemoPassword); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("clerk unlocked the signing key: %v", err)
	}
	approver := login(t, db, "duyet")
	signer, _ := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	queue, _ := db.Queue(ctx, approver.Unit)
	ids := []string{queue[0].ID}
	if _, err := db.Approve(ctx, clerk, signer, ids); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("clerk approved: %v", err)
	}
	if _, err := db.Reject(ctx, clerk, ids, "không đủ điều kiện"); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("clerk rejected: %v", err)
	}
	if _, err := db.UnlockSigner(ctx, approver, "wrong"); store.ErrorCode(err) != store.EAuth {
		t.Errorf("wrong password unlocked the key: %v", err)
	}
	// An approver of another unit cannot decide this unit's queue.
	other := login(t, db, "duyet.28249")
	res, err := db.Reject(ctx, other, ids, "thử")
	if err != nil || store.ErrorCode(res[0].Err) != store.EForbidden {
		t.Errorf("another unit's approver: %v / %v", err, res)
	}
}

func TestRejectNeedsReasonAndForwardGoesToDistrict(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 100, 20)
	approver := login(t, db, "duyet")
	queue, _ := db.Queue(ctx, approver.Unit)
	var toForward, toReject string
	for _, q := range queue {
		switch {
		case q.Authority.Forward && toForward == "":
			toForward = q.ID
		case q.Authority.Allowed && toReject == "":
			toReject = q.ID
		}
	}
	if toForward == "" || toReject == "" {
		t.Fatal("demo queue lacks a forwardable or decidable application")
	}
	if _, err := db.Reject(ctx, approver, []string{toReject}, "  "); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("reject without reason: %v", err)
	}
	if res, err := db.Reject(ctx, approver, []string{toReject}, "Không có giấy xác nhận của bệnh viện"); err != nil || res[0].Err != nil {
		t.Fatalf("reject: %v %v", err, res)
	}
	if res, err := db.Forward(ctx, approver, []string{toForward}); err != nil || res[0].Err != nil {
		t.Fatalf("forward: %v %v", err, res)
	}
	a, _ := db.Application(ctx, toForward)
	if a.Status != store.StatusForwarded || a.QueueUnit != 815 {
		t.Fatalf("forwarded application: status %s queue %d, want forwarded to 815", a.Status, a.QueueUnit)
	}
	district := login(t, db, "duyet.815")
	dq, _ := db.Queue(ctx, 815)
	found := false
	for _, q := range dq {
		if q.ID == toForward {
			found = true
			if !q.Authority.Allowed {
				t.Errorf("district may not decide the forwarded request: %s", q.Authority.Reason)
			}
		}
	}
	if !found {
		t.Error("forwarded request not in the district's queue")
	}
	_ = district
}

func TestRevokeAddsToRevocations(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 50, 10)
	approver := login(t, db, "duyet")
	signer, _ := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	queue, _ := db.Queue(ctx, approver.Unit)
	var id string
	for _, q := range queue {
		if q.Authority.Allowed {
			id = q.ID
			break
		}
	}
	res, err := db.Approve(ctx, approver, signer, []string{id})
	if err != nil || res[0].Err != nil {
		t.Fatal(err, res)
	}
	if err := db.Revoke(ctx, approver, res[0].Serial, ""); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("revoke without reason: %v", err)
	}
	if err := db.Revoke(ctx, approver, res[0].Serial, "Người được cấp đã khỏi bệnh, không cần đi"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := db.IsRevoked(ctx, res[0].Serial); !ok {
		t.Error("revoked serial not on the revocation list")
	}
	if err := db.Revoke(ctx, approver, res[0].Serial, "lần hai"); store.ErrorCode(err) != store.EConflict {
		t.Errorf("second revoke: %v", err)
	}
}

// An application listed twice in one approval gets one permit; the repeat
// is a conflict, and the rest of the chunk goes through.
func TestApproveListedTwiceGetsOnePermit(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 30, 5)
	approver := login(t, db, "duyet")
	signer, err := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	queue, _ := db.Queue(ctx, approver.Unit)
	var ids []string
	for _, it := range queue {
		if it.Authority.Allowed {
			ids = append(ids, it.ID)
		}
		if len(ids) == 2 {
			break
		}
	}
	before := count(t, db, "permits")
	res, err := db.Approve(ctx, approver, signer, []string{ids[0], ids[1], ids[0]})
	if err != nil {
		t.Fatalf("a repeated ID sank the chunk: %v", err)
	}
	if res[0].Err != nil || res[1].Err != nil || store.ErrorCode(res[2].Err) != store.EConflict {
		t.Fatalf("results: %v, %v, %v", res[0].Err, res[1].Err, res[2].Err)
	}
	if got := count(t, db, "permits") - before; got != 2 {
		t.Errorf("%d permits written, want 2", got)
	}
}

// Printing is recorded only for the counter's roles and the issuing unit's
// own papers: the store says so, not only the screens.
func TestMarkPrintedChecksRoleAndUnit(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 30, 5)
	approver := login(t, db, "duyet")
	signer, err := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	queue, _ := db.Queue(ctx, approver.Unit)
	var id string
	for _, it := range queue {
		if it.Authority.Allowed {
			id = it.ID
			break
		}
	}
	res, err := db.Approve(ctx, approver, signer, []string{id})
	if err != nil || res[0].Err != nil {
		t.Fatal(err, res[0].Err)
	}
	serial := []string{res[0].Serial}
	for user, want := range map[string]store.Code{"kiemtra": store.EForbidden, "canbo.815": store.EForbidden, "canbo": ""} {
		err := db.MarkPrinted(ctx, login(t, db, user), serial, "x.pdf")
		if store.ErrorCode(err) != want {
			t.Errorf("%s printing %s: %v, want %q", user, serial[0], err, want)
		}
	}
	if err := db.MarkPrinted(ctx, store.Officer{}, serial, "x.pdf"); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("nobody printing: %v", err)
	}
	if err := db.MarkPrinted(ctx, approver, []string{"28291-1-2021-999999"}, "x.pdf"); store.ErrorCode(err) != store.ENotFound {
		t.Errorf("an unknown serial: %v", err)
	}
	p, _ := db.Permit(ctx, serial[0])
	if p.Printed != 1 {
		t.Errorf("printed %d times, want 1", p.Printed)
	}
}
