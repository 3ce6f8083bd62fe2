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
func TestTypicalCodesFitTheirQRVersion(t *testing.T) {
	for _, c := range []struct {
		name       string
		p          Payload
		maxVersion int
	}{
		{"permit", typicalPermit(), 13},
		{"voucher", typicalVoucher(), 11},
	} {
		t.Run(c.name, func(t *testing.T) {
			if n := utf8.RuneCountInString(c.p.Name); n != 25 {
				t.Fatalf("fixture name %q has %d characters, the budget assumes 25", c.p.Name, n)
			}
			if c.p.Kind == KindPermit {
				if n := utf8.RuneCountInString(c.p.Route); n != 25 || len(c.p.Area) != 2 || !c.p.HasHours {
					t.Fatalf("fixture is not the typical permit: route %d characters, %d area codes, hours %v", n, len(c.p.Area), c.p.HasHours)
				}
			}
			text := sealWith(t, testDeskKey, c.p)
			v := qrVersionAtQ(t, text)
			t.Logf("%s: %d characters, QR version %d at Q", c.name, len(text), v)
			if v > c.maxVersion {
				t.Errorf("%s needs QR version %d at Q, budget is %d (%d characters)", c.name, v, c.maxVersion, len(text))
			}
		})
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
