package offline_test

import (
	"errors"
	"testing"
	"time"

	"thonghanh/cmd/thonghanh/internal/kiemtra/offline"
	"thonghanh/cmd/thonghanh/internal/kiemtra/vectortest"
)

// The page's verifier, run natively, gives every vector's verdict and
// fields (the same check runs in WebAssembly in ../kiemtra_test.go).
func TestVectors(t *testing.T) {
	f, err := vectortest.Load()
	if err != nil {
		t.Fatal(err)
	}
	v, err := offline.Open(f.Lists())
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Cases) < 20 {
		t.Fatalf("only %d cases", len(f.Cases))
	}
	for _, c := range f.Cases {
		a := v.Verify(c.Text, c.Checker.Checkpoint, time.Unix(c.Checker.At, 0), c.Checker.UsedSerials)
		if msg := vectortest.Check(c, a); msg != "" {
			t.Error(msg)
		}
	}
}

// A list the root did not sign, a damaged one or an older one than held is
// refused, as on a desk.
func TestListCases(t *testing.T) {
	f, err := vectortest.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lc := range f.ListCases {
		l := f.Lists()
		if lc.List == "trust" {
			l.Trust, l.HeldTrust = lc.Raw, lc.HeldSequence
		} else {
			l.Revocations, l.HeldRevocations = lc.Raw, lc.HeldSequence
		}
		_, err := offline.Open(l)
		if lc.Accept != (err == nil) {
			t.Errorf("%s: accept %v, got error %v", lc.Name, lc.Accept, err)
		}
		if err != nil && !errors.Is(err, offline.ErrLists) {
			t.Errorf("%s: %v does not wrap ErrLists", lc.Name, err)
		}
	}
}
