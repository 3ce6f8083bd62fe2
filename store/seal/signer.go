package seal

import (
	"crypto/ed25519"
	"fmt"
)

// Signer seals permits and vouchers with one desk's private key.
type Signer struct {
	priv ed25519.PrivateKey
	kid  [8]byte
}

// NewSigner wraps a desk's private key. It panics on a key of the wrong size,
// which is a programming error, not user input (DecryptPrivateKey returns
// full-size keys).
func NewSigner(priv ed25519.PrivateKey) *Signer {
	if len(priv) != ed25519.PrivateKeySize {
		panic(fmt.Sprintf("seal.NewSigner: private key is %d bytes, want %d", len(priv), ed25519.PrivateKeySize))
	}
	return &Signer{priv: priv, kid: KID(priv.Public().(ed25519.PublicKey))}
}

// KID is the key id every seal of this signer carries.
func (s *Signer) KID() [8]byte { return s.kid }

// PublicKey is what the province certifies in its trust list.
func (s *Signer) PublicKey() ed25519.PublicKey { return s.priv.Public().(ed25519.PublicKey) }

// Seal checks p against QR-FORMAT.md (required fields, kind, ranges), signs
// it and returns the QR text "TH1:…". Text fields are normalised to NFC.
// Seal takes no clock: IssuedAt must be set by the caller.
func (s *Signer) Seal(p Payload) (string, error) {
	body, err := encodeBody(p)
	if err != nil {
		return "", err
	}
	env, err := sealEnvelope(s.priv, body)
	if err != nil {
		return "", err
	}
	text := Prefix + EncodeBase45(env)
	if len(text) > MaxTextLength {
		// Every verifier refuses it, so printing it would hand someone a
		// permit that fails at the first checkpoint.
		return "", fmt.Errorf("%w: sealed text is %d characters, over the %d a verifier reads; shorten the name, route or area", ErrInvalidPayload, len(text), MaxTextLength)
	}
	return text, nil
}

// encodeBody validates p and returns its deterministic CBOR body.
func encodeBody(p Payload) ([]byte, error) {
	w, err := p.wire()
	if err != nil {
		return nil, err
	}
	return encMode.Marshal(&w)
}
