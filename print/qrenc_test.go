package print

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

// skip2Matrix is the reference: what the brief asks for, and what qrEncode
// must reproduce module for module.
func skip2Matrix(text string) (int, []byte, error) {
	q, err := qrcode.New(text, qrcode.High)
	if err != nil {
		return 0, nil, err
	}
	q.DisableBorder = true
	bm := q.Bitmap()
	n := len(bm)
	out := make([]byte, 0, n*n)
	for _, row := range bm {
		for _, v := range row {
			if v {
				out = append(out, 1)
			} else {
				out = append(out, 0)
			}
		}
	}
	return n, out, nil
}

func qrCorpus(t testing.TB) []string {
	r := rand.New(rand.NewPCG(1, 2))
	const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	var texts []string
	pick := func(alphabet string, n int) string {
		var sb strings.Builder
		for range n {
			sb.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		return sb.String()
	}
	// Every version, in each mode: lengths stepping through the capacity.
	for n := 1; n <= 2420; n += 1 + n/30 {
		texts = append(texts, pick(alnum, n))
	}
	texts = append(texts, pick(alnum, 2420), pick(alnum, 2421)) // the capacity of version 40-Q, and one more
	for n := 1; n <= 1300; n += 1 + n/8 {
		texts = append(texts, pick("0123456789", n*2))
		texts = append(texts, pick("abcdefghijklmnopqrstuvwxyz0123456789ABC", n))
	}
	// Mixed runs that exercise the segment optimisation.
	for i := range 60 {
		var sb strings.Builder
		for range 1 + i%7 {
			switch r.IntN(3) {
			case 0:
				sb.WriteString(pick("0123456789", 1+r.IntN(20)))
			case 1:
				sb.WriteString(pick(alnum, 1+r.IntN(20)))
			default:
				sb.WriteString(pick("abcxyzđ", 1+r.IntN(10)))
			}
		}
		texts = append(texts, sb.String())
	}
	// Vietnamese text in byte mode, and real sealed texts.
	for i := range 40 {
		texts = append(texts, fmt.Sprintf("%s — %s", sampleName(i), samplePermit(i).Address))
	}
	for _, p := range samplePermits(t, 60) {
		texts = append(texts, p.QR)
	}
	vs := make([]Voucher, 20)
	for i := range vs {
		vs[i] = sampleVoucher(i)
	}
	sealVouchers(t, vs)
	for _, v := range vs {
		texts = append(texts, v.QR)
	}
	return texts
}

// TestQREncoderMatchesSkip2 proves the fast encoder draws exactly the
// symbol skip2/go-qrcode draws at level Q: same version, same mask, same
// modules.
func TestQREncoderMatchesSkip2(t *testing.T) {
	versions := map[int]bool{}
	for _, text := range qrCorpus(t) {
		wn, want, werr := skip2Matrix(text)
		gn, rows, gerr := qrEncode(text)
		var got []byte
		for _, row := range rows {
			for x := range gn {
				if row.get(x) {
					got = append(got, 1)
				} else {
					got = append(got, 0)
				}
			}
		}
		if (werr != nil) != (gerr != nil) {
			t.Fatalf("len %d: skip2 error %v, ours %v", len(text), werr, gerr)
		}
		if werr != nil {
			continue
		}
		versions[(wn-17)/4] = true
		if wn != gn {
			t.Fatalf("len %d %.40q: size %d, skip2 %d", len(text), text, gn, wn)
		}
		if string(got) != string(want) {
			diff := 0
			for i := range got {
				if got[i] != want[i] {
					diff++
				}
			}
			t.Fatalf("len %d %.40q (version %d): %d modules differ from skip2", len(text), text, (wn-17)/4, diff)
		}
	}
	for v := 1; v <= 40; v++ {
		if !versions[v] {
			t.Errorf("corpus never reached version %d", v)
		}
	}
	if _, _, err := qrEncode(""); err == nil {
		t.Error("empty text: no error")
	}
	if _, _, err := qrEncode(strings.Repeat("x", 5000)); err == nil {
		t.Error("5000 bytes: no error")
	}
}

func BenchmarkQREncode(b *testing.B) {
	text := samplePermits(b, 1)[0].QR
	b.Run("ours", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := qrEncode(text); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("skip2", func(b *testing.B) {
		for b.Loop() {
			skip2Matrix(text)
		}
	})
}

// skip2Penalty is skip2's penaltyScore, transcribed from symbol.go onto a
// plain grid, to check qrPenalty's bit-parallel version on any matrix.
func skip2Penalty(g [][]bool) int {
	n := len(g)
	get := func(x, y int) bool { return g[y][x] }
	p := 0
	for pass := range 2 {
		for a := range n {
			at := func(b int) bool {
				if pass == 0 {
					return get(a, b)
				}
				return get(b, a)
			}
			last, count := at(0), 1
			for b := 1; b < n; b++ {
				if v := at(b); v != last {
					count, last = 1, v
				} else {
					count++
					if count == 6 {
						p += 4
					} else if count > 6 {
						p++
					}
				}
			}
		}
	}
	for y := 1; y < n; y++ {
		for x := 1; x < n; x++ {
			c := get(x, y)
			if c == get(x-1, y) && c == get(x, y-1) && c == get(x-1, y-1) {
				p += 3
			}
		}
	}
	for pass := range 2 {
		for a := range n {
			var buf int16
			for b := range n {
				var v bool
				if pass == 0 {
					v = get(b, a)
				} else {
					v = get(a, b)
				}
				buf <<= 1
				if v {
					buf |= 1
				}
				switch buf & 0x7ff {
				case 0x05d, 0x5d0:
					p += 40
					buf = 0xFF
				default:
					if b == n-1 && buf&0x7f == 0x5d {
						p += 40
						buf = 0xFF
					}
				}
			}
		}
	}
	dark := 0
	for _, row := range g {
		for _, v := range row {
			if v {
				dark++
			}
		}
	}
	dev := n*n/2 - dark
	if dev < 0 {
		dev = -dev
	}
	return p + 10*(dev/(n*n/20))
}

func TestQRPenaltyMatchesSkip2(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	finder := []bool{true, false, true, true, true, false, true}
	for trial := range 400 {
		n := 21 + 4*r.IntN(40)
		g := make([][]bool, n)
		rows := make([]qrLine, n)
		cols := make([]qrLine, n)
		density := 0.2 + 0.6*r.Float64()
		for y := range g {
			g[y] = make([]bool, n)
			for x := range g[y] {
				g[y][x] = r.Float64() < density
			}
		}
		// Plant finder-like runs, some at the edges, some overlapping, so
		// that rule 3's window resets are exercised.
		for range r.IntN(30) {
			y, x0, vertical := r.IntN(n), r.IntN(n), r.IntN(2) == 0
			if r.IntN(4) == 0 {
				x0 = n - 7
			}
			for k, v := range finder {
				if x := x0 + k; x < n {
					if vertical {
						g[x][y] = v
					} else {
						g[y][x] = v
					}
				}
			}
		}
		for y := range n {
			for x := range n {
				if g[y][x] {
					rows[y].set(x)
					cols[x].set(y)
				}
			}
		}
		if got, want := qrPenalty(rows, cols, n), skip2Penalty(g); got != want {
			t.Fatalf("trial %d (n=%d): penalty %d, skip2 %d", trial, n, got, want)
		}
	}
}
