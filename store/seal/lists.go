package seal

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// TrustedKey is a desk's signing key as the province certifies it: for one
// unit, the categories that unit may issue, and a period.
type TrustedKey struct {
	KID        [8]byte
	PublicKey  ed25519.PublicKey
	Unit       uint32
	Categories []uint8
	NotBefore  time.Time
	NotAfter   time.Time
	Label      string // e.g. "UBND xã Tân Mỹ Chánh, máy 1"
}

// Certify builds the trust-list entry for a desk's public key, computing its kid.
func Certify(pub ed25519.PublicKey, unit uint32, categories []uint8, notBefore, notAfter time.Time, label string) TrustedKey {
	return TrustedKey{KID: KID(pub), PublicKey: pub, Unit: unit, Categories: categories,
		NotBefore: notBefore, NotAfter: notAfter, Label: label}
}

// TrustList is the province's list of desk keys (body kind 3).
type TrustList struct {
	Sequence uint64
	IssuedAt time.Time
	Keys     []TrustedKey

	// byKID indexes Keys; OpenTrustList builds it. A list built by hand has
	// none and Lookup scans Keys instead: correct, and nothing is written
	// behind a reader's back, so a shared list needs no lock.
	byKID map[[8]byte]int
}

// Lookup finds a key by kid: O(1) on a list from OpenTrustList, a scan on a
// list built by hand. Treat Keys as read-only after OpenTrustList. A nil
// list knows no key.
func (t *TrustList) Lookup(kid [8]byte) (TrustedKey, bool) {
	if t == nil {
		return TrustedKey{}, false
	}
	if t.byKID != nil {
		if i, ok := t.byKID[kid]; ok && i < len(t.Keys) && t.Keys[i].KID == kid {
			return t.Keys[i], true
		}
		return TrustedKey{}, false
	}
	for _, k := range t.Keys {
		if k.KID == kid {
			return k, true
		}
	}
	return TrustedKey{}, false
}

// RevocationList is the province's list of revoked serials (body kind 4).
type RevocationList struct {
	Sequence uint64
	IssuedAt time.Time
	Serials  []string
}

// Set returns the serials as a set, for Checker.IsRevoked.
func (l *RevocationList) Set() map[string]struct{} {
	set := make(map[string]struct{}, len(l.Serials))
	for _, s := range l.Serials {
		set[s] = struct{}{}
	}
	return set
}

// Errors from opening a list, each wrapped with the particulars.
var (
	ErrListMalformed = errors.New("list is not a valid signed list")
	ErrListSigner    = errors.New("list is not signed by the province root key")
	ErrListSignature = errors.New("list signature does not verify: the file was altered or forged")
	ErrListKind      = errors.New("list is of the wrong kind")
	ErrListStale     = errors.New("list is older than the one already held")
)

// maxListBytes bounds a list file before parsing; a province's trust list
// is kilobytes and a million revocations about 25 MB.
const maxListBytes = 32 << 20

// maxListEntries bounds each list's array.
const maxListEntries = 1 << 20

type wireTrustList struct {
	Kind     uint8            `cbor:"0,keyasint"`
	Sequence uint64           `cbor:"1,keyasint"`
	IssuedAt uint64           `cbor:"2,keyasint"`
	Keys     []wireTrustedKey `cbor:"3,keyasint"`
}

type wireTrustedKey struct {
	KID        []byte   `cbor:"1,keyasint"`
	PublicKey  []byte   `cbor:"2,keyasint"`
	Unit       uint32   `cbor:"3,keyasint"`
	Categories []uint64 `cbor:"4,keyasint"` // an array of uints: []uint8 would encode as a byte string
	NotBefore  uint64   `cbor:"5,keyasint"`
	NotAfter   uint64   `cbor:"6,keyasint"`
	Label      string   `cbor:"7,keyasint,omitempty"`
}

type wireRevocationList struct {
	Kind     uint8    `cbor:"0,keyasint"`
	Sequence uint64   `cbor:"1,keyasint"`
	IssuedAt uint64   `cbor:"2,keyasint"`
	Serials  []string `cbor:"3,keyasint"`
}

// SignTrustList checks t, encodes it as body kind 3 and returns the raw CBOR
// envelope signed by the root key: the bytes of a trust-list file.
func SignTrustList(root ed25519.PrivateKey, t TrustList) ([]byte, error) {
	w := wireTrustList{Kind: uint8(KindTrustList), Sequence: t.Sequence, Keys: make([]wireTrustedKey, 0, len(t.Keys))}
	var err error
	if w.IssuedAt, err = listTime(t.IssuedAt, "issued at"); err != nil {
		return nil, err
	}
	for _, k := range t.Keys {
		if k.KID == ([8]byte{}) {
			k.KID = KID(k.PublicKey)
		}
		wk := wireTrustedKey{KID: k.KID[:], PublicKey: k.PublicKey, Unit: k.Unit, Categories: make([]uint64, len(k.Categories)), Label: k.Label}
		for i, c := range k.Categories {
			wk.Categories[i] = uint64(c)
		}
		if wk.NotBefore, err = listTime(k.NotBefore, "not before"); err != nil {
			return nil, fmt.Errorf("key %x: %w", k.KID, err)
		}
		if wk.NotAfter, err = listTime(k.NotAfter, "not after"); err != nil {
			return nil, fmt.Errorf("key %x: %w", k.KID, err)
		}
		w.Keys = append(w.Keys, wk)
	}
	if _, err := w.trustList(); err != nil {
		return nil, err
	}
	body, err := encMode.Marshal(&w)
	if err != nil {
		return nil, err
	}
	return sealEnvelope(root, body)
}

// OpenTrustList verifies a trust-list file against the province root key and
// returns it indexed for Lookup. It refuses a list signed by another key, a
// bad signature, the wrong kind, an invalid entry, or a Sequence lower than
// heldSequence (a replayed old list could bring back a dropped key).
func OpenTrustList(rootPub ed25519.PublicKey, raw []byte, heldSequence uint64) (*TrustList, error) {
	body, err := openList(rootPub, raw, KindTrustList)
	if err != nil {
		return nil, err
	}
	var w wireTrustList
	if err := listDecMode.Unmarshal(body, &w); err != nil {
		return nil, fmt.Errorf("%w: trust list body: %w", ErrListMalformed, err)
	}
	t, err := w.trustList()
	if err != nil {
		return nil, err
	}
	if t.Sequence < heldSequence {
		return nil, fmt.Errorf("%w: trust list sequence %d, held %d", ErrListStale, t.Sequence, heldSequence)
	}
	return t, nil
}

// trustList validates the wire form and converts it, with its index.
func (w *wireTrustList) trustList() (*TrustList, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: trust list: %s", ErrListMalformed, fmt.Sprintf(format, args...))
	}
	if w.Sequence == 0 {
		return nil, bad("sequence is missing or 0")
	}
	if w.IssuedAt == 0 || w.IssuedAt > maxUnix {
		return nil, bad("issued at is missing or out of range")
	}
	t := &TrustList{Sequence: w.Sequence, IssuedAt: localTime(w.IssuedAt),
		Keys: make([]TrustedKey, 0, len(w.Keys)), byKID: make(map[[8]byte]int, len(w.Keys))}
	for i, k := range w.Keys {
		switch {
		case len(k.PublicKey) != ed25519.PublicKeySize:
			return nil, bad("entry %d: public key is %d bytes, want 32", i, len(k.PublicKey))
		case len(k.KID) != 8:
			return nil, bad("entry %d: kid is %d bytes, want 8", i, len(k.KID))
		case [8]byte(k.KID) != KID(k.PublicKey):
			return nil, bad("entry %d: kid %x is not the public key's (%x)", i, k.KID, KID(k.PublicKey))
		case k.Unit == 0:
			return nil, bad("entry %d: unit is missing", i)
		case len(k.Categories) == 0:
			return nil, bad("entry %d: no categories", i)
		case k.NotBefore == 0 || k.NotAfter == 0 || k.NotBefore > maxUnix || k.NotAfter > maxUnix:
			return nil, bad("entry %d: not before / not after missing or out of range", i)
		case k.NotBefore > k.NotAfter:
			return nil, bad("entry %d: not before is after not after", i)
		}
		categories := make([]uint8, len(k.Categories))
		for j, c := range k.Categories {
			if c < 1 || c > 5 {
				return nil, bad("entry %d: category %d is not 1–5", i, c)
			}
			categories[j] = uint8(c)
		}
		kid := [8]byte(k.KID)
		if _, dup := t.byKID[kid]; dup {
			return nil, bad("kid %x listed twice", kid)
		}
		t.byKID[kid] = len(t.Keys)
		t.Keys = append(t.Keys, TrustedKey{KID: kid, PublicKey: ed25519.PublicKey(k.PublicKey), Unit: k.Unit,
			Categories: categories, NotBefore: localTime(k.NotBefore), NotAfter: localTime(k.NotAfter), Label: k.Label})
	}
	return t, nil
}

// SignRevocationList encodes r as body kind 4 and returns the raw CBOR
// envelope signed by the root key: the bytes of a revocation-list file.
func SignRevocationList(root ed25519.PrivateKey, r RevocationList) ([]byte, error) {
	w := wireRevocationList{Kind: uint8(KindRevocationList), Sequence: r.Sequence, Serials: r.Serials}
	if w.Serials == nil {
		w.Serials = []string{} // an empty array, never null
	}
	var err error
	if w.IssuedAt, err = listTime(r.IssuedAt, "issued at"); err != nil {
		return nil, err
	}
	if _, err := w.revocationList(); err != nil {
		return nil, err
	}
	body, err := encMode.Marshal(&w)
	if err != nil {
		return nil, err
	}
	return sealEnvelope(root, body)
}

// OpenRevocationList verifies a revocation-list file against the province
// root key. It refuses what OpenTrustList refuses; a stale list matters as
// much here, since an old one would un-revoke serials.
func OpenRevocationList(rootPub ed25519.PublicKey, raw []byte, heldSequence uint64) (*RevocationList, error) {
	body, err := openList(rootPub, raw, KindRevocationList)
	if err != nil {
		return nil, err
	}
	var w wireRevocationList
	if err := listDecMode.Unmarshal(body, &w); err != nil {
		return nil, fmt.Errorf("%w: revocation list body: %w", ErrListMalformed, err)
	}
	r, err := w.revocationList()
	if err != nil {
		return nil, err
	}
	if r.Sequence < heldSequence {
		return nil, fmt.Errorf("%w: revocation list sequence %d, held %d", ErrListStale, r.Sequence, heldSequence)
	}
	return r, nil
}

func (w *wireRevocationList) revocationList() (*RevocationList, error) {
	switch {
	case w.Sequence == 0:
		return nil, fmt.Errorf("%w: revocation list: sequence is missing or 0", ErrListMalformed)
	case w.IssuedAt == 0 || w.IssuedAt > maxUnix:
		return nil, fmt.Errorf("%w: revocation list: issued at is missing or out of range", ErrListMalformed)
	}
	for i, s := range w.Serials {
		if s == "" {
			return nil, fmt.Errorf("%w: revocation list: serial %d is empty", ErrListMalformed, i)
		}
	}
	serials := w.Serials
	if serials == nil {
		serials = []string{}
	}
	return &RevocationList{Sequence: w.Sequence, IssuedAt: localTime(w.IssuedAt), Serials: serials}, nil
}

// openList checks size, envelope, signer, signature and kind, in that order,
// and returns the verified body. Nothing in the body is read before the
// signature holds.
func openList(rootPub ed25519.PublicKey, raw []byte, want Kind) ([]byte, error) {
	if len(rootPub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("root public key is %d bytes, want 32", len(rootPub))
	}
	if len(raw) > maxListBytes {
		return nil, fmt.Errorf("%w: %d bytes, over %d", ErrListMalformed, len(raw), maxListBytes)
	}
	kid, body, sig, err := openEnvelope(listDecMode, raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrListMalformed, err)
	}
	if rootKID := KID(rootPub); kid != rootKID {
		return nil, fmt.Errorf("%w: signed by key %s, root is %s", ErrListSigner, hex.EncodeToString(kid[:]), hex.EncodeToString(rootKID[:]))
	}
	if !ed25519.Verify(rootPub, signedMessage(nil, kid, body), sig) {
		return nil, ErrListSignature
	}
	var peek struct {
		Kind uint8 `cbor:"0,keyasint"`
	}
	if err := kindDecMode.Unmarshal(body, &peek); err != nil {
		return nil, fmt.Errorf("%w: body: %w", ErrListMalformed, err)
	}
	if Kind(peek.Kind) != want {
		return nil, fmt.Errorf("%w: want a %s (kind %d), got kind %d", ErrListKind, want, want, peek.Kind)
	}
	return body, nil
}

func listTime(t time.Time, what string) (uint64, error) {
	if t.IsZero() || t.Unix() <= 0 || t.Unix() > maxUnix {
		return 0, fmt.Errorf("%w: %s is missing or out of range", ErrListMalformed, what)
	}
	return uint64(t.Unix()), nil
}
