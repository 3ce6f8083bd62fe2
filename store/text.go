package store

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode normal form C, the one form stored and printed:
// a name typed on a Mac (decomposed) and one typed on Windows must compare equal.
func NFC(s string) string { return norm.NFC.String(s) }

// singleSpaced reports whether s is trimmed with single ASCII spaces between
// words already, as most typed text is: then nothing needs rebuilding.
func singleSpaced(s string) bool {
	space := true // a leading space is not single-spaced
	for _, r := range s {
		isSpace := unicode.IsSpace(r)
		if isSpace && (space || r != ' ') {
			return false
		}
		space = isSpace
	}
	return !space || s == ""
}

// Fold lowers s and strips Vietnamese diacritics so "nguyen van duc" finds
// "Nguyễn Văn Đức". Unicode does not decompose đ/Đ (they are letters of their
// own, not d with a mark), so they are mapped by hand. Runs of spaces collapse.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // trims leading spaces
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsSpace(r):
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		b.WriteRune(unicode.ToLower(r))
		space = false
	}
	return strings.TrimRight(b.String(), " ")
}

// CleanText trims s, collapses inner whitespace, normalises to NFC and rejects
// characters a permit cannot print (above U+FFFF, such as emoji), control
// characters and invisible format characters (Unicode category Cf: the bidi
// overrides such as U+202E, zero-width joiners, the BOM), which would make a
// route or an address read differently on a screen than in the database. It
// is the one gate for free text, on the desk and at the centre alike.
func CleanText(field, s string, maxRunes int) (string, error) {
	if !singleSpaced(s) {
		s = strings.Join(strings.Fields(s), " ")
	}
	s = NFC(s)
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			return "", invalid(field, "chứa ký tự không in được trên giấy (%q)", string(r))
		}
		if unicode.IsControl(r) {
			return "", invalid(field, "chứa ký tự điều khiển")
		}
		if unicode.Is(unicode.Cf, r) {
			return "", invalid(field, "chứa ký tự định dạng ẩn (U+%04X)", r)
		}
	}
	if maxRunes > 0 && n > maxRunes {
		return "", invalid(field, "dài quá %d ký tự", maxRunes)
	}
	return s, nil
}
