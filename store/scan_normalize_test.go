package store

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"thonghanh/store/seal"
)

// codeWhere seals permits with successive serials until one's text
// satisfies want: a deterministic way to get a real code holding a space, a
// '+' or a "%20" among its base45 digits.
func codeWhere(t *testing.T, want func(string) bool) string {
	t.Helper()
	at := time.Date(2021, 9, 21, 8, 0, 0, 0, seal.TimeZone)
	for i := range 20_000 {
		// The key varies too: its kid is the text's first characters, and
		// a fixed one would fix them.
		seed := sha256.Sum256(fmt.Appendf(nil, "scan normalise test key %d", i))
		signer := seal.NewSigner(ed25519.NewKeyFromSeed(seed[:]))
		text, err := signer.Seal(seal.Payload{Kind: seal.KindPermit, Serial: fmt.Sprintf("28291-1-2021-%06d", i), Unit: 28291,
			Category: 4, Name: "Nguyễn Văn Đức", IDNumber: "082090123456", ValidFrom: at.Add(time.Duration(i) * time.Second), ValidUntil: at.Add(48 * time.Hour),
			Area: []uint32{28291}, IssuedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		if want(text) {
			return text
		}
	}
	t.Fatal("no code found")
	return ""
}

func TestNormalizeScan(t *testing.T) {
	body := func(s string) string { return s[len(seal.Prefix):] }
	plain := codeWhere(t, func(s string) bool { return !strings.ContainsAny(body(s), " ") })
	spaced := codeWhere(t, func(s string) bool { return strings.Contains(body(s), " ") && !strings.Contains(s, "%20") })
	withPlus := codeWhere(t, func(s string) bool { return strings.Contains(s, "+") })
	withPct20 := codeWhere(t, func(s string) bool { return strings.Contains(s, "%20") })
	plusAndSpace := codeWhere(t, func(s string) bool {
		return strings.Contains(s, "+") && strings.Contains(body(s), " ") && decodes(strings.ReplaceAll(s, " ", "+"))
	})

	tests := []struct {
		name    string
		in      string
		want    string // "" = the input trimmed
		fixes   ScanFix
		problem ScanProblem
	}{
		{"as scanned", plain, plain, 0, ProblemNone},
		{"trailing CR LF", plain + "\r\n", plain, 0, ProblemNone},
		{"trailing LF, leading CR LF of the previous scan", "\r\n" + plain + "\n", plain, 0, ProblemNone},
		{"spaces are base45 digits, kept", spaced, spaced, 0, ProblemNone},
		{"Caps Lock: all lower case", strings.ToLower(plain), plain, FixUpperCase, ProblemNone},
		{"Caps Lock with CR", strings.ToLower(plain) + "\r", plain, FixUpperCase, ProblemNone},
		{"only the prefix in lower case", "th1:" + body(plain), plain, FixUpperCase, ProblemNone},
		{"spaces as %20", strings.ReplaceAll(spaced, " ", "%20"), spaced, FixSpaces, ProblemNone},
		// Form encoding decodes two ways: fully, and with its + left as +
		// (another base45 digit). Both are handed on; the signature picks.
		{"form encoded: spaces as +, + as %2B", url.QueryEscape(spaced), "", 0, ProblemAmbiguous},
		{"path encoded: spaces as %20, % as %25", url.PathEscape(spaced), spaced, FixSpaces, ProblemNone},
		{"form encoded, then Caps Lock", strings.ToLower(url.QueryEscape(spaced)), "", 0, ProblemAmbiguous},
		// A '+' or "%20" that decodes as it is stays: it is base45.
		{"genuine + kept", withPlus, withPlus, 0, ProblemNone},
		{"genuine %20 kept", withPct20, withPct20, 0, ProblemNone},
		// Spaces turned to '+' without encoding the code's own '+': which
		// is which cannot be told. The text decodes as it is (a base45
		// digit for another), so it is not touched, and its signature
		// will fail at the verifier: no guess turns it into a code.
		{"ambiguous: + for space beside genuine +", strings.ReplaceAll(plusAndSpace, " ", "+"), "", 0, ProblemNone},
		// Lower case beside a character outside the alphabet is not a
		// Caps Lock slip: no guess.
		{"lower case with a stray character", strings.ToLower(plain[:20]) + "_" + strings.ToLower(plain[20:]), "", 0, ProblemCharacter},
		{"Vietnamese input method", "TH1:ĐÂY LÀ GÌ", "", 0, ProblemCharacter},
		{"cut short", plain[:len(plain)-7], "", 0, ProblemDamaged},
		{"another QR", "https://example.org/?q=1", "", 0, ProblemPrefix},
		{"HC1 prefix (EU certificate)", "HC1:6BFOXN*TS0BI$ZD", "", 0, ProblemPrefix},
		{"too short for the prefix", "TH", "", 0, ProblemPrefix},
		{"only line ends", "\r\n", "", 0, ProblemEmpty},
		{"too long", "TH1:" + strings.Repeat("A", 3*seal.MaxTextLength), "", 0, ProblemTooLong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := NormalizeScan(tc.in)
			want := tc.want
			if want == "" && tc.problem != ProblemEmpty {
				want = strings.TrimLeft(strings.TrimRight(tc.in, "\r\n"), " \t\r\n")
			}
			if got.Text != want || got.Fixes != tc.fixes || got.Problem != tc.problem {
				t.Errorf("NormalizeScan = {%.30q… fixes %v problem %v}, want {%.30q… fixes %v problem %v}",
					got.Text, got.Fixes, got.Problem, want, tc.fixes, tc.problem)
			}
			if tc.problem == ProblemAmbiguous && !slices.ContainsFunc(got.Readings, func(r ScanInput) bool { return r.Text == spaced }) {
				t.Errorf("the right reading is not among %d readings", len(got.Readings))
			}
			if got.Problem != ProblemNone && got.Problem.Text("vi") == "" {
				t.Error("a problem without a Vietnamese sentence")
			}
		})
	}
}

// TestNormalizeScanTwoReadings: when two different repairs both decode,
// neither is trusted. No real pair of codes does this, so a stand-in decoder
// accepts exactly the two readings of one text.
func TestNormalizeScanTwoReadings(t *testing.T) {
	real := decodes
	t.Cleanup(func() { decodes = real })
	in := "TH1:AB%20C+D"
	readings := map[string]bool{"TH1:AB C+D": true, "TH1:AB%20C D": true}
	decodes = func(s string) bool { return readings[s] }
	if got := NormalizeScan(in); got.Problem != ProblemAmbiguous || got.Text != in {
		t.Errorf("two readings: %+v, want ProblemAmbiguous", got)
	}
	// With one of them alone, it is taken: here + for a space in a code
	// with no + of its own (no real code is that short of pluses).
	delete(readings, "TH1:AB%20C D")
	if got := NormalizeScan(in); got.Problem != ProblemNone || got.Text != "TH1:AB C+D" || got.Fixes != FixSpaces {
		t.Errorf("one reading: %+v", got)
	}
}

func FuzzNormalizeScan(f *testing.F) {
	f.Add("th1:abc\r\n")
	f.Add("TH1:%20+%2B")
	f.Fuzz(func(t *testing.T, s string) {
		got := NormalizeScan(s)
		if got.Problem == ProblemNone && !decodes(got.Text) {
			t.Fatalf("no problem but %q does not decode", got.Text)
		}
		if got.Problem != ProblemNone && got.Fixes != 0 {
			t.Fatalf("a problem with fixes")
		}
	})
}
