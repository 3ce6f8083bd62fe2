package batchsync

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/central"
)

const (
	unitDistrict = 815   // Thành phố Mỹ Tho, the district of unitA
	unitAway     = 28303 // Phường 1 of Thị xã Gò Công: outside unitA's district
)

// twoDesks is a commune desk (28291) and its district's (815) on one
// central, each with an approver.
func twoDesks(t *testing.T) (*env, *store.DB, *store.DB, *Client, *Client) {
	t.Helper()
	e := newEnv(t)
	if _, err := e.central.CreateOfficer(context.Background(), "", store.NewOfficer{Username: "duyet.815", FullName: "Lê Văn Huyện",
		Unit: unitDistrict, Roles: []store.Role{store.RoleApprover, store.RoleClerk}, Password: password}); err != nil {
		t.Fatal(err)
	}
	commune, district := e.enroll(unitA), e.enroll(unitDistrict)
	return e, commune, district, e.client(commune, nil), e.client(district, nil)
}

func mai(name string) store.Person {
	return store.Person{IDNumber: "082190012345", FullName: name, BirthDate: time.Date(1990, 3, 4, 0, 0, 0, 0, store.Vietnam),
		Sex: store.SexFemale, Commune: unitA, Hamlet: "Ấp 2", Phone: "0901000001"}
}

func residentApp(t *testing.T, desk *store.DB, p store.Person, area []uint32, fromDay, days int) store.Application {
	t.Helper()
	start := store.StartOfDay(desk.Now()).AddDate(0, 0, fromDay)
	a, err := desk.Submit(context.Background(), store.System(), store.Intake{Person: p, Application: store.Application{
		Category: store.CatResident, Purpose: store.PurposeFood, Area: area, Route: "Nhà → chợ",
		ValidFrom: start.Add(7 * time.Hour), ValidUntil: start.AddDate(0, 0, days)}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func deskConflicts(t *testing.T, desk *store.DB) []store.Conflict {
	t.Helper()
	cs, err := desk.OpenConflicts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// Finding 1 of issue 15, through real pushes and pulls: desk 28291 takes in
// and approves "Trần Thị Mai"; the district desk enters the same ID number as
// "Trần Thị Mai Anh". The centre keeps its version, records a conflict
// naming both desks, both desks pull it; the phone the district sent is
// merged; a clerk at 28291 resolves it, and every record agrees afterwards.
func TestTwoDesksPersonConflictKeptAndResolved(t *testing.T) {
	ctx := context.Background()
	e, commune, district, cc, dc := twoDesks(t)
	first := residentApp(t, commune, mai("Trần Thị Mai"), []uint32{unitA}, 1, 3)
	approve(t, commune, first.ID)
	mustSync(t, cc)

	anh := mai("Trần Thị Mai Anh")
	anh.Phone = "0901000002"
	second := residentApp(t, district, anh, []uint32{unitA}, 5, 2)
	mustSync(t, dc)

	held, err := e.central.PersonByIDNumber(ctx, anh.IDNumber)
	if err != nil {
		t.Fatal(err)
	}
	if held.FullName != "Trần Thị Mai" {
		t.Errorf("centre's record was overwritten: %q", held.FullName)
	}
	if held.Phone != "0901000002" {
		t.Errorf("phone not merged: %q", held.Phone)
	}
	open, err := e.central.Conflicts(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	cd, _ := commune.Desk(ctx)
	dd, _ := district.Desk(ctx)
	if len(open) != 1 || open[0].Kind != "person" || open[0].HeldDesk != cd.ID || open[0].PushedDesk != dd.ID ||
		open[0].Held == nil || open[0].Held.FullName != "Trần Thị Mai" || open[0].Pushed == nil || open[0].Pushed.FullName != "Trần Thị Mai Anh" {
		t.Fatalf("centre's conflicts: %+v", open)
	}

	mustSync(t, cc)
	mustSync(t, dc)
	for name, desk := range map[string]*store.DB{"commune": commune, "district": district} {
		if cs := deskConflicts(t, desk); len(cs) != 1 || cs[0].ID != open[0].ID {
			t.Fatalf("%s desk's conflicts: %+v", name, cs)
		}
	}
	// The commune approves the district's application: the paper carries
	// the centre's name, not the one the district typed.
	serial := approve(t, commune, second.ID)[0]
	var printed string
	if err := commune.SQL().QueryRow(`SELECT holder_name FROM permits WHERE serial = ?`, serial).Scan(&printed); err != nil || printed != "Trần Thị Mai" {
		t.Errorf("permit name %q (%v)", printed, err)
	}

	// The clerk at the commune checks the card: "Trần Thị Mai Anh" is right.
	clerk, err := commune.Login(ctx, "duyet.28291", password)
	if err != nil {
		t.Fatal(err)
	}
	if err := commune.ResolveConflict(ctx, clerk, open[0].ID, anh, "đã xem CCCD"); err != nil {
		t.Fatal(err)
	}
	if err := commune.ResolveConflict(ctx, clerk, open[0].ID, anh, ""); store.ErrorCode(err) != store.EConflict {
		t.Errorf("second resolution: %v", err)
	}
	if n := count(t, commune, `SELECT COUNT(*) FROM audit WHERE action = 'resolve' AND entity_id = ?`, open[0].ID); n != 1 {
		t.Errorf("resolution audited %d times", n)
	}
	mustSync(t, cc)
	mustSync(t, dc)
	mustSync(t, cc)
	if left, _ := e.central.Conflicts(ctx, false); len(left) != 0 {
		t.Errorf("centre still has open conflicts: %+v", left)
	}
	all, _ := e.central.Conflicts(ctx, true)
	if len(all) != 1 || all[0].Status != "resolved" || all[0].ResolvedBy != "Nguyễn Văn Duyệt" || all[0].Resolution == nil {
		t.Errorf("resolved conflict: %+v", all)
	}
	for name, db := range map[string]interface {
		PersonByIDNumber(context.Context, string) (store.Person, error)
	}{"centre": e.central, "commune": commune, "district": district} {
		p, err := db.PersonByIDNumber(ctx, anh.IDNumber)
		if err != nil || p.FullName != "Trần Thị Mai Anh" {
			t.Errorf("%s holds %q (%v)", name, p.FullName, err)
		}
	}
	for name, desk := range map[string]*store.DB{"commune": commune, "district": district} {
		if cs := deskConflicts(t, desk); len(cs) != 0 {
			t.Errorf("%s desk still lists conflicts: %+v", name, cs)
		}
	}
	checkExactlyOnce(t, e.central, commune, true)
}

// Finding 3 of issue 15 and the centre's half of "one valid paper": the
// commune forwards a request whose area leaves the district; the district
// approves it; the commune pulls the permit and keeps it with the district
// approver's name. That permit overlaps, in category and dates, one the
// commune issued the same person: the centre flags it (and refuses
// nothing), and both desks pull the flag.
func TestTwoDesksForwardedPermitComesHomeAndOverlapIsFlagged(t *testing.T) {
	ctx := context.Background()
	e, commune, district, cc, dc := twoDesks(t)
	p := mai("Phạm Thị Hương")
	p.IDNumber = "082190099999"
	own := residentApp(t, commune, p, []uint32{unitA}, 1, 7)
	ownSerial := approve(t, commune, own.ID)[0]
	away := residentApp(t, commune, p, []uint32{unitA, unitAway}, 4, 3)
	clerk, err := commune.Login(ctx, "duyet.28291", password)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := commune.Forward(ctx, clerk, []string{away.ID}); err != nil || res[0].Err != nil {
		t.Fatalf("forward: %v %+v", err, res)
	}
	mustSync(t, cc)
	mustSync(t, dc)
	districtSerial := approve(t, district, away.ID)[0]
	mustSync(t, dc)

	if n := count(t, commune, `SELECT COUNT(*) FROM permits WHERE serial = ?`, districtSerial); n != 0 {
		t.Fatal("permit on the commune before it pulled")
	}
	mustSync(t, cc)
	var approver string
	if err := commune.SQL().QueryRow(`SELECT o.full_name FROM permits p JOIN officers o ON o.id = p.approved_by WHERE p.serial = ?`,
		districtSerial).Scan(&approver); err != nil {
		t.Fatalf("the district's permit did not reach the commune: %v", err)
	}
	if approver != "Lê Văn Huyện" {
		t.Errorf("approver on the commune's copy: %q", approver)
	}
	if _, err := commune.Login(ctx, "tinh."+districtApprover(t, e), password); err == nil {
		t.Error("the district approver's stand-in account logs in")
	}
	if n := count(t, commune, `SELECT COUNT(*) FROM officers WHERE unit = ? AND active = 1`, unitDistrict); n != 0 {
		t.Errorf("%d active district accounts on the commune desk", n)
	}

	cs, err := e.central.Conflicts(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Kind != "permit" || cs[0].HeldSerial != ownSerial || cs[0].PushedSerial != districtSerial || cs[0].PushedUnit != unitDistrict {
		t.Fatalf("centre's conflicts: %+v", cs)
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM permits WHERE revoked_at = 0 AND id_number = ?`, p.IDNumber); n != 2 {
		t.Errorf("centre holds %d valid permits, want both (flagged, not refused)", n)
	}
	mustSync(t, dc)
	for name, desk := range map[string]*store.DB{"commune": commune, "district": district} {
		if got := deskConflicts(t, desk); len(got) != 1 || got[0].Kind != "permit" {
			t.Errorf("%s desk's conflicts: %+v", name, got)
		}
	}
	// The district revokes its paper: one valid paper is left, and the
	// flag closes on every desk.
	dApprover, err := district.Login(ctx, "duyet.815", password)
	if err != nil {
		t.Fatal(err)
	}
	if err := district.Revoke(ctx, dApprover, districtSerial, "trùng giấy của xã"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, dc)
	mustSync(t, cc)
	if open, _ := e.central.Conflicts(ctx, false); len(open) != 0 {
		t.Errorf("centre's conflicts after the revocation: %+v", open)
	}
	mustSync(t, dc)
	for name, desk := range map[string]*store.DB{"commune": commune, "district": district} {
		if got := deskConflicts(t, desk); len(got) != 0 {
			t.Errorf("%s desk still lists %+v", name, got)
		}
	}
}

func districtApprover(t *testing.T, e *env) string {
	t.Helper()
	var id string
	if err := e.central.SQL().QueryRow(`SELECT id FROM officers WHERE username = 'duyet.815'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// Deliver 1 of issue 15, the look-up: a desk asks the centre about an ID
// number before it creates a person. The district finds the commune's
// resident; another commune's desk, asking about the same number, is told
// exactly what it would be told of a number nobody holds; every look-up is
// kept with its outcome, and a desk is held to its day's allowance.
func TestLookupPersonScopedToTheDesksPeople(t *testing.T) {
	ctx := context.Background()
	e, commune, district, cc, dc := twoDesks(t)
	other := e.enroll(unitB)
	oc := e.client(other, nil)
	residentApp(t, commune, mai("Trần Thị Mai"), []uint32{unitA}, 1, 3)
	mustSync(t, cc)

	p, ok, err := dc.LookupPerson(ctx, "082190012345")
	if err != nil || !ok || p.FullName != "Trần Thị Mai" || p.Commune != unitA {
		t.Fatalf("district's look-up: %+v %v %v", p, ok, err)
	}
	if p, ok, err := oc.LookupPerson(ctx, "082190012345"); err != nil || ok || p.FullName != "" {
		t.Errorf("another commune learnt of the person: %+v %v %v", p, ok, err)
	}
	if _, ok, err := dc.LookupPerson(ctx, "082190000000"); err != nil || ok {
		t.Errorf("unknown number: %v %v", ok, err)
	}
	var he *HTTPError
	if _, _, err := dc.LookupPerson(ctx, "08219' OR 1=1"); !errors.As(err, &he) || he.Status != 400 {
		t.Errorf("malformed number: %v", err)
	}
	od, _ := other.Desk(ctx)
	dd, _ := district.Desk(ctx)
	rows, err := e.central.SQL().Query(`SELECT desk_id, outcome FROM person_lookups ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var d, o string
		rows.Scan(&d, &o)
		got = append(got, d+" "+o)
	}
	rows.Close()
	want := []string{dd.ID + " found", od.ID + " outside", dd.ID + " unknown", dd.ID + " malformed"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("look-ups kept:\n%v\nwant\n%v", got, want)
	}

	old := central.LookupsPerDay
	central.LookupsPerDay = 5
	t.Cleanup(func() { central.LookupsPerDay = old })
	for range 2 {
		if _, _, err := dc.LookupPerson(ctx, "082190012345"); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := dc.LookupPerson(ctx, "082190012345"); !errors.As(err, &he) || he.Status != 403 {
		t.Errorf("a sixth look-up in a day: %v", err)
	}
	// The allowance is the desk's: the other commune's desk still asks.
	if _, _, err := oc.LookupPerson(ctx, "082190012345"); err != nil {
		t.Errorf("another desk held to the district's allowance: %v", err)
	}
}
