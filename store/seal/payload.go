package seal

import (
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Kind is body key 0: what a sealed body is.
type Kind uint8

const (
	KindPermit         Kind = 1 // giấy đi đường
	KindVoucher        Kind = 2 // phiếu đi chợ
	KindTrustList      Kind = 3
	KindRevocationList Kind = 4
)

func (k Kind) String() string {
	switch k {
	case KindPermit:
		return "permit"
	case KindVoucher:
		return "voucher"
	case KindTrustList:
		return "trust list"
	case KindRevocationList:
		return "revocation list"
	}
	return fmt.Sprintf("kind %d", uint8(k))
}

// Purpose is body key 11, why a permit holder travels (QR-FORMAT.md).
type Purpose uint8

const (
	PurposeWork       Purpose = 1 // đi làm
	PurposeEssentials Purpose = 2 // mua lương thực, thực phẩm, hàng thiết yếu
	PurposeProduction Purpose = 3 // sản xuất, vận chuyển nông sản, thủy sản
	PurposeMedical    Purpose = 4 // khám, chữa bệnh
	PurposeEmergency  Purpose = 5 // cháy nổ, cấp cứu
	PurposeFuneral    Purpose = 6 // tang lễ
	PurposeEpidemic   Purpose = 7 // làm nhiệm vụ phòng, chống dịch
	PurposeMarket     Purpose = 8 // đi chợ
	maxPurpose                = PurposeMarket
)

// String is the English name, for logs and JSON.
func (p Purpose) String() string { return PurposeText(p, "en") }

// TimeZone is the local clock of every rule: Vietnam is UTC+7 all year (no
// daylight saving), so a fixed zone needs no tz database on a checkpoint's
// Windows PC.
var TimeZone = time.FixedZone("UTC+7", 7*60*60)

// ClockTolerance widens the validity window and the daily hours at both ends:
// a checkpoint's or a desk's clock a few minutes off must not turn a good
// permit away. QR-FORMAT.md fixes it at 5 minutes.
const ClockTolerance = 5 * time.Minute

// MaxTextLength is the longest QR text a decoder looks at, in bytes (a valid
// text is ASCII, so also in characters). Anything longer is refused before a
// single character is decoded.
const MaxTextLength = 1000

// Prefix starts every sealed text; the 1 is the format version.
const Prefix = "TH1:"

// Payload is the body of a permit or voucher (all fields a verifier could read).
type Payload struct {
	Kind       Kind
	Serial     string
	Unit       uint32 // issuing unit code
	Category   uint8  // 1..5
	Name       string // NFC
	IDNumber   string
	ValidFrom  time.Time // Unix seconds on the wire
	ValidUntil time.Time
	HoursFrom  int // minutes after local midnight UTC+7; HasHours says if present
	HoursTo    int
	HasHours   bool
	Area       []uint32
	Route      string  // permit route, or voucher market name
	Purpose    Purpose // 0 = absent
	IssuedAt   time.Time
	Vehicle    string
	Household  string // voucher household code
}

// wireBody is the body map on the wire. Keys are the integers of QR-FORMAT.md.
// A zero number, empty text or empty array counts as absent, on both sides:
// the encoder omits it, the decoder treats it so, and a required key must be
// non-zero. That one rule is all another implementation needs to agree.
type wireBody struct {
	Kind      uint8    `cbor:"0,keyasint"`
	Serial    string   `cbor:"1,keyasint"`
	Unit      uint32   `cbor:"2,keyasint"`
	Category  uint8    `cbor:"3,keyasint"`
	Name      string   `cbor:"4,keyasint,omitempty"` // required on permits (check), optional on vouchers
	IDNumber  string   `cbor:"5,keyasint"`
	From      uint64   `cbor:"6,keyasint"`
	Until     uint64   `cbor:"7,keyasint"`
	Hours     []uint16 `cbor:"8,keyasint,omitempty"`
	Area      []uint32 `cbor:"9,keyasint"`
	Route     string   `cbor:"10,keyasint,omitempty"`
	Purpose   uint8    `cbor:"11,keyasint,omitempty"`
	IssuedAt  uint64   `cbor:"12,keyasint"`
	Vehicle   string   `cbor:"13,keyasint,omitempty"`
	Household string   `cbor:"14,keyasint,omitempty"`
}

// maxUnix (9999-12-31T23:59:59Z) bounds wire times, so converting one to
// time.Time or adding the tolerance can never overflow.
const maxUnix = 253402300799

// minutesPerDay bounds the daily hours; 1440 is allowed as an end ("until midnight").
const minutesPerDay = 24 * 60

// ErrInvalidPayload is wrapped by every reason a body breaks the contract,
// whether Seal refuses to write it or a verifier reads it (MALFORMED).
var ErrInvalidPayload = errors.New("invalid payload")

// fieldNames labels body keys in errors.
var fieldNames = [...]string{
	0: "kind", 1: "serial", 2: "unit", 3: "category", 4: "name", 5: "id number",
	6: "valid from", 7: "valid until", 8: "hours", 9: "area", 10: "route or market",
	11: "purpose", 12: "issued at", 13: "vehicle", 14: "household",
}

func missing(key int) error {
	return fmt.Errorf("%w: required key %d (%s) is missing or empty", ErrInvalidPayload, key, fieldNames[key])
}

func notAllowed(key int, k Kind) error {
	return fmt.Errorf("%w: key %d (%s) is not part of a %s", ErrInvalidPayload, key, fieldNames[key], k)
}

// check enforces QR-FORMAT.md on a body: kind 1 or 2, the required keys of
// that kind, no key of the other kind, and values in range. A voucher's name
// (4) and market name (10) are optional: with them no voucher fits the
// contract's QR budget (version 11 at Q), and the market entrance compares
// the ID number (5) and household code (14) with the card and the list; the
// paper prints the name and market beside the code. Seal and the
// decoder both run it, so a desk cannot print what a checkpoint would refuse.
func (w *wireBody) check() error {
	k := Kind(w.Kind)
	switch k {
	case KindPermit, KindVoucher:
	case 0:
		return missing(0)
	default:
		return fmt.Errorf("%w: kind %d is not a permit (1) or voucher (2)", ErrInvalidPayload, w.Kind)
	}
	switch {
	case w.Serial == "":
		return missing(1)
	case w.Unit == 0:
		return missing(2)
	case w.Category == 0:
		return missing(3)
	case w.Name == "" && k == KindPermit:
		return missing(4)
	case w.IDNumber == "":
		return missing(5)
	case w.From == 0:
		return missing(6)
	case w.Until == 0:
		return missing(7)
	case len(w.Area) == 0:
		return missing(9)
	case w.IssuedAt == 0:
		return missing(12)
	}
	if k == KindVoucher {
		switch {
		case w.Household == "":
			return missing(14)
		case len(w.Hours) != 0:
			return notAllowed(8, k)
		case w.Purpose != 0:
			return notAllowed(11, k)
		case w.Vehicle != "":
			return notAllowed(13, k)
		case w.Category != 5:
			return fmt.Errorf("%w: a voucher's category is 5, not %d", ErrInvalidPayload, w.Category)
		}
	} else {
		if w.Household != "" {
			return notAllowed(14, k)
		}
		if w.Category > 5 {
			return fmt.Errorf("%w: category %d is not 1–5", ErrInvalidPayload, w.Category)
		}
		if w.Purpose > uint8(maxPurpose) {
			return fmt.Errorf("%w: purpose %d is not 1–%d", ErrInvalidPayload, w.Purpose, maxPurpose)
		}
	}
	if w.From > maxUnix || w.Until > maxUnix || w.IssuedAt > maxUnix {
		return fmt.Errorf("%w: a time is after year 9999", ErrInvalidPayload)
	}
	if w.From > w.Until {
		return fmt.Errorf("%w: valid from %d is after valid until %d", ErrInvalidPayload, w.From, w.Until)
	}
	if len(w.Hours) != 0 {
		if len(w.Hours) != 2 {
			return fmt.Errorf("%w: hours has %d values, want [start, end]", ErrInvalidPayload, len(w.Hours))
		}
		if w.Hours[0] > minutesPerDay || w.Hours[1] > minutesPerDay {
			return fmt.Errorf("%w: hours [%d, %d] beyond 1440 minutes", ErrInvalidPayload, w.Hours[0], w.Hours[1])
		}
	}
	for _, a := range w.Area {
		if a == 0 {
			return fmt.Errorf("%w: area holds unit code 0", ErrInvalidPayload)
		}
	}
	return nil
}

// wire converts a Payload for encoding, normalising text to NFC so the same
// name typed on two keyboards (precomposed or combining marks) seals the same.
func (p *Payload) wire() (wireBody, error) {
	w := wireBody{
		Kind:      uint8(p.Kind),
		Serial:    norm.NFC.String(p.Serial),
		Unit:      p.Unit,
		Category:  p.Category,
		Name:      norm.NFC.String(p.Name),
		IDNumber:  norm.NFC.String(p.IDNumber),
		Area:      p.Area,
		Route:     norm.NFC.String(p.Route),
		Purpose:   uint8(p.Purpose),
		Vehicle:   norm.NFC.String(p.Vehicle),
		Household: norm.NFC.String(p.Household),
	}
	for _, s := range []string{w.Serial, w.Name, w.IDNumber, w.Route, w.Vehicle, w.Household} {
		if !utf8.ValidString(s) {
			return w, fmt.Errorf("%w: text %q is not valid UTF-8", ErrInvalidPayload, s)
		}
	}
	var err error
	if w.From, err = wireTime(p.ValidFrom, 6); err != nil {
		return w, err
	}
	if w.Until, err = wireTime(p.ValidUntil, 7); err != nil {
		return w, err
	}
	if w.IssuedAt, err = wireTime(p.IssuedAt, 12); err != nil {
		return w, err
	}
	if p.HasHours {
		if p.HoursFrom < 0 || p.HoursTo < 0 || p.HoursFrom > minutesPerDay || p.HoursTo > minutesPerDay {
			return w, fmt.Errorf("%w: hours %d–%d not within 0–1440 minutes", ErrInvalidPayload, p.HoursFrom, p.HoursTo)
		}
		w.Hours = []uint16{uint16(p.HoursFrom), uint16(p.HoursTo)}
	}
	return w, w.check()
}

// wireTime is Unix seconds; the zero time stays 0 (absent) for check to name.
func wireTime(t time.Time, key int) (uint64, error) {
	if t.IsZero() {
		return 0, nil
	}
	s := t.Unix()
	if s <= 0 {
		return 0, fmt.Errorf("%w: %s %s is not after 1970", ErrInvalidPayload, fieldNames[key], t.Format(time.RFC3339))
	}
	return uint64(s), nil
}

// payload converts a decoded body; it fills whatever is there even when check
// failed, so a MALFORMED result still shows what could be read.
func (w *wireBody) payload() Payload {
	p := Payload{
		Kind:       Kind(w.Kind),
		Serial:     w.Serial,
		Unit:       w.Unit,
		Category:   w.Category,
		Name:       w.Name,
		IDNumber:   w.IDNumber,
		ValidFrom:  localTime(w.From),
		ValidUntil: localTime(w.Until),
		Area:       w.Area,
		Route:      w.Route,
		Purpose:    Purpose(w.Purpose),
		IssuedAt:   localTime(w.IssuedAt),
		Vehicle:    w.Vehicle,
		Household:  w.Household,
	}
	if len(w.Hours) == 2 {
		p.HasHours, p.HoursFrom, p.HoursTo = true, int(w.Hours[0]), int(w.Hours[1])
	}
	return p
}

// localTime turns wire seconds into a time in UTC+7, ready to show; 0 (absent)
// and out-of-range values stay the zero time.
func localTime(s uint64) time.Time {
	if s == 0 || s > maxUnix {
		return time.Time{}
	}
	return time.Unix(int64(s), 0).In(TimeZone)
}
