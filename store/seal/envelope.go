package seal

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

// envelope is the outer CBOR array [kid, body, sig] of QR-FORMAT.md.
type envelope struct {
	_    struct{} `cbor:",toarray"`
	KID  []byte
	Body []byte
	Sig  []byte
}

// sigContext is signed before kid and body. It ties a signature to this format
// and version: a signature made for anything else cannot be replayed as a seal.
const sigContext = "TH1\x00"

// ErrMalformed is wrapped by every decoding failure of a QR text (verdict MALFORMED).
var ErrMalformed = errors.New("malformed seal")

// The CBOR modes are built once: building one is costly and they are safe for
// concurrent use.
var (
	// encMode writes RFC 8949 §4.2.1 core deterministic CBOR: sorted keys,
	// shortest lengths. Signatures are over these bytes.
	encMode cbor.EncMode

	// qrDecMode reads a QR envelope and body. The limits fit the format with
	// room to spare (a body is a map of 15 keys at most two levels deep) and
	// bound what a hostile code can make a checkpoint allocate.
	qrDecMode cbor.DecMode

	// listDecMode reads trust and revocation lists: same strictness, room for
	// a province's worth of serials.
	listDecMode cbor.DecMode

	// kindDecMode reads only key 0 of a list body and skips the rest, so a
	// revocation list given as a trust list is refused as the wrong kind, not
	// as garbage.
	kindDecMode cbor.DecMode
)

func init() {
	var err error
	if encMode, err = cbor.CoreDetEncOptions().EncMode(); err != nil {
		panic(err)
	}
	// Reject every simple value (false, true, null, undefined, …): the format
	// has none, and accepting null as "absent" would give a second spelling of
	// the same body.
	noSimpleValues, err := cbor.NewSimpleValueRegistryFromDefaults(func(r *cbor.SimpleValueRegistry) error {
		for v := 0; v < 256; v++ {
			if v >= 24 && v <= 31 { // reserved: never well-formed anyway
				continue
			}
			if err := cbor.WithRejectedSimpleValue(cbor.SimpleValue(v))(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	strict := cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyEnforcedAPF,
		IndefLength:       cbor.IndefLengthForbidden,
		TagsMd:            cbor.TagsForbidden,
		ExtraReturnErrors: cbor.ExtraDecErrorUnknownField,
		UTF8:              cbor.UTF8RejectInvalid,
		SimpleValues:      noSimpleValues,
		MaxNestedLevels:   4,
		MaxArrayElements:  256,
		MaxMapPairs:       32,
	}
	if qrDecMode, err = strict.DecMode(); err != nil {
		panic(err)
	}
	strict.MaxNestedLevels = 8
	strict.MaxArrayElements = maxListEntries
	if listDecMode, err = strict.DecMode(); err != nil {
		panic(err)
	}
	strict.ExtraReturnErrors = cbor.ExtraDecErrorNone
	if kindDecMode, err = strict.DecMode(); err != nil {
		panic(err)
	}
}

// KID is the key id of QR-FORMAT.md: the first 8 bytes of SHA-256 of the
// 32-byte Ed25519 public key.
func KID(pub ed25519.PublicKey) [8]byte {
	sum := sha256.Sum256(pub)
	return [8]byte(sum[:8])
}

// signedMessage is "TH1" || 0x00 || kid || body, appended to dst so the
// verifier can build it in a stack buffer.
func signedMessage(dst []byte, kid [8]byte, body []byte) []byte {
	dst = append(dst, sigContext...)
	dst = append(dst, kid[:]...)
	return append(dst, body...)
}

// sealEnvelope signs body and returns the envelope's CBOR bytes.
func sealEnvelope(priv ed25519.PrivateKey, body []byte) ([]byte, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("seal: private key is %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	kid := KID(priv.Public().(ed25519.PublicKey))
	sig := ed25519.Sign(priv, signedMessage(nil, kid, body))
	return encMode.Marshal(envelope{KID: kid[:], Body: body, Sig: sig})
}

// openEnvelope parses [kid, body, sig] with mode: exactly three byte strings,
// an 8-byte kid and a 64-byte signature, nothing after the array.
func openEnvelope(mode cbor.DecMode, raw []byte) (kid [8]byte, body, sig []byte, err error) {
	var e envelope
	if err := mode.Unmarshal(raw, &e); err != nil {
		return kid, nil, nil, fmt.Errorf("envelope: %w", err)
	}
	if len(e.KID) != len(kid) {
		return kid, nil, nil, fmt.Errorf("envelope: kid is %d bytes, want 8", len(e.KID))
	}
	if len(e.Sig) != ed25519.SignatureSize {
		return kid, nil, nil, fmt.Errorf("envelope: signature is %d bytes, want 64", len(e.Sig))
	}
	if len(e.Body) == 0 {
		return kid, nil, nil, errors.New("envelope: empty body")
	}
	return [8]byte(e.KID), e.Body, e.Sig, nil
}

// verifyParts checks a signature over kid and body the way Verify does.
func verifyParts(pub ed25519.PublicKey, kid [8]byte, body, sig []byte) bool {
	var msg [len(sigContext) + 8 + maxEnvelope]byte
	return len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, signedMessage(msg[:0], kid, body), sig)
}
