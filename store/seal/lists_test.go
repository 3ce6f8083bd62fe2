package seal

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
)

func TestTrustListRoundTrip(t *testing.T) {
	want := testTrustList()
	raw, err := SignTrustList(testRootKey, want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := OpenTrustList(pub(testRootKey), raw, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got.Sequence != want.Sequence || !got.IssuedAt.Equal(want.IssuedAt) || len(got.Keys) != 1 {
		t.Fatalf("opened %+v, want %+v", got, want)
	}
	k, ok := got.Lookup(KID(pub(testDeskKey)))
	w := want.Keys[0]
	if !ok || !bytes.Equal(k.PublicKey, w.PublicKey) || k.Unit != w.Unit || !bytes.Equal(k.Categories, w.Categories) ||
		!k.NotBefore.Equal(w.NotBefore) || !k.NotAfter.Equal(w.NotAfter) || k.Label != w.Label {
		t.Errorf("Lookup = %+v, %v; want %+v", k, ok, w)
	}
	if _, ok := got.Lookup(KID(pub(testRogueKey))); ok {
		t.Error("Lookup found the rogue key")
	}
}

// A list built by hand (no index) and one from OpenTrustList answer alike.
func TestLookupWithAndWithoutIndex(t *testing.T) {
	byHand := testTrustList()
	raw, _ := SignTrustList(testRootKey, byHand)
	opened, err := OpenTrustList(pub(testRootKey), raw, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, kid := range [][8]byte{KID(pub(testDeskKey)), KID(pub(testRogueKey)), {}} {
		_, a := byHand.Lookup(kid)
		_, b := opened.Lookup(kid)
		if a != b {
			t.Errorf("kid %x: by hand %v, opened %v", kid, a, b)
		}
	}
	var none *TrustList
	if _, ok := none.Lookup(KID(pub(testDeskKey))); ok {
		t.Error("a nil list found a key")
	}
}

func TestOpenTrustListRefuses(t *testing.T) {
	trust := testTrustList()
	raw, _ := SignTrustList(testRootKey, trust)
	byDesk, _ := SignTrustList(testDeskKey, trust)
	revocations, _ := SignRevocationList(testRootKey, testRevocationList())
	tampered := bytes.Clone(raw)
	tampered[bytes.Index(raw, []byte("máy 1"))+len("máy ")] = '2'
	for _, c := range []struct {
		name string
		raw  []byte
		held uint64
		want error
	}{
		{"signed by a desk key", byDesk, 0, ErrListSigner},
		{"label edited", tampered, 0, ErrListSignature},
		{"a revocation list", revocations, 0, ErrListKind},
		{"older than held", raw, trust.Sequence + 1, ErrListStale},
		{"truncated", raw[:len(raw)-5], 0, ErrListMalformed},
		{"empty file", nil, 0, ErrListMalformed},
		{"a QR envelope", mustEnvelope(t), 0, ErrListSigner},
	} {
		if _, err := OpenTrustList(pub(testRootKey), c.raw, c.held); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := OpenTrustList(pub(testRootKey), raw, trust.Sequence); err != nil {
		t.Errorf("the same sequence again is refused: %v", err)
	}
	if _, err := OpenTrustList(pub(testDeskKey), raw, 0); !errors.Is(err, ErrListSigner) {
		t.Errorf("opened with another root: %v, want ErrListSigner", err)
	}
}

func mustEnvelope(t *testing.T) []byte {
	raw, err := DecodeBase45(sealWith(t, testDeskKey, typicalPermit())[len(Prefix):])
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestSignTrustListRefusesBadEntries(t *testing.T) {
	edit := func(f func(*TrustList)) TrustList {
		l := testTrustList()
		f(&l)
		return l
	}
	for name, l := range map[string]TrustList{
		"no sequence":     edit(func(l *TrustList) { l.Sequence = 0 }),
		"no issued at":    edit(func(l *TrustList) { l.IssuedAt = time.Time{} }),
		"duplicate key":   edit(func(l *TrustList) { l.Keys = append(l.Keys, l.Keys[0]) }),
		"kid mismatch":    edit(func(l *TrustList) { l.Keys[0].KID = KID(pub(testRogueKey)) }),
		"short key":       edit(func(l *TrustList) { l.Keys[0].PublicKey = l.Keys[0].PublicKey[:31] }),
		"no unit":         edit(func(l *TrustList) { l.Keys[0].Unit = 0 }),
		"no categories":   edit(func(l *TrustList) { l.Keys[0].Categories = nil }),
		"category 6":      edit(func(l *TrustList) { l.Keys[0].Categories = []uint8{6} }),
		"period reversed": edit(func(l *TrustList) { l.Keys[0].NotBefore, l.Keys[0].NotAfter = testKeyNotAfter, testKeyNotBefore }),
		"no not after":    edit(func(l *TrustList) { l.Keys[0].NotAfter = time.Time{} }),
	} {
		if _, err := SignTrustList(testRootKey, l); !errors.Is(err, ErrListMalformed) {
			t.Errorf("%s: %v, want ErrListMalformed", name, err)
		}
	}
	l := testTrustList()
	l.Keys[0].KID = [8]byte{} // left for SignTrustList to fill in
	raw, err := SignTrustList(testRootKey, l)
	if err != nil {
		t.Fatal(err)
	}
	opened, err := OpenTrustList(pub(testRootKey), raw, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := opened.Lookup(KID(pub(testDeskKey))); !ok {
		t.Error("a key listed without its kid cannot be found")
	}
}

func TestRevocationListRoundTrip(t *testing.T) {
	want := testRevocationList()
	want.Serials = append(want.Serials, "28249-1-2021-000100")
	raw, err := SignRevocationList(testRootKey, want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := OpenRevocationList(pub(testRootKey), raw, want.Sequence)
	if err != nil {
		t.Fatal(err)
	}
	set := got.Set()
	if got.Sequence != want.Sequence || len(set) != 2 {
		t.Fatalf("opened %+v", got)
	}
	if _, ok := set["28249-1-2021-000100"]; !ok {
		t.Error("serial missing from Set")
	}
	if _, err := OpenRevocationList(pub(testRootKey), raw, want.Sequence+1); !errors.Is(err, ErrListStale) {
		t.Errorf("stale revocation list: %v, want ErrListStale", err)
	}
	trustRaw, _ := SignTrustList(testRootKey, testTrustList())
	if _, err := OpenRevocationList(pub(testRootKey), trustRaw, 0); !errors.Is(err, ErrListKind) {
		t.Errorf("trust list as revocations: %v, want ErrListKind", err)
	}
}

func TestEmptyRevocationList(t *testing.T) {
	raw, err := SignRevocationList(testRootKey, RevocationList{Sequence: 1, IssuedAt: local(2021, 9, 20, 0, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := OpenRevocationList(pub(testRootKey), raw, 0)
	if err != nil || len(got.Serials) != 0 {
		t.Errorf("empty list: %+v, %v", got, err)
	}
}

// A province's worth of revocations opens; the limit is on entries, not on
// a few thousand.
func TestLargeRevocationList(t *testing.T) {
	l := RevocationList{Sequence: 9, IssuedAt: local(2021, 10, 1, 0, 0, 0)}
	for i := range 50000 {
		l.Serials = append(l.Serials, fmt.Sprintf("28249-1-2021-%06d", i))
	}
	raw, err := SignRevocationList(testRootKey, l)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := OpenRevocationList(pub(testRootKey), raw, 0); err != nil || len(got.Serials) != 50000 {
		t.Errorf("50,000 serials: %v", err)
	}
}

// The list bodies have QR-FORMAT.md's shapes, read with a generic CBOR
// decoder as another implementation would: categories an array of uints
// (not a byte string), kid and public key byte strings, times uints.
func TestListBodiesHaveTheContractShape(t *testing.T) {
	raw, err := SignTrustList(testRootKey, testTrustList())
	if err != nil {
		t.Fatal(err)
	}
	var env []cbor.RawMessage
	if err := cbor.Unmarshal(raw, &env); err != nil || len(env) != 3 {
		t.Fatalf("envelope: %v, %d items", err, len(env))
	}
	var body []byte
	if err := cbor.Unmarshal(env[1], &body); err != nil {
		t.Fatal(err)
	}
	var list map[uint64]any
	if err := cbor.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	keys, ok := list[3].([]any)
	if list[0] != uint64(3) || list[1] != uint64(3) || !ok || len(keys) != 1 {
		t.Fatalf("trust list body %v", list)
	}
	entry, ok := keys[0].(map[any]any)
	if !ok {
		t.Fatalf("entry %T", keys[0])
	}
	if cats, ok := entry[uint64(4)].([]any); !ok || len(cats) != 2 || cats[0] != uint64(4) || cats[1] != uint64(5) {
		t.Errorf("categories are %T %v, want an array [4, 5]", entry[uint64(4)], entry[uint64(4)])
	}
	if kid, ok := entry[uint64(1)].([]byte); !ok || len(kid) != 8 {
		t.Errorf("kid is %T", entry[uint64(1)])
	}
	if pk, ok := entry[uint64(2)].([]byte); !ok || len(pk) != 32 {
		t.Errorf("public key is %T", entry[uint64(2)])
	}
	for _, k := range []uint64{3, 5, 6} {
		if _, ok := entry[k].(uint64); !ok {
			t.Errorf("key %d is %T, want a uint", k, entry[k])
		}
	}
	if label, ok := entry[uint64(7)].(string); !ok || label != "UBND xã Tân Mỹ Chánh, máy 1" {
		t.Errorf("label is %T %v", entry[uint64(7)], entry[uint64(7)])
	}
}
