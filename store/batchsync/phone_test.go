package batchsync

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
)

const checkerPassword = "kiem-tra-chot-1"

func (e *env) phoneCall(method, path, token string, body any, out any) (int, ErrorBody) {
	e.t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, _ := http.NewRequest(method, e.url+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.ts.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var eb ErrorBody
	if resp.StatusCode != http.StatusOK {
		json.NewDecoder(resp.Body).Decode(&eb)
		return resp.StatusCode, eb
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			e.t.Fatal(err)
		}
	}
	return resp.StatusCode, eb
}

// A checker logs in once from a phone and gets a token and lists it can
// verify under the root key; only a checker may; the phone's scans are kept
// under the token's officer and phone (not what the upload says), once;
// a voucher let in comes back to every phone as used, and one let in twice
// is in the abuse report; a revoked phone is refused with a reason.
func TestPhoneLoginListsScansRevoke(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	checker, err := e.central.CreateOfficer(ctx, "", store.NewOfficer{Username: "kiemtra.a", FullName: "Lê Văn Kiểm",
		Unit: unitA, Roles: []store.Role{store.RoleChecker}, Password: checkerPassword})
	if err != nil {
		t.Fatal(err)
	}
	if code, eb := e.phoneCall("POST", PathPhoneLogin, "", PhoneLoginRequest{Username: "kiemtra.a", Password: "sai-mat-khau-9"}, nil); code != http.StatusForbidden || eb.Error != string(store.EAuth) {
		t.Errorf("wrong password: %d %+v", code, eb)
	}
	if code, eb := e.phoneCall("POST", PathPhoneLogin, "", PhoneLoginRequest{Username: "duyet.28291", Password: password}, nil); code != http.StatusForbidden || eb.Error != string(store.EForbidden) {
		t.Errorf("an approver's login: %d %+v, want forbidden", code, eb)
	}
	var login PhoneLoginResponse
	if code, eb := e.phoneCall("POST", PathPhoneLogin, "", PhoneLoginRequest{Username: "kiemtra.a", Password: checkerPassword, Label: "Chốt cầu"}, &login); code != http.StatusOK {
		t.Fatalf("login: %d %+v", code, eb)
	}
	if login.Token == "" || login.Phone.Officer != checker.ID || login.Phone.Unit != unitA || login.Phone.Label != "Chốt cầu" {
		t.Fatalf("login answer %+v", login.Phone)
	}
	root, _ := hex.DecodeString(login.Lists.Root)
	if !bytes.Equal(root, e.root.Public().(ed25519.PublicKey)) {
		t.Fatal("the phone got another root key")
	}
	if _, err := seal.OpenTrustList(root, login.Lists.Trust, 0); err != nil {
		t.Errorf("trust list: %v", err)
	}
	if _, err := seal.OpenRevocationList(root, login.Lists.Revocations, 0); err != nil {
		t.Errorf("revocation list: %v", err)
	}
	if !slices.ContainsFunc(login.Lists.Units, func(u PhoneUnit) bool { return u.Code == unitA && u.Parent != 0 && u.Name != "" }) {
		t.Errorf("units lack %d with its district", unitA)
	}

	scan := store.ScanEvent{ID: store.NewID(sept21), At: sept21.Unix(), Serial: "28291-1-2021-V000007", Kind: seal.KindVoucher,
		Verdict: seal.Valid, Checkpoint: unitA, Officer: "someone-else", Desk: "forged-desk"}
	for i, want := range []int{1, 0} {
		var rc PhoneScansReceipt
		if code, eb := e.phoneCall("POST", PathPhoneScans, login.Token, PhoneScans{Scans: []store.ScanEvent{scan}}, &rc); code != http.StatusOK || rc.Added != want {
			t.Fatalf("upload %d: %d %+v, added %d want %d", i, code, eb, rc.Added, want)
		}
	}
	var desk, officer string
	if err := e.central.SQL().QueryRow(`SELECT desk_id, officer_id FROM scan_events WHERE id = ?`, scan.ID).Scan(&desk, &officer); err != nil {
		t.Fatal(err)
	}
	if desk != "phone:"+login.Phone.ID || officer != checker.ID {
		t.Errorf("scan kept as desk %q officer %q", desk, officer)
	}
	bad := scan
	bad.ID, bad.Verdict = store.NewID(sept21), "LOOKS_FINE"
	if code, _ := e.phoneCall("POST", PathPhoneScans, login.Token, PhoneScans{Scans: []store.ScanEvent{bad}}, nil); code != http.StatusBadRequest {
		t.Errorf("an unknown verdict: %d, want 400", code)
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM scan_events WHERE id = ?`, bad.ID); n != 0 {
		t.Errorf("refused upload stored %d scans", n)
	}

	// The same voucher let in again at another market by this phone: the
	// abuse report sees the phone's scans as it sees a desk's.
	again := scan
	again.ID, again.Checkpoint, again.At = store.NewID(sept21.Add(time.Minute)), unitB, sept21.Add(time.Hour).Unix()
	if code, eb := e.phoneCall("POST", PathPhoneScans, login.Token, PhoneScans{Scans: []store.ScanEvent{again}}, nil); code != http.StatusOK {
		t.Fatalf("second scan: %d %+v", code, eb)
	}
	rows, err := e.central.AbuseReport(ctx, store.AbuseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rows, func(r store.AbuseRow) bool { return r.Kind == store.AbuseVoucherReused && r.Serial == scan.Serial }) {
		t.Errorf("abuse report %+v lacks the voucher let in twice", rows)
	}

	var lists PhoneLists
	if code, eb := e.phoneCall("GET", PathPhoneLists, login.Token, nil, &lists); code != http.StatusOK {
		t.Fatalf("lists: %d %+v", code, eb)
	}
	if !slices.Contains(lists.UsedVouchers, scan.Serial) {
		t.Errorf("used vouchers %v lack %s", lists.UsedVouchers, scan.Serial)
	}

	if err := e.central.RevokePhone(ctx, login.Phone.ID); err != nil {
		t.Fatal(err)
	}
	if code, eb := e.phoneCall("GET", PathPhoneLists, login.Token, nil, nil); code != http.StatusUnauthorized || eb.Error != "token_revoked" || eb.Message == "" {
		t.Errorf("revoked phone: %d %+v", code, eb)
	}
	if code, _ := e.phoneCall("GET", PathPhoneLists, "", nil, nil); code != http.StatusUnauthorized {
		t.Errorf("no token: %d", code)
	}
}
