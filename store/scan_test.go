package store_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
)

// scanFixture is a demo desk at Xã Tân Mỹ Chánh (28291, in Thành phố Mỹ Tho
// 815) with its checkpoint set there, a scanner, and the desk's key to seal
// codes with.
type scanFixture struct {
	t       testing.TB
	db      *store.DB
	res     seed.Result
	signer  *seal.Signer
	checker store.Officer
	scanner *store.Scanner
}

func newScanFixture(t testing.TB) *scanFixture {
	t.Helper()
	db, res := demoDB(t, 20, 1)
	f := &scanFixture{t: t, db: db, res: res, signer: seal.NewSigner(res.DeskKey), checker: login(t, db, "kiemtra")}
	var err error
	if f.scanner, err = db.NewScanner(context.Background()); err != nil {
		t.Fatal(err)
	}
	return f
}

// permit is a category-4 permit of the desk's commune, valid around sept21
// 06:00–18:00 in the commune; edit changes it before sealing.
func (f *scanFixture) permit(serial string, edit func(*seal.Payload)) string {
	f.t.Helper()
	p := seal.Payload{Kind: seal.KindPermit, Serial: serial, Unit: seed.DefaultUnit, Category: 4,
		Name: "Lê Nguyễn Hoàng Phương Vy", IDNumber: "082190001234",
		ValidFrom: sept21.Add(-2 * time.Hour), ValidUntil: sept21.AddDate(0, 0, 5),
		HasHours: true, HoursFrom: 6 * 60, HoursTo: 18 * 60,
		Area: []uint32{seed.DefaultUnit}, Route: "Tân Mỹ Chánh → chợ Mỹ Tho", Purpose: seal.PurposeEssentials, IssuedAt: sept21.Add(-time.Hour)}
	if edit != nil {
		edit(&p)
	}
	text, err := f.signer.Seal(p)
	if err != nil {
		f.t.Fatal(err)
	}
	return text
}

// voucher is a market-trip voucher for the 07:00–09:00 slot of sept21.
func (f *scanFixture) voucher(serial string) string {
	f.t.Helper()
	text, err := f.signer.Seal(seal.Payload{Kind: seal.KindVoucher, Serial: serial, Unit: seed.DefaultUnit, Category: 5,
		Name: "Trần Thị Ngọc Bích", IDNumber: "082185004321", ValidFrom: sept21.Add(-time.Hour), ValidUntil: sept21.Add(time.Hour),
		Area: []uint32{seed.DefaultUnit}, Route: "Chợ Tân Mỹ Chánh", Household: "28291-AP1-0001", IssuedAt: sept21.Add(-24 * time.Hour)})
	if err != nil {
		f.t.Fatal(err)
	}
	return text
}

func (f *scanFixture) scan(s *store.Scanner, text string) store.ScanResult {
	f.t.Helper()
	r, err := s.Scan(context.Background(), f.checker, text)
	if err != nil {
		f.t.Fatalf("scan: %v", err)
	}
	return r
}

func TestScanValidPermitLogsOnlyTheSerial(t *testing.T) {
	f := newScanFixture(t)
	ctx := context.Background()
	outboxBefore, auditBefore := count(t, f.db, "outbox"), count(t, f.db, "audit")

	r := f.scan(f.scanner, f.permit("28291-1-2021-000001", nil)+"\r\n")
	if r.Verdict != seal.Valid {
		t.Fatalf("verdict %s (%s), want VALID", r.Verdict, r.Detail)
	}
	if r.Checkpoint != seed.DefaultUnit || r.Payload.Name != "Lê Nguyễn Hoàng Phương Vy" {
		t.Errorf("checkpoint %d, name %q", r.Checkpoint, r.Payload.Name)
	}
	desk, _ := f.db.Desk(ctx)
	want := store.ScanEvent{ID: r.Event.ID, At: sept21.Unix(), Serial: "28291-1-2021-000001", Kind: seal.KindPermit,
		Verdict: seal.Valid, Checkpoint: seed.DefaultUnit, Officer: f.checker.ID, Desk: desk.ID}
	got, err := f.db.RecentScans(ctx, desk.ID, 5)
	if err != nil || len(got) != 1 || got[0] != want {
		t.Fatalf("scan log %+v (%v), want %+v", got, err, want)
	}
	// One scan: its row, its audit entry, and an outbox op for each.
	if n := count(t, f.db, "outbox") - outboxBefore; n != 2 {
		t.Errorf("%d outbox ops, want 2 (scan + audit)", n)
	}
	if n := count(t, f.db, "audit") - auditBefore; n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}
	var payload []byte
	if err := f.db.SQL().QueryRow(`SELECT payload FROM outbox WHERE entity = 'scan' AND entity_id = ?`, r.Event.ID).Scan(&payload); err != nil {
		t.Fatal(err)
	}
	var sent store.ScanEvent
	if err := json.Unmarshal(payload, &sent); err != nil || sent != want {
		t.Errorf("outbox payload %s, want %+v", payload, want)
	}
	// Nothing of the holder but the serial leaves the checkpoint.
	var all strings.Builder
	rows, _ := f.db.SQL().Query(`SELECT payload FROM outbox WHERE created_at >= ?`, sept21.Unix())
	for rows.Next() {
		var p []byte
		rows.Scan(&p)
		all.Write(p)
	}
	rows.Close()
	for _, secret := range []string{"Phương Vy", "Ph\\u01b0\\u01a1ng", "082190001234", "chợ Mỹ Tho"} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("outbox holds %q", secret)
		}
	}
	if _, problem, err := f.db.VerifyAudit(ctx); problem != nil || err != nil {
		t.Errorf("audit chain: %v %v", problem, err)
	}
}

func TestScanRoles(t *testing.T) {
	f := newScanFixture(t)
	before := count(t, f.db, "scan_events")
	for _, user := range []string{"canbo"} {
		_, err := f.scanner.Scan(context.Background(), login(t, f.db, user), f.permit("28291-1-2021-000001", nil))
		if store.ErrorCode(err) != store.EForbidden {
			t.Errorf("%s: error %v, want forbidden", user, err)
		}
	}
	if _, err := f.scanner.Scan(context.Background(), store.Officer{}, "TH1:X"); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("no officer: %v", err)
	}
	if n := count(t, f.db, "scan_events"); n != before {
		t.Errorf("a refused scan was logged")
	}
	for _, user := range []string{"kiemtra", "duyet", "quantri"} {
		if _, err := f.scanner.Scan(context.Background(), login(t, f.db, user), "garbage"); err != nil {
			t.Errorf("%s may scan: %v", user, err)
		}
	}
}

func TestScanVoucherSingleUse(t *testing.T) {
	f := newScanFixture(t)
	ctx := context.Background()
	other, err := f.db.NewScanner(ctx) // a second entrance on the same database, built before the first scan
	if err != nil {
		t.Fatal(err)
	}
	v := f.voucher("28291-1-2021-004567")
	if r := f.scan(f.scanner, v); r.Verdict != seal.Valid {
		t.Fatalf("first scan %s (%s)", r.Verdict, r.Detail)
	}
	if r := f.scan(f.scanner, v); r.Verdict != seal.AlreadyUsed {
		t.Errorf("second scan on the same desk: %s, want ALREADY_USED", r.Verdict)
	}
	// The other scanner's memory does not know, but the transaction does.
	if r := f.scan(other, v); r.Verdict != seal.AlreadyUsed {
		t.Errorf("scan on a scanner built before the first: %s, want ALREADY_USED", r.Verdict)
	}
	// After a restart the log still says so.
	fresh, err := f.db.NewScanner(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r := f.scan(fresh, v); r.Verdict != seal.AlreadyUsed {
		t.Errorf("after reload: %s", r.Verdict)
	}
	// A refused scan (a clerk) spends nothing.
	v2 := f.voucher("28291-1-2021-004568")
	f.scanner.Scan(ctx, login(t, f.db, "canbo"), v2)
	if r := f.scan(f.scanner, v2); r.Verdict != seal.Valid {
		t.Errorf("voucher after a refused scan: %s", r.Verdict)
	}
	var valid int
	f.db.SQL().QueryRow(`SELECT COUNT(*) FROM scan_events WHERE serial = ? AND verdict = 'VALID'`, "28291-1-2021-004567").Scan(&valid)
	if valid != 1 {
		t.Errorf("%d VALID scans of one voucher", valid)
	}
}

func TestApplyRemoteScansSpendsVouchers(t *testing.T) {
	f := newScanFixture(t)
	ctx := context.Background()
	v := f.voucher("28291-1-2021-000777")
	remote := []store.ScanEvent{{ID: store.NewID(sept21), At: sept21.Add(-10 * time.Minute).Unix(), Serial: "28291-1-2021-000777",
		Kind: seal.KindVoucher, Verdict: seal.Valid, Checkpoint: seed.DefaultUnit, Officer: "remote-officer", Desk: "remote-desk"}}
	outbox := count(t, f.db, "outbox")
	for i, want := range []int{1, 0} { // the same page pulled twice
		var n int
		err := f.db.Write(ctx, func(tx *store.Tx) (err error) { n, err = tx.ApplyRemoteScans(remote); return err })
		if err != nil || n != want {
			t.Fatalf("apply #%d: %d new, %v; want %d", i+1, n, err, want)
		}
	}
	if count(t, f.db, "outbox") != outbox {
		t.Errorf("remote scans were enqueued back to the centre")
	}
	if r := f.scan(f.scanner, v); r.Verdict != seal.AlreadyUsed {
		t.Errorf("voucher spent at another entrance: %s, want ALREADY_USED", r.Verdict)
	}
	bad := []store.ScanEvent{{Serial: "x"}}
	if err := f.db.Write(ctx, func(tx *store.Tx) error { _, err := tx.ApplyRemoteScans(bad); return err }); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("event without id: %v", err)
	}
}

func TestScanRevocationsAndRefresh(t *testing.T) {
	f := newScanFixture(t)
	ctx := context.Background()
	byTable, byList := f.permit("28291-1-2021-000010", nil), f.permit("28291-1-2021-000011", nil)
	if r := f.scan(f.scanner, byTable); r.Verdict != seal.Valid {
		t.Fatalf("before revocation: %s", r.Verdict)
	}
	if err := f.db.Write(ctx, func(tx *store.Tx) error { return tx.AddRevocation("28291-1-2021-000010", "test") }); err != nil {
		t.Fatal(err)
	}
	list, err := seal.SignRevocationList(f.res.RootKey, seal.RevocationList{Sequence: 2, IssuedAt: sept21, Serials: []string{"28291-1-2021-000011"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetSetting(ctx, store.SettingRevocation, list); err != nil {
		t.Fatal(err)
	}
	if err := f.scanner.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{byTable, byList} {
		if r := f.scan(f.scanner, text); r.Verdict != seal.Revoked {
			t.Errorf("%s: %s, want REVOKED", r.Payload.Serial, r.Verdict)
		}
	}
	if _, seq, _, n := f.scanner.Lists(); seq != 2 || n != 2 {
		t.Errorf("held revocation list %d with %d serials", seq, n)
	}
	// An older list (a replay) is refused and the held one kept.
	old, _ := seal.SignRevocationList(f.res.RootKey, seal.RevocationList{Sequence: 1, IssuedAt: sept21, Serials: []string{}})
	f.db.SetSetting(ctx, store.SettingRevocation, old)
	if err := f.scanner.Refresh(ctx); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("stale list: %v", err)
	}
	if r := f.scan(f.scanner, byList); r.Verdict != seal.Revoked {
		t.Errorf("after a refused replay: %s", r.Verdict)
	}
	// A list signed by another key is refused too.
	_, rogue, _ := ed25519.GenerateKey(nil)
	forged, _ := seal.SignRevocationList(rogue, seal.RevocationList{Sequence: 9, IssuedAt: sept21, Serials: []string{}})
	f.db.SetSetting(ctx, store.SettingRevocation, forged)
	if err := f.scanner.Reload(ctx); err == nil {
		t.Error("a revocation list not signed by the root was accepted")
	}
}

func TestScanCheckpoint(t *testing.T) {
	f := newScanFixture(t)
	ctx := context.Background()
	text := f.permit("28291-1-2021-000020", nil)
	district := f.permit("28291-1-2021-000021", func(p *seal.Payload) { p.Area = []uint32{815} })
	if err := f.scanner.SetCheckpoint(ctx, f.checker, 28300); err != nil { // Phường 4, Thị xã Gò Công
		t.Fatal(err)
	}
	if f.db.Checkpoint(ctx) != 28300 || f.scanner.Checkpoint() != 28300 {
		t.Errorf("checkpoint setting %d", f.db.Checkpoint(ctx))
	}
	if r := f.scan(f.scanner, text); r.Verdict != seal.OutsideArea || r.Event.Checkpoint != 28300 {
		t.Errorf("far checkpoint: %s at %d", r.Verdict, r.Event.Checkpoint)
	}
	if err := f.scanner.SetCheckpoint(ctx, f.checker, 28249); err != nil { // Phường 5, Mỹ Tho
		t.Fatal(err)
	}
	if r := f.scan(f.scanner, district); r.Verdict != seal.Valid {
		t.Errorf("commune of the district in the area: %s (%s)", r.Verdict, r.Detail)
	}
	for _, code := range []uint32{0, 99999, store.CommandCentreFor(28291)} {
		if err := f.scanner.SetCheckpoint(ctx, f.checker, code); store.ErrorCode(err) != store.EInvalid {
			t.Errorf("checkpoint %d: %v", code, err)
		}
	}
	if err := f.scanner.SetCheckpoint(ctx, login(t, f.db, "canbo"), 28291); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("a clerk set the checkpoint: %v", err)
	}
}

func TestScanOutsideHoursAndRepairs(t *testing.T) {
	f := newScanFixture(t)
	text := f.permit("28291-1-2021-000030", nil)
	f.db.SetClock(func() time.Time { return sept21.Add(14 * time.Hour) }) // 22:00
	if r := f.scan(f.scanner, text); r.Verdict != seal.OutsideHours {
		t.Errorf("22:00: %s", r.Verdict)
	}
	f.db.SetClock(func() time.Time { return sept21 })
	r := f.scan(f.scanner, strings.ToLower(text)+"\n")
	if r.Verdict != seal.Valid || r.Input.Fixes != store.FixUpperCase {
		t.Errorf("Caps Lock: %s, fixes %v", r.Verdict, r.Input.Fixes)
	}
	// A phone app's form encoding reads two ways; the signature picks.
	spaced := ""
	for i := 0; spaced == ""; i++ {
		if c := f.permit(fmt.Sprintf("28291-1-2021-%06d", 40+i), nil); strings.Contains(c[4:], " ") {
			spaced = c
		}
	}
	r = f.scan(f.scanner, url.QueryEscape(spaced))
	if r.Verdict != seal.Valid || r.Input.Fixes != store.FixSpaces {
		t.Errorf("form-encoded: %s (%s), fixes %v, problem %v", r.Verdict, r.Detail, r.Input.Fixes, r.Input.Problem)
	}
	r = f.scan(f.scanner, "TH1:ĐÂY LÀ GÌ")
	if r.Verdict != seal.Malformed || r.Input.Problem != store.ProblemCharacter || r.Event.Serial != "" {
		t.Errorf("garbage: %s, problem %v, serial %q", r.Verdict, r.Input.Problem, r.Event.Serial)
	}
}

func TestNoTrustList(t *testing.T) {
	db := openDB(t)
	if _, err := db.NewScanner(context.Background()); store.ErrorCode(err) != store.ENotFound {
		t.Errorf("no trust material: %v", err)
	}
}

// BenchmarkScanStore is the store's part of a checkpoint scan (normalise,
// decode, verify, revocation lookup among 100,000, the log row, its audit
// entry and outbox ops in one transaction). tui/check's BenchmarkScan adds
// the screen.
func BenchmarkScanStore(b *testing.B) {
	f := newScanFixture(b)
	ctx := context.Background()
	serials := make([]string, 100_000)
	for i := range serials {
		serials[i] = fmt.Sprintf("28291-1-2021-%06d", 200_000+i)
	}
	list, err := seal.SignRevocationList(f.res.RootKey, seal.RevocationList{Sequence: 2, IssuedAt: sept21, Serials: serials})
	if err != nil {
		b.Fatal(err)
	}
	f.db.SetSetting(ctx, store.SettingRevocation, list)
	if err := f.scanner.Reload(ctx); err != nil {
		b.Fatal(err)
	}
	text := f.permit("28291-1-2021-000001", nil) + "\r\n"
	b.ReportAllocs()
	for b.Loop() {
		if r := f.scan(f.scanner, text); r.Verdict != seal.Valid {
			b.Fatal(r.Verdict)
		}
	}
}
