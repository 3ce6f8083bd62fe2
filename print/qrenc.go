package print

import (
	"errors"
	"math/bits"
	"sync"
)

// This file is a QR encoder that produces, module for module, what
//
//	q, _ := qrcode.New(text, qrcode.High) // github.com/skip2/go-qrcode, level Q
//	q.DisableBorder = true
//	q.Bitmap()
//
// produces: the same segmentation into numeric, alphanumeric and byte
// segments, the same version, the same Reed-Solomon blocks, and the same mask
// chosen by the same penalty rules (skip2's own reading of them). skip2 takes
// about 5 ms per permit-sized code, most of it allocating polynomials and
// bitsets; printing 1,000 permits would spend 13 times longer encoding QRs
// than laying out pages. This one works on byte slices and takes a few
// hundred microseconds. TestQREncoderMatchesSkip2 holds the two to the same
// output over every version and every mode, and real sealed texts.

// qrLevelQ is one row of the error-correction table for level Q: EC
// codewords per block, then count and data codewords of the blocks of
// group 1 and group 2, then the remainder bits after the last codeword.
type qrLevelQ struct{ ec, b1, d1, b2, d2, rem int }

// qrTableQ is indexed by version-1 (ISO/IEC 18004 table 9, level Q).
var qrTableQ = [40]qrLevelQ{
	{13, 1, 13, 0, 0, 0}, {22, 1, 22, 0, 0, 7}, {18, 2, 17, 0, 0, 7}, {26, 2, 24, 0, 0, 7},
	{18, 2, 15, 2, 16, 7}, {24, 4, 19, 0, 0, 7}, {18, 2, 14, 4, 15, 0}, {22, 4, 18, 2, 19, 0},
	{20, 4, 16, 4, 17, 0}, {24, 6, 19, 2, 20, 0}, {28, 4, 22, 4, 23, 0}, {26, 4, 20, 6, 21, 0},
	{24, 8, 20, 4, 21, 0}, {20, 11, 16, 5, 17, 3}, {30, 5, 24, 7, 25, 3}, {24, 15, 19, 2, 20, 3},
	{28, 1, 22, 15, 23, 3}, {28, 17, 22, 1, 23, 3}, {26, 17, 21, 4, 22, 3}, {30, 15, 24, 5, 25, 3},
	{28, 17, 22, 6, 23, 4}, {30, 7, 24, 16, 25, 4}, {30, 11, 24, 14, 25, 4}, {30, 11, 24, 16, 25, 4},
	{30, 7, 24, 22, 25, 4}, {28, 28, 22, 6, 23, 4}, {30, 8, 23, 26, 24, 4}, {30, 4, 24, 31, 25, 3},
	{30, 1, 23, 37, 24, 3}, {30, 15, 24, 25, 25, 3}, {30, 42, 24, 1, 25, 3}, {30, 10, 24, 35, 25, 3},
	{30, 29, 24, 19, 25, 3}, {30, 44, 24, 7, 25, 3}, {30, 39, 24, 14, 25, 0}, {30, 46, 24, 10, 25, 0},
	{30, 49, 24, 10, 25, 0}, {30, 48, 24, 14, 25, 0}, {30, 43, 24, 22, 25, 0}, {30, 34, 24, 34, 25, 0},
}

func (t qrLevelQ) dataBytes() int { return t.b1*t.d1 + t.b2*t.d2 }

// Format information for level Q and masks 0–7 (BCH-coded and XOR-masked).
var qrFormatQ = [8]uint32{0x355f, 0x3068, 0x3f31, 0x3a06, 0x24b4, 0x2183, 0x2eda, 0x2bed}

// Version information for versions 7–40 (index = version).
var qrVersionInfo = [41]uint32{
	7: 0x07c94, 0x085bc, 0x09a99, 0x0a4d3, 0x0bbf6, 0x0c762, 0x0d847, 0x0e60d, 0x0f928,
	0x10b78, 0x1145d, 0x12a17, 0x13532, 0x149a6, 0x15683, 0x168c9, 0x177ec, 0x18ec4,
	0x191e1, 0x1afab, 0x1b08e, 0x1cc1a, 0x1d33f, 0x1ed75, 0x1f250, 0x209d5, 0x216f0,
	0x228ba, 0x2379f, 0x24b0b, 0x2542e, 0x26a64, 0x27541, 0x28c69,
}

// Alignment pattern centres per version.
var qrAlign = [41][]int{
	2: {6, 18}, {6, 22}, {6, 26}, {6, 30}, {6, 34},
	{6, 22, 38}, {6, 24, 42}, {6, 26, 46}, {6, 28, 50}, {6, 30, 54}, {6, 32, 58}, {6, 34, 62},
	{6, 26, 46, 66}, {6, 26, 48, 70}, {6, 26, 50, 74}, {6, 30, 54, 78}, {6, 30, 56, 82},
	{6, 30, 58, 86}, {6, 34, 62, 90}, {6, 28, 50, 72, 94}, {6, 26, 50, 74, 98},
	{6, 30, 54, 78, 102}, {6, 28, 54, 80, 106}, {6, 32, 58, 84, 110}, {6, 30, 58, 86, 114},
	{6, 34, 62, 90, 118}, {6, 26, 50, 74, 98, 122}, {6, 30, 54, 78, 102, 126},
	{6, 26, 52, 78, 104, 130}, {6, 30, 56, 82, 108, 134}, {6, 34, 60, 86, 112, 138},
	{6, 30, 58, 86, 114, 142}, {6, 34, 62, 90, 118, 146}, {6, 30, 54, 78, 102, 126, 150},
	{6, 24, 50, 76, 102, 128, 154}, {6, 28, 54, 80, 106, 132, 158},
	{6, 32, 58, 84, 110, 136, 162}, {6, 26, 54, 82, 110, 138, 166},
	{6, 30, 58, 86, 114, 142, 170},
}

// GF(256) with the QR polynomial x⁸+x⁴+x³+x²+1, and the Reed-Solomon
// generator polynomials, built once at start-up and only read afterwards.
var (
	gfExp [512]byte
	gfLog [256]byte
	rsGen [31][]byte // rsGen[n]: degree-n generator, highest coefficient first
)

func init() {
	x := 1
	for i := range 255 {
		gfExp[i] = byte(x)
		gfLog[x] = byte(i)
		x <<= 1
		if x&0x100 != 0 {
			x ^= 0x11d
		}
	}
	for i := 255; i < 512; i++ {
		gfExp[i] = gfExp[i-255]
	}
	for n := 1; n < len(rsGen); n++ {
		g := []byte{1}
		for i := range n {
			next := make([]byte, len(g)+1)
			for k := range next {
				if k < len(g) {
					next[k] = g[k]
				}
				if k > 0 {
					next[k] ^= gfMul(g[k-1], gfExp[i])
				}
			}
			g = next
		}
		rsGen[n] = g
	}
}

func gfMul(a, b byte) byte {
	if a == 0 || b == 0 {
		return 0
	}
	return gfExp[int(gfLog[a])+int(gfLog[b])]
}

// Segment modes, ordered as skip2 orders them: a higher mode can hold every
// character of a lower one.
const (
	modeNone    = 1
	modeNumeric = 2
	modeAlnum   = 4
	modeByte    = 8
)

type qrSegment struct {
	mode int
	data []byte
}

// qrCharCount is one of the three ranges of versions that share the widths
// of the character-count fields.
type qrCharCount struct{ minV, maxV, numeric, alnum, byteBits int }

var qrCharCounts = [3]qrCharCount{{1, 9, 10, 9, 8}, {10, 26, 12, 11, 16}, {27, 40, 14, 13, 16}}

var errQRTooLong = errors.New("content too long to encode")

func (c qrCharCount) bits(mode int) int {
	switch mode {
	case modeNumeric:
		return c.numeric
	case modeAlnum:
		return c.alnum
	}
	return c.byteBits
}

func (c qrCharCount) length(mode, n int) (int, error) {
	cb := c.bits(mode)
	if n > 1<<cb-1 {
		return 0, errors.New("length too long to be represented")
	}
	l := 4 + cb
	switch mode {
	case modeNumeric:
		l += 10 * (n / 3)
		if n%3 != 0 {
			l += 1 + 3*(n%3)
		}
	case modeAlnum:
		l += 11*(n/2) + 6*(n%2)
	default:
		l += 8 * n
	}
	return l, nil
}

func alnumValue(b byte) int {
	switch {
	case b >= '0' && b <= '9':
		return int(b - '0')
	case b >= 'A' && b <= 'Z':
		return int(b-'A') + 10
	}
	switch b {
	case ' ':
		return 36
	case '$':
		return 37
	case '%':
		return 38
	case '*':
		return 39
	case '+':
		return 40
	case '-':
		return 41
	case '.':
		return 42
	case '/':
		return 43
	case ':':
		return 44
	}
	return -1
}

func byteMode(b byte) int {
	switch {
	case b >= '0' && b <= '9':
		return modeNumeric
	case alnumValue(b) >= 0:
		return modeAlnum
	}
	return modeByte
}

// qrSegments splits data into segments as skip2's dataEncoder does: runs of
// one mode, each run swallowing the following runs of lower modes while that
// is shorter, or one segment of the highest mode if that is no longer.
func qrSegments(c qrCharCount, data []byte) ([]qrSegment, int, error) {
	var actual []qrSegment
	mode, highest, start := modeNone, modeNone, 0
	for i, b := range data {
		m := byteMode(b)
		if m != mode {
			if i > 0 {
				actual = append(actual, qrSegment{mode, data[start:i]})
				start = i
			}
			mode = m
		}
		highest = max(highest, m)
	}
	actual = append(actual, qrSegment{mode, data[start:]})

	var opt []qrSegment
	for i := 0; i < len(actual); {
		mode := actual[i].mode
		n := len(actual[i].data)
		j := i + 1
		for j < len(actual) {
			nn, nm := len(actual[j].data), actual[j].mode
			if nm > mode {
				break
			}
			joined, err := c.length(mode, n+nn)
			if err != nil {
				return nil, 0, err
			}
			l1, err := c.length(mode, n)
			if err != nil {
				return nil, 0, err
			}
			l2, err := c.length(nm, nn)
			if err != nil {
				return nil, 0, err
			}
			if joined >= l1+l2 {
				break
			}
			j++
			n += nn
		}
		// The runs i..j-1 are contiguous in data.
		first := actual[i].data
		opt = append(opt, qrSegment{mode, first[:n:n]})
		i = j
	}
	total := 0
	for _, s := range opt {
		l, err := c.length(s.mode, len(s.data))
		if err != nil {
			return nil, 0, err
		}
		total += l
	}
	single, err := c.length(highest, len(data))
	if err != nil {
		return nil, 0, err
	}
	if single <= total {
		return []qrSegment{{highest, data}}, single, nil
	}
	return opt, total, nil
}

// bitWriter appends bits most significant first.
type bitWriter struct {
	buf  []byte
	n    int    // bits written
	acc  uint64 // bits not yet in buf, the last nacc of them
	nacc int
}

func (w *bitWriter) put(v uint32, bits int) {
	w.acc = w.acc<<uint(bits) | uint64(v)&(1<<uint(bits)-1)
	w.nacc += bits
	w.n += bits
	for w.nacc >= 8 {
		w.nacc -= 8
		w.buf = append(w.buf, byte(w.acc>>uint(w.nacc)))
	}
}

// flush pads the last byte with zeros.
func (w *bitWriter) flush() {
	if w.nacc > 0 {
		w.buf = append(w.buf, byte(w.acc<<uint(8-w.nacc)))
		w.n += 8 - w.nacc
		w.nacc = 0
	}
}

// qrEncode returns the n×n modules (row-major, 1 = dark) of text at level Q.
func qrEncode(text string) (int, []qrLine, error) {
	data := []byte(text)
	if len(data) == 0 {
		return 0, nil, errors.New("no data to encode")
	}
	var (
		segs    []qrSegment
		bitsLen int
		version int
		cc      qrCharCount
		err     error
	)
	for i, c := range qrCharCounts {
		// No mode packs a byte into fewer than 10/3 bits: a range of
		// versions that cannot hold that many is one where skip2 finds
		// no version either (the last range always runs, for its error).
		if i < len(qrCharCounts)-1 && len(data)*10/3 > qrTableQ[c.maxV-1].dataBytes()*8 {
			continue
		}
		segs, bitsLen, err = qrSegments(c, data)
		if err != nil {
			continue
		}
		for v := c.minV; v <= c.maxV; v++ {
			if qrTableQ[v-1].dataBytes()*8 >= bitsLen {
				version, cc = v, c
				break
			}
		}
		if version != 0 {
			break
		}
	}
	if err != nil {
		return 0, nil, err
	}
	if version == 0 {
		return 0, nil, errQRTooLong
	}
	tab := qrTableQ[version-1]
	capBits := tab.dataBytes() * 8

	w := bitWriter{buf: make([]byte, 0, tab.dataBytes())}
	for _, s := range segs {
		w.put(uint32(s.mode>>1), 4) // 0001 numeric, 0010 alphanumeric, 0100 byte
		w.put(uint32(len(s.data)), cc.bits(s.mode))
		switch s.mode {
		case modeNumeric:
			for i := 0; i < len(s.data); i += 3 {
				v, used := 0, 1
				for j := 0; j < 3 && i+j < len(s.data); j++ {
					v = v*10 + int(s.data[i+j]-'0')
					used += 3
				}
				w.put(uint32(v), used)
			}
		case modeAlnum:
			for i := 0; i < len(s.data); i += 2 {
				if i+1 < len(s.data) {
					w.put(uint32(alnumValue(s.data[i])*45+alnumValue(s.data[i+1])), 11)
				} else {
					w.put(uint32(alnumValue(s.data[i])), 6)
				}
			}
		default:
			for _, b := range s.data {
				w.put(uint32(b), 8)
			}
		}
	}
	w.put(0, min(4, capBits-w.n)) // terminator
	w.flush()                     // zeros up to a codeword boundary
	for pad := byte(0xEC); len(w.buf) < tab.dataBytes(); pad ^= 0xEC ^ 0x11 {
		w.buf = append(w.buf, pad)
	}

	// Reed-Solomon per block, then interleave data and EC codewords.
	nBlocks := tab.b1 + tab.b2
	total := tab.dataBytes() + nBlocks*tab.ec
	code := make([]byte, 0, total)
	blocks := make([][]byte, nBlocks)
	ecc := make([]byte, nBlocks*tab.ec)
	gen := rsGen[tab.ec]
	off := 0
	for b := range nBlocks {
		size := tab.d1
		if b >= tab.b1 {
			size = tab.d2
		}
		blocks[b] = w.buf[off : off+size]
		off += size
		r := ecc[b*tab.ec : (b+1)*tab.ec]
		for _, d := range blocks[b] {
			f := d ^ r[0]
			copy(r, r[1:])
			r[len(r)-1] = 0
			if f != 0 {
				lf := int(gfLog[f])
				for j := range r {
					if g := gen[j+1]; g != 0 {
						r[j] ^= gfExp[int(gfLog[g])+lf]
					}
				}
			}
		}
	}
	for i := 0; i < max(tab.d1, tab.d2); i++ {
		for _, blk := range blocks {
			if i < len(blk) {
				code = append(code, blk[i])
			}
		}
	}
	for i := range tab.ec {
		for b := range nBlocks {
			code = append(code, ecc[b*tab.ec+i])
		}
	}
	t := qrTemplateFor(version)
	n := t.n
	// Data bits before masking, as bit rows and bit columns.
	lines := make([]qrLine, 5*n)
	dataR, dataC, rows, cols, bestRows := lines[:n], lines[n:2*n], lines[2*n:3*n], lines[3*n:4*n], lines[4*n:]
	for i, xy := range t.pos[:len(code)*8] {
		if code[i/8]>>uint(7-i%8)&1 != 0 {
			dataR[xy[1]].set(int(xy[0]))
			dataC[xy[0]].set(int(xy[1]))
		}
	}
	baseR, baseC, posR, posC := t.baseR, t.baseC, t.posR, t.posC
	formatCells := t.format
	valid := lineMask(n)
	bestMask, bestPenalty := -1, 0
	for mask := range 8 {
		for y := range n {
			pat := &qrMaskRows[mask][y%12]
			for w := range rows[y] {
				rows[y][w] = (baseR[y][w] | (dataR[y][w]^pat[w])&posR[y][w]) & valid[w]
			}
		}
		for x := range n {
			pat := &qrMaskCols[mask][x%12]
			for w := range cols[x] {
				cols[x][w] = (baseC[x][w] | (dataC[x][w]^pat[w])&posC[x][w]) & valid[w]
			}
		}
		f := qrFormatQ[mask]
		for i, c := range formatCells {
			if f>>uint(i%15)&1 != 0 {
				rows[c[1]].set(c[0])
				cols[c[0]].set(c[1])
			}
		}
		p := qrPenalty(rows, cols, n)
		if bestMask < 0 || p < bestPenalty {
			bestMask, bestPenalty = mask, p
			copy(bestRows, rows)
		}
	}
	return n, bestRows[:n:n], nil
}

// qrLine is one row or column of a symbol as bits (bit i = module i, 1 =
// dark); 192 bits hold the 177 of version 40.
type qrLine [3]uint64

func (l *qrLine) set(i int)      { l[i>>6] |= 1 << uint(i&63) }
func (l *qrLine) get(i int) bool { return l[i>>6]>>uint(i&63)&1 != 0 }

func lineMask(n int) qrLine {
	var m qrLine
	for i := range n {
		m.set(i)
	}
	return m
}

// qrMaskRows[m][y%12] has bit x set where mask m inverts (x, y);
// qrMaskCols[m][x%12] has bit y set. Every mask repeats within 12 modules
// both ways. Built once at start-up, only read afterwards.
var qrMaskRows, qrMaskCols [8][12]qrLine

func init() {
	for m := range 8 {
		for r := range 12 {
			for i := range 192 {
				if qrMask(m, i, r) {
					qrMaskRows[m][r].set(i)
				}
				if qrMask(m, r, i) {
					qrMaskCols[m][r].set(i)
				}
			}
		}
	}
}

// qrTemplate is what every symbol of one version shares: the function
// patterns (format information aside, which depends on the mask), and the
// modules the data bits go to, in skip2's placement order.
type qrTemplate struct {
	n            int
	baseR, baseC []qrLine   // function patterns as bit rows and bit columns
	posR, posC   []qrLine   // data modules
	pos          [][2]int16 // column and row of each data bit, in order
	format       [30][2]int // see qrFormatCells
}

// qrTemplates are built on first use, once per version, and only read
// afterwards: safe to share between goroutines printing at the same time.
var qrTemplates [41]struct {
	once sync.Once
	t    *qrTemplate
}

func qrTemplateFor(version int) *qrTemplate {
	e := &qrTemplates[version]
	e.once.Do(func() { e.t = buildQRTemplate(version) })
	return e.t
}

func buildQRTemplate(version int) *qrTemplate {
	tab := qrTableQ[version-1]
	nBits := (tab.dataBytes()+(tab.b1+tab.b2)*tab.ec)*8 + tab.rem
	n := 17 + 4*version
	base := make([]byte, n*n)
	used := make([]bool, n*n)
	set := func(x, y int, dark bool) {
		used[y*n+x] = true
		if dark {
			base[y*n+x] = 1
		} else {
			base[y*n+x] = 0
		}
	}
	finder := func(x0, y0 int) {
		for y := range 7 {
			for x := range 7 {
				ring := x == 0 || x == 6 || y == 0 || y == 6
				core := x >= 2 && x <= 4 && y >= 2 && y <= 4
				set(x0+x, y0+y, ring || core)
			}
		}
	}
	finder(0, 0)
	finder(n-7, 0)
	finder(0, n-7)
	for i := range 8 {
		set(i, 7, false)     // separators, top left
		set(7, i, false)     //
		set(n-8+i, 7, false) // top right
		set(n-8, i, false)   //
		set(i, n-8, false)   // bottom left
		set(7, n-8+i, false) //
	}
	for _, cx := range qrAlign[version] {
		for _, cy := range qrAlign[version] {
			if used[cy*n+cx] {
				continue
			}
			for y := -2; y <= 2; y++ {
				for x := -2; x <= 2; x++ {
					ax, ay := max(x, -x), max(y, -y)
					set(cx+x, cy+y, max(ax, ay) != 1)
				}
			}
		}
	}
	for i := 8; i < n-7; i++ {
		set(i, 6, i%2 == 0)
		set(6, i, i%2 == 0)
	}
	// Format information is written per mask; reserve its modules now.
	formatCells := qrFormatCells(n)
	for _, c := range formatCells {
		used[c[1]*n+c[0]] = true
	}
	set(8, n-8, true) // the dark module
	if vi := qrVersionInfo[version]; version >= 7 {
		for i := range 18 {
			bit := vi>>uint(i)&1 != 0
			set(i/3, n-11+i%3, bit)
			set(n-11+i%3, i/3, bit)
		}
	}

	// Placement order of the data bits, as skip2 walks the symbol.
	pos := make([][2]int16, nBits)
	xo, up := 1, true
	x, y := n-2, n-1
	for i := range nBits {
		pos[i] = [2]int16{int16(x + xo), int16(y)}
		if i == nBits-1 {
			break
		}
		for {
			if xo == 1 {
				xo = 0
			} else {
				xo = 1
				if up {
					if y > 0 {
						y--
					} else {
						up = false
						x -= 2
					}
				} else {
					if y < n-1 {
						y++
					} else {
						up = true
						x -= 2
					}
				}
			}
			if x == 5 {
				x--
			}
			if !used[y*n+x+xo] {
				break
			}
		}
	}

	t := &qrTemplate{n: n, pos: pos, format: formatCells}
	lines := make([]qrLine, 4*n)
	t.baseR, t.baseC, t.posR, t.posC = lines[:n], lines[n:2*n], lines[2*n:3*n], lines[3*n:]
	for y := range n {
		for x := range n {
			if base[y*n+x] != 0 {
				t.baseR[y].set(x)
				t.baseC[x].set(y)
			}
		}
	}
	for _, xy := range pos {
		t.posR[xy[1]].set(int(xy[0]))
		t.posC[xy[0]].set(int(xy[1]))
	}
	return t
}

// qrFormatCells lists where the 15 format bits go (bit i, least significant
// first, at entries i and 15+i): one copy split between the top-right and
// bottom-left finders, one around the top-left finder.
func qrFormatCells(n int) [30][2]int {
	var a, b [15][2]int
	for i := 0; i <= 7; i++ {
		a[i] = [2]int{n - i - 1, 8}
	}
	for i := 0; i <= 5; i++ {
		b[i] = [2]int{8, i}
	}
	b[6] = [2]int{8, 7}
	b[7] = [2]int{8, 8}
	b[8] = [2]int{7, 8}
	for i := 9; i <= 14; i++ {
		b[i] = [2]int{14 - i, 8}
	}
	for i := 8; i <= 14; i++ {
		a[i] = [2]int{8, n - 7 + i - 8}
	}
	var c [30][2]int
	copy(c[:15], a[:])
	copy(c[15:], b[:])
	return c
}

// qrMask reports whether mask pattern m inverts the module at column x, row y.
func qrMask(m, x, y int) bool {
	switch m {
	case 0:
		return (y+x)%2 == 0
	case 1:
		return y%2 == 0
	case 2:
		return x%3 == 0
	case 3:
		return (y+x)%3 == 0
	case 4:
		return (y/2+x/3)%2 == 0
	case 5:
		return (y*x)%2+(y*x)%3 == 0
	case 6:
		return ((y*x)%2+(y*x)%3)%2 == 0
	default:
		return ((y+x)%2+(y*x)%3)%2 == 0
	}
}

// qrPenalty scores a masked symbol exactly as skip2's penaltyScore does,
// on bit rows and bit columns:
//
//   - rule 1: runs of one colour along rows and columns: skip2 charges 4
//     when a run reaches 6 modules and 1 per module after that, that is, 1
//     per window of 6 equal modules plus 3 per run that has one;
//   - rule 2: 3 per 2×2 block of one colour;
//   - rule 3: 40 per finder-like 1:1:3:1:1 pattern beside four light
//     modules, with skip2's 11-bit window that resets after a hit; a line
//     is scanned module by module only if it holds a candidate at all;
//   - rule 4: 10 per 5% that dark modules stray from half.
func qrPenalty(rows, cols []qrLine, n int) int {
	valid := lineMask(n)
	nw := (n + 63) / 64
	p, dark := 0, 0
	for _, lines := range [2][]qrLine{rows, cols} {
		for _, l := range lines {
			// Rule 1. eq bit i: module i equals module i-1 (i >= 1);
			// w6 bit i: modules i-5…i are equal.
			var eq, w6 qrLine
			var prevL, prevEq, prevW6 uint64
			for w := range nw {
				cur := l[w]
				eq[w] = ^(cur ^ (cur<<1 | prevL>>63)) & valid[w]
				prevL = cur
			}
			eq[0] &^= 1
			for w := range nw {
				e := eq[w]
				w6[w] = e & (e<<1 | prevEq>>63) & (e<<2 | prevEq>>62) & (e<<3 | prevEq>>61) & (e<<4 | prevEq>>60)
				prevEq = e
			}
			for w := range nw {
				v := w6[w]
				p += bits.OnesCount64(v) + 3*bits.OnesCount64(v&^(v<<1|prevW6>>63))
				prevW6 = v
			}
			// Rule 3.
			if cand := qrFinderLike(&l, n, nw, &valid); cand != (qrLine{}) {
				p += qrRule3(&l, &cand, n)
			}
		}
	}
	for y, l := range rows {
		for w := range nw {
			dark += bits.OnesCount64(l[w])
		}
		if y == 0 {
			continue
		}
		above := &rows[y-1]
		var prevV, prevL uint64
		for w := range nw {
			cur := l[w]
			v := ^(cur ^ above[w]) & valid[w]             // same as the module above
			h := ^(cur ^ (cur<<1 | prevL>>63)) & valid[w] // same as the module to the left
			b := v & (v<<1 | prevV>>63) & h
			if w == 0 {
				b &^= 1
			}
			p += 3 * bits.OnesCount64(b)
			prevV, prevL = v, cur
		}
	}
	total := n * n
	dev := total/2 - dark
	if dev < 0 {
		dev = -dev
	}
	return p + 10*(dev/(total/20))
}

// qrFinderLike returns the modules of line l (n modules, light before its
// start) where skip2's rule-3 window would match if it had never been
// reset: 0000 1011101 or 1011101 0000 ending there, or 1011101 ending at
// the last module.
func qrFinderLike(l *qrLine, n, nw int, valid *qrLine) qrLine {
	var c qrLine
	var prev uint64
	for w := range nw {
		cur := l[w]
		// sK bit i: module i-K is dark.
		s0 := cur
		s1 := cur<<1 | prev>>63
		s2 := cur<<2 | prev>>62
		s3 := cur<<3 | prev>>61
		s4 := cur<<4 | prev>>60
		s5 := cur<<5 | prev>>59
		s6 := cur<<6 | prev>>58
		s7 := cur<<7 | prev>>57
		s8 := cur<<8 | prev>>56
		s9 := cur<<9 | prev>>55
		s10 := cur<<10 | prev>>54
		prev = cur
		core := s0 &^ s1 & s2 & s3 & s4 &^ s5 & s6 // 1011101 ending here
		a := core &^ (s7 | s8 | s9 | s10)
		b := (s4 &^ s5 & s6 & s7 & s8 &^ s9 & s10) &^ (s0 | s1 | s2 | s3)
		c[w] = (a | b) & valid[w]
		if last := n - 1; w == last>>6 {
			c[w] |= core & (1 << uint(last&63)) // 1011101 ending the line
		}
	}
	return c
}

// qrRule3 is skip2's rule 3 on one line: 40 per hit of its 11-bit window,
// which it fills with 0xFF after each hit. Until the first hit the window
// holds the line's own modules, so hits are the candidates; after a hit
// the window is simulated module by module until it holds real modules
// again, then the scan jumps to the next candidate.
func qrRule3(l *qrLine, cand *qrLine, n int) int {
	p := 0
	for i := nextDark(cand, 0, n); i < n; i = nextDark(cand, i, n) {
		p += 40
		buf := int16(0xFF)
		fake := 11 // shifts until the window holds only real modules
		for i++; i < n && fake > 0; i++ {
			buf <<= 1
			if l.get(i) {
				buf |= 1
			}
			fake--
			switch w := buf & 0x7ff; {
			case w == 0x05d || w == 0x5d0 || (i == n-1 && buf&0x7f == 0x5d):
				p += 40
				buf = 0xFF
				fake = 11
			}
		}
	}
	return p
}
