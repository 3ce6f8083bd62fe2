package batchsync

import (
	"context"
	"strings"
	"testing"
	"time"

	"thonghanh/store"
)

// Finding 5 of issue 15: a decision on an application the centre refused
// got DEPENDENCY_MISSING forever, and its permit stayed valid. The desk now
// ends it: the application rejected with the centre's reason, the permit
// revoked on the desk and its revocation queued for the centre.
func TestDecisionOnRefusedApplicationEndsRejected(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	// A desk clock weeks ahead: the centre refuses its application for good.
	ahead := sept21.AddDate(0, 0, 40)
	desk.SetClock(func() time.Time { return ahead })
	app := submit(t, desk, unitA, 1)[0]
	serial := approve(t, desk, app.ID)[0]
	c := e.client(desk, nil)
	mustSync(t, c)

	var appState, appErr string
	desk.SQL().QueryRow(`SELECT state, last_error FROM outbox WHERE entity = 'application' AND entity_id = ?`, app.ID).Scan(&appState, &appErr)
	if appState != store.OpRejected {
		t.Fatalf("fixture: the centre should refuse the application, got %s %q", appState, appErr)
	}
	state, msg := lastResult(t, desk)
	if state != store.OpRejected {
		t.Fatalf("the decision on a refused application is %s (%q), want rejected: it can never apply", state, msg)
	}
	a, err := desk.Application(ctx, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != store.StatusRejected || !strings.Contains(a.Reason, "máy chủ tỉnh từ chối") || !strings.Contains(a.Reason, "đồng hồ") {
		t.Errorf("application on the desk: %s %q, want rejected with the centre's reason", a.Status, a.Reason)
	}
	p, err := desk.Permit(ctx, serial)
	if err != nil {
		t.Fatal(err)
	}
	if p.RevokedAt.IsZero() {
		t.Error("the permit of the decision the centre can never apply is still valid on the desk")
	}
	if revoked, _ := desk.IsRevoked(ctx, serial); !revoked {
		t.Error("the permit is not on the desk's revocation list")
	}
	// The centre answers DEPENDENCY_REFUSED and revokes the permit itself
	// (an older centre left that to the desk's queued revocation).
	if revoked, err := e.central.IsRevoked(ctx, serial); err != nil || !revoked {
		t.Errorf("the permit is not revoked at the centre: %v", err)
	}
	// Sent again (a centre restored from a backup): ended once, not twice.
	if _, err := desk.RequeueSettled(ctx); err != nil {
		t.Fatal(err)
	}
	mustSync(t, c)
	if n := count(t, desk, `SELECT COUNT(*) FROM audit WHERE action = ? AND entity_id = ?`, store.ActionReject, app.ID); n != 1 {
		t.Errorf("%d rejection entries after the ops were sent again, want 1", n)
	}
	if ok, _, err := desk.VerifyAudit(ctx); err != nil || ok == 0 {
		t.Fatalf("audit verify: %d, %v", ok, err)
	}
}
