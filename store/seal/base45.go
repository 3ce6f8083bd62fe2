package seal

import (
	"errors"
	"fmt"
)

// base45Alphabet is RFC 9285's alphabet: exactly the QR alphanumeric set, so a
// sealed text fits the QR mode that packs 11 bits per 2 characters.
const base45Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"

// ErrBase45 is wrapped by every Base45 decoding error.
var ErrBase45 = errors.New("invalid base45")

// base45Value maps a byte to its digit value, or 0xFF when it is not in the
// alphabet (lower case included: RFC 9285 has no lower-case digits).
var base45Value = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	for i := 0; i < len(base45Alphabet); i++ {
		t[base45Alphabet[i]] = byte(i)
	}
	return t
}()

// EncodeBase45 encodes data per RFC 9285: each 2 bytes become 3 characters
// (least significant digit first), a final single byte becomes 2.
func EncodeBase45(data []byte) string {
	out := make([]byte, 0, base45Len(len(data)))
	for i := 0; i+1 < len(data); i += 2 {
		n := int(data[i])<<8 | int(data[i+1])
		out = append(out, base45Alphabet[n%45], base45Alphabet[n/45%45], base45Alphabet[n/2025])
	}
	if len(data)%2 == 1 {
		n := int(data[len(data)-1])
		out = append(out, base45Alphabet[n%45], base45Alphabet[n/45])
	}
	return string(out)
}

// base45Len is the encoded length of n bytes.
func base45Len(n int) int { return n/2*3 + n%2*2 }

// DecodeBase45 decodes RFC 9285 text. It refuses, rather than guesses at,
// anything an encoder could not have produced: a character outside the
// alphabet, a triple worth more than 65535, a final pair worth more than 255,
// or a dangling single character.
func DecodeBase45(s string) ([]byte, error) {
	return appendBase45(make([]byte, 0, len(s)/3*2+1), s)
}

// appendBase45 decodes s onto dst; Verify passes a stack buffer to stay
// allocation-free on the hot path.
func appendBase45(dst []byte, s string) ([]byte, error) {
	if len(s)%3 == 1 {
		return nil, fmt.Errorf("%w: length %d leaves a dangling character", ErrBase45, len(s))
	}
	i := 0
	for ; i+2 < len(s); i += 3 {
		c, d, e := base45Value[s[i]], base45Value[s[i+1]], base45Value[s[i+2]]
		if c|d|e == 0xFF { // 0xFF marks a character outside the alphabet
			return nil, base45CharError(s, i, 3)
		}
		n := int(c) + int(d)*45 + int(e)*2025
		if n > 0xFFFF {
			return nil, fmt.Errorf("%w: triple %q at %d is worth %d, over 65535", ErrBase45, s[i:i+3], i, n)
		}
		dst = append(dst, byte(n>>8), byte(n))
	}
	if i < len(s) { // two characters left
		c, d := base45Value[s[i]], base45Value[s[i+1]]
		if c|d == 0xFF {
			return nil, base45CharError(s, i, 2)
		}
		n := int(c) + int(d)*45
		if n > 0xFF {
			return nil, fmt.Errorf("%w: final pair %q at %d is worth %d, over 255", ErrBase45, s[i:i+2], i, n)
		}
		dst = append(dst, byte(n))
	}
	return dst, nil
}

func base45CharError(s string, at, width int) error {
	for j := at; j < at+width; j++ {
		if base45Value[s[j]] == 0xFF {
			return fmt.Errorf("%w: character %q at %d is not in the alphabet", ErrBase45, s[j], j)
		}
	}
	return fmt.Errorf("%w: at %d", ErrBase45, at) // unreachable: a caller saw a bad digit
}
