package seal

import (
	"crypto/ed25519"
	"crypto/sha256"
	"testing"
	"time"
)

// Fixed test keys. Each seed is SHA-256 of a label, so they are reproducible
// from this file alone; testdata/vectors.json carries them in hex.
var (
	testRootKey  = keyFromLabel("thonghanh test root key")
	testDeskKey  = keyFromLabel("thonghanh test desk key: UBND xa Tan My Chanh, may 1")
	testRogueKey = keyFromLabel("thonghanh test rogue key: not in the trust list")
)

func keyFromLabel(label string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte(label))
	return ed25519.NewKeyFromSeed(seed[:])
}

func pub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

// local is a wall-clock time in Vietnam.
func local(year int, month time.Month, day, hour, minute, sec int) time.Time {
	return time.Date(year, month, day, hour, minute, sec, 0, TimeZone)
}

// Illustrative unit codes (GSO-like, not authoritative).
const (
	unitTanMyChanh = 28249 // commune that owns the test desk
	unitNeighbour  = 28255 // another commune of the same district
	unitMyTho      = 815   // the district (city) both lie in
	unitFarAway    = 28300 // a commune outside the permit's area
)

// within is the containment the tests and vectors use: commune ⊂ district.
var within = [][2]uint32{{unitTanMyChanh, unitMyTho}, {unitNeighbour, unitMyTho}}

func withinTable(table [][2]uint32) func(checkpoint, area uint32) bool {
	return func(checkpoint, area uint32) bool {
		for _, pair := range table {
			if pair == [2]uint32{checkpoint, area} {
				return true
			}
		}
		return false
	}
}

var (
	testKeyNotBefore = local(2021, 9, 15, 0, 0, 0)
	testKeyNotAfter  = local(2021, 12, 31, 23, 59, 59)
)

func testTrustList() TrustList {
	return TrustList{
		Sequence: 3,
		IssuedAt: local(2021, 9, 15, 8, 0, 0),
		Keys: []TrustedKey{Certify(pub(testDeskKey), unitTanMyChanh, []uint8{4, 5},
			testKeyNotBefore, testKeyNotAfter, "UBND xã Tân Mỹ Chánh, máy 1")},
	}
}

const revokedSerial = "28249-1-2021-000099"

func testRevocationList() RevocationList {
	return RevocationList{Sequence: 7, IssuedAt: local(2021, 9, 21, 6, 0, 0), Serials: []string{revokedSerial}}
}

// typicalPermit is the permit of QR-FORMAT.md's size budget: a 25-character
// name, two area codes, daily hours and a 25-character route.
func typicalPermit() Payload {
	return Payload{
		Kind:       KindPermit,
		Serial:     "28249-1-2021-000123",
		Unit:       unitTanMyChanh,
		Category:   4,
		Name:       "Lê Nguyễn Hoàng Phương Vy",
		IDNumber:   "082190001234",
		ValidFrom:  local(2021, 9, 21, 0, 0, 0),
		ValidUntil: local(2021, 9, 30, 23, 59, 59),
		HasHours:   true,
		HoursFrom:  6 * 60,
		HoursTo:    18 * 60,
		Area:       []uint32{unitTanMyChanh, unitMyTho},
		Route:      "Tân Mỹ Chánh → KCN Mỹ Tho",
		Purpose:    PurposeEssentials,
		IssuedAt:   local(2021, 9, 20, 15, 0, 0),
	}
}

// typicalVoucher is a market-trip voucher for a two-hour slot.
func typicalVoucher() Payload {
	return Payload{
		Kind:       KindVoucher,
		Serial:     "28249-1-2021-004567",
		Unit:       unitTanMyChanh,
		Category:   5,
		Name:       "Trần Thị Ngọc Bích Phượng",
		IDNumber:   "082185004321",
		ValidFrom:  local(2021, 9, 22, 7, 0, 0),
		ValidUntil: local(2021, 9, 22, 9, 0, 0),
		Area:       []uint32{unitTanMyChanh},
		Route:      "Chợ Tân Mỹ Chánh",
		IssuedAt:   local(2021, 9, 20, 16, 0, 0),
		Household:  "28249-AP3-0042",
	}
}

// sealWith seals p with key, failing the test on error.
func sealWith(t testing.TB, key ed25519.PrivateKey, p Payload) string {
	t.Helper()
	text, err := NewSigner(key).Seal(p)
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	return text
}

// testChecker checks against the test trust list and revocations at a fixed time.
func testChecker(t testing.TB, at time.Time) *Checker {
	t.Helper()
	trustRaw, err := SignTrustList(testRootKey, testTrustList())
	if err != nil {
		t.Fatal(err)
	}
	trust, err := OpenTrustList(pub(testRootKey), trustRaw, 0)
	if err != nil {
		t.Fatal(err)
	}
	revoked := testRevocationList()
	set := revoked.Set()
	return &Checker{
		Trust:     trust,
		IsRevoked: func(s string) bool { _, ok := set[s]; return ok },
		Within:    withinTable(within),
		Now:       func() time.Time { return at },
	}
}
