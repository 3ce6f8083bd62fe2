package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"thonghanh/store"
	"thonghanh/store/batchsync"
	"thonghanh/store/seed"
)

// `server phones list` shows a checker's phone; `server phones revoke`
// cuts it off, the list says so, the phone's token is refused, and a
// second revoke is a clear error.
func TestServerPhonesListRevoke(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "server")
	if _, err := batchsync.InitServerDir(ctx, batchsync.InitOptions{Dir: dir, Insecure: true, RootKey: seed.DemoRootKey()}); err != nil {
		t.Fatal(err)
	}
	central, err := batchsync.OpenCentral(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer central.Close()
	if _, err := central.CreateOfficer(ctx, "", store.NewOfficer{Username: "kiemtra.chot", FullName: "Lê Văn Kiểm", Unit: seed.DefaultUnit,
		Roles: []store.Role{store.RoleChecker}, Password: "kiem-tra-chot-1"}); err != nil {
		t.Fatal(err)
	}
	phone, token, err := central.PhoneLogin(ctx, "kiemtra.chot", "kiem-tra-chot-1", "Chốt cầu Rạch Miễu")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := runCmd(t, ctx, "server", "phones", "list", "--dir", dir)
	if !strings.Contains(out, phone.ID) || !strings.Contains(out, "Chốt cầu Rạch Miễu") || strings.Contains(out, "THU HỒI") {
		t.Fatalf("phones list:\n%s", out)
	}
	runCmd(t, ctx, "server", "phones", "revoke", "--dir", dir, phone.ID)
	if out, _ := runCmd(t, ctx, "server", "phones", "list", "--dir", dir); !strings.Contains(out, "THU HỒI") {
		t.Errorf("revoked phone listed as:\n%s", out)
	}
	if _, err := central.AuthenticatePhone(ctx, token); store.ErrorCode(err) != store.EAuth {
		t.Errorf("revoked token: %v", err)
	}
	if code, out := runExit(ctx, "server", "phones", "revoke", "--dir", dir, phone.ID); code == exitOK || !strings.Contains(out, "đã bị thu hồi") {
		t.Errorf("second revoke: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{{"server", "phones", "--help"}, {"server", "phones", "list", "--help"}, {"server", "phones", "revoke", "--help"}} {
		if out, _ := runCmd(t, ctx, args...); !strings.Contains(out, "Cách dùng") || !strings.Contains(out, "Ví dụ") {
			t.Errorf("%v has no Vietnamese help with an example:\n%s", args, out)
		}
	}
}
