package batchsync

import (
	"context"
	"fmt"
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
