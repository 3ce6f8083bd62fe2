package store

// This file turns what a QR scanner typed into a text store/seal can
// decode: Caps Lock, a phone app's %20 or + for a space and stray line
// ends type something else than the code; NormalizeScan repairs what it
// can, never guessing, and says what it did or why it could not.

import (
	"net/url"
	"strings"

	"thonghanh/store/seal"
)

// ScanFix says what NormalizeScan had to repair before the text decoded.
type ScanFix uint8

// Repairs, combinable.
const (
	FixUpperCase ScanFix = 1 << iota // lower case from a scanner with Caps Lock on
	FixSpaces                        // %20 or + standing for a space (phone camera apps)
)

// ScanProblem says why a scanned text could not be read, before any
// signature is looked at. Zero means none.
type ScanProblem uint8

// Problems NormalizeScan reports, each with a sentence for the officer.
const (
	ProblemNone      ScanProblem = iota
	ProblemEmpty                 // nothing but line ends
	ProblemTooLong               // longer than any QR we print, refused unread
	ProblemPrefix                // not TH1:, in any case
	ProblemCharacter             // characters outside the QR alphanumeric set, not a case or space slip
	ProblemDamaged               // the right alphabet, but it does not decode (cut short, misread)
	ProblemAmbiguous             // more than one repair decodes, so none is trusted
)

var scanProblemText = map[ScanProblem][2]string{
	ProblemEmpty:     {"Không nhận được mã nào", "No code was received"},
	ProblemTooLong:   {"Mã dài bất thường, không phải mã Thông Hành", "The code is abnormally long; not a Thông Hành code"},
	ProblemPrefix:    {"Không phải mã Thông Hành: mã phải bắt đầu bằng TH1:", "Not a Thông Hành code: it must start with TH1:"},
	ProblemCharacter: {"Mã chứa ký tự lạ: kiểm tra bộ gõ tiếng Việt hoặc cài đặt bàn phím của máy quét", "The code holds characters a QR code cannot: check the Vietnamese input method or the scanner's keyboard layout"},
	ProblemDamaged:   {"Mã bị hỏng hoặc quét thiếu: quét lại", "The code is damaged or was read incompletely: scan again"},
	ProblemAmbiguous: {"Mã bị ứng dụng điện thoại đổi dấu cách và đọc được theo nhiều cách: quét lại bằng máy quét", "A phone app changed the spaces and the code reads more than one way: scan it with the scanner"},
}

// Text is the problem in Vietnamese ("vi", the default) or English ("en").
func (p ScanProblem) Text(lang string) string {
	t, ok := scanProblemText[p]
	if !ok {
		return ""
	}
	if lang == "en" {
		return t[1]
	}
	return t[0]
}

// Text describes the repairs made, for a line under the verdict.
func (f ScanFix) Text(lang string) string {
	en := lang == "en"
	var parts []string
	switch {
	case f&FixUpperCase != 0 && en:
		parts = append(parts, "lower case turned to upper case (scanner Caps Lock on?)")
	case f&FixUpperCase != 0:
		parts = append(parts, "đã đổi chữ thường thành chữ hoa (máy quét đang bật Caps Lock?)")
	}
	switch {
	case f&FixSpaces != 0 && en:
		parts = append(parts, "%20 or + turned back into spaces (code copied from a phone app)")
	case f&FixSpaces != 0:
		parts = append(parts, "đã đổi %20 hoặc + thành dấu cách (mã chép từ ứng dụng điện thoại)")
	}
	return strings.Join(parts, "; ")
}

// ScanInput is a scanned text made ready for the verifier.
type ScanInput struct {
	Text    string      // what to verify: the repaired reading, or the trimmed input when none decodes
	Fixes   ScanFix     // repairs that made Text decode
	Problem ScanProblem // why nothing decodes (Text is then MALFORMED)
	// Readings are the repairs that decode when more than one does
	// (ProblemAmbiguous): a + for a space mostly still decodes, as another
	// base45 digit. Only a signature can tell them apart, which
	// Scanner.Scan does; NormalizeScan has no keys.
	Readings []ScanInput
}

// maxScanInput bounds what NormalizeScan looks at. A percent-encoded code
// can be three times its QR text; anything longer is not ours, and is refused
// before any copy or decode.
const maxScanInput = 3 * seal.MaxTextLength

// NormalizeScan repairs what keyboard-wedge scanners and phone apps do to a
// QR text, without ever guessing:
//
//   - line ends (CR, LF) around it are dropped; leading blanks too, since a
//     code starts with TH1:. Trailing spaces stay: a space is a base45 digit.
//   - the text as it came is always tried first, and kept if it decodes.
//     Only when it does not are repairs tried, and one is kept only if it
//     decodes and no other repair decodes to a different text.
//   - Caps Lock: base45 has no lower case, so a text starting with th1: in
//     any case whose upper-cased form is all base45 is upper-cased.
//   - %20 or + for a space (and %25, %2B… when the app encoded properly):
//     "+" and "%" are base45 digits too, so they are read as encodings only
//     when the as-is text fails and the decoded one decodes. When several
//     readings decode, all are returned (ProblemAmbiguous) for a verifier
//     to keep the one whose signature holds, if exactly one does.
//
// "Decodes" means seal.Decode accepts it: prefix, base45, envelope and body.
// The signature is the verifier's business. A phone app that wrote + for
// spaces without encoding the code's own + has lost information: such a
// text is MALFORMED, or by chance decodes and fails its signature; either
// way the screen asks for a scan with the scanner.
func NormalizeScan(raw string) ScanInput {
	if len(raw) > maxScanInput {
		// The verifier refuses it by length before reading a character.
		return ScanInput{Text: raw, Problem: ProblemTooLong}
	}
	text := strings.TrimRight(raw, "\r\n")
	text = strings.TrimLeft(text, " \t\r\n")
	if text == "" {
		return ScanInput{Problem: ProblemEmpty}
	}
	if decodes(text) {
		return ScanInput{Text: text}
	}
	if !hasFold(text, seal.Prefix) && !hasFold(text, "TH1%3A") { // a form-encoded prefix
		return ScanInput{Text: text, Problem: ProblemPrefix}
	}

	found := repairs(text)
	switch {
	case len(found) == 1:
		return found[0]
	case len(found) > 1:
		return ScanInput{Text: text, Problem: ProblemAmbiguous, Readings: found}
	case !base45Only(asciiUpper(text)):
		return ScanInput{Text: text, Problem: ProblemCharacter}
	}
	return ScanInput{Text: text, Problem: ProblemDamaged}
}

func hasFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// repairs lists the distinct repaired readings of text that decode, with
// what was repaired: upper case (only when that makes it all base45), and
// each way a phone app may have encoded spaces, on either case.
func repairs(text string) []ScanInput {
	cases := []ScanInput{{Text: text}}
	if upper := asciiUpper(text); upper != text && base45Only(upper) {
		cases = append(cases, ScanInput{Text: upper, Fixes: FixUpperCase})
	}
	var found []ScanInput
	seen := map[string]bool{text: true}
	for _, c := range cases {
		for _, s := range spaceReadings(c.Text) {
			if seen[s] {
				continue
			}
			seen[s] = true
			r := ScanInput{Text: s, Fixes: c.Fixes}
			if s != c.Text {
				r.Fixes |= FixSpaces
			}
			if decodes(s) {
				found = append(found, r)
			}
		}
	}
	return found
}

// spaceReadings lists the texts a phone app's encoding of spaces could have
// come from, the text itself first: %20 for a space (alone, or with %25 for
// a percent sign: path encoding), + for a space (alone, or with %2B for a
// plus: form encoding), and both.
func spaceReadings(s string) []string {
	out := []string{s}
	hasPct, hasPlus := strings.Contains(s, "%"), strings.Contains(s, "+")
	if strings.Contains(s, "%20") {
		out = append(out, strings.ReplaceAll(s, "%20", " "))
	}
	if hasPlus {
		out = append(out, strings.ReplaceAll(s, "+", " "))
	}
	if strings.Contains(s, "%20") && hasPlus {
		out = append(out, strings.ReplaceAll(strings.ReplaceAll(s, "%20", " "), "+", " "))
	}
	if hasPct {
		if u, err := url.PathUnescape(s); err == nil {
			out = append(out, u)
		}
	}
	if hasPct || hasPlus {
		if u, err := url.QueryUnescape(s); err == nil {
			out = append(out, u)
		}
	}
	return out
}

// decodes is seal.Decode's yes or no; a variable so a test can stand in a
// decoder under which two repairs both decode (no real pair of codes does).
var decodes = func(s string) bool {
	_, _, _, _, err := seal.Decode(s)
	return err == nil
}

// asciiUpper upper-cases ASCII letters only: a non-ASCII letter has no
// base45 reading whatever its case, and must stay visible as what it is.
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	return string(b)
}

// base45Only reports whether s is all QR alphanumeric (RFC 9285's alphabet),
// with the prefix's ':' included.
func base45Only(s string) bool {
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(base45Alphabet, rune(s[i])) {
			return false
		}
	}
	return true
}

const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
