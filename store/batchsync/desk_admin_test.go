package batchsync

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"thonghanh/store"
)

// TestDeskAdminChangesReachTheCentre: an account a commune's admin opens at
// one desk reaches the centre and the commune's other desk (it logs in
// there, with its position for the signer block); a zone's edit and its lifting reach the centre. A desk pushing an
// account of another unit, or claiming another unit's account, is refused
// and changes nothing.
func TestDeskAdminChangesReachTheCentre(t *testing.T) {
	h := newHostileEnv(t)
	ctx := context.Background()
	admin, err := h.a.Login(ctx, fmt.Sprintf("duyet.%d", unitA), password)
	if err != nil {
		t.Fatal(err)
	}
	admin.Roles = append(admin.Roles, store.RoleAdmin) // the commune's admin
	o, err := h.a.AddOfficer(ctx, admin, store.NewOfficer{Username: "canbo9", FullName: "Võ Thị Mai", Unit: unitA,
		Roles: []store.Role{store.RoleApprover}, Position: store.PositionDeputy, Password: "Mai-tam-thoi-7"})
	if err != nil {
		t.Fatal(err)
	}
	zone, err := h.a.CreateZone(ctx, admin, store.Zone{Commune: unitA, Name: "Vùng 1", Risk: store.RiskHigh})
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, h.ca)
	if _, err := h.a.UpdateZone(ctx, admin, store.Zone{ID: zone.ID, Name: "Vùng 1 mở rộng", Risk: store.RiskLockdown}); err != nil {
		t.Fatal(err)
	}
	mustSync(t, h.ca)
	var unit uint32
	if err := h.central.SQL().QueryRow(`SELECT unit FROM officers WHERE id = ?`, o.ID).Scan(&unit); err != nil || unit != unitA {
		t.Fatalf("the centre's copy of canbo9: unit %d, %v", unit, err)
	}
	var name, risk string
	if err := h.central.SQL().QueryRow(`SELECT name, risk FROM zones WHERE id = ?`, zone.ID).Scan(&name, &risk); err != nil ||
		name != "Vùng 1 mở rộng" || risk != store.RiskLockdown {
		t.Errorf("the centre's zone after the edit: %q %q %v", name, risk, err)
	}
	mustSync(t, h.ca2)
	if got, err := h.a2.Login(ctx, "canbo9", "Mai-tam-thoi-7"); err != nil || got.Position != store.PositionDeputy {
		t.Errorf("canbo9 at the commune's other desk: %+v %v (a deputy signs KT.)", got, err)
	}
	// A change of position alone still reaches the unit's other desks: it
	// decides the signer block (TM. or KT.) on the paper they print.
	if _, err := h.a.UpdateOfficer(ctx, admin, o.ID, store.OfficerChange{FullName: "Võ Thị Mai",
		Roles: []store.Role{store.RoleApprover}, Position: store.PositionHead}); err != nil {
		t.Fatal(err)
	}
	mustSync(t, h.ca)
	mustSync(t, h.ca2)
	if got, err := h.a2.Login(ctx, "canbo9", "Mai-tam-thoi-7"); err != nil || got.Position != store.PositionHead {
		t.Errorf("canbo9 at the other desk after becoming the head: %+v %v", got, err)
	}
	if err := h.a.DeactivateZone(ctx, admin, zone.ID); err != nil {
		t.Fatal(err)
	}
	if err := h.a.DeactivateOfficer(ctx, admin, o.ID); err != nil {
		t.Fatal(err)
	}
	mustSync(t, h.ca)
	var zoneActive, officerActive bool
	h.central.SQL().QueryRow(`SELECT active FROM zones WHERE id = ?`, zone.ID).Scan(&zoneActive)
	h.central.SQL().QueryRow(`SELECT active FROM officers WHERE id = ?`, o.ID).Scan(&officerActive)
	if zoneActive || officerActive {
		t.Errorf("the centre still holds the zone (%v) or the account (%v) active", zoneActive, officerActive)
	}
	mustSync(t, h.ca2)
	if _, err := h.a2.Login(ctx, "canbo9", "Mai-tam-thoi-7"); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("a closed account at the other desk: %v", err)
	}

	// Another unit's account, new or the centre's own.
	h.attack(t, h.a, hostileOp(t, store.ChangeOfficer, "O1", store.OfficerRecord{ID: "O1", Username: "la", FullName: "Người Lạ",
		Unit: unitB, Roles: []store.Role{store.RoleAdmin}, Active: true, PasswordHash: "x"}), store.PushForbidden)
	theirs, err := h.b.Login(ctx, fmt.Sprintf("duyet.%d", unitB), password)
	if err != nil {
		t.Fatal(err)
	}
	h.attack(t, h.a, hostileOp(t, store.ChangeOfficer, theirs.ID, store.OfficerRecord{ID: theirs.ID, Username: theirs.Username,
		FullName: theirs.FullName, Unit: unitA, Roles: []store.Role{store.RoleAdmin}, Active: true, PasswordHash: "x"}), store.PushForbidden)
}

// deskAdmin is the commune's approver at desk, made its admin too.
func deskAdmin(t *testing.T, desk *store.DB, unit uint32) store.Officer {
	t.Helper()
	o, err := desk.Login(context.Background(), fmt.Sprintf("duyet.%d", unit), password)
	if err != nil {
		t.Fatal(err)
	}
	o.Roles = append(o.Roles, store.RoleAdmin)
	return o
}

// zoneState is how many of zone's markets db holds open and closed, and
// whether it holds zone in force (ok false when it holds no such zone).
func zoneState(t *testing.T, db *store.DB, zone string) (active, ok bool, open, closed int) {
	t.Helper()
	err := db.SQL().QueryRow(`SELECT active FROM zones WHERE id = ?`, zone).Scan(&active)
	ok = err == nil
	open = count(t, db, `SELECT COUNT(*) FROM markets WHERE zone_id = ? AND active = 1`, zone)
	closed = count(t, db, `SELECT COUNT(*) FROM markets WHERE zone_id = ? AND active = 0`, zone)
	return active, ok, open, closed
}

// TestLiftedZoneClosesItsMarketsEverywhere: a zone and its two markets made
// at one desk of a commune reach the commune's other desk; lifting the zone
// at the first desk closes both markets at the centre and at the other
// desk too, so the three lists agree. Another commune's desk can neither
// lift the zone nor close its markets, whatever commune its op names, and
// an edit made offline at the other desk does not bring the zone back.
func TestLiftedZoneClosesItsMarketsEverywhere(t *testing.T) {
	h := newHostileEnv(t)
	ctx := context.Background()
	admin := deskAdmin(t, h.a, unitA)
	zone, err := h.a.CreateZone(ctx, admin, store.Zone{Commune: unitA, Name: "Ấp Chợ", Risk: store.RiskVeryHigh, Hamlets: []string{"Ấp 1"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Chợ Bình Đức", "Điểm bán Ấp 1"} {
		if _, err := h.a.CreateMarket(ctx, admin, store.Market{ZoneID: zone.ID, Name: name, OpenMinute: 6 * 60, CloseMinute: 10 * 60, Capacity: 20}); err != nil {
			t.Fatal(err)
		}
	}
	mustSync(t, h.ca)
	mustSync(t, h.ca2)
	if active, ok, open, _ := zoneState(t, h.a2, zone.ID); !ok || !active || open != 2 {
		t.Fatalf("the commune's other desk before the lifting: zone held %v, in force %v, %d markets open; want the zone and 2", ok, active, open)
	}

	// Desk B, of another commune, names the zone as its own to lift it.
	for _, commune := range []uint32{unitA, unitB} {
		op := hostileOp(t, "zone", zone.ID, store.Zone{ID: zone.ID, Commune: commune, Name: zone.Name, Risk: zone.Risk})
		op.Op = "deactivate"
		h.attack(t, h.b, op, store.PushForbidden)
		if active, _, open, _ := zoneState(t, h.central.DB, zone.ID); !active || open != 2 {
			t.Fatalf("desk B's lifting (commune %d) changed the centre: zone in force %v, %d markets open", commune, active, open)
		}
	}

	if err := h.a.DeactivateZone(ctx, admin, zone.ID); err != nil {
		t.Fatal(err)
	}
	mustSync(t, h.ca)
	mustSync(t, h.ca2)
	for _, d := range []struct {
		name string
		db   *store.DB
	}{{"the lifting desk", h.a}, {"the centre", h.central.DB}, {"the commune's other desk", h.a2}} {
		if active, ok, open, closed := zoneState(t, d.db, zone.ID); !ok || active || open != 0 || closed != 2 {
			t.Errorf("%s after the lifting: zone held %v, in force %v, markets open %d closed %d; want it lifted and both closed",
				d.name, ok, active, open, closed)
		}
	}
	if zs, _ := h.a2.Zones(ctx, unitA); len(zs) != 0 {
		t.Errorf("the other desk still plans in %d zones", len(zs))
	}
	if ms, _ := h.a2.Markets(ctx, zone.ID); len(ms) != 0 {
		t.Errorf("the other desk still plans slots at %d markets of the lifted zone", len(ms))
	}
	// An edit the other desk made offline, before it learnt of the lifting,
	// renames the zone but does not bring it back.
	edit := hostileOp(t, "zone", zone.ID, store.Zone{ID: zone.ID, Commune: unitA, Name: "Ấp Chợ (sửa)", Risk: zone.Risk})
	edit.Op = "update"
	if res := rawPush(t, h.env, h.a2, []store.PushOp{edit}); len(res) != 1 || res[0].Status != store.PushAccepted {
		t.Fatalf("the other desk's edit: %+v", res)
	}
	if active, _, open, _ := zoneState(t, h.central.DB, zone.ID); active || open != 0 {
		t.Errorf("an edit brought the lifted zone back (%v) or opened %d markets", active, open)
	}
}

// TestReactivationReachesTheCentre: a zone lifted, a market closed and an
// account closed at one desk are brought back there and the centre and
// the commune's other desk take them back: the zone in force with its
// markets still closed until one is reopened, the account logging in.
func TestReactivationReachesTheCentre(t *testing.T) {
	h := newHostileEnv(t)
	ctx := context.Background()
	admin := deskAdmin(t, h.a, unitA)
	zone, err := h.a.CreateZone(ctx, admin, store.Zone{Commune: unitA, Name: "Vùng 2", Risk: store.RiskHigh})
	if err != nil {
		t.Fatal(err)
	}
	m, err := h.a.CreateMarket(ctx, admin, store.Market{ZoneID: zone.ID, Name: "Chợ Vùng 2", OpenMinute: 6 * 60, CloseMinute: 9 * 60, Capacity: 15})
	if err != nil {
		t.Fatal(err)
	}
	o, err := h.a.AddOfficer(ctx, admin, store.NewOfficer{Username: "canbo7", FullName: "Lê Văn Tư", Unit: unitA,
		Roles: []store.Role{store.RoleClerk}, Password: "Tu-tam-thoi-77"})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.a.DeactivateZone(ctx, admin, zone.ID); err != nil {
		t.Fatal(err)
	}
	if err := h.a.DeactivateOfficer(ctx, admin, o.ID); err != nil {
		t.Fatal(err)
	}
	mustSync(t, h.ca)
	if err := h.a.ReactivateMarket(ctx, admin, m.ID); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("reopening a market of a lifted zone: %v, want it refused", err)
	}
	if err := h.a.ReactivateZone(ctx, admin, zone.ID); err != nil {
		t.Fatal(err)
	}
	if err := h.a.ReactivateOfficer(ctx, admin, o.ID); err != nil {
		t.Fatal(err)
	}
	mustSync(t, h.ca)
	mustSync(t, h.ca2)
	for _, d := range []struct {
		name string
		db   *store.DB
	}{{"the centre", h.central.DB}, {"the commune's other desk", h.a2}} {
		if active, ok, open, closed := zoneState(t, d.db, zone.ID); !ok || !active || open != 0 || closed != 1 {
			t.Errorf("%s after the zone's return: held %v, in force %v, markets open %d closed %d; want it in force, its market closed",
				d.name, ok, active, open, closed)
		}
	}
	if _, err := h.a2.Login(ctx, "canbo7", "Tu-tam-thoi-77"); err != nil {
		t.Errorf("the reopened account at the other desk: %v", err)
	}
	if err := h.a.ReactivateMarket(ctx, admin, m.ID); err != nil {
		t.Fatal(err)
	}
	mustSync(t, h.ca)
	mustSync(t, h.ca2)
	for _, db := range []*store.DB{h.central.DB, h.a2} {
		if _, _, open, _ := zoneState(t, db, zone.ID); open != 1 {
			t.Errorf("the reopened market: %d open, want 1", open)
		}
	}
	// Another commune's desk cannot bring back what commune A lifted.
	if err := h.a.DeactivateZone(ctx, admin, zone.ID); err != nil {
		t.Fatal(err)
	}
	mustSync(t, h.ca)
	op := hostileOp(t, "zone", zone.ID, store.Zone{ID: zone.ID, Commune: unitB, Name: zone.Name, Risk: zone.Risk})
	op.Op = "reactivate"
	h.attack(t, h.b, op, store.PushForbidden)
	if active, _, _, _ := zoneState(t, h.central.DB, zone.ID); active {
		t.Error("desk B brought commune A's zone back")
	}
}

// TestUnpushedAccountEditSurvivesAPull: an account edited at a desk while
// its sync round is between push and pull is not overwritten by the older
// copy the pull brings (another desk's earlier edit); the next round pushes
// the edit and the centre and both desks agree on it.
func TestUnpushedAccountEditSurvivesAPull(t *testing.T) {
	h := newHostileEnv(t)
	ctx := context.Background()
	admin, admin2 := deskAdmin(t, h.a, unitA), deskAdmin(t, h.a2, unitA)
	x, err := h.a.AddOfficer(ctx, admin, store.NewOfficer{Username: "canbo8", FullName: "Phan Thị Hoa", Unit: unitA,
		Roles: []store.Role{store.RoleApprover, store.RoleClerk}, Position: store.PositionHead, Password: "Hoa-tam-thoi-8"})
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, h.ca)
	mustSync(t, h.ca2)
	// The other desk's edit reaches the centre, which feeds it to desk A.
	if _, err := h.a2.UpdateOfficer(ctx, admin2, x.ID, store.OfficerChange{FullName: "Phan Thị Hoa",
		Roles: []store.Role{store.RoleClerk}, Position: store.PositionHead}); err != nil {
		t.Fatal(err)
	}
	mustSync(t, h.ca2)

	// Desk A's admin saves an edit of X while desk A's round is pulling.
	edit := store.OfficerChange{FullName: "Phan Thị Hoa Mai", Roles: []store.Role{store.RoleApprover, store.RoleClerk}, Position: store.PositionDeputy}
	var edited atomic.Bool
	c := h.client(h.a, func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.URL.Path == PathPull && edited.CompareAndSwap(false, true) {
				if _, err := h.a.UpdateOfficer(ctx, admin, x.ID, edit); err != nil {
					return nil, err
				}
			}
			return rt.RoundTrip(r)
		})
	})
	mustSync(t, c)
	want := fmt.Sprintf("%s %v %s", edit.FullName, edit.Roles, edit.Position)
	show := func(db *store.DB) string {
		o, err := db.Officer(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%s %v %s", o.FullName, o.Roles, o.Position)
	}
	if got := show(h.a); got != want {
		t.Fatalf("desk A after the pull shows %q, want its own edit %q", got, want)
	}
	mustSync(t, c)
	mustSync(t, h.ca2)
	for _, d := range []struct {
		name string
		db   *store.DB
	}{{"desk A", h.a}, {"the centre", h.central.DB}, {"the other desk", h.a2}} {
		if got := show(d.db); got != want {
			t.Errorf("%s after the push: %q, want %q", d.name, got, want)
		}
	}
}
