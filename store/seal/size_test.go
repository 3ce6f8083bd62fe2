package seal

import (
	"testing"
	"unicode/utf8"

	"github.com/skip2/go-qrcode"
)

// qrVersionAtQ is the smallest QR version holding text at error correction
// Q (skip2 calls it High: it recovers about 25% of the code).
func qrVersionAtQ(t *testing.T, text string) int {
	t.Helper()
	q, err := qrcode.New(text, qrcode.High)
	if err != nil {
		t.Fatalf("qrcode.New: %v", err)
	}
	return q.VersionNumber
}

// QR-FORMAT.md's budget: a typical permit fits version 13 at Q, a voucher 11,
// so both scan from cheap paper and a phone camera at arm's length.
//
// Version 11 at Q holds 259 characters: an envelope of 170 bytes, 92 for the
// body once the kid and the 64-byte signature are counted. A voucher with the
// representative's 25-character name and the market's name cannot fit
// (TestVoucherWithNameSize), so vouchers are sealed without them: the ID
// number and household code are what the entrance checks.
func TestTypicalCodesFitTheirQRVersion(t *testing.T) {
	voucher := typicalVoucher()
	voucher.Name, voucher.Route = "", ""
	for _, c := range []struct {
		name       string
		p          Payload
		maxVersion int
	}{
		{"permit", typicalPermit(), 13},
		{"voucher", voucher, 11},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.p.Kind == KindPermit {
				if n := utf8.RuneCountInString(c.p.Name); n != 25 {
					t.Fatalf("fixture name %q has %d characters, the budget assumes 25", c.p.Name, n)
				}
				if n := utf8.RuneCountInString(c.p.Route); n != 25 || len(c.p.Area) != 2 || !c.p.HasHours {
					t.Fatalf("fixture is not the typical permit: route %d characters, %d area codes, hours %v", n, len(c.p.Area), c.p.HasHours)
				}
			}
			text := sealWith(t, testDeskKey, c.p)
			v := qrVersionAtQ(t, text)
			t.Logf("%s: %d characters, QR version %d at Q", c.name, len(text), v)
			if v > c.maxVersion {
				t.Errorf("%s needs QR version %d at Q, the limit is %d (%d characters)", c.name, v, c.maxVersion, len(text))
			}
		})
	}
}

// TestVoucherWithNameSize shows why vouchers leave out the name and market:
// with them a typical voucher needs version 13.
func TestVoucherWithNameSize(t *testing.T) {
	text := sealWith(t, testDeskKey, typicalVoucher())
	if v := qrVersionAtQ(t, text); v <= 11 {
		t.Errorf("a voucher with name and market fits version %d: seal them again", v)
	}
}

// A heavier permit (vehicle plate too) is not in the budget, but its size
// is worth seeing when fields are added.
func TestPermitWithVehicleSize(t *testing.T) {
	p := typicalPermit()
	p.Vehicle = "63B1-123.45"
	text := sealWith(t, testDeskKey, p)
	t.Logf("permit with vehicle: %d characters, QR version %d at Q", len(text), qrVersionAtQ(t, text))
}

// TestAbsentOptionalKeysAreLeftOut: a voucher sealed without the
// representative's name and the market (keys 4 and 10) carries neither key,
// not an empty string (QR-FORMAT.md, "absent keys are omitted").
func TestAbsentOptionalKeysAreLeftOut(t *testing.T) {
	v := typicalVoucher()
	v.Name, v.Route = "", ""
	_, _, body, _, err := Decode(sealWith(t, testDeskKey, v))
	if err != nil {
		t.Fatal(err)
	}
	var m map[uint64]any
	if err := qrDecMode.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	for _, key := range []uint64{4, 8, 10, 11, 13} {
		if val, ok := m[key]; ok {
			t.Errorf("key %d present as %#v in a voucher that has none", key, val)
		}
	}
}
