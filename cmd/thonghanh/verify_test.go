package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skip2/go-qrcode"

	"thonghanh/store/seal"
	"thonghanh/store/storetest"
)

// verifyEnv is a province in a temp dir: root key file, signed lists, and a
// desk key that seals permits and vouchers.
type verifyEnv struct {
	dir                          string
	rootFile, trustFile, revFile string
	desk                         *seal.Signer
	root                         ed25519.PrivateKey
}

func testKey(label string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte(label))
	return ed25519.NewKeyFromSeed(seed[:])
}

func vnTime(day, hour, minute int) time.Time {
	return time.Date(2021, 9, day, hour, minute, 0, 0, seal.TimeZone)
}

func newVerifyEnv(t *testing.T) *verifyEnv {
	t.Helper()
	e := &verifyEnv{dir: t.TempDir(), root: testKey("verify test root"), desk: seal.NewSigner(testKey("verify test desk"))}
	rootPub := e.root.Public().(ed25519.PublicKey)
	trust, err := seal.SignTrustList(e.root, seal.TrustList{Sequence: 1, IssuedAt: vnTime(15, 8, 0),
		Keys: []seal.TrustedKey{seal.Certify(e.desk.PublicKey(), 28249, []uint8{4, 5}, vnTime(15, 0, 0), vnTime(30, 23, 59), "UBND xã Tân Mỹ Chánh, máy 1")}})
	if err != nil {
		t.Fatal(err)
	}
	revoked, err := seal.SignRevocationList(e.root, seal.RevocationList{Sequence: 1, IssuedAt: vnTime(21, 6, 0), Serials: []string{"28249-1-2021-000099"}})
	if err != nil {
		t.Fatal(err)
	}
	e.rootFile, e.trustFile, e.revFile = e.write("root.hex", []byte(seal.RootPublicKeyHex(rootPub))), e.write("trust.cbor", trust), e.write("revoked.cbor", revoked)
	return e
}

func (e *verifyEnv) write(name string, data []byte) string {
	path := filepath.Join(e.dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		panic(err)
	}
	return path
}

func permitPayload() seal.Payload {
	return seal.Payload{
		Kind: seal.KindPermit, Serial: "28249-1-2021-000123", Unit: 28249, Category: 4,
		Name: "Lê Nguyễn Hoàng Phương Vy", IDNumber: "082190001234",
		ValidFrom: vnTime(21, 0, 0), ValidUntil: vnTime(30, 23, 59),
		HasHours: true, HoursFrom: 6 * 60, HoursTo: 18 * 60,
		Area: []uint32{28249, 815}, Route: "Tân Mỹ Chánh → KCN Mỹ Tho", Purpose: seal.PurposeEssentials,
		IssuedAt: vnTime(20, 15, 0),
	}
}

func (e *verifyEnv) seal(t *testing.T, p seal.Payload) string {
	t.Helper()
	text, err := e.desk.Seal(p)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// files are the flags pointing at the env's root and lists.
func (e *verifyEnv) files() []string {
	return []string{"--root", e.rootFile, "--trust", e.trustFile, "--revoked", e.revFile}
}

type runResult struct {
	code        int
	out, errOut string
}

func runVerifyCmd(t *testing.T, stdin string, args ...string) runResult {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"verify"}, args...), stdio{in: strings.NewReader(stdin), out: &out, err: &errOut})
	return runResult{code, out.String(), errOut.String()}
}

const morning = "2021-09-21T07:00:00+07:00"

func TestVerifyCommandValidPermitInVietnamese(t *testing.T) {
	e := newVerifyEnv(t)
	text := e.seal(t, permitPayload())
	r := runVerifyCmd(t, "", append(e.files(), "--at", morning, "--checkpoint", "28249", text)...)
	if r.code != exitOK {
		t.Fatalf("exit %d, want 0\n%s%s", r.code, r.out, r.errOut)
	}
	for _, want := range []string{"Giấy hợp lệ", "VALID", "Họ tên", "Lê Nguyễn Hoàng Phương Vy", "CCCD/CMND", "082190001234",
		"Hiệu lực", "21/09/2021 00:00 – 30/09/2021 23:59", "06:00 – 18:00", "Tân Mỹ Chánh → KCN Mỹ Tho",
		"Mua lương thực", "UBND xã Tân Mỹ Chánh, máy 1", "21/09/2021 07:00"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("output lacks %q:\n%s", want, r.out)
		}
	}
	if strings.Contains(r.out, "CHƯA XÁC THỰC") {
		t.Errorf("a valid permit's fields are marked unverified:\n%s", r.out)
	}
}

func TestVerifyCommandEnglish(t *testing.T) {
	e := newVerifyEnv(t)
	r := runVerifyCmd(t, "", append(e.files(), "--at", morning, "--lang", "en", e.seal(t, permitPayload()))...)
	if r.code != exitOK || !strings.Contains(r.out, "Valid") || !strings.Contains(r.out, "ID no.") || strings.Contains(r.out, "Họ tên") {
		t.Errorf("exit %d:\n%s", r.code, r.out)
	}
}

func TestVerifyCommandJSON(t *testing.T) {
	e := newVerifyEnv(t)
	text := e.seal(t, permitPayload())
	// Flags after the code are honoured too.
	r := runVerifyCmd(t, "", append(append(e.files(), "--at", morning, text), "--json", "--checkpoint", "28249")...)
	var got struct {
		Verdict  string `json:"verdict"`
		Valid    bool   `json:"valid"`
		Message  string `json:"message"`
		Verified bool   `json:"verified"`
		Payload  struct {
			Name      string   `json:"name"`
			ValidFrom string   `json:"valid_from"`
			Hours     []string `json:"hours"`
			Area      []uint32 `json:"area"`
		} `json:"payload"`
		Signer struct {
			Label      string `json:"label"`
			Categories []int  `json:"categories"`
		} `json:"signer"`
	}
	if err := json.Unmarshal([]byte(r.out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.out)
	}
	if r.code != exitOK || got.Verdict != "VALID" || !got.Valid || !got.Verified || got.Message != "Giấy hợp lệ" ||
		got.Payload.Name != "Lê Nguyễn Hoàng Phương Vy" || got.Payload.ValidFrom != "2021-09-21T00:00:00+07:00" ||
		len(got.Payload.Hours) != 2 || got.Payload.Hours[0] != "06:00" || len(got.Payload.Area) != 2 ||
		got.Signer.Label != "UBND xã Tân Mỹ Chánh, máy 1" || len(got.Signer.Categories) != 2 {
		t.Errorf("exit %d, %+v\n%s", r.code, got, r.out)
	}
}

func TestVerifyCommandReadsAScannerLineFromStdin(t *testing.T) {
	e := newVerifyEnv(t)
	text := e.seal(t, permitPayload())
	r := runVerifyCmd(t, "\r\n"+text+"\r\nnext scan ignored\n", append(e.files(), "--at", morning)...)
	if r.code != exitOK {
		t.Errorf("exit %d, want 0\n%s%s", r.code, r.out, r.errOut)
	}
	if r := runVerifyCmd(t, "", append(e.files(), "--at", morning, "-")...); r.code != exitUsage {
		t.Errorf("empty stdin: exit %d, want 2", r.code)
	}
}

// A photo or screenshot of the code is read back with gozxing.
func TestVerifyCommandReadsQRImages(t *testing.T) {
	e := newVerifyEnv(t)
	text := e.seal(t, permitPayload())
	q, err := qrcode.New(text, qrcode.High)
	if err != nil {
		t.Fatal(err)
	}
	pngBytes, err := q.PNG(600)
	if err != nil {
		t.Fatal(err)
	}
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, q.Image(600), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"permit.png": pngBytes, "permit.JPG": jpg.Bytes(), "scan-without-extension": pngBytes} {
		path := e.write(name, data)
		r := runVerifyCmd(t, "", append(e.files(), "--at", morning, path)...)
		if r.code != exitOK || !strings.Contains(r.out, "Lê Nguyễn Hoàng Phương Vy") {
			t.Errorf("%s: exit %d\n%s%s", name, r.code, r.out, r.errOut)
		}
	}
	blank := e.write("blank.png", func() []byte { b, _ := qrcode.New("x", qrcode.Low); p, _ := b.PNG(64); return p[:40] }())
	if r := runVerifyCmd(t, "", append(e.files(), blank)...); r.code != exitUsage {
		t.Errorf("a broken image: exit %d, want 2\n%s", r.code, r.errOut)
	}
	if r := runVerifyCmd(t, "", append(e.files(), filepath.Join(e.dir, "missing.png"))...); r.code != exitUsage || !strings.Contains(r.errOut, "không tìm thấy") {
		t.Errorf("a missing image: exit %d, want 2\n%s", r.code, r.errOut)
	}
}

func TestVerifyCommandRefusals(t *testing.T) {
	e := newVerifyEnv(t)
	permit := permitPayload()
	text := e.seal(t, permit)
	revoked := permit
	revoked.Serial = "28249-1-2021-000099"
	district := permit
	district.Serial, district.Area = "28249-1-2021-000130", []uint32{815}
	for _, c := range []struct {
		name string
		args []string
		want []string
	}{
		{"expired", []string{"--at", "2021-10-02T09:00:00+07:00", text}, []string{"Giấy đã hết hạn", "EXPIRED"}},
		{"outside hours", []string{"--at", "2021-09-21T21:00:00+07:00", text}, []string{"Ngoài khung giờ", "OUTSIDE_HOURS"}},
		{"outside area", []string{"--at", morning, "--checkpoint", "28300", text}, []string{"ngoài khu vực", "OUTSIDE_AREA"}},
		{"district area without --within", []string{"--at", morning, "--checkpoint", "28255", e.seal(t, district)}, []string{"OUTSIDE_AREA"}},
		{"revoked", []string{"--at", morning, e.seal(t, revoked)}, []string{"Giấy đã bị thu hồi", "REVOKED"}},
		{"one character changed", []string{"--at", morning, text[:len(text)-2] + swapChar(text[len(text)-2]) + text[len(text)-1:]},
			[]string{"CHƯA XÁC THỰC"}},
		{"lower case", []string{"--at", morning, strings.ToLower(text)}, []string{"Mã không đọc được", "MALFORMED", "Caps Lock"}},
		{"not a code", []string{"--at", morning, "xin chào"}, []string{"MALFORMED"}},
	} {
		r := runVerifyCmd(t, "", append(e.files(), c.args...)...)
		if r.code != exitFail {
			t.Errorf("%s: exit %d, want 1\n%s%s", c.name, r.code, r.out, r.errOut)
		}
		for _, want := range c.want {
			if !strings.Contains(r.out, want) {
				t.Errorf("%s: output lacks %q:\n%s", c.name, want, r.out)
			}
		}
	}
	r := runVerifyCmd(t, "", append(e.files(), "--at", morning, "--checkpoint", "28255", "--within", "815,82", e.seal(t, district))...)
	if r.code != exitOK {
		t.Errorf("district area with --within 815: exit %d\n%s", r.code, r.out)
	}
}

// swapChar returns another base45 character, so the text stays decodable
// and only the signature can notice.
func swapChar(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}

func TestVerifyCommandUsageErrors(t *testing.T) {
	e := newVerifyEnv(t)
	text := e.seal(t, permitPayload())
	otherRoot := e.write("other-root.hex", []byte(seal.RootPublicKeyHex(testKey("another province").Public().(ed25519.PublicKey))))
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no keys at all", []string{text}, "--root"},
		{"root without trust", []string{"--root", e.rootFile, text}, "--trust"},
		{"bad time", append(e.files(), "--at", "21/09/2021", text), "RFC 3339"},
		{"bad language", append(e.files(), "--lang", "fr", text), "--lang"},
		{"bad checkpoint", append(e.files(), "--checkpoint", "Mỹ Tho", text), "--checkpoint"},
		{"two codes", append(e.files(), text, text), "một mã"},
		{"lists from another province", []string{"--root", otherRoot, "--trust", e.trustFile, text}, "không do khóa gốc của tỉnh ký"},
		{"revocations given as trust", []string{"--root", e.rootFile, "--trust", e.revFile, text}, "sai loại danh sách"},
		{"trust given as revocations", append(e.files()[:4], "--revoked", e.trustFile, text), "danh sách thu hồi bị từ chối"},
		{"root file not hex", []string{"--root", e.trustFile, "--trust", e.trustFile, text}, "khóa gốc"},
		{"unknown flag", append(e.files(), "--bogus", text), "bogus"},
	} {
		r := runVerifyCmd(t, "", c.args...)
		if r.code != exitUsage || !strings.Contains(r.errOut, c.want) {
			t.Errorf("%s: exit %d, want 2 with %q on stderr\n%s", c.name, r.code, c.want, r.errOut)
		}
	}
	if r := runVerifyCmd(t, "", "--help"); r.code != exitOK || !strings.Contains(r.out, "--root") && !strings.Contains(r.out, "-root") {
		t.Errorf("--help: exit %d\n%s", r.code, r.out)
	}
}

func TestVerifyCommandWarnsWithoutRevocations(t *testing.T) {
	e := newVerifyEnv(t)
	r := runVerifyCmd(t, "", "--root", e.rootFile, "--trust", e.trustFile, "--at", morning, e.seal(t, permitPayload()))
	if r.code != exitOK || !strings.Contains(r.errOut, "thu hồi") {
		t.Errorf("exit %d, stderr %q: want a warning about the missing revocation list", r.code, r.errOut)
	}
}

// With no --root/--trust, verify checks as the desk's Kiểm tra screen does:
// a permit revoked on this desk is REVOKED although the province's signed
// list does not know it yet, and units are named, not numbered.
func TestVerifyCommandUsesTheDeskDatabase(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "desk.db")
	db := storetest.Desk(t, file, 40, 3)
	approver, signer := storetest.Approver(t, db)
	res := storetest.ApproveFirst(t, db, approver, signer, 2)
	kept, _ := db.Permit(ctx, res[0].Serial)
	revoked, _ := db.Permit(ctx, res[1].Serial)
	if err := db.Revoke(ctx, approver, revoked.Serial, "cấp nhầm người"); err != nil {
		t.Fatal(err)
	}
	units, _ := db.Units(ctx)
	unitName := units.Name(kept.Unit)
	db.Close()

	at := time.Unix(kept.ValidFrom.Unix(), 0).Add(time.Hour).Format(time.RFC3339)
	r := runVerifyCmd(t, "", "--db", file, "--at", at, kept.QR)
	if r.code != exitOK || !strings.Contains(r.out, "VALID") || !strings.Contains(r.out, unitName) {
		t.Errorf("kept permit: exit %d, want VALID naming %q\n%s%s", r.code, unitName, r.out, r.errOut)
	}
	r = runVerifyCmd(t, "", "--db", file, "--at", at, revoked.QR)
	if r.code != exitFail || !strings.Contains(r.out, "REVOKED") {
		t.Errorf("permit revoked on the desk: exit %d, want REVOKED\n%s%s", r.code, r.out, r.errOut)
	}
	r = runVerifyCmd(t, "", "--db", file, "--at", at, "--json", kept.QR)
	if !strings.Contains(r.out, `"unit_name": "`+unitName) {
		t.Errorf("--json lacks the unit's name %q:\n%s", unitName, r.out)
	}
	if r := runVerifyCmd(t, "", "--db", filepath.Join(t.TempDir(), "none.db"), "--at", at, kept.QR); r.code != exitUsage {
		t.Errorf("missing database: exit %d\n%s", r.code, r.errOut)
	}
}
