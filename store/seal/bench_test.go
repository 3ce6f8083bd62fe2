package seal

import (
	"crypto/ed25519"
	"testing"
)

// BenchmarkVerify compares a bare Ed25519 verification of a message the
// size of a typical permit's signed bytes with a checkpoint's whole Verify
// (length, base45, CBOR, checks, trust lookup, signature, every rule).
// Target: seal throughput at least 70% of bare Ed25519.
func BenchmarkVerify(b *testing.B) {
	text := sealWith(b, testDeskKey, typicalPermit())
	_, _, body, sig, err := Decode(text)
	if err != nil {
		b.Fatal(err)
	}
	msg := signedMessage(nil, KID(pub(testDeskKey)), body)
	deskPub := pub(testDeskKey)

	b.Run("ed25519", func(b *testing.B) {
		for b.Loop() {
			if !ed25519.Verify(deskPub, msg, sig) {
				b.Fatal("does not verify")
			}
		}
	})
	// decode is the seal's own cost without the signature: the part this
	// package can make leaner.
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, _, _, err := Decode(text); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("seal", func(b *testing.B) {
		checker := testChecker(b, local(2021, 9, 21, 7, 0, 0))
		checker.Checkpoint = unitNeighbour // found through Within, the longer path
		checker.IsUsed = func(string) bool { return false }
		b.ReportAllocs()
		for b.Loop() {
			if r := checker.Verify(text); r.Verdict != Valid {
				b.Fatal(r.Verdict, r.Detail)
			}
		}
	})
}
