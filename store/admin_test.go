package store_test

import (
	"context"
	"slices"
	"testing"

	"thonghanh/store"
)

// outboxOps counts the outbox rows of entity id with op.
func outboxOps(t *testing.T, db *store.DB, entity, id, op string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM outbox WHERE entity = ? AND entity_id = ? AND op = ?`, entity, id, op).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestZoneMarketAuthority: the commune's admins and approvers keep its
// zones and markets (add, edit, lift); a clerk or a checker may not, nor an
// admin of another unit. Each change has its outbox op; a refused one
// changes nothing.
func TestZoneMarketAuthority(t *testing.T) {
	ctx := context.Background()
	db, res := demoDB(t, 20, 5)
	admin, approver, clerk, checker := login(t, db, "quantri"), login(t, db, "duyet"), login(t, db, "canbo"), login(t, db, "kiemtra")
	unit := res.Desk.Unit
	for _, o := range []store.Officer{clerk, checker} {
		if _, err := db.CreateZone(ctx, o, store.Zone{Commune: unit, Name: "Vùng X", Risk: store.RiskHigh}); store.ErrorCode(err) != store.EForbidden {
			t.Errorf("%s adds a zone: %v, want forbidden", o.Username, err)
		}
	}
	z, err := db.CreateZone(ctx, approver, store.Zone{Commune: unit, Name: "Vùng Ấp 1", Risk: store.RiskHigh, Hamlets: []string{"Ấp 1"}})
	if err != nil {
		t.Fatalf("the approver adds a zone: %v", err)
	}
	m, err := db.CreateMarket(ctx, admin, store.Market{ZoneID: z.ID, Name: "Chợ Ấp 1", OpenMinute: 360, CloseMinute: 600, Capacity: 20})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateZone(ctx, clerk, store.Zone{ID: z.ID, Name: "Đổi", Risk: store.RiskLockdown}); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("a clerk edits a zone: %v", err)
	}
	if err := db.DeactivateMarket(ctx, clerk, m.ID); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("a clerk closes a market: %v", err)
	}
	other := admin
	other.Unit++ // an admin of another unit
	if _, err := db.UpdateMarket(ctx, other, store.Market{ID: m.ID, Name: "Chợ lạ", OpenMinute: 360, CloseMinute: 600, Capacity: 1}); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("another unit edits the market: %v", err)
	}
	if err := db.DeactivateZone(ctx, other, z.ID); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("another unit lifts the zone: %v", err)
	}
	z2, err := db.UpdateZone(ctx, admin, store.Zone{ID: z.ID, Name: "Vùng Ấp 1 và 2", Risk: store.RiskVeryHigh, Hamlets: []string{"Ấp 1", "Ấp 2"}})
	if err != nil || z2.Commune != unit || z2.Risk != store.RiskVeryHigh {
		t.Fatalf("edit zone: %+v %v", z2, err)
	}
	if _, err := db.UpdateMarket(ctx, admin, store.Market{ID: m.ID, Name: "Chợ Ấp 1", OpenMinute: 300, CloseMinute: 300, Capacity: 20}); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("closing before opening: %v", err)
	}
	m2, err := db.UpdateMarket(ctx, admin, store.Market{ID: m.ID, Name: "Chợ Ấp 1 mới", OpenMinute: 300, CloseMinute: 660, Capacity: 30})
	if err != nil || m2.ZoneID != z.ID {
		t.Fatalf("edit market: %+v %v", m2, err)
	}
	ms, _ := db.Markets(ctx, z.ID)
	if len(ms) != 1 || ms[0].Name != "Chợ Ấp 1 mới" || ms[0].Capacity != 30 {
		t.Errorf("markets after the edit: %+v", ms)
	}
	if outboxOps(t, db, "zone", z.ID, "update") != 1 || outboxOps(t, db, "market", m.ID, "update") != 1 {
		t.Error("an edit without its outbox op")
	}
	if err := db.DeactivateZone(ctx, approver, z.ID); err != nil {
		t.Fatal(err)
	}
	zs, _ := db.Zones(ctx, unit)
	for _, l := range zs {
		if l.ID == z.ID {
			t.Errorf("a lifted zone is still listed: %+v", l)
		}
	}
	if ms, _ := db.Markets(ctx, z.ID); len(ms) != 0 {
		t.Errorf("a lifted zone's market is still listed: %+v", ms)
	}
	if outboxOps(t, db, "zone", z.ID, "deactivate") != 1 {
		t.Error("lifting without its outbox op")
	}
	if _, err := db.CreateMarket(ctx, admin, store.Market{ZoneID: z.ID, Name: "Chợ mới", OpenMinute: 360, CloseMinute: 600, Capacity: 5}); store.ErrorCode(err) != store.ENotFound {
		t.Errorf("a market in a lifted zone: %v", err)
	}
}

// TestOfficerAdministration: only an admin of the unit opens, edits and
// closes its accounts, with the password rules; a temporary password is
// changed at the first login; nobody closes their own account or takes
// away their own admin role; each change has its outbox op.
func TestOfficerAdministration(t *testing.T) {
	ctx := context.Background()
	db, res := demoDB(t, 20, 5)
	admin, approver, clerk := login(t, db, "quantri"), login(t, db, "duyet"), login(t, db, "canbo")
	unit := res.Desk.Unit
	n := store.NewOfficer{Username: "canbo2", FullName: "Lê Thị Hoa", Unit: unit, Roles: []store.Role{store.RoleClerk}, Password: "Hoa-tam-thoi-9"}
	for _, o := range []store.Officer{clerk, approver} {
		if _, err := db.AddOfficer(ctx, o, n); store.ErrorCode(err) != store.EForbidden {
			t.Errorf("%s adds an account: %v, want forbidden", o.Username, err)
		}
	}
	elsewhere := n
	elsewhere.Unit = 28292
	if _, err := db.AddOfficer(ctx, admin, elsewhere); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("an account of another unit: %v", err)
	}
	weak := n
	weak.Roles, weak.Password = []store.Role{store.RoleApprover}, "Hoa-ngan1" // 9 characters: short for an approver
	if _, err := db.AddOfficer(ctx, admin, weak); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("a short approver password: %v", err)
	}
	if _, err := db.AddOfficer(ctx, admin, store.NewOfficer{Username: "x", FullName: "Lê Văn X", Unit: unit, Roles: []store.Role{store.RoleClerk}, Password: "password123"}); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("a common password: %v", err)
	}
	nfd := n
	nfd.FullName = "Le\u0302 Thi\u0323 Hoa" // decomposed, as some keyboards type it
	o, err := db.AddOfficer(ctx, admin, nfd)
	if err != nil {
		t.Fatal(err)
	}
	if o.FullName != "Lê Thị Hoa" {
		t.Errorf("full name %q is not NFC", o.FullName)
	}
	if outboxOps(t, db, "officer", o.ID, "create") != 1 {
		t.Error("a new account without its outbox op")
	}
	if got, err := db.Login(ctx, "canbo2", "Hoa-tam-thoi-9"); err != nil || !got.MustChangePassword {
		t.Errorf("a temporary password must be changed at the first login: %+v %v", got, err)
	}
	if _, err := db.UpdateOfficer(ctx, clerk, o.ID, store.OfficerChange{FullName: "Lê Thị Hoa", Roles: []store.Role{store.RoleAdmin}}); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("a clerk makes an admin: %v", err)
	}
	up, err := db.UpdateOfficer(ctx, admin, o.ID, store.OfficerChange{FullName: "Lê Thị Hoa Mai", Roles: []store.Role{store.RoleApprover, store.RoleClerk}, Position: store.PositionDeputy})
	if err != nil || up.Position != store.PositionDeputy || !up.Has(store.RoleApprover) {
		t.Fatalf("edit: %+v %v", up, err)
	}
	if got, _ := db.Officer(ctx, o.ID); got.FullName != "Lê Thị Hoa Mai" || got.Position != store.PositionDeputy {
		t.Errorf("after the edit: %+v", got)
	}
	if _, err := db.UpdateOfficer(ctx, admin, admin.ID, store.OfficerChange{FullName: admin.FullName, Roles: []store.Role{store.RoleClerk}}); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("an admin drops their own admin role: %v", err)
	}
	if err := db.DeactivateOfficer(ctx, admin, admin.ID); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("an admin closes their own account: %v", err)
	}
	if err := db.DeactivateOfficer(ctx, clerk, o.ID); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("a clerk closes an account: %v", err)
	}
	if err := db.DeactivateOfficer(ctx, admin, o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Login(ctx, "canbo2", "Hoa-tam-thoi-9"); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("a closed account logs in: %v", err)
	}
	if outboxOps(t, db, "officer", o.ID, "update") != 1 || outboxOps(t, db, "officer", o.ID, "deactivate") != 1 {
		t.Error("an edit or a closing without its outbox op")
	}
}

// auditCount counts the audit entries on entity id whose detail starts with prefix.
func auditCount(t *testing.T, db *store.DB, entity, id, prefix string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM audit WHERE entity = ? AND entity_id = ? AND detail LIKE ? || '%'`, entity, id, prefix).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReactivateZoneMarketOfficer: a lifted zone, a closed market and a
// closed account come back under the rules that closed them — the
// commune's admins and approvers for zones and markets, the unit's admins
// for accounts, never another unit's nor a clerk — each with its audit
// entry and its outbox op. A zone comes back without its markets; a market
// of a lifted zone stays closed; what is in force cannot be brought back.
func TestReactivateZoneMarketOfficer(t *testing.T) {
	ctx := context.Background()
	db, res := demoDB(t, 20, 5)
	admin, approver, clerk := login(t, db, "quantri"), login(t, db, "duyet"), login(t, db, "canbo")
	unit := res.Desk.Unit
	other := admin
	other.Unit++ // an admin of another unit
	z, err := db.CreateZone(ctx, approver, store.Zone{Commune: unit, Name: "Vùng Ấp 3", Risk: store.RiskHigh})
	if err != nil {
		t.Fatal(err)
	}
	m, err := db.CreateMarket(ctx, approver, store.Market{ZoneID: z.ID, Name: "Chợ Ấp 3", OpenMinute: 360, CloseMinute: 600, Capacity: 20})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ReactivateZone(ctx, approver, z.ID); store.ErrorCode(err) != store.EConflict {
		t.Errorf("bringing back a zone in force: %v, want a conflict", err)
	}
	if err := db.DeactivateZone(ctx, approver, z.ID); err != nil {
		t.Fatal(err)
	}
	all, err := db.AllZones(ctx, unit)
	if i := slices.IndexFunc(all, func(l store.Zone) bool { return l.ID == z.ID }); err != nil || i < 0 || all[i].Active {
		t.Fatalf("the tab's list of zones should hold the lifted zone, inactive: %+v %v", all, err)
	}
	for _, o := range []store.Officer{clerk, other} {
		if err := db.ReactivateZone(ctx, o, z.ID); store.ErrorCode(err) != store.EForbidden {
			t.Errorf("%s (unit %d) brings the zone back: %v, want forbidden", o.Username, o.Unit, err)
		}
	}
	if err := db.ReactivateMarket(ctx, approver, m.ID); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("reopening a market of a lifted zone: %v, want it refused", err)
	}
	if err := db.ReactivateZone(ctx, approver, z.ID); err != nil {
		t.Fatal(err)
	}
	if zs, _ := db.Zones(ctx, unit); !slices.ContainsFunc(zs, func(l store.Zone) bool { return l.ID == z.ID && l.Active }) {
		t.Errorf("the zone back in force: %+v", zs)
	}
	if ms, _ := db.Markets(ctx, z.ID); len(ms) != 0 {
		t.Errorf("a zone brought back reopened %d markets by itself", len(ms))
	}
	if ms, _ := db.AllMarkets(ctx, z.ID); len(ms) != 1 || ms[0].Active {
		t.Errorf("the tab's list of markets should hold the closed market: %+v", ms)
	}
	for _, o := range []store.Officer{clerk, other} {
		if err := db.ReactivateMarket(ctx, o, m.ID); store.ErrorCode(err) != store.EForbidden {
			t.Errorf("%s (unit %d) reopens the market: %v, want forbidden", o.Username, o.Unit, err)
		}
	}
	if err := db.ReactivateMarket(ctx, admin, m.ID); err != nil {
		t.Fatal(err)
	}
	if ms, _ := db.Markets(ctx, z.ID); len(ms) != 1 {
		t.Errorf("the reopened market is not planned: %+v", ms)
	}
	if outboxOps(t, db, "zone", z.ID, "reactivate") != 1 || outboxOps(t, db, "market", m.ID, "reactivate") != 1 ||
		auditCount(t, db, "zone", z.ID, "khôi phục vùng") != 1 || auditCount(t, db, "market", m.ID, "mở lại chợ") != 1 {
		t.Error("a return without its outbox op or its audit entry")
	}

	o, err := db.AddOfficer(ctx, admin, store.NewOfficer{Username: "canbo3", FullName: "Trương Văn Ba", Unit: unit,
		Roles: []store.Role{store.RoleClerk}, Password: "Ba-tam-thoi-33"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ReactivateOfficer(ctx, admin, o.ID); store.ErrorCode(err) != store.EConflict {
		t.Errorf("opening an open account: %v, want a conflict", err)
	}
	if err := db.DeactivateOfficer(ctx, admin, o.ID); err != nil {
		t.Fatal(err)
	}
	for _, actor := range []store.Officer{clerk, approver, other} {
		if err := db.ReactivateOfficer(ctx, actor, o.ID); store.ErrorCode(err) != store.EForbidden {
			t.Errorf("%s (unit %d) opens the account: %v, want forbidden", actor.Username, actor.Unit, err)
		}
	}
	if err := db.ReactivateOfficer(ctx, admin, o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Login(ctx, "canbo3", "Ba-tam-thoi-33"); err != nil {
		t.Errorf("the reopened account logs in: %v", err)
	}
	if outboxOps(t, db, "officer", o.ID, "reactivate") != 1 || auditCount(t, db, "officer", o.ID, "khôi phục tài khoản") != 1 {
		t.Error("an account's return without its outbox op or its audit entry")
	}
}
