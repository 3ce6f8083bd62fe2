package store_test

import (
	"context"
	"testing"

	"thonghanh/store"
)

// Finding 4 of issue 15: rows the unit may not decide (⊘) could be neither
// rejected nor forwarded and stayed in the queue for ever. Every row now
// says where it goes: decided here, forwarded to the unit that may decide
// it, or, when no unit may, rejected by the unit holding it.
func TestEveryQueueRowCanLeave(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 100, 20)
	approver := login(t, db, "duyet")
	queue, err := db.Queue(ctx, approver.Unit)
	if err != nil {
		t.Fatal(err)
	}
	var rejectOnly []string
	for _, it := range queue {
		a := it.Authority
		switch {
		case a.Allowed:
		case a.Forward:
			if a.ForwardTo == 0 || a.ForwardTo == approver.Unit {
				t.Errorf("%s forwards to %d", it.Number, a.ForwardTo)
			}
		case a.RejectOnly:
			rejectOnly = append(rejectOnly, it.ID)
		default:
			t.Errorf("%s (%s) can leave the queue no way: %s", it.Number, it.Name, a.Reason)
		}
		if !a.MayReject() {
			t.Errorf("%s cannot be rejected by the unit holding it", it.Number)
		}
	}
	if len(rejectOnly) == 0 {
		t.Fatal("the demo queue has no market-trip request outside every zone")
	}
	res, err := db.Reject(ctx, approver, rejectOnly, "nơi ở không thuộc vùng nguy cơ: không cấp phiếu đi chợ")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			t.Errorf("rejecting %s: %v", r.ApplicationID, r.Err)
		}
	}
	after, _ := db.Queue(ctx, approver.Unit)
	if len(after) != len(queue)-len(rejectOnly) {
		t.Errorf("queue has %d rows after rejecting %d of %d", len(after), len(rejectOnly), len(queue))
	}
}

// A request in the queue of a unit that may not decide it is routed to the
// one that may (what Route says), not left there.
func TestRequestInTheWrongQueueIsRouted(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 20, 2)
	units, err := db.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	district, _ := units.Get(815)
	commune, _ := units.Get(28291)
	other, _ := units.Get(28249)
	home := store.Person{Commune: 28291, Hamlet: "Ấp 3"}
	inside := store.Case{Category: store.CatResident, Area: []uint32{28291}, Holder: home}
	outside := store.Case{Category: store.CatResident, Area: []uint32{28291, 821}, Holder: home}
	for _, tc := range []struct {
		name    string
		decider store.Unit
		c       store.Case
		to      uint32
	}{
		{"an in-district trip at the district goes down to the commune", district, inside, 28291},
		{"a resident of another commune goes to that commune", other, inside, 28291},
		{"an out-of-district trip at another commune goes straight to the district", other, outside, 815},
		{"an out-of-district trip at the holder's commune goes up", commune, outside, 815},
	} {
		a := units.Decide(tc.decider, tc.c)
		if a.Allowed || !a.Forward || a.ForwardTo != tc.to {
			t.Errorf("%s: %+v, want forward to %d", tc.name, a, tc.to)
		}
	}

	// Through the store: a walk-in whose holder then moved to another commune.
	clerk, approver := login(t, db, "canbo"), login(t, db, "duyet")
	app, err := db.Submit(ctx, clerk, walkIn())
	if err != nil {
		t.Fatal(err)
	}
	p, _ := db.PersonByIDNumber(ctx, walkIn().Person.IDNumber)
	p.Commune, p.Hamlet = 28249, "Khu phố 1"
	if err := db.Write(ctx, func(tx *store.Tx) error { _, err := tx.PutPerson(p); return err }); err != nil {
		t.Fatal(err)
	}
	it := queueItem(t, db, approver.Unit, app.ID)
	if !it.Authority.Forward || it.Authority.ForwardTo != 28249 {
		t.Fatalf("after the move: %+v, want forward to 28249", it.Authority)
	}
	res, err := db.Forward(ctx, approver, []string{app.ID})
	if err != nil || res[0].Err != nil {
		t.Fatalf("forward: %v %v", err, res)
	}
	a, _ := db.Application(ctx, app.ID)
	if a.Status != store.StatusForwarded || a.QueueUnit != 28249 {
		t.Errorf("forwarded application: %s in %d", a.Status, a.QueueUnit)
	}
}
