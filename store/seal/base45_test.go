package seal

import (
	"bytes"
	"errors"
	"testing"
)

// The examples of RFC 9285 §4.
var rfc9285Examples = []struct{ plain, encoded string }{
	{"AB", "BB8"},
	{"Hello!!", "%69 VD92EX0"},
	{"base-45", "UJCLQE7W581"},
	{"ietf!", "QED8WEX0"},
	{"", ""},
}

func TestBase45RFCExamples(t *testing.T) {
	for _, ex := range rfc9285Examples {
		if got := EncodeBase45([]byte(ex.plain)); got != ex.encoded {
			t.Errorf("EncodeBase45(%q) = %q, want %q", ex.plain, got, ex.encoded)
		}
		got, err := DecodeBase45(ex.encoded)
		if err != nil || string(got) != ex.plain {
			t.Errorf("DecodeBase45(%q) = %q, %v; want %q", ex.encoded, got, err, ex.plain)
		}
	}
}

func TestBase45RejectsWhatNoEncoderWrites(t *testing.T) {
	for _, bad := range []struct{ text, why string }{
		{"GGW", "triple worth 65536"},
		{":::", "triple worth 91124, the largest three digits"},
		{"W6", "pair worth 302"},
		{"::", "pair worth 2024"},
		{"BB8A", "dangling single character"},
		{"A", "a single character"},
		{"bb8", "lower case"},
		{"BB#", "character outside the alphabet"},
		{"BB\x00", "NUL byte"},
		{"BBÉ", "non-ASCII"},
		{"BB8\n", "trailing newline"},
	} {
		_, err := DecodeBase45(bad.text)
		if !errors.Is(err, ErrBase45) {
			t.Errorf("DecodeBase45(%q) (%s) = %v, want ErrBase45", bad.text, bad.why, err)
		}
	}
}

// The largest values a triple and a pair may hold decode; one more does not
// (checked above), so the bounds are exact.
func TestBase45AcceptsTheLargestValues(t *testing.T) {
	for text, want := range map[string][]byte{"FGW": {0xFF, 0xFF}, "U5": {0xFF}} {
		got, err := DecodeBase45(text)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("DecodeBase45(%q) = %x, %v; want %x", text, got, err, want)
		}
	}
}

func TestBase45RoundTripEveryPairAndByte(t *testing.T) {
	for n := 0; n < 1<<16; n++ {
		in := []byte{byte(n >> 8), byte(n)}
		out, err := DecodeBase45(EncodeBase45(in))
		if err != nil || !bytes.Equal(in, out) {
			t.Fatalf("round trip of %x: %x, %v", in, out, err)
		}
	}
	for n := 0; n < 256; n++ {
		in := []byte{0x41, byte(n)}[1:]
		out, err := DecodeBase45(EncodeBase45(in))
		if err != nil || !bytes.Equal(in, out) {
			t.Fatalf("round trip of %x: %x, %v", in, out, err)
		}
	}
}

// FuzzBase45Decode: no input panics; whatever decodes re-encodes to the same
// text (base45 has exactly one spelling per byte string), and any bytes
// survive a round trip.
func FuzzBase45Decode(f *testing.F) {
	for _, ex := range rfc9285Examples {
		f.Add(ex.encoded)
	}
	for _, s := range []string{"GGW", "W6", "BB8A", "bb8", ":::"} {
		f.Add(s)
	}
	for _, v := range loadVectorsForSeed(f) {
		if len(v.Text) > len(Prefix) {
			f.Add(v.Text[len(Prefix):])
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := DecodeBase45(s)
		if err == nil {
			if again := EncodeBase45(b); again != s {
				t.Fatalf("DecodeBase45(%q) = %x, which encodes to %q", s, b, again)
			}
		}
		raw := []byte(s)
		back, err := DecodeBase45(EncodeBase45(raw))
		if err != nil || !bytes.Equal(back, raw) {
			t.Fatalf("round trip of %x: %x, %v", raw, back, err)
		}
	})
}
