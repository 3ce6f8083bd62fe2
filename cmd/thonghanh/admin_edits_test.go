package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"thonghanh/store"
	"thonghanh/store/seed"
	"thonghanh/store/storetest"
)

// adminRecords is what the administrative edits may change, as text: the
// zones, the markets, the accounts (not their login counters, which a
// login moves), the admin audit entries and the outbox ops for them.
func adminRecords(t *testing.T, db *store.DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT id, commune, name, risk, hamlets, active FROM zones ORDER BY id`,
		`SELECT id, zone_id, name, hamlets, open_minute, close_minute, capacity, active FROM markets ORDER BY id`,
		`SELECT id, username, full_name, unit, roles, position, active, password_hash FROM officers ORDER BY id`,
		`SELECT seq, officer_id, entity, entity_id, detail FROM audit WHERE action = '` + store.ActionAdmin + `' ORDER BY seq`,
		`SELECT seq, entity, entity_id, op FROM outbox WHERE entity IN ('zone', 'market', '` + store.ChangeOfficer + `') ORDER BY seq`,
	} {
		rows, err := db.SQL().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
		b.WriteString("--\n")
	}
	return b.String()
}

// TestAdminEditsRefusedChangeNothing: every refused zone, market or
// account change from the command line (the wrong officer, a wrong
// password, a value the store refuses, an admin acting on their own
// account) says why in Vietnamese, exits 1 and leaves the zones, markets,
// accounts, admin audit entries and queued ops as they were; an accepted
// one changes them.
func TestAdminEditsRefusedChangeNothing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "desk.db")
	db := storetest.Desk(t, file, 20, 1)
	weak := filepath.Join(dir, "yeu.txt")
	if err := os.WriteFile(weak, []byte("12345678\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "tam.txt")
	if err := os.WriteFile(good, []byte("Tam-thoi-2021!\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	zones, err := db.Zones(ctx, seed.DefaultUnit)
	if err != nil || len(zones) == 0 {
		t.Fatalf("test premise: the demo commune has a zone: %v %v", zones, err)
	}
	markets, err := db.Markets(ctx, zones[0].ID)
	if err != nil || len(markets) == 0 {
		t.Fatalf("test premise: the demo zone has a market: %v %v", markets, err)
	}
	cmd := func(password string, args ...string) (int, string) {
		t.Setenv(envPassword, password)
		var out, errb bytes.Buffer
		code := run(ctx, append(args, "--db", file), stdio{in: strings.NewReader(""), out: &out, err: &errb})
		return code, errb.String()
	}
	before := adminRecords(t, db)
	for _, c := range []struct {
		password string
		args     []string
		want     string
	}{
		{seed.DemoPassword, []string{"zone", "edit", "--officer", "canbo", "--zone", "1", "--name", "Vùng khác"}, "chỉ quản trị viên hoặc người duyệt"},
		{"sai-mat-khau-roi", []string{"zone", "edit", "--officer", "quantri", "--zone", "1", "--risk", "phong-toa"}, "mật khẩu"},
		{seed.DemoPassword, []string{"zone", "lift", "--officer", "kiemtra", "--zone", zones[0].ID}, "chỉ quản trị viên hoặc người duyệt"},
		{seed.DemoPassword, []string{"zone", "edit", "--officer", "quantri", "--zone", "1", "--hamlets", "Ấp 1,Ấp 1\u202e"}, "Ấp"},
		{seed.DemoPassword, []string{"market", "edit", "--officer", "quantri", "--market", markets[0].ID, "--capacity", "0"}, "phải lớn hơn 0"},
		{seed.DemoPassword, []string{"market", "close", "--officer", "canbo", "--market", markets[0].Name}, "chỉ quản trị viên hoặc người duyệt"},
		{seed.DemoPassword, []string{"officer", "add", "--officer", "duyet", "--username", "canbo2", "--name", "Lê Thị Hoa", "--roles", "clerk",
			"--new-password-file", good}, "chỉ quản trị viên của đơn vị"},
		{seed.DemoPassword, []string{"officer", "add", "--officer", "quantri", "--username", "canbo2", "--name", "Lê Thị Hoa", "--roles", "clerk",
			"--new-password-file", weak}, "Mật khẩu"},
		{seed.DemoPassword, []string{"officer", "add", "--officer", "quantri", "--username", "canbo", "--name", "Lê Thị Hoa", "--roles", "clerk",
			"--new-password-file", good}, "đã có người dùng"},
		{seed.DemoPassword, []string{"officer", "edit", "--officer", "quantri", "--roles", "clerk", "quantri"}, "không tự bỏ vai trò quản trị"},
		{seed.DemoPassword, []string{"officer", "edit", "--officer", "canbo", "--name", "Ai Đó", "duyet"}, "chỉ quản trị viên của đơn vị"},
		{seed.DemoPassword, []string{"officer", "deactivate", "--officer", "quantri", "quantri"}, "không tự vô hiệu hóa"},
		{seed.DemoPassword, []string{"officer", "deactivate", "--officer", "duyet", "canbo"}, "chỉ quản trị viên của đơn vị"},
	} {
		code, stderr := cmd(c.password, c.args...)
		if code != exitFail || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d %q, want 1 and %q", strings.Join(c.args, " "), code, stderr, c.want)
		}
		if after := adminRecords(t, db); after != before {
			t.Fatalf("%s was refused but changed the records:\nbefore:\n%s\nafter:\n%s", strings.Join(c.args, " "), before, after)
		}
	}
	if code, stderr := cmd(seed.DemoPassword, "zone", "edit", "--officer", "quantri", "--zone", "1", "--risk", "phong-toa"); code != exitOK {
		t.Fatalf("zone edit by the admin: exit %d %q", code, stderr)
	}
	if adminRecords(t, db) == before {
		t.Fatal("an accepted zone edit left the records as they were: the comparison sees nothing")
	}
	if z, err := db.Zones(ctx, seed.DefaultUnit); err != nil || z[0].Risk != store.RiskLockdown || z[0].Name != zones[0].Name {
		t.Errorf("after the edit: %+v %v, want the same zone under lockdown", z, err)
	}
}
