package seal

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Verdict is the one answer a verifier gives (QR-FORMAT.md, "Verdicts").
type Verdict string

const (
	Valid            Verdict = "VALID"
	Malformed        Verdict = "MALFORMED"
	UnknownSigner    Verdict = "UNKNOWN_SIGNER"
	BadSignature     Verdict = "BAD_SIGNATURE"
	SignerNotAllowed Verdict = "SIGNER_NOT_ALLOWED"
	NotYetValid      Verdict = "NOT_YET_VALID"
	Expired          Verdict = "EXPIRED"
	OutsideHours     Verdict = "OUTSIDE_HOURS"
	OutsideArea      Verdict = "OUTSIDE_AREA"
	Revoked          Verdict = "REVOKED"
	AlreadyUsed      Verdict = "ALREADY_USED"
	// WrongMarket is a genuine voucher for another market of the commune,
	// shown at a market entrance that knows the voucher's market (the desk
	// holds its row; the QR leaves the market out). Only a desk gives it:
	// it is not in Verdicts, which lists what a Checker returns.
	WrongMarket Verdict = "WRONG_MARKET"
)

// Verdicts lists every verdict: VALID, then the refusals in the order the
// checks run.
var Verdicts = []Verdict{Valid, Malformed, UnknownSigner, BadSignature, SignerNotAllowed,
	Revoked, NotYetValid, Expired, OutsideHours, OutsideArea, AlreadyUsed}

// Checker verifies QR texts offline. Zero-valued optional fields disable their check.
// A Checker is safe for concurrent use if its functions are.
type Checker struct {
	Trust      *TrustList
	IsRevoked  func(serial string) bool               // nil = nothing revoked
	IsUsed     func(serial string) bool               // vouchers already scanned; nil = none
	Checkpoint uint32                                 // unit code of the checkpoint; 0 = skip OUTSIDE_AREA
	Within     func(checkpoint, areaUnit uint32) bool // true if checkpoint lies in areaUnit (itself, or a commune of that district/province); nil = equality
	Now        func() time.Time                       // nil = time.Now
}

// Result is a verdict with what could be read. Payload is filled whenever the
// body parsed, even for MALFORMED (a missing key), UNKNOWN_SIGNER and
// BAD_SIGNATURE: those fields are then unverified and a screen must say so.
// Signer is set only once the signature has verified.
type Result struct {
	Verdict Verdict
	Payload Payload
	Signer  *TrustedKey
	Detail  string // why, in English, for logs
}

// maxEnvelope is the most bytes MaxTextLength characters of base45 can hold.
const maxEnvelope = (MaxTextLength - len(Prefix)) / 3 * 2

// Decode parses a QR text without trusting it: prefix, length, base45, the
// envelope and the body, checked against QR-FORMAT.md. It returns the raw
// body and signature so a caller can verify them. An error wraps ErrMalformed;
// p holds whatever fields parsed even then.
func Decode(text string) (kid [8]byte, p Payload, body, sig []byte, err error) {
	var buf [maxEnvelope]byte
	kid, w, body, sig, err := decode(text, buf[:0])
	if w != nil {
		p = w.payload()
	}
	return kid, p, body, sig, err
}

// decode is Decode decoding base45 into buf (the caller's stack). It returns
// the wire body whenever CBOR parsing succeeded, and the body bytes and
// signature whenever the envelope opened, even if the body then failed.
func decode(text string, buf []byte) (kid [8]byte, w *wireBody, body, sig []byte, err error) {
	if len(text) > MaxTextLength {
		return kid, nil, nil, nil, fmt.Errorf("%w: text is %d characters, over %d", ErrMalformed, len(text), MaxTextLength)
	}
	if !strings.HasPrefix(text, Prefix) {
		if strings.HasPrefix(strings.ToUpper(text), Prefix) {
			return kid, nil, nil, nil, fmt.Errorf("%w: text is lower case (scanner Caps Lock?); QR alphanumeric text is upper case", ErrMalformed)
		}
		return kid, nil, nil, nil, fmt.Errorf("%w: text does not start with %q", ErrMalformed, Prefix)
	}
	raw, err := appendBase45(buf, text[len(Prefix):])
	if err != nil {
		return kid, nil, nil, nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	kid, body, sig, err = openEnvelope(qrDecMode, raw)
	if err != nil {
		return kid, nil, nil, nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	w = new(wireBody)
	if err := qrDecMode.Unmarshal(body, w); err != nil {
		return kid, nil, body, sig, fmt.Errorf("%w: body: %w", ErrMalformed, err)
	}
	if err := w.check(); err != nil {
		return kid, w, body, sig, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return kid, w, body, sig, nil
}

// Verify runs every check in QR-FORMAT.md's order and returns the first that
// fails, or VALID.
func (c *Checker) Verify(text string) Result {
	var buf [maxEnvelope]byte
	kid, w, body, sig, err := decode(text, buf[:0])
	var r Result
	if w != nil {
		r.Payload = w.payload()
	}
	// The envelope first; then the signer and the signature over the body
	// bytes, whatever those bytes hold; only then the body's fields. An
	// edited code is a forgery, never "damaged", even when the edit also
	// broke the body (QR-FORMAT.md, "Verdicts").
	if body == nil {
		return r.fail(Malformed, err.Error())
	}
	key, ok := c.Trust.Lookup(kid)
	if !ok {
		return r.fail(UnknownSigner, "no key with kid "+hex.EncodeToString(kid[:])+" in the trust list")
	}
	if !verifyParts(key.PublicKey, kid, body, sig) {
		return r.fail(BadSignature, "signature does not verify under key "+hex.EncodeToString(kid[:]))
	}
	if err != nil {
		return r.fail(Malformed, "signed by "+hex.EncodeToString(kid[:])+", but "+err.Error())
	}
	r.Signer = &key
	p := &r.Payload

	if why := key.allows(p); why != "" {
		return r.fail(SignerNotAllowed, why)
	}
	if c.IsRevoked != nil && c.IsRevoked(p.Serial) {
		return r.fail(Revoked, "serial "+p.Serial+" is on the revocation list")
	}
	now := time.Now()
	if c.Now != nil {
		now = c.Now()
	}
	if now.Before(p.ValidFrom.Add(-ClockTolerance)) {
		return r.fail(NotYetValid, fmt.Sprintf("valid from %s, now %s", p.ValidFrom.Format(time.RFC3339), now.In(TimeZone).Format(time.RFC3339)))
	}
	if now.After(p.ValidUntil.Add(ClockTolerance)) {
		return r.fail(Expired, fmt.Sprintf("valid until %s, now %s", p.ValidUntil.Format(time.RFC3339), now.In(TimeZone).Format(time.RFC3339)))
	}
	if p.HasHours && !WithinHours(now, p.HoursFrom, p.HoursTo) {
		return r.fail(OutsideHours, fmt.Sprintf("hours %s–%s, now %s", clock(p.HoursFrom), clock(p.HoursTo), now.In(TimeZone).Format("15:04")))
	}
	if c.Checkpoint != 0 && !c.inArea(p.Area) {
		return r.fail(OutsideArea, fmt.Sprintf("checkpoint %d is not within area %v", c.Checkpoint, p.Area))
	}
	if p.Kind == KindVoucher && c.IsUsed != nil && c.IsUsed(p.Serial) {
		return r.fail(AlreadyUsed, "voucher "+p.Serial+" was already scanned")
	}
	r.Verdict = Valid
	return r
}

func (r Result) fail(v Verdict, detail string) Result {
	r.Verdict, r.Detail = v, detail
	return r
}

// allows says why this key may not have sealed p, or "" if it may.
func (k *TrustedKey) allows(p *Payload) string {
	if p.IssuedAt.Before(k.NotBefore) || p.IssuedAt.After(k.NotAfter) {
		return fmt.Sprintf("issued at %s, outside key %q's validity %s – %s", p.IssuedAt.Format(time.RFC3339),
			k.Label, k.NotBefore.Format(time.RFC3339), k.NotAfter.Format(time.RFC3339))
	}
	if p.Unit != k.Unit {
		return fmt.Sprintf("payload unit %d, but key %q is certified for unit %d", p.Unit, k.Label, k.Unit)
	}
	for _, c := range k.Categories {
		if c == p.Category {
			return ""
		}
	}
	return fmt.Sprintf("key %q may issue categories %v, not %d", k.Label, k.Categories, p.Category)
}

func (c *Checker) inArea(area []uint32) bool {
	for _, a := range area {
		if c.Checkpoint == a || (c.Within != nil && c.Within(c.Checkpoint, a)) {
			return true
		}
	}
	return false
}

// WithinHours reports whether now, in UTC+7, falls in the daily window
// [from, to] minutes widened by ClockTolerance at both ends. A window whose
// end is before its start runs past midnight (a night shift, 22:00–06:00).
// The centre's abuse report uses it too: it must not call abuse what a
// checkpoint rightly let through.
func WithinHours(now time.Time, from, to int) bool {
	const day = 24 * 60 * 60
	tol := int(ClockTolerance / time.Second)
	h, m, s := now.In(TimeZone).Clock()
	sec := h*3600 + m*60 + s
	length := to - from // minutes
	if length < 0 {
		length += minutesPerDay
	}
	span := length*60 + 2*tol
	if span >= day {
		return true
	}
	start := from*60 - tol
	offset := ((sec-start)%day + day) % day // seconds since the widened start, on the clock face
	return offset <= span
}

// clock formats minutes after midnight as 07:30.
func clock(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }
