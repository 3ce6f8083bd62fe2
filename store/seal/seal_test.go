package seal

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

func TestSealThenDecodeGivesBackEveryField(t *testing.T) {
	full := typicalPermit()
	full.Vehicle = "63B1-123.45"
	for _, p := range []Payload{typicalPermit(), typicalVoucher(), full} {
		text := sealWith(t, testDeskKey, p)
		if !strings.HasPrefix(text, Prefix) {
			t.Fatalf("sealed text %q lacks the prefix", text)
		}
		kid, got, _, _, err := Decode(text)
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		if kid != KID(pub(testDeskKey)) {
			t.Errorf("kid %x, want the desk's %x", kid, KID(pub(testDeskKey)))
		}
		if !samePayload(got, p) {
			t.Errorf("round trip of %s:\n got %+v\nwant %+v", p.Kind, got, p)
		}
		if got.ValidFrom.Location() != TimeZone {
			t.Errorf("decoded times are in %v, want UTC+7 ready to show", got.ValidFrom.Location())
		}
	}
}

// samePayload compares payloads with times compared as instants.
func samePayload(a, b Payload) bool {
	if !a.ValidFrom.Equal(b.ValidFrom) || !a.ValidUntil.Equal(b.ValidUntil) || !a.IssuedAt.Equal(b.IssuedAt) {
		return false
	}
	a.ValidFrom, a.ValidUntil, a.IssuedAt = time.Time{}, time.Time{}, time.Time{}
	b.ValidFrom, b.ValidUntil, b.IssuedAt = time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

func TestSealIsDeterministic(t *testing.T) {
	a, b := sealWith(t, testDeskKey, typicalPermit()), sealWith(t, testDeskKey, typicalPermit())
	if a != b {
		t.Errorf("the same payload sealed twice differs:\n%s\n%s", a, b)
	}
}

// A name typed with combining marks (NFD) and one typed precomposed (NFC)
// must print the same QR: the holder is the same person.
func TestSealNormalisesTextToNFC(t *testing.T) {
	p := typicalPermit()
	decomposed := p
	decomposed.Name, decomposed.Route = norm.NFD.String(p.Name), norm.NFD.String(p.Route)
	if decomposed.Name == p.Name {
		t.Fatal("fixture name has no diacritics to decompose")
	}
	if sealWith(t, testDeskKey, decomposed) != sealWith(t, testDeskKey, p) {
		t.Error("NFD and NFC spellings of the same name seal differently")
	}
}

func TestSealRefusesWhatAVerifierWouldRefuse(t *testing.T) {
	edit := func(base Payload, f func(*Payload)) Payload { f(&base); return base }
	permit, voucher := typicalPermit(), typicalVoucher()
	for name, p := range map[string]Payload{
		"no kind":               edit(permit, func(p *Payload) { p.Kind = 0 }),
		"trust list kind":       edit(permit, func(p *Payload) { p.Kind = KindTrustList }),
		"no serial":             edit(permit, func(p *Payload) { p.Serial = "" }),
		"no unit":               edit(permit, func(p *Payload) { p.Unit = 0 }),
		"category 0":            edit(permit, func(p *Payload) { p.Category = 0 }),
		"category 6":            edit(permit, func(p *Payload) { p.Category = 6 }),
		"no name":               edit(permit, func(p *Payload) { p.Name = "" }),
		"no id":                 edit(permit, func(p *Payload) { p.IDNumber = "" }),
		"no valid from":         edit(permit, func(p *Payload) { p.ValidFrom = time.Time{} }),
		"no valid until":        edit(permit, func(p *Payload) { p.ValidUntil = time.Time{} }),
		"window reversed":       edit(permit, func(p *Payload) { p.ValidFrom, p.ValidUntil = p.ValidUntil, p.ValidFrom }),
		"before 1970":           edit(permit, func(p *Payload) { p.ValidFrom = time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC) }),
		"no area":               edit(permit, func(p *Payload) { p.Area = nil }),
		"area unit 0":           edit(permit, func(p *Payload) { p.Area = []uint32{0} }),
		"no issued at":          edit(permit, func(p *Payload) { p.IssuedAt = time.Time{} }),
		"hours past midnight":   edit(permit, func(p *Payload) { p.HoursTo = 1441 }),
		"negative hours":        edit(permit, func(p *Payload) { p.HoursFrom = -60 }),
		"purpose 9":             edit(permit, func(p *Payload) { p.Purpose = 9 }),
		"permit with household": edit(permit, func(p *Payload) { p.Household = "AP3-0042" }),
		"voucher category 4":    edit(voucher, func(p *Payload) { p.Category = 4 }),
		"voucher with hours":    edit(voucher, func(p *Payload) { p.HasHours, p.HoursFrom, p.HoursTo = true, 420, 540 }),
		"voucher with purpose":  edit(voucher, func(p *Payload) { p.Purpose = PurposeMarket }),
		"voucher with vehicle":  edit(voucher, func(p *Payload) { p.Vehicle = "63B1-123.45" }),
		"voucher no household":  edit(voucher, func(p *Payload) { p.Household = "" }),
		"invalid UTF-8":         edit(permit, func(p *Payload) { p.Name = "L\xffe" }),
		"too long for a QR":     edit(permit, func(p *Payload) { p.Route = strings.Repeat("Mỹ Tho ", 60) }),
	} {
		if text, err := NewSigner(testDeskKey).Seal(p); !errors.Is(err, ErrInvalidPayload) {
			t.Errorf("%s: Seal = %q, %v; want ErrInvalidPayload", name, text, err)
		}
	}
}

// Every verdict, in the order QR-FORMAT.md gives, on one checker: the first
// thing wrong is the thing reported.
func TestVerifyReportsTheFirstFailingCheck(t *testing.T) {
	permit, voucher := typicalPermit(), typicalVoucher()
	morning := local(2021, 9, 21, 7, 0, 0)
	revoked := permit
	revoked.Serial = revokedSerial
	wrongCategory := revoked // also revoked: SIGNER_NOT_ALLOWED must win
	wrongCategory.Category = 1
	for _, c := range []struct {
		name       string
		text       string
		at         time.Time
		checkpoint uint32
		used       bool
		want       Verdict
	}{
		{"valid permit", sealWith(t, testDeskKey, permit), morning, unitTanMyChanh, false, Valid},
		{"garbage", "hello", morning, 0, false, Malformed},
		{"rogue key", sealWith(t, testRogueKey, permit), morning, 0, false, UnknownSigner},
		{"forged body", resealBody(t, sealWith(t, testDeskKey, permit), mustBody(t, revoked)), morning, 0, false, BadSignature},
		{"wrong category, revoked too", sealWith(t, testDeskKey, wrongCategory), morning, 0, false, SignerNotAllowed},
		{"revoked, expired too", sealWith(t, testDeskKey, revoked), local(2021, 11, 1, 22, 0, 0), unitFarAway, false, Revoked},
		{"not yet valid, outside hours too", sealWith(t, testDeskKey, permit), local(2021, 9, 20, 22, 0, 0), unitFarAway, false, NotYetValid},
		{"expired, outside area too", sealWith(t, testDeskKey, permit), local(2021, 10, 1, 9, 0, 0), unitFarAway, false, Expired},
		{"outside hours, outside area too", sealWith(t, testDeskKey, permit), local(2021, 9, 21, 20, 0, 0), unitFarAway, false, OutsideHours},
		{"outside area, voucher used too", sealWith(t, testDeskKey, voucher), local(2021, 9, 22, 8, 0, 0), unitFarAway, true, OutsideArea},
		{"voucher used", sealWith(t, testDeskKey, voucher), local(2021, 9, 22, 8, 0, 0), unitTanMyChanh, true, AlreadyUsed},
		{"permit never used up", sealWith(t, testDeskKey, permit), morning, unitTanMyChanh, true, Valid},
	} {
		checker := testChecker(t, c.at)
		checker.Checkpoint = c.checkpoint
		checker.IsUsed = func(string) bool { return c.used }
		r := checker.Verify(c.text)
		if r.Verdict != c.want {
			t.Errorf("%s: %s (%s), want %s", c.name, r.Verdict, r.Detail, c.want)
		}
	}
}

func TestVerifyResultCarriesWhatCouldBeRead(t *testing.T) {
	permit := typicalPermit()
	checker := testChecker(t, local(2021, 9, 21, 7, 0, 0))

	r := checker.Verify(sealWith(t, testDeskKey, permit))
	if r.Verdict != Valid || r.Signer == nil || r.Signer.Label != "UBND xã Tân Mỹ Chánh, máy 1" || r.Payload.Name != permit.Name {
		t.Errorf("valid: %+v", r)
	}
	r = checker.Verify(sealWith(t, testRogueKey, permit))
	if r.Verdict != UnknownSigner || r.Signer != nil || r.Payload.Name != permit.Name {
		t.Errorf("unknown signer should show the (unverified) fields and no signer: %+v", r)
	}
	m := bodyMap(t, permit)
	delete(m, uint64(5))
	r = checker.Verify(signedBody(t, testDeskKey, encodeAny(t, m)))
	if r.Verdict != Malformed || r.Payload.Name != permit.Name || r.Payload.IDNumber != "" || !strings.Contains(r.Detail, "key 5") {
		t.Errorf("a body missing its ID should be MALFORMED, naming key 5 and showing the name: %+v", r)
	}
}

func TestVerifyWithoutATrustListKnowsNoSigner(t *testing.T) {
	var c Checker
	if r := c.Verify(sealWith(t, testDeskKey, typicalPermit())); r.Verdict != UnknownSigner {
		t.Errorf("no trust list: %s, want UNKNOWN_SIGNER", r.Verdict)
	}
}

// A checker whose clock is hours off is not rescued by the 5-minute
// tolerance, in either direction; one a few minutes off is.
func TestCheckerClockOffByHours(t *testing.T) {
	p := typicalPermit()
	p.HasHours = false // only the validity window is under test
	text := sealWith(t, testDeskKey, p)
	for _, c := range []struct {
		name string
		at   time.Time
		want Verdict
	}{
		{"clock 2h slow on the first morning", p.ValidFrom.Add(time.Hour).Add(-2 * time.Hour), NotYetValid},
		{"clock 6h slow on the first morning", p.ValidFrom.Add(time.Hour).Add(-6 * time.Hour), NotYetValid},
		{"clock 4m slow at the start", p.ValidFrom.Add(-4 * time.Minute), Valid},
		{"clock 2h fast on the last evening", p.ValidUntil.Add(-time.Hour).Add(2 * time.Hour), Expired},
		{"clock 6h fast on the last evening", p.ValidUntil.Add(-time.Hour).Add(6 * time.Hour), Expired},
		{"clock 4m fast at the end", p.ValidUntil.Add(4 * time.Minute), Valid},
		{"clock 3h off mid-window", p.ValidFrom.Add(72 * time.Hour).Add(3 * time.Hour), Valid},
	} {
		if r := testChecker(t, c.at).Verify(text); r.Verdict != c.want {
			t.Errorf("%s (%s): %s (%s), want %s", c.name, c.at, r.Verdict, r.Detail, c.want)
		}
	}
}

func TestWithinHours(t *testing.T) {
	at := func(h, m, s int) time.Time { return local(2021, 9, 22, h, m, s) }
	for _, c := range []struct {
		from, to int
		now      time.Time
		want     bool
	}{
		{360, 1080, at(12, 0, 0), true},
		{360, 1080, at(5, 55, 0), true},   // 5 minutes early
		{360, 1080, at(5, 54, 59), false}, // one second more
		{360, 1080, at(18, 5, 0), true},
		{360, 1080, at(18, 5, 1), false},
		{360, 1080, at(0, 0, 0), false},
		{1320, 360, at(23, 0, 0), true}, // night shift 22:00–06:00
		{1320, 360, at(2, 0, 0), true},
		{1320, 360, at(6, 5, 0), true},
		{1320, 360, at(6, 6, 0), false},
		{1320, 360, at(12, 0, 0), false},
		{1320, 360, at(21, 55, 0), true},
		{0, 1440, at(3, 0, 0), true}, // all day
		{0, 60, at(23, 56, 0), true}, // tolerance reaches back over midnight
		{0, 60, at(23, 54, 0), false},
		{1380, 1440, at(0, 4, 0), true}, // ends at midnight, tolerance reaches forward
		{600, 600, at(10, 5, 0), true},  // an instant, with tolerance
		{600, 600, at(10, 6, 0), false},
	} {
		if got := WithinHours(c.now.UTC(), c.from, c.to); got != c.want {
			t.Errorf("hours %s–%s at %s: %v, want %v", clock(c.from), clock(c.to), c.now.Format("15:04:05"), got, c.want)
		}
	}
}

// Every single-character misprint anywhere in a sealed text is caught: it
// may make the text unreadable, point at an unknown key, or break the
// signature, but never pass and never panic.
func TestOneCharacterChangedAnywhere(t *testing.T) {
	text := sealWith(t, testDeskKey, typicalPermit())
	checker := testChecker(t, local(2021, 9, 21, 7, 0, 0))
	checker.Checkpoint = unitTanMyChanh
	counts := map[Verdict]int{}
	for i := len(Prefix); i < len(text); i++ {
		if testing.Short() && i%7 != 0 {
			continue
		}
		for _, c := range []byte(base45Alphabet) {
			if c == text[i] {
				continue
			}
			r := checker.Verify(text[:i] + string(c) + text[i+1:])
			switch r.Verdict {
			case Malformed, UnknownSigner, BadSignature:
				counts[r.Verdict]++
			default:
				t.Fatalf("character %d changed to %q: %s (%s)", i, c, r.Verdict, r.Detail)
			}
		}
	}
	if counts[BadSignature] == 0 || counts[Malformed] == 0 || counts[UnknownSigner] == 0 {
		t.Errorf("expected all three refusals among the misprints, got %v", counts)
	}
}

// A misprint that leaves the envelope readable is judged by its signature:
// BAD_SIGNATURE (or UNKNOWN_SIGNER if it hit the kid), never MALFORMED,
// even when it also broke the body. Only a misprint that breaks base45 or
// the envelope itself is MALFORMED.
func TestAnEditThatOpensTheEnvelopeIsAForgery(t *testing.T) {
	text := sealWith(t, testDeskKey, typicalPermit())
	checker := testChecker(t, local(2021, 9, 21, 7, 0, 0))
	bodyBroken := 0
	for i := len(Prefix); i < len(text); i++ {
		for _, c := range []byte(base45Alphabet) {
			if c == text[i] {
				continue
			}
			edited := text[:i] + string(c) + text[i+1:]
			kid, _, body, _, err := Decode(edited)
			r := checker.Verify(edited)
			switch {
			case body == nil:
				if r.Verdict != Malformed {
					t.Fatalf("character %d → %q: envelope does not open (%v) but %s", i, c, err, r.Verdict)
				}
			case kid != KID(pub(testDeskKey)):
				if r.Verdict != UnknownSigner {
					t.Fatalf("character %d → %q: kid changed but %s (%s)", i, c, r.Verdict, r.Detail)
				}
			default:
				if r.Verdict != BadSignature {
					t.Fatalf("character %d → %q: envelope opens (body error %v) but %s (%s)", i, c, err, r.Verdict, r.Detail)
				}
				if err != nil {
					bodyBroken++
				}
			}
		}
	}
	if bodyBroken == 0 {
		t.Error("no misprint broke the body under an intact envelope: the test proves nothing")
	}
	t.Logf("%d misprints broke the body too, all BAD_SIGNATURE", bodyBroken)
}

// Every bit of the envelope flipped, re-encoded as valid base45: never VALID.
func TestEveryEnvelopeBitFlipped(t *testing.T) {
	text := sealWith(t, testDeskKey, typicalPermit())
	raw, err := DecodeBase45(text[len(Prefix):])
	if err != nil {
		t.Fatal(err)
	}
	checker := testChecker(t, local(2021, 9, 21, 7, 0, 0))
	for i := range raw {
		for bit := range 8 {
			tampered := bytes.Clone(raw)
			tampered[i] ^= 1 << bit
			r := checker.Verify(Prefix + EncodeBase45(tampered))
			if r.Verdict != Malformed && r.Verdict != UnknownSigner && r.Verdict != BadSignature {
				t.Fatalf("byte %d bit %d flipped: %s (%s)", i, bit, r.Verdict, r.Detail)
			}
		}
	}
}

func TestTruncatedAtEveryLength(t *testing.T) {
	text := sealWith(t, testDeskKey, typicalPermit())
	checker := testChecker(t, local(2021, 9, 21, 7, 0, 0))
	for n := range len(text) {
		if r := checker.Verify(text[:n]); r.Verdict != Malformed {
			t.Fatalf("truncated to %d characters: %s", n, r.Verdict)
		}
	}
}

func TestLowerCaseTextIsMalformedWithAHint(t *testing.T) {
	text := strings.ToLower(sealWith(t, testDeskKey, typicalPermit()))
	r := testChecker(t, local(2021, 9, 21, 7, 0, 0)).Verify(text)
	if r.Verdict != Malformed || !strings.Contains(r.Detail, "Caps Lock") {
		t.Errorf("lower-case text: %s (%s), want MALFORMED mentioning Caps Lock", r.Verdict, r.Detail)
	}
}

// The length limit applies before anything is decoded: an over-long text is
// refused for its length even when its first characters are already invalid.
func TestOverLongTextRefusedBeforeDecoding(t *testing.T) {
	for _, text := range []string{
		Prefix + strings.Repeat("#", MaxTextLength),
		"XX" + strings.Repeat("A", 5000),
	} {
		_, _, _, _, err := Decode(text)
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "over 1000") {
			t.Errorf("Decode of %d characters: %v, want a length error", len(text), err)
		}
	}
}

// The decoder's array limit stops a signed body with a huge area list
// before it is built; the same area at the limit is accepted.
func TestDecoderArrayLimit(t *testing.T) {
	for _, c := range []struct {
		n    int
		want Verdict
	}{{256, Valid}, {257, Malformed}} {
		p := typicalPermit()
		p.Area = make([]uint32, c.n)
		for i := range p.Area {
			p.Area[i] = uint32(i%23 + 1) // one byte each, so it fits in 1000 characters
		}
		p.Area[0] = unitTanMyChanh
		p.Name, p.Route, p.HasHours = "Vy", "", false
		body := mustBody(t, p)
		r := testChecker(t, local(2021, 9, 21, 7, 0, 0)).Verify(signedBody(t, testDeskKey, body))
		if r.Verdict != c.want {
			t.Errorf("area of %d codes: %s (%s), want %s", c.n, r.Verdict, r.Detail, c.want)
		}
	}
}

func TestDecodeReturnsVerifiableParts(t *testing.T) {
	text := sealWith(t, testDeskKey, typicalPermit())
	kid, _, body, sig, err := Decode(text)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, mustBody(t, typicalPermit())) {
		t.Error("Decode's body is not the sealed body")
	}
	if !verifyParts(pub(testDeskKey), kid, body, sig) {
		t.Error("Decode's parts do not verify under the desk key")
	}
}

func TestVerdictTexts(t *testing.T) {
	seen := map[string]Verdict{}
	for _, v := range append(Verdicts[:len(Verdicts):len(Verdicts)], WrongMarket) {
		vi, en := v.Text("vi"), v.Text("en")
		if vi == string(v) || en == string(v) || vi == en {
			t.Errorf("%s: vi %q, en %q", v, vi, en)
		}
		if v.Text("") != vi {
			t.Errorf("%s: the default language is not Vietnamese", v)
		}
		if prev, dup := seen[vi]; dup {
			t.Errorf("%s and %s share the text %q", v, prev, vi)
		}
		seen[vi] = v
		if ti, te := v.Title("vi"), v.Title("en"); ti == string(v) || te == string(v) || ti == te {
			t.Errorf("%s: banner title vi %q, en %q", v, ti, te)
		}
	}
	if got := BadSignature.Text("vi"); got != "Chữ ký không đúng — giấy giả hoặc đã bị sửa" {
		t.Errorf("BAD_SIGNATURE in Vietnamese: %q", got)
	}
	if got := Valid.Text("vi"); got != "Giấy hợp lệ" {
		t.Errorf("VALID in Vietnamese: %q", got)
	}
	for p := PurposeWork; p <= maxPurpose; p++ {
		if PurposeText(p, "vi") == PurposeText(p, "en") || strings.HasPrefix(PurposeText(p, "en"), "purpose") {
			t.Errorf("purpose %d has no names", p)
		}
	}
}

// One checker serves every scanner at a market gate at once (run with -race).
func TestCheckerIsSafeForConcurrentUse(t *testing.T) {
	checker := testChecker(t, local(2021, 9, 22, 8, 0, 0))
	checker.Checkpoint = unitTanMyChanh
	texts := []string{sealWith(t, testDeskKey, typicalPermit()), sealWith(t, testDeskKey, typicalVoucher()), "TH1:garbage"}
	want := []Verdict{Valid, Valid, Malformed}
	done := make(chan error)
	for g := range 4 {
		go func() {
			var err error
			for i := range 50 {
				k := (g + i) % len(texts)
				if r := checker.Verify(texts[k]); r.Verdict != want[k] && err == nil {
					err = errors.New(string(r.Verdict) + ": " + r.Detail)
				}
			}
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
