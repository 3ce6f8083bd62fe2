package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestOfficerPositionIsStored: an approver's position (head or deputy)
// is kept with the account and read back by Officer and Login; an unknown
// one is refused and creates nothing.
func TestOfficerPositionIsStored(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.PutUnits(ctx, []Unit{{Code: 28291, Name: "Xã Tân Mỹ Chánh", Type: "Xã", Kind: KindCommunePC, Level: 3}}); err != nil {
		t.Fatal(err)
	}
	const pass = "Mật-khẩu-dài-đủ-2021"
	o, err := db.CreateOfficer(ctx, "", NewOfficer{Username: "pho", FullName: "Nguyễn Văn Phó", Unit: 28291,
		Roles: []Role{RoleApprover}, Position: PositionDeputy, Password: pass})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Officer(ctx, o.ID); got.Position != PositionDeputy {
		t.Errorf("Officer: position %q, want deputy", got.Position)
	}
	if got, err := db.Login(ctx, "pho", pass); err != nil || got.Position != PositionDeputy {
		t.Errorf("Login: position %q (%v), want deputy", got.Position, err)
	}
	if _, err := db.CreateOfficer(ctx, "", NewOfficer{Username: "x", FullName: "Trần Văn X", Unit: 28291,
		Roles: []Role{RoleApprover}, Position: "captain", Password: pass}); ErrorCode(err) != EInvalid {
		t.Errorf("an unknown position: %v", err)
	}
	if _, err := db.Officer(ctx, "x"); err == nil {
		t.Error("a refused account was created")
	}
	if p, err := ParsePosition("phó"); err != nil || p != PositionDeputy {
		t.Errorf("ParsePosition(phó) = %q, %v", p, err)
	}
}
