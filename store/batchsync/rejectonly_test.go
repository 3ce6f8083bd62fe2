package batchsync

import (
	"context"
	"testing"
	"time"

	"thonghanh/store"
)

// Issue 15, "nothing stuck": a market-trip request from a resident outside
// every zone of the commune may be decided by no unit, only rejected by the
// unit holding it. The desk's rejection must hold at the centre too: the
// centre applies the same rule (Authority.MayReject), not only "allowed or
// forwarded", or the row would leave the desk's queue and stay pending at
// the centre, with the desk's op refused for good.
func TestRejectOnlyRequestRejectedAtTheCentre(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	start := store.StartOfDay(desk.Now()).AddDate(0, 0, 1)
	apps, err := desk.SubmitBatch(ctx, store.System(), []store.Intake{{Person: person(unitA, int(personSeq.Add(1))),
		Application: store.Application{Category: store.CatZone, Purpose: store.PurposeFood, Area: []uint32{unitA},
			Route: "Nhà → chợ", ValidFrom: start.Add(7 * time.Hour), ValidUntil: start.AddDate(0, 0, 1)}}})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := desk.Desk(ctx)
	head, err := desk.Login(ctx, "duyet.28291", password)
	if err != nil {
		t.Fatal(err)
	}
	items, err := desk.Queue(ctx, d.Unit)
	if err != nil {
		t.Fatal(err)
	}
	var auth store.Authority
	for _, it := range items {
		if it.ID == apps[0].ID {
			auth = it.Authority
		}
	}
	if !auth.RejectOnly || auth.Allowed || auth.Forward {
		t.Fatalf("fixture: the request should be reject-only, got %+v", auth)
	}
	res, err := desk.Reject(ctx, head, []string{apps[0].ID}, "Nơi ở không thuộc vùng nguy cơ nào của xã")
	if err != nil || res[0].Err != nil {
		t.Fatalf("reject on the desk: %v %v", err, res)
	}
	mustSync(t, e.client(desk, nil))
	if state, msg := lastResult(t, desk); state != store.OpDone {
		t.Fatalf("the rejection at the centre: %s %q, want accepted", state, msg)
	}
	var status string
	if err := e.central.SQL().QueryRow(`SELECT status FROM applications WHERE id = ?`, apps[0].ID).Scan(&status); err != nil || status != store.StatusRejected {
		t.Fatalf("the centre holds the request %q (%v), want rejected", status, err)
	}
}
