package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/batchsync"
	"thonghanh/store/central"
	"thonghanh/store/wire"
)

// server conflicts lists the person conflict two desks' pushes made, as CSV
// for Excel and as JSON, with Vietnamese help and an example.
func TestServerConflictsListsTwoDesksVersions(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "server")
	runCmd(t, ctx, "server", "init", "--dir", dir, "--insecure-root-key")
	db, err := batchsync.OpenCentral(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, push := range []struct {
		desk central.DeskAuth
		name string
	}{{central.DeskAuth{DeskID: "DESK-XA", Unit: 28291, Number: 1}, "Trần Thị Mai"},
		{central.DeskAuth{DeskID: "DESK-HUYEN", Unit: 815, Number: 1}, "Trần Thị Mai Anh"}} {
		p := wire.Person{ID: push.desk.DeskID + "-P", IDNumber: "082190012345", FullName: push.name,
			BirthDate: time.Date(1990, 3, 4, 0, 0, 0, 0, store.Vietnam), Sex: "F", Commune: 28291}
		payload, _ := json.Marshal(p)
		res, err := db.ApplyOp(ctx, nil, push.desk, store.PushOp{OpID: "op" + string(rune('1'+i)), Entity: "person", EntityID: p.ID, Op: "put", Payload: payload})
		if err != nil || res.Status != store.PushAccepted {
			t.Fatalf("push %d: %+v %v", i, res, err)
		}
	}
	db.Close()

	out, errOut := runCmd(t, ctx, "server", "conflicts", "--dir", dir)
	if !strings.HasPrefix(out, "\uFEFF") || !strings.Contains(out, "DESK-XA") || !strings.Contains(out, "DESK-HUYEN") ||
		!strings.Contains(out, "Trần Thị Mai, 04/03/1990, Nữ") || !strings.Contains(out, "Trần Thị Mai Anh, 04/03/1990, Nữ") ||
		!strings.Contains(errOut, "1 xung đột") {
		t.Fatalf("CSV:\n%s\n%s", out, errOut)
	}
	out, _ = runCmd(t, ctx, "server", "conflicts", "--dir", dir, "--json")
	var cs []wire.Conflict
	if err := json.Unmarshal([]byte(out), &cs); err != nil || len(cs) != 1 || cs[0].HeldDesk != "DESK-XA" || cs[0].PushedUnit != 815 {
		t.Fatalf("JSON %v:\n%s", err, out)
	}
	out, _ = runCmd(t, ctx, "server", "conflicts", "--help")
	if !strings.Contains(out, "Cách dùng") || !strings.Contains(out, "Ví dụ: thonghanh server conflicts") {
		t.Fatalf("help:\n%s", out)
	}
}
