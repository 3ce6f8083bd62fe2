package batchsync

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"thonghanh/store"
	"thonghanh/store/seal"
)

// TestVoucherScanReachesOtherEntrances: a voucher let in at one market
// entrance is kept centrally for the abuse report and, after a pull, marks
// the voucher used at the other entrances of the commune that issued it,
// but not at another commune's desks.
func TestVoucherScanReachesOtherEntrances(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	entrance1, entrance2, elsewhere := e.enroll(unitA), e.enroll(unitA), e.enroll(unitB)
	scan := store.ScanEvent{ID: store.NewID(sept21), At: sept21.Unix(), Serial: "28291-1-2021-V000007", Kind: seal.KindVoucher,
		Verdict: seal.Valid, Checkpoint: unitA, Officer: "kiemtra", Desk: "forged-desk"}
	body, _ := json.Marshal(scan)
	sum := sha256.Sum256(body)
	res := rawPush(t, e, entrance1, []store.PushOp{{OpID: store.NewID(sept21), Entity: "scan", EntityID: scan.ID, Op: "create",
		Payload: body, Hash: hex.EncodeToString(sum[:])}})
	if len(res) != 1 || res[0].Status != store.PushAccepted {
		t.Fatalf("scan push: %+v", res)
	}
	d1, _ := entrance1.Desk(ctx)
	var desk string
	if err := e.central.SQL().QueryRow(`SELECT desk_id FROM scan_events WHERE id = ?`, scan.ID).Scan(&desk); err != nil || desk != d1.ID {
		t.Fatalf("central scan desk = %q, %v; want the token's desk %s", desk, err, d1.ID)
	}
	mustSync(t, e.client(entrance2, nil))
	mustSync(t, e.client(elsewhere, nil))
	if n := count(t, entrance2, `SELECT COUNT(*) FROM scan_events WHERE serial = ?`, scan.Serial); n != 1 {
		t.Errorf("second entrance holds %d scans of the voucher, want 1", n)
	}
	if n := count(t, elsewhere, `SELECT COUNT(*) FROM scan_events WHERE serial = ?`, scan.Serial); n != 0 {
		t.Errorf("another commune's desk received %d scans", n)
	}
}

// TestPullRecordsWhenListsWereRead: a round that reads the feed to its end
// records when (the age a checkpoint's header shows, and its "chưa đồng bộ
// từ" warning), and a client opened later on the same desk starts from it.
func TestPullRecordsWhenListsWereRead(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	desk := e.enroll(unitA)
	if !desk.LastPulled(ctx).IsZero() {
		t.Fatalf("a desk that never pulled has lists from %s", desk.LastPulled(ctx))
	}
	c := e.client(desk, nil)
	if !c.State().ListsAt.IsZero() {
		t.Fatal("lists age before any pull")
	}
	mustSync(t, c)
	at := desk.LastPulled(ctx)
	if !at.Equal(sept21) || !c.State().ListsAt.Equal(at) {
		t.Fatalf("after a pull: stored %s, state %s; want the desk's clock %s", at, c.State().ListsAt, sept21)
	}
	if again := e.client(desk, nil); !again.State().ListsAt.Equal(at) {
		t.Errorf("a new client starts with lists from %s, want %s", again.State().ListsAt, at)
	}
}
