package print

import (
	"crypto/ed25519"
	"crypto/sha256"
	"testing"
	"time"

	"thonghanh/store/seal"
)

// A fixed desk key for unit 28249, so that every run prints the same QRs.
const testUnit = 28249

func testKey() ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("thonghanh print test desk key"))
	return ed25519.NewKeyFromSeed(seed[:])
}

func testChecker(now time.Time) *seal.Checker {
	priv := testKey()
	pub := priv.Public().(ed25519.PublicKey)
	tl := seal.TrustList{
		Sequence: 1,
		IssuedAt: time.Date(2021, 9, 1, 0, 0, 0, 0, ICT),
		Keys: []seal.TrustedKey{{
			KID:        seal.KID(pub),
			PublicKey:  pub,
			Unit:       testUnit,
			Categories: []uint8{4, 5},
			NotBefore:  time.Date(2021, 9, 1, 0, 0, 0, 0, ICT),
			NotAfter:   time.Date(2022, 1, 1, 0, 0, 0, 0, ICT),
			Label:      "UBND xã Tân Hương, máy 1",
		}},
	}
	return &seal.Checker{Trust: &tl, Now: func() time.Time { return now }}
}

// sealPermits fills in p.QR with a real sealed text for each permit.
func sealPermits(tb testing.TB, ps []Permit) {
	tb.Helper()
	s := seal.NewSigner(testKey())
	for i := range ps {
		p := &ps[i]
		text, err := s.Seal(seal.Payload{
			Kind:       seal.KindPermit,
			Serial:     p.Serial,
			Unit:       testUnit,
			Category:   4,
			Name:       p.HolderName,
			IDNumber:   p.IDNumber,
			ValidFrom:  p.ValidFrom,
			ValidUntil: p.ValidUntil,
			HoursFrom:  6 * 60,
			HoursTo:    18 * 60,
			HasHours:   true,
			Area:       []uint32{testUnit, 28252 + uint32(i%5)*3},
			Route:      p.Route,
			Purpose:    seal.PurposeEssentials,
			IssuedAt:   p.IssuedAt,
			Vehicle:    p.Vehicle,
		})
		if err != nil {
			tb.Fatalf("seal permit %s: %v", p.Serial, err)
		}
		p.QR = text
	}
}

// sealVouchers fills in v.QR with a real sealed text for each voucher.
func sealVouchers(tb testing.TB, vs []Voucher) {
	tb.Helper()
	s := seal.NewSigner(testKey())
	for i := range vs {
		v := &vs[i]
		text, err := s.Seal(seal.Payload{
			// As the store seals them: without the representative's name
			// and the market (keys 4 and 10), which the paper prints.
			Kind:       seal.KindVoucher,
			Serial:     v.Serial,
			Unit:       testUnit,
			Category:   5,
			IDNumber:   v.IDNumber,
			ValidFrom:  v.SlotStart,
			ValidUntil: v.SlotEnd,
			Area:       []uint32{testUnit},
			IssuedAt:   time.Date(2021, 9, 20, 15, 0, 0, 0, ICT),
			Household:  v.Household,
		})
		if err != nil {
			tb.Fatalf("seal voucher %s: %v", v.Serial, err)
		}
		v.QR = text
	}
}
