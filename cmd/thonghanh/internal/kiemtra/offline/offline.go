// Package offline is what the phone checkpoint page runs in the browser,
// compiled to WebAssembly: it opens the province's signed lists, verifies a
// QR text with store/seal's own Checker, and reads a QR code from a camera
// frame. The page therefore gives exactly the desk's verdicts, in the same
// words (seal's tables), because it is the same code.
//
// Its room is pure functions over bytes and a clock handed in: no network,
// no storage, no DOM (the wasm main in ../wasm does the JavaScript glue). It
// may import store/seal and the QR decoder, never package store (SQLite does
// not run in a browser) nor anything that draws.
package offline

import (
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"thonghanh/store/seal"
)

// Unit is one unit as the page knows it: enough to name an area and to tell
// whether a checkpoint lies inside it.
type Unit struct {
	Code   uint32 `json:"code"`
	Name   string `json:"name"`
	Parent uint32 `json:"parent,omitempty"` // the administrative unit above; 0 for the top
}

// Lists is what the server hands the phone at login and on every refresh:
// the root public key (hex, 64 characters), the two signed list files, and
// the units.
type Lists struct {
	Root        string `json:"root"`
	Trust       []byte `json:"trust"`
	Revocations []byte `json:"revocations"`
	Units       []Unit `json:"units"`
	// The sequences the phone already holds: an older list is refused, so
	// a replayed answer cannot bring a revoked permit back.
	HeldTrust       uint64 `json:"held_trust,omitempty"`
	HeldRevocations uint64 `json:"held_revocations,omitempty"`
}

// ListInfo says which lists a Verifier holds, for the page's "lists from …"
// line and its warning when the revocation list is old.
type ListInfo struct {
	TrustSequence      uint64 `json:"trust_sequence"`
	TrustIssuedAt      int64  `json:"trust_issued_at"`
	RevocationSequence uint64 `json:"revocation_sequence"`
	RevocationIssuedAt int64  `json:"revocation_issued_at"`
	Keys               int    `json:"keys"`
	Revoked            int    `json:"revoked"`
}

// Verifier holds opened lists. Open one per set of lists; it is read-only
// afterwards.
type Verifier struct {
	trust   *seal.TrustList
	revoked map[string]struct{}
	units   map[uint32]Unit
	info    ListInfo
}

// ErrLists is wrapped by every refusal of Open: a list that is not the
// province's, or damaged.
var ErrLists = errors.New("danh sách không hợp lệ")

// Open checks both lists against the root key (a list the root did not sign
// is refused, exactly as on a desk) and indexes the units.
func Open(l Lists) (*Verifier, error) {
	root, err := seal.LoadRootPublicKeyHex(l.Root)
	if err != nil {
		return nil, fmt.Errorf("%w: khóa gốc của tỉnh: %v", ErrLists, err)
	}
	return open(root, l)
}

func open(root ed25519.PublicKey, l Lists) (*Verifier, error) {
	trust, err := seal.OpenTrustList(root, l.Trust, l.HeldTrust)
	if err != nil {
		return nil, fmt.Errorf("%w: danh sách tin cậy: %v", ErrLists, err)
	}
	rev, err := seal.OpenRevocationList(root, l.Revocations, l.HeldRevocations)
	if err != nil {
		return nil, fmt.Errorf("%w: danh sách thu hồi: %v", ErrLists, err)
	}
	v := &Verifier{trust: trust, revoked: rev.Set(), units: make(map[uint32]Unit, len(l.Units))}
	for _, u := range l.Units {
		v.units[u.Code] = u
	}
	v.info = ListInfo{TrustSequence: trust.Sequence, TrustIssuedAt: trust.IssuedAt.Unix(), Keys: len(trust.Keys),
		RevocationSequence: rev.Sequence, RevocationIssuedAt: rev.IssuedAt.Unix(), Revoked: len(rev.Serials)}
	return v, nil
}

// Info describes the lists held.
func (v *Verifier) Info() ListInfo { return v.info }

// within mirrors store.UnitIndex.Within: place lies inside area if it is
// area or a unit above it is.
func (v *Verifier) within(place, area uint32) bool {
	for range 4 {
		if place == area {
			return true
		}
		u, ok := v.units[place]
		if !ok || u.Parent == 0 {
			return false
		}
		place = u.Parent
	}
	return false
}

// Name is a unit's name, or its code when the page does not know it.
func (v *Verifier) Name(code uint32) string {
	if u, ok := v.units[code]; ok && u.Name != "" {
		return u.Name
	}
	return fmt.Sprint(code)
}

// Payload is a sealed body's fields in the test vectors' JSON shape
// (store/seal/testdata/README.md, expected.payload), so a test compares the
// page's reading with the vectors field by field.
type Payload struct {
	Kind       uint8    `json:"kind"`
	Serial     string   `json:"serial"`
	Unit       uint32   `json:"unit"`
	Category   uint8    `json:"category"`
	Name       string   `json:"name"`
	IDNumber   string   `json:"id_number"`
	ValidFrom  int64    `json:"valid_from"`
	ValidUntil int64    `json:"valid_until"`
	Hours      *[2]int  `json:"hours"`
	Area       []uint32 `json:"area"`
	Route      string   `json:"route"`
	Purpose    uint8    `json:"purpose"`
	IssuedAt   int64    `json:"issued_at"`
	Vehicle    string   `json:"vehicle"`
	Household  string   `json:"household"`
}

// Line is one labelled value under the banner.
type Line struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Answer is one verdict as the page shows it and stores it.
type Answer struct {
	Verdict seal.Verdict `json:"verdict"`
	OK      bool         `json:"ok"`
	Title   string       `json:"title"`  // seal's short title: the banner
	Reason  string       `json:"reason"` // seal's sentence under it
	// Unverified is set when fields were read but no signature verified
	// them: the page says so and the officer must not compare them.
	Unverified bool     `json:"unverified"`
	KID        string   `json:"kid,omitempty"`
	SignerKID  string   `json:"signer_kid,omitempty"`
	Body       string   `json:"body,omitempty"` // hex, VALID only
	Payload    *Payload `json:"payload"`        // nil for MALFORMED
	Lines      []Line   `json:"lines"`
	Detail     string   `json:"detail,omitempty"` // English, for the scan log
}

// Verify checks text at the checkpoint's unit (0: the area is not checked)
// at now, with the vouchers already used on this phone or reported used by
// the centre.
func (v *Verifier) Verify(text string, checkpoint uint32, now time.Time, used []string) Answer {
	usedSet := make(map[string]struct{}, len(used))
	for _, s := range used {
		usedSet[s] = struct{}{}
	}
	c := seal.Checker{
		Trust:      v.trust,
		IsRevoked:  func(s string) bool { _, ok := v.revoked[s]; return ok },
		IsUsed:     func(s string) bool { _, ok := usedSet[s]; return ok },
		Checkpoint: checkpoint,
		Within:     v.within,
		Now:        func() time.Time { return now },
	}
	r := c.Verify(text)
	a := Answer{Verdict: r.Verdict, OK: r.Verdict == seal.Valid, Title: r.Verdict.Title("vi"), Reason: r.Verdict.Text("vi"), Detail: r.Detail}
	if r.Verdict == seal.Malformed {
		return a
	}
	// Everything past MALFORMED has a parsed envelope and body.
	kid, _, body, _, decodeErr := seal.Decode(text)
	a.KID = hex.EncodeToString(kid[:])
	if r.Signer != nil {
		a.SignerKID = hex.EncodeToString(r.Signer.KID[:])
	} else {
		a.Unverified = true
	}
	if a.OK {
		a.Body = hex.EncodeToString(body)
	}
	if decodeErr != nil {
		// A forged code whose body is itself damaged: its fields mean
		// nothing, so none are shown (the test vectors' payload null).
		return a
	}
	p := payloadOf(r.Payload)
	a.Payload = &p
	a.Lines = v.lines(r.Payload)
	return a
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func payloadOf(p seal.Payload) Payload {
	out := Payload{Kind: uint8(p.Kind), Serial: p.Serial, Unit: p.Unit, Category: p.Category, Name: p.Name, IDNumber: p.IDNumber,
		ValidFrom: unix(p.ValidFrom), ValidUntil: unix(p.ValidUntil), Area: p.Area, Route: p.Route, Purpose: uint8(p.Purpose),
		IssuedAt: unix(p.IssuedAt), Vehicle: p.Vehicle, Household: p.Household}
	if out.Area == nil {
		out.Area = []uint32{}
	}
	if p.HasHours {
		out.Hours = &[2]int{p.HoursFrom, p.HoursTo}
	}
	return out
}

// lines are what the officer compares with the ID card, in the order the
// desk's screen shows them.
func (v *Verifier) lines(p seal.Payload) []Line {
	var out []Line
	// The labels are store/seal's, as the desk's Kiểm tra screen shows them.
	add := func(f seal.Field, value string) {
		if value != "" {
			out = append(out, Line{f.Label("vi"), value})
		}
	}
	add(seal.FieldName, strings.ToUpper(p.Name))
	add(seal.FieldID, p.IDNumber)
	if p.Category != 0 {
		add(seal.FieldCategory, seal.CategoryText(p.Category, "vi"))
	}
	switch {
	case p.Kind == seal.KindVoucher:
		add(seal.FieldPurpose, seal.PurposeText(seal.PurposeMarket, "vi")+" · hộ "+p.Household)
	case p.Purpose != 0:
		purpose := seal.PurposeText(p.Purpose, "vi")
		if p.Vehicle != "" {
			purpose += " · xe " + p.Vehicle
		}
		add(seal.FieldPurpose, purpose)
	}
	names := make([]string, len(p.Area))
	for i, a := range p.Area {
		names[i] = v.Name(a)
	}
	add(seal.FieldArea, strings.Join(names, ", "))
	if p.Kind == seal.KindVoucher {
		add(seal.FieldMarket, p.Route)
	} else {
		add(seal.FieldRoute, p.Route)
	}
	if !p.ValidFrom.IsZero() {
		add(seal.FieldValidity, dateTime(p.ValidFrom)+" – "+dateTime(p.ValidUntil))
	}
	switch {
	case p.HasHours:
		add(seal.FieldHours, minutes(p.HoursFrom)+"–"+minutes(p.HoursTo))
	case p.Kind == seal.KindPermit:
		add(seal.FieldHours, "cả ngày")
	}
	if p.Unit != 0 {
		add(seal.FieldIssuer, v.Name(p.Unit))
	}
	add(seal.FieldSerial, p.Serial)
	return out
}

// dateTime prints 21/09/2021 07:00 in Vietnam time, as store.FormatDateTime.
func dateTime(t time.Time) string { return t.In(seal.TimeZone).Format("02/01/2006 15:04") }

// minutes prints minutes after midnight as 06:30, as store.FormatMinutes.
func minutes(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }
