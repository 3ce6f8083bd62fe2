package print

import (
	"errors"
	"fmt"
	"math/bits"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/mdp/qrterminal/v3"
	"rsc.io/qr"
)

const (
	// minModule is the smallest QR module ever printed, in millimetres, for
	// a seal too long for its layout's module (qrSpec.module): below it
	// phone cameras at a checkpoint fail outright.
	minModule = 0.5
	// quietModules is the blank margin around every QR, in modules (ISO/IEC
	// 18004 asks for 4). No text or line is drawn inside it.
	quietModules = 4
)

// qrSpec is how a layout sizes its QR: modules of module mm when the square
// (quiet zone included) fits in limit, smaller ones down to minModule for a
// seal too long for that, never smaller. The module sizes come from
// TestQRSurvivesTheField.
type qrSpec struct {
	module, limit float64
}

// qrRect is a dark rectangle of a QR in module units: x, y from the top left
// of the symbol (quiet zone excluded), w modules wide, h modules high.
type qrRect struct{ x, y, w, h uint8 }

// qrSymbol is an encoded QR ready to draw: n×n modules as merged rectangles.
type qrSymbol struct {
	n     int
	rects []qrRect
	side  float64 // mm, quiet zone included, set by placeQR
}

// encodeQR encodes text at error correction level Q, the symbol
// skip2/go-qrcode draws with qrcode.New(text, qrcode.High) (see qrenc.go),
// and merges the dark modules into rectangles: runs along each row, and a
// run identical to the one right above it extends that rectangle downward.
// A version-15 symbol (a typical sealed permit) has about 3,000 dark
// modules and takes about 1,300 rectangles.
func encodeQR(text string) (qrSymbol, error) {
	if text == "" {
		return qrSymbol{}, errors.New("thiếu nội dung mã QR")
	}
	n, rows, err := qrEncode(text)
	if err != nil {
		return qrSymbol{}, fmt.Errorf("không tạo được mã QR: %w", err)
	}
	sym := qrSymbol{n: n, rects: make([]qrRect, 0, n*n/4)}
	// open[i] indexes sym.rects for the i-th run of the previous row.
	var prevRuns, runs [][2]int
	var prevOpen, open []int
	for y := range rows {
		row := &rows[y]
		runs = runs[:0]
		open = open[:0]
		for x := nextDark(row, 0, n); x < n; {
			end := nextLight(row, x, n)
			runs = append(runs, [2]int{x, end - x})
			x = nextDark(row, end, n)
		}
		p := 0
		for _, r := range runs {
			for p < len(prevRuns) && prevRuns[p][0] < r[0] {
				p++
			}
			if p < len(prevRuns) && prevRuns[p] == r {
				idx := prevOpen[p]
				sym.rects[idx].h++
				open = append(open, idx)
				continue
			}
			sym.rects = append(sym.rects, qrRect{uint8(r[0]), uint8(y), uint8(r[1]), 1})
			open = append(open, len(sym.rects)-1)
		}
		prevRuns, runs = runs, prevRuns
		prevOpen, open = open, prevOpen
	}
	return sym, nil
}

// nextDark returns the first dark module at or after x, or n.
func nextDark(l *qrLine, x, n int) int {
	for x < n {
		w := l[x>>6] >> uint(x&63)
		if w != 0 {
			return min(x+bits.TrailingZeros64(w), n)
		}
		x = (x | 63) + 1
	}
	return n
}

// nextLight returns the first light module at or after x, or n.
func nextLight(l *qrLine, x, n int) int {
	for x < n {
		w := ^l[x>>6] >> uint(x&63)
		if w != 0 {
			return min(x+bits.TrailingZeros64(w), n)
		}
		x = (x | 63) + 1
	}
	return n
}

// moduleSize is the module side in millimetres for an n-module symbol in a
// square box of side box that includes the quiet zone.
func moduleSize(n int, box float64) float64 {
	return box / float64(n+2*quietModules)
}

// qrSide is the side of the square, quiet zone included, that a symbol of n
// modules takes under spec. It reports false if even modules of minModule
// would not fit in spec.limit.
func qrSide(n int, spec qrSpec) (float64, bool) {
	cells := float64(n + 2*quietModules)
	side := min(cells*spec.module, spec.limit)
	return side, side/cells >= minModule-1e-9
}

// placeQR sets sym.side for a layout's spec, or says in Vietnamese why it
// cannot.
func placeQR(sym *qrSymbol, spec qrSpec) error {
	side, ok := qrSide(sym.n, spec)
	if !ok {
		return fmt.Errorf("mã QR quá dài để in: %d×%d mô-đun cần ô %.0f mm, khổ này chỉ có %.0f mm (mỗi mô-đun tối thiểu %.1f mm)",
			sym.n, sym.n, float64(sym.n+2*quietModules)*minModule, spec.limit, minModule)
	}
	sym.side = side
	return nil
}

// drawQR draws sym centred in the square box (x, y, side box, quiet zone
// included) as filled rectangles; box/(n+8) is at least minModule when
// box comes from placeQR. It writes the operators itself, inside
// q…Q so that fpdf's graphics state is left as it was, in a coordinate
// system of one unit per module whose origin steps down one row at a time:
// a rectangle reads "x 0 w h re", where only the column, the width and the
// height vary, which compresses to about 3 bytes.
func (d *doc) drawQR(sym qrSymbol, x, y, box float64) {
	m := moduleSize(sym.n, box)
	side := m * float64(sym.n)
	x0 := x + (box-side)/2
	y0 := y + (box-side)/2
	k := d.k
	b := d.buf[:0]
	b = append(b, "q 0 g "...)
	b = strconv.AppendFloat(b, m*k, 'f', 5, 64)
	b = append(b, " 0 0 "...)
	b = strconv.AppendFloat(b, -m*k, 'f', 5, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, x0*k, 'f', 4, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, (d.pageH-y0)*k, 'f', 4, 64)
	b = append(b, " cm\n"...)
	row, open := 0, false
	for _, r := range sym.rects {
		if int(r.y) > row {
			if open {
				b = append(b, "f "...)
				open = false
			}
			b = append(b, "1 0 0 1 0 "...)
			b = strconv.AppendInt(b, int64(int(r.y)-row), 10)
			b = append(b, " cm\n"...)
			row = int(r.y)
		}
		b = appendSmall(b, r.x)
		b = append(b, " 0 "...)
		b = appendSmall(b, r.w)
		b = append(b, ' ')
		b = appendSmall(b, r.h)
		b = append(b, " re\n"...)
		open = true
	}
	if open {
		b = append(b, "f "...)
	}
	b = append(b, 'Q')
	d.pdf.RawWriteStr(string(b))
	d.buf = b
}

// appendSmall appends v in decimal.
func appendSmall(b []byte, v uint8) []byte {
	switch {
	case v >= 100:
		return append(b, '0'+v/100, '0'+v/10%10, '0'+v%10)
	case v >= 10:
		return append(b, '0'+v/10, '0'+v%10)
	}
	return append(b, '0'+v)
}

// qrPipeline encodes QR texts on background goroutines, in order, while
// the caller lays pages out: get(i) waits for the i-th. Texts are read, and
// symbols written, only by the worker that took that index.
type qrPipeline struct {
	syms  []qrSymbol
	errs  []error
	ready []chan struct{}
	stop  atomic.Bool
	wg    sync.WaitGroup
}

var errQRStopped = errors.New("đã dừng in")

// startQR encodes text(0) … text(n-1) for a layout's spec, on all
// processors but one (that one draws). The caller must call close.
func startQR(n int, text func(i int) string, spec qrSpec) *qrPipeline {
	p := &qrPipeline{syms: make([]qrSymbol, n), errs: make([]error, n), ready: make([]chan struct{}, n)}
	for i := range p.ready {
		p.ready[i] = make(chan struct{})
	}
	var next atomic.Int64
	for range max(1, min(runtime.GOMAXPROCS(0)-1, n)) {
		p.wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if p.stop.Load() {
					p.errs[i] = errQRStopped
				} else {
					sym, err := encodeQR(text(i))
					if err == nil {
						err = placeQR(&sym, spec)
					}
					p.syms[i], p.errs[i] = sym, err
				}
				close(p.ready[i])
			}
		})
	}
	return p
}

// get waits for the i-th symbol.
func (p *qrPipeline) get(i int) (qrSymbol, error) {
	<-p.ready[i]
	sym := p.syms[i]
	p.syms[i] = qrSymbol{}
	return sym, p.errs[i]
}

// close stops the workers (those not needed any more skip their work) and
// waits for them, so that no goroutine outlives the print.
func (p *qrPipeline) close() {
	p.stop.Store(true)
	p.wg.Wait()
}

// TerminalQR renders text as a QR code in Unicode half blocks for a terminal
// screen (two modules per character cell vertically), at error correction M
// with a 2-module quiet zone, white on dark as qrterminal draws it. It
// returns the rendered lines joined by "\n" without a trailing newline, and
// their width in columns, so a screen can tell the clerk how wide the
// terminal must be. A text too long for any QR version is an error.
func TerminalQR(text string) (string, int, error) {
	// qrterminal ignores the encoder's error and then dereferences a nil
	// code; check first so that an over-long text is an error, not a panic.
	if _, err := qr.Encode(text, qr.M); err != nil {
		return "", 0, fmt.Errorf("không tạo được mã QR: %w", err)
	}
	var sb strings.Builder
	qrterminal.GenerateWithConfig(text, qrterminal.Config{
		Level:      qrterminal.M,
		Writer:     &sb,
		HalfBlocks: true,
		QuietZone:  2,
	})
	out := strings.TrimRight(sb.String(), "\n")
	width := 0
	for line := range strings.SplitSeq(out, "\n") {
		width = max(width, utf8.RuneCountInString(line))
	}
	return out, width, nil
}
