package print

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifitalic"
	"github.com/go-fonts/liberation/liberationserifregular"
	"golang.org/x/text/unicode/norm"
)

// ICT is Vietnam's time zone (UTC+7, no daylight saving). Every date and hour
// on paper is printed in it.
var ICT = time.FixedZone("ICT", 7*3600)

// ValidateText returns s in NFC with tabs and line breaks turned into spaces
// and surrounding spaces trimmed, or an error naming field when s holds a
// character that cannot be printed: invalid UTF-8, a control or invisible
// formatting character (zero-width joiner, soft hyphen), a character above
// U+FFFF (emoji and the like) or one the embedded Liberation Serif fonts
// have no glyph for. field is the Vietnamese name of the field as
// the clerk knows it ("họ tên", "địa chỉ"); the message reads, for example,
// `họ tên chứa ký tự không in được: "😀"`.
func ValidateText(field, s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%s không phải văn bản UTF-8 hợp lệ", field)
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r', '\v', '\f':
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(norm.NFC.String(s))
	for _, r := range s {
		if !printable(r) {
			return "", fmt.Errorf("%s chứa ký tự không in được: %s", field, strconv.Quote(string(r)))
		}
	}
	return s, nil
}

// printable reports whether r can be drawn with every style of the embedded
// font.
func printable(r rune) bool {
	if r > 0xFFFF || r < 0x20 || unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Co, unicode.Cs) {
		return false // invisible formatting (ZWJ, soft hyphen, BOM), private use
	}
	cov := coverage()
	return cov[r>>6]&(1<<(uint(r)&63)) != 0
}

var (
	coverOnce sync.Once
	coverSet  *[1024]uint64 // one bit per BMP code point, read-only once built
)

// coverage returns the set of BMP characters present in the regular, bold and
// italic Liberation Serif fonts alike. It is built once and never written
// again, so it is safe to share between goroutines.
func coverage() *[1024]uint64 {
	coverOnce.Do(func() {
		var all [1024]uint64
		for i := range all {
			all[i] = ^uint64(0)
		}
		for _, ttf := range [][]byte{liberationserifregular.TTF, liberationserifbold.TTF, liberationserifitalic.TTF} {
			set, err := cmapBMP(ttf)
			if err != nil {
				// The fonts are embedded and known good; an unreadable
				// cmap would print nothing at all.
				set = &[1024]uint64{}
			}
			for i := range all {
				all[i] &= set[i]
			}
		}
		coverSet = &all
	})
	return coverSet
}

// cmapBMP reads the (3,1) format 4 subtable of a TrueType font's cmap and
// returns the set of code points that map to a glyph other than .notdef.
func cmapBMP(ttf []byte) (*[1024]uint64, error) {
	bad := errors.New("cmap: bad font")
	u16 := func(off int) (int, bool) {
		if off < 0 || off+2 > len(ttf) {
			return 0, false
		}
		return int(binary.BigEndian.Uint16(ttf[off:])), true
	}
	u32 := func(off int) (int, bool) {
		if off < 0 || off+4 > len(ttf) {
			return 0, false
		}
		return int(binary.BigEndian.Uint32(ttf[off:])), true
	}
	numTables, ok := u16(4)
	if !ok {
		return nil, bad
	}
	cmap := -1
	for i := range numTables {
		rec := 12 + 16*i
		if rec+16 > len(ttf) {
			return nil, bad
		}
		if string(ttf[rec:rec+4]) == "cmap" {
			cmap, _ = u32(rec + 8)
		}
	}
	if cmap < 0 {
		return nil, bad
	}
	n, ok := u16(cmap + 2)
	if !ok {
		return nil, bad
	}
	sub := -1
	for i := range n {
		rec := cmap + 4 + 8*i
		pid, ok1 := u16(rec)
		eid, ok2 := u16(rec + 2)
		off, ok3 := u32(rec + 4)
		if !ok1 || !ok2 || !ok3 {
			return nil, bad
		}
		if pid == 3 && eid == 1 {
			sub = cmap + off
		}
	}
	if format, ok := u16(sub); !ok || format != 4 {
		return nil, bad
	}
	segX2, ok := u16(sub + 6)
	if !ok {
		return nil, bad
	}
	ends := sub + 14
	starts := ends + segX2 + 2
	deltas := starts + segX2
	ranges := deltas + segX2
	var set [1024]uint64
	for s := 0; s < segX2; s += 2 {
		end, ok1 := u16(ends + s)
		start, ok2 := u16(starts + s)
		delta, ok3 := u16(deltas + s)
		ro, ok4 := u16(ranges + s)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return nil, bad
		}
		for c := start; c <= end && c != 0xFFFF; c++ {
			var g int
			if ro == 0 {
				g = (c + delta) & 0xFFFF
			} else {
				gi, ok := u16(ranges + s + ro + 2*(c-start))
				if !ok {
					return nil, bad
				}
				if gi != 0 {
					g = (gi + delta) & 0xFFFF
				}
			}
			if g != 0 {
				set[c>>6] |= 1 << (uint(c) & 63)
			}
		}
	}
	return &set, nil
}

// adminDate formats t as Vietnamese administrative documents date themselves
// (Nghị định 30/2020, Phụ lục I): "ngày 21 tháng 9 năm 2021", with a leading
// zero for days below 10 and for January and February ("ngày 05 tháng 02").
func adminDate(t time.Time) string {
	t = t.In(ICT)
	day := strconv.Itoa(t.Day())
	if t.Day() < 10 {
		day = "0" + day
	}
	month := strconv.Itoa(int(t.Month()))
	if t.Month() <= time.February {
		month = "0" + month
	}
	return "ngày " + day + " tháng " + month + " năm " + strconv.Itoa(t.Year())
}

// shortDate is "21/09/2021".
func shortDate(t time.Time) string { return t.In(ICT).Format("02/01/2006") }

// clock is "07:00".
func clock(t time.Time) string { return t.In(ICT).Format("15:04") }

// validity is "từ 07:00 ngày 21/09/2021 đến 18:00 ngày 05/10/2021".
func validity(from, until time.Time) string {
	return "từ " + clock(from) + " ngày " + shortDate(from) + " đến " + clock(until) + " ngày " + shortDate(until)
}
