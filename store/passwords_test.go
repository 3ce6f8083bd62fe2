package store_test

import (
	"context"
	"strings"
	"testing"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
)

// cheapDefaults lowers the production argon2id costs for one test: a login
// of an unknown username, a changed password and a re-wrapped desk key use
// them.
func cheapDefaults(t *testing.T) {
	pp, kp := store.DefaultPasswordParams, seal.DefaultKeyParams
	store.DefaultPasswordParams, seal.DefaultKeyParams = cheapPasswords, seal.CheapKeyParams
	t.Cleanup(func() { store.DefaultPasswordParams, seal.DefaultKeyParams = pp, kp })
}

func TestPasswordPolicy(t *testing.T) {
	clerk := []store.Role{store.RoleClerk}
	approver := []store.Role{store.RoleApprover, store.RoleClerk}
	admin := []store.Role{store.RoleAdmin}
	for _, c := range []struct {
		password string
		roles    []store.Role
		refused  string // part of the message; "" = accepted
	}{
		{"1111", clerk, "ít nhất 8 ký tự"},
		{"muoi-ky-t", approver, "ít nhất 10 ký tự"},
		{"chin-ky-t", admin, "ít nhất 10 ký tự"},
		{"ca-phe-sua", clerk, ""},
		{"ca-phe-sua-da", approver, ""},
		{"123456a@", clerk, "phổ biến"},
		{"Matkhau123", clerk, "phổ biến"},
		{"anhyeuem123", approver, "phổ biến"},
		{"qwertyuiop", approver, "phổ biến"},
		{"1q2w3e4r5t", approver, "phổ biến"},
		{"nguyen123456", approver, "phổ biến"},
		{"1234567890", approver, "phổ biến"},
		{"Password1!", approver, "phổ biến"},
		{"01011990", clerk, "ngày tháng"},
		{"1/1/1990", clerk, "ngày tháng"},
		{"01/01/1990", approver, "ngày tháng"},
		{"31-12-1985", approver, "ngày tháng"},
		{"1990-01-31", approver, "ngày tháng"},
		{"25.12.2000", approver, "ngày tháng"},
		{"19900101", clerk, "ngày tháng"},
		{"15081975@", clerk, "ngày tháng"},
		{"xxxxxxxxxx", approver, "một ký tự"},
		{"duyet.tmc1", approver, "tên đăng nhập"},
		{seed.DemoPassword, approver, ""},
		{"Tân Mỹ Chánh", approver, ""},
	} {
		err := store.CheckPasswordPolicy("duyet.tmc", c.password, c.roles)
		switch {
		case c.refused == "" && err != nil:
			t.Errorf("%q refused: %v", c.password, err)
		case c.refused != "" && (store.ErrorCode(err) != store.EInvalid || !strings.Contains(err.Error(), c.refused)):
			t.Errorf("%q: %v, want refused with %q", c.password, err, c.refused)
		}
	}
	err := store.CheckPasswordPolicy("", "123456a@", []store.Role{store.RoleClerk})
	if e := err.(*store.Error); !strings.Contains(e.Text(true), "too common") {
		t.Errorf("English text: %q", e.Text(true))
	}
}

// TestPasswordsAreCheckedWhereverSet: creating accounts one by one or in a
// batch, and wrapping the desk key, refuse a password the rules refuse.
func TestPasswordsAreCheckedWhereverSet(t *testing.T) {
	ctx := context.Background()
	db, res := demoDB(t, 10, 1)
	n := store.NewOfficer{Username: "moi", FullName: "Nguyễn Văn Mới", Unit: res.Desk.Unit, Roles: []store.Role{store.RoleApprover}, Password: "1111"}
	if _, err := db.CreateOfficer(ctx, "", n); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("CreateOfficer with 1111: %v", err)
	}
	if err := db.CreateOfficers(ctx, []store.NewOfficer{n}); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("CreateOfficers with 1111: %v", err)
	}
	approver := login(t, db, "duyet")
	err := db.Write(ctx, func(tx *store.Tx) error {
		return tx.WrapDeskKey(res.Desk.ID, approver, "matkhau123", res.DeskKey, nil)
	})
	if store.ErrorCode(err) != store.EInvalid {
		t.Errorf("desk key wrapped under matkhau123: %v", err)
	}
	if err := db.ChangePassword(ctx, approver, seed.DemoPassword, "anhyeuem123"); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("changed to anhyeuem123: %v", err)
	}
}

// lastAudit is the newest audit entry.
func lastAudit(t *testing.T, db *store.DB) (seq int64, officer, action, detail string) {
	t.Helper()
	if err := db.SQL().QueryRow(`SELECT seq, officer_id, action, detail FROM audit ORDER BY seq DESC LIMIT 1`).
		Scan(&seq, &officer, &action, &detail); err != nil {
		t.Fatal(err)
	}
	return
}

// TestLoginsAreAudited: a login, a wrong password, a locked account and an
// unknown username each add one entry, the last without the name typed,
// and the chain still verifies.
func TestLoginsAreAudited(t *testing.T) {
	cheapDefaults(t)
	ctx := context.Background()
	db, _ := demoDB(t, 10, 1)
	clerk := login(t, db, "canbo")
	seq0, officer, action, _ := lastAudit(t, db)
	if officer != clerk.ID || action != store.ActionLogin {
		t.Fatalf("after a login: %s %s, want canbo's login", officer, action)
	}
	step := func(what, user, password, wantOfficer, wantAction string) string {
		t.Helper()
		db.Login(ctx, user, password)
		seq, officer, action, detail := lastAudit(t, db)
		if seq != seq0+1 || officer != wantOfficer || action != wantAction {
			t.Fatalf("%s: entry %d %q %q, want %d %q %q", what, seq, officer, action, seq0+1, wantOfficer, wantAction)
		}
		seq0 = seq
		return detail
	}
	step("wrong password", "canbo", "sai-mat-khau", clerk.ID, store.ActionLoginFailed)
	if d := step("unknown user", "ai-do-mat-khau-go-nham", "x", "", store.ActionLoginFailed); strings.Contains(d, "ai-do") {
		t.Errorf("the typed username is kept in the log: %q", d)
	}
	for range store.MaxFailedLogins - 1 {
		step("wrong again", "canbo", "sai-mat-khau", clerk.ID, store.ActionLoginFailed)
	}
	step("locked", "canbo", seed.DemoPassword, clerk.ID, store.ActionLoginFailed)
	if _, problem, err := db.VerifyAudit(ctx); err != nil || problem != nil {
		t.Fatalf("audit chain: %v %v", problem, err)
	}
}

// TestWeakPasswordMarkedAndChanged: an account from before the rules logs
// in marked, stays marked, and changing the password clears the mark and
// re-wraps the approver's desk key.
func TestWeakPasswordMarkedAndChanged(t *testing.T) {
	cheapDefaults(t)
	ctx := context.Background()
	db, _ := demoDB(t, 10, 1)
	approver := login(t, db, "duyet")
	if approver.MustChangePassword {
		t.Fatal("the demo password is marked weak")
	}
	weak, _ := store.HashPassword("1111", cheapPasswords)
	if _, err := db.SQL().Exec(`UPDATE officers SET password_hash = ? WHERE id = ?`, weak, approver.ID); err != nil {
		t.Fatal(err)
	}
	o, err := db.Login(ctx, "duyet", "1111")
	if err != nil || !o.MustChangePassword {
		t.Fatalf("weak password: %+v %v, want a login marked for change", o, err)
	}
	// The demo password still opens the wrap, but a marked account may not
	// sign until it has changed its password, whatever Officer value asks.
	o.MustChangePassword = false
	if _, err := db.UnlockSigner(ctx, o, seed.DemoPassword); store.ErrorCode(err) != store.EForbidden {
		t.Fatalf("signing while the password must change: %v, want EForbidden", err)
	}
	if err := db.ChangePassword(ctx, o, "sai-mat-khau", "lua-chin-ruong-tren"); store.ErrorCode(err) != store.EAuth {
		t.Fatalf("change with a wrong old password: %v", err)
	}
	// The key is still wrapped under the demo password: the change must
	// open it with the old password it is given, so give the real one.
	if _, err := db.SQL().Exec(`UPDATE officers SET password_hash = (SELECT password_hash FROM officers WHERE username = 'canbo') WHERE id = ?`, approver.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.ChangePassword(ctx, o, seed.DemoPassword, "lua-chin-ruong-tren"); err != nil {
		t.Fatal(err)
	}
	o, err = db.Login(ctx, "duyet", "lua-chin-ruong-tren")
	if err != nil || o.MustChangePassword {
		t.Fatalf("after the change: %+v %v", o, err)
	}
	if _, err := db.UnlockSigner(ctx, o, "lua-chin-ruong-tren"); err != nil {
		t.Fatalf("desk key after the change: %v", err)
	}
}

// TestNobodyIsNotTheSystem: a zero Officer (what a blank --officer gave)
// may not import, zone or add markets; System() may.
func TestNobodyIsNotTheSystem(t *testing.T) {
	ctx := context.Background()
	db, res := demoDB(t, 10, 1)
	rows := []store.HouseholdRow{{Code: "H-01", Representative: "Nguyễn Văn An", IDNumber: "082190001234", Hamlet: "Ấp 1"}}
	if _, err := db.ImportHouseholds(ctx, store.Officer{}, res.Desk.Unit, rows); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("import as nobody: %v", err)
	}
	if _, err := db.CreateZone(ctx, store.Officer{}, store.Zone{Commune: res.Desk.Unit, Name: "Vùng", Risk: store.RiskHigh}); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("zone as nobody: %v", err)
	}
	z, err := db.CreateZone(ctx, store.System(), store.Zone{Commune: res.Desk.Unit, Name: "Vùng", Risk: store.RiskHigh})
	if err != nil {
		t.Fatalf("zone as the system: %v", err)
	}
	if _, err := db.CreateMarket(ctx, store.Officer{}, store.Market{ZoneID: z.ID, Name: "Chợ", OpenMinute: 360, CloseMinute: 600, Capacity: 5}); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("market as nobody: %v", err)
	}
	if _, err := db.ImportHouseholds(ctx, store.System(), res.Desk.Unit, rows); err != nil {
		t.Errorf("import as the system: %v", err)
	}
}
