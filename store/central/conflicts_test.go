package central_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/central"
	"thonghanh/store/wire"
)

func newCentre(t *testing.T) *central.DB {
	t.Helper()
	store.DefaultPasswordParams = store.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1}
	ctx := context.Background()
	_, root, _ := ed25519.GenerateKey(nil)
	db, err := central.Open(ctx, filepath.Join(t.TempDir(), "central.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.InitCentral(ctx, root); err != nil {
		t.Fatal(err)
	}
	return db
}

var opSeq int

func push(t *testing.T, db *central.DB, desk central.DeskAuth, entity, id string, v any) store.OpResult {
	t.Helper()
	payload, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	opSeq++
	res, err := db.ApplyOp(context.Background(), nil, desk, store.PushOp{OpID: fmt.Sprintf("op%d", opSeq), Entity: entity, EntityID: id, Op: "put", Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func pushedPerson(desk central.DeskAuth, name, phone string) wire.Person {
	return wire.Person{ID: desk.DeskID + "-P", IDNumber: "082190012345", FullName: name, BirthDate: time.Date(1990, 3, 4, 0, 0, 0, 0, store.Vietnam),
		Sex: "F", Commune: 28291, Phone: phone}
}

var (
	commune  = central.DeskAuth{DeskID: "DESK-XA", Unit: 28291, Number: 1}
	district = central.DeskAuth{DeskID: "DESK-HUYEN", Unit: 815, Number: 1}
	stranger = central.DeskAuth{DeskID: "DESK-KHAC", Unit: 28294, Number: 1}
)

// The desk a person's record came from may correct it; another desk's
// different name is kept apart (phone merged), and only an officer of a
// unit concerned, at that unit's desk, can resolve it.
func TestPersonConflictKeptAndResolvedOnlyByItsUnits(t *testing.T) {
	ctx := context.Background()
	db := newCentre(t)
	officer := func(unit uint32, user, name string) string {
		o, err := db.CreateOfficer(ctx, "", store.NewOfficer{Username: user, FullName: name, Unit: unit,
			Roles: []store.Role{store.RoleClerk}, Password: "mat-khau-dai-1"})
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	for _, name := range []string{"Trần Thị Maii", "Trần Thị Mai"} {
		if res := push(t, db, commune, "person", "DESK-XA-P", pushedPerson(commune, name, "0901000001")); res.Status != store.PushAccepted {
			t.Fatalf("commune's push: %+v", res)
		}
	}
	if cs, _ := db.Conflicts(ctx, true); len(cs) != 0 {
		t.Fatalf("a desk correcting its own record made a conflict: %+v", cs)
	}
	if res := push(t, db, district, "person", "DESK-HUYEN-P", pushedPerson(district, "Trần Thị Mai Anh", "0901000002")); res.Status != store.PushAccepted {
		t.Fatalf("district's push: %+v", res)
	}
	p, _ := db.PersonByIDNumber(ctx, "082190012345")
	if p.FullName != "Trần Thị Mai" || p.Phone != "0901000002" {
		t.Fatalf("centre holds %q %q", p.FullName, p.Phone)
	}
	// The same push again updates the open conflict, not a second one.
	push(t, db, district, "person", "DESK-HUYEN-P", pushedPerson(district, "Trần Thị Mai Anh", "0901000002"))
	cs, _ := db.Conflicts(ctx, false)
	if len(cs) != 1 || cs[0].HeldDesk != "DESK-XA" || cs[0].PushedDesk != "DESK-HUYEN" {
		t.Fatalf("conflicts %+v", cs)
	}
	units := map[int]bool{}
	rows, _ := db.SQL().Query(`SELECT unit FROM changes WHERE entity = 'conflict' AND entity_id = ?`, cs[0].ID)
	for rows.Next() {
		var u int
		rows.Scan(&u)
		units[u] = true
	}
	rows.Close()
	if !units[28291] || !units[815] || len(units) != 2 {
		t.Errorf("conflict fed to units %v, want 28291 and 815", units)
	}

	resolution := func(officer, name string) wire.ConflictResolution {
		return wire.ConflictResolution{ConflictID: cs[0].ID, IDNumber: "082190012345", FullName: name,
			BirthDate: time.Date(1990, 3, 4, 0, 0, 0, 0, store.Vietnam), Sex: "F", Officer: officer, At: 1}
	}
	outsider := officer(28294, "canbo.28294", "Lê Văn Khác")
	if res := push(t, db, stranger, "conflict", cs[0].ID, resolution(outsider, "Ai Đó")); res.Status != store.PushForbidden {
		t.Errorf("a unit not concerned resolved: %+v", res)
	}
	communeClerk := officer(28291, "canbo.28291", "Võ Thị Xã")
	if res := push(t, db, district, "conflict", cs[0].ID, resolution(communeClerk, "Ai Đó")); res.Status != store.PushForbidden {
		t.Errorf("the commune's clerk resolved from the district's desk: %+v", res)
	}
	if res := push(t, db, commune, "conflict", cs[0].ID, resolution(communeClerk, "Trần Thị Mai Anh")); res.Status != store.PushAccepted {
		t.Fatalf("resolution: %+v", res)
	}
	p, _ = db.PersonByIDNumber(ctx, "082190012345")
	if p.FullName != "Trần Thị Mai Anh" {
		t.Errorf("centre's person after the resolution: %q", p.FullName)
	}
	all, _ := db.Conflicts(ctx, true)
	if len(all) != 1 || all[0].Status != central.ConflictResolved || all[0].ResolvedBy != "Võ Thị Xã" ||
		all[0].Resolution == nil || all[0].Resolution.FullName != "Trần Thị Mai Anh" {
		t.Errorf("after the resolution: %+v", all)
	}
	// The district's desk, now holding the resolved name, pushes it (in
	// capitals, as some clerks type): no new conflict.
	push(t, db, district, "person", "DESK-HUYEN-P", pushedPerson(district, "TRẦN THỊ MAI ANH", "0901000003"))
	if open, _ := db.Conflicts(ctx, false); len(open) != 0 {
		t.Errorf("open conflicts after agreement: %+v", open)
	}
}
