package batchsync

import (
	"context"
	"testing"

	"thonghanh/store"
)

// An approver's position (a deputy signs KT. CHỦ TỊCH) reaches the desks of
// its unit with the account: in the enrollment's accounts and in the feed,
// so that a desk prints the signer block the centre was told.
func TestOfficerPositionReachesTheDesks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	create := func(username string) {
		t.Helper()
		if _, err := e.central.CreateOfficer(ctx, "", store.NewOfficer{Username: username, FullName: "Phạm Văn Phó",
			Unit: unitA, Roles: []store.Role{store.RoleApprover}, Position: store.PositionDeputy, Password: password}); err != nil {
			t.Fatal(err)
		}
	}
	position := func(desk *store.DB, username string) string {
		t.Helper()
		var p string
		if err := desk.SQL().QueryRowContext(ctx, `SELECT position FROM officers WHERE username = ?`, username).Scan(&p); err != nil {
			t.Fatalf("%s on the desk: %v", username, err)
		}
		return p
	}
	create("pho.truoc")
	desk := e.enroll(unitA)
	if got := position(desk, "pho.truoc"); got != string(store.PositionDeputy) {
		t.Errorf("an enrolled desk holds the deputy as %q, want %q", got, store.PositionDeputy)
	}
	create("pho.sau")
	mustSync(t, e.client(desk, nil))
	if got := position(desk, "pho.sau"); got != string(store.PositionDeputy) {
		t.Errorf("a deputy pulled from the feed is %q, want %q", got, store.PositionDeputy)
	}
	if got := position(desk, "duyet.28291"); got != "" {
		t.Errorf("the head is %q on the desk, want none", got)
	}
}
