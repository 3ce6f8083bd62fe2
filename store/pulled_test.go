package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"thonghanh/store"
)

// TestPulledPageNamingAnApplicationTwiceKeepsTheNewer: a page that names
// one application twice (a centre that does not compact its feed) leaves
// the desk with the newer of the two states, whichever comes first, as
// applying them one after the other would; the page's applications are
// written together, so this is the batch's to get right.
func TestPulledPageNamingAnApplicationTwiceKeepsTheNewer(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 20, 2)
	clerk := login(t, db, "canbo")
	var states []store.AppState
	for i, number := range []string{"082190001234", "082190004321"} {
		in := walkIn()
		in.Person.IDNumber = number
		in.Application.ValidFrom = in.Application.ValidFrom.AddDate(0, 0, 7*i)
		in.Application.ValidUntil = in.Application.ValidUntil.AddDate(0, 0, 7*i)
		a, err := db.Submit(ctx, clerk, in)
		if err != nil {
			t.Fatal(err)
		}
		p, err := store.PersonByID(db.SQL(), a.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		states = append(states, store.AppState{Application: a, Person: p})
	}
	state := func(st store.AppState, version int, status, reason string) json.RawMessage {
		st.Application.Version, st.Application.Status, st.Application.Reason = version, status, reason
		b, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first, second := states[0].Application.ID, states[1].Application.ID
	page := []store.Change{
		{Seq: 1, Entity: store.ChangeApplication, ID: first, Payload: state(states[0], 3, store.StatusRejected, "không đủ giấy tờ")},
		{Seq: 2, Entity: store.ChangeApplication, ID: second, Payload: state(states[1], 2, store.StatusPending, "")},
		{Seq: 3, Entity: store.ChangeApplication, ID: first, Payload: state(states[0], 2, store.StatusPending, "")},
		{Seq: 4, Entity: store.ChangeApplication, ID: second, Payload: state(states[1], 3, store.StatusRejected, "trùng hồ sơ")},
	}
	if err := db.ApplyChanges(ctx, page, 4, "", nil); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{first, second} {
		a, err := db.Application(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Version != 3 || a.Status != store.StatusRejected || a.Reason == "" {
			t.Errorf("application %s after the page: version %d, %s %q; want the newer state, version 3, rejected", a.Number, a.Version, a.Status, a.Reason)
		}
	}
}
