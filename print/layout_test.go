package print

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestQRModuleSize: every sealed permit prints with the module its layout
// asks for (permitQR.module, chosen by TestQRSurvivesTheField), every voucher
// likewise, and no symbol of any size ever prints below minModule.
func TestQRModuleSize(t *testing.T) {
	ps := samplePermits(t, 50)
	for _, p := range ps {
		pp, err := preparePermit(p, true)
		if err != nil {
			t.Fatal(err)
		}
		if m := moduleSize(pp.qr.n, pp.qr.side); m < permitQR.module-1e-9 {
			t.Errorf("%s: module %.3f mm, want %.2f", p.Serial, m, permitQR.module)
		}
	}
	vs := make([]Voucher, 20)
	for i := range vs {
		vs[i] = sampleVoucher(i)
	}
	sealVouchers(t, vs)
	for _, v := range vs {
		vp, err := prepareVoucher(v, true)
		if err != nil {
			t.Fatal(err)
		}
		if m := moduleSize(vp.qr.n, vp.qr.side); m < voucherQR.module-1e-9 {
			t.Errorf("%s: module %.3f mm, want %.2f", v.Serial, m, voucherQR.module)
		}
	}
	sym, _ := encodeQR(ps[0].QR)
	side, _ := qrSide(sym.n, permitQR)
	t.Logf("typical sealed permit: %d characters, %d×%d modules, %d rectangles, module %.2f mm",
		len(ps[0].QR), sym.n, sym.n, len(sym.rects), moduleSize(sym.n, side))
	for n := 21; n <= 177; n += 4 {
		for _, spec := range []qrSpec{permitQR, voucherQR} {
			side, ok := qrSide(n, spec)
			if ok && moduleSize(n, side) < minModule-1e-9 {
				t.Errorf("n=%d in %.1f mm: module %.3f mm", n, side, moduleSize(n, side))
			}
		}
	}
}

// TestQRRectanglesCoverModules: the merged rectangles cover exactly the
// dark modules, each once.
func TestQRRectanglesCoverModules(t *testing.T) {
	for _, p := range samplePermits(t, 10) {
		sym, err := encodeQR(p.QR)
		if err != nil {
			t.Fatal(err)
		}
		n, rows, _ := qrEncode(p.QR)
		cover := make([]int, n*n)
		for _, r := range sym.rects {
			for y := int(r.y); y < int(r.y+r.h); y++ {
				for x := int(r.x); x < int(r.x+r.w); x++ {
					cover[y*n+x]++
				}
			}
		}
		for y := range n {
			for x := range n {
				if want := map[bool]int{true: 1, false: 0}[rows[y].get(x)]; cover[y*n+x] != want {
					t.Fatalf("%s: module (%d,%d) covered %d times, want %d", p.Serial, x, y, cover[y*n+x], want)
				}
			}
		}
	}
}

// TestQuietZoneIsBlank renders a permit sheet and a voucher sheet and
// checks that the 4-module margin around every QR holds no ink at all.
func TestQuietZoneIsBlank(t *testing.T) {
	needTools(t, "pdftoppm")
	const dpi = 200
	px := func(mm float64) int { return int(mm / 25.4 * dpi) }
	check := func(name string, img image.Image, x, y, side float64, n int) {
		m := moduleSize(n, side)
		off := (side - m*float64(n)) / 2
		ox0, oy0, ox1, oy1 := px(x), px(y), px(x+side), px(y+side)
		ix0, iy0, ix1, iy1 := px(x+off)-1, px(y+off)-1, px(x+off+m*float64(n))+2, px(y+off+m*float64(n))+2
		for yy := oy0; yy < oy1; yy++ {
			for xx := ox0; xx < ox1; xx++ {
				if xx >= ix0 && xx < ix1 && yy >= iy0 && yy < iy1 {
					continue
				}
				if g := color.GrayModel.Convert(img.At(xx, yy)).(color.Gray).Y; g < 250 {
					t.Errorf("%s: ink (grey %d) in the quiet zone at %.1f, %.1f mm", name, g, float64(xx)*25.4/dpi, float64(yy)*25.4/dpi)
					return
				}
			}
		}
		// The top-left finder's centre is dark: the symbol is there.
		cx, cy := px(x+off+3.5*m), px(y+off+3.5*m)
		if g := color.GrayModel.Convert(img.At(cx, cy)).(color.Gray).Y; g > 100 {
			t.Errorf("%s: no finder pattern where the symbol should be", name)
		}
	}
	load := func(path string) image.Image {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		img, err := png.Decode(f)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	dir := t.TempDir()

	ps := samplePermits(t, 2)
	var buf bytes.Buffer
	if err := Permits(&buf, ps, LayoutA4Half, nil); err != nil {
		t.Fatal(err)
	}
	img := load(rasterisePNG(t, writePDF(t, dir, "permits.pdf", buf.Bytes()), 1, dpi))
	for j, p := range ps {
		pp, _ := preparePermit(p, true)
		x, y := permitQRBox(float64(j)*148.5, 0, 210, pp.qr.side)
		check(p.Serial, img, x, y, pp.qr.side, pp.qr.n)
	}

	vs := make([]Voucher, voucherPerPage)
	for i := range vs {
		vs[i] = sampleVoucher(i)
		vs[i].Hamlet = "Ấp Bắc"
		vs[i].Household = string(rune('A' + i)) // keeps input order
	}
	vs[5].Representative = fixtureLines(t, "hard-names.txt")[8] // a denser QR
	sealVouchers(t, vs)
	buf.Reset()
	if err := Vouchers(&buf, vs, nil); err != nil {
		t.Fatal(err)
	}
	img = load(rasterisePNG(t, writePDF(t, dir, "vouchers.pdf", buf.Bytes()), 1, dpi))
	for i, v := range vs {
		vp, _ := prepareVoucher(v, true)
		cx, cy := voucherCell(i)
		x, y := voucherQRBox(cx, cy, vp.qr.side)
		check(v.Serial, img, x, y, vp.qr.side, vp.qr.n)
	}
}

// TestFileSize prints 100 and 200 permits and extrapolates to 1,000: the
// file must stay under 6 MB (the fonts are embedded once, subset).
func TestFileSize(t *testing.T) {
	ps := samplePermits(t, 200)
	size := func(n int) int {
		var w countingWriter
		if err := Permits(&w, ps[:n], LayoutA4Half, nil); err != nil {
			t.Fatal(err)
		}
		return int(w.n)
	}
	s100, s200 := size(100), size(200)
	per := float64(s200-s100) / 100
	est := float64(s200) + 800*per
	t.Logf("100 permits %d B, 200 permits %d B: %.0f B a permit, %.2f MB for 1,000", s100, s200, per, est/1e6)
	if est > 6e6 {
		t.Errorf("1,000 permits would take %.2f MB, over 6 MB", est/1e6)
	}
	var w countingWriter
	if err := PermitsWithoutQR(&w, ps[:100], LayoutA4Half, nil); err != nil {
		t.Fatal(err)
	}
	if int(w.n) >= s100 {
		t.Errorf("without QR %d B, with %d B", w.n, s100)
	}
}

func TestTerminalQR(t *testing.T) {
	text := samplePermits(t, 1)[0].QR
	out, width, err := TerminalQR(text)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if n := len([]rune(l)); n != width {
			t.Fatalf("line %d is %d columns, width says %d", i, n, width)
		}
	}
	t.Logf("sealed permit on a terminal: %d columns × %d rows", width, len(lines))
	if width > 90 || len(lines) > 45 {
		t.Errorf("terminal QR %d×%d does not fit a 100×50 terminal", width, len(lines))
	}
	if _, _, err := TerminalQR(strings.Repeat("x", 4000)); err == nil {
		t.Error("4000 bytes: no error")
	}

	// Paint the half blocks as pixels (the glyph is the light colour, as
	// qrterminal draws light on a dark terminal) and scan them.
	if _, err := exec.LookPath("zbarimg"); err != nil {
		return
	}
	const scale = 6
	img := image.NewGray(image.Rect(0, 0, (width+8)*scale, (len(lines)*2+8)*scale))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for row, l := range lines {
		for col, r := range []rune(l) {
			top := r == '█' || r == '▀'
			bottom := r == '█' || r == '▄'
			for dy := range 2 * scale {
				light := top
				if dy >= scale {
					light = bottom
				}
				if light {
					continue
				}
				for dx := range scale {
					img.SetGray((col+4)*scale+dx, (row*2+4)*scale+dy, color.Gray{})
				}
			}
		}
	}
	path := filepath.Join(t.TempDir(), "terminal.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if got := scanQRs(t, []string{path}); len(got) != 1 || got[0] != text {
		t.Errorf("terminal QR scans as %q", got)
	}
}

// TestVoucherSheetKeepsItsMargins: nothing is printed within 10 mm of the
// sheet's edges, which cheap printers clip.
func TestVoucherSheetKeepsItsMargins(t *testing.T) {
	needTools(t, "pdftoppm")
	vs := make([]Voucher, voucherPerPage)
	for i := range vs {
		vs[i] = sampleVoucher(i)
		vs[i].Hamlet = "Khu phố Trung Lương"
	}
	sealVouchers(t, vs)
	var buf bytes.Buffer
	if err := Vouchers(&buf, vs, nil); err != nil {
		t.Fatal(err)
	}
	const dpi = 100
	f, err := os.Open(rasterisePNG(t, writePDF(t, t.TempDir(), "v.pdf", buf.Bytes()), 1, dpi))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	m := voucherMargin*dpi*10/254 - 1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if x >= m && x < b.Max.X-m && y >= m && y < b.Max.Y-m {
				continue
			}
			if g := color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y; g < 250 {
				t.Fatalf("ink (grey %d) at %.1f, %.1f mm from the top left, inside the 10 mm margin", g, float64(x)*25.4/dpi, float64(y)*25.4/dpi)
			}
		}
	}
}

// TestPlaceNamesAreNeverSplit: a long area list breaks between unit names,
// never inside one ("Thành phố Mỹ / Tho").
func TestPlaceNamesAreNeverSplit(t *testing.T) {
	names := []string{"Xã Tân Hương", "Thành phố Mỹ Tho", "Xã Thân Cửu Nghĩa", "Thị trấn Tân Hiệp", "Huyện Châu Thành", "Xã Tân Mỹ Chánh"}
	d := newDoc("P", "A5", "t")
	f := field{value: strings.Join(names, ", "), names: true}
	for _, w := range []float64{35, 45, 60, 80} {
		d.font(regular, 12)
		lines := d.wrapField(f, w)
		var got []string
		for _, l := range lines {
			if d.width(strings.TrimSuffix(l, ",")) > w+0.01 { // a comma may hang
				t.Errorf("width %v: line %q is %.1f mm", w, l, d.width(l))
			}
			for n := range strings.SplitSeq(strings.TrimSuffix(l, ","), ", ") {
				got = append(got, n)
			}
		}
		if strings.Join(got, "|") != strings.Join(names, "|") {
			t.Errorf("width %v mm: lines %q break inside a name", w, lines)
		}
	}
	// On paper: every name whole in the text layer.
	needTools(t, "pdftotext")
	p := samplePermit(0)
	p.Area = names
	ps := []Permit{p}
	sealPermits(t, ps)
	var buf bytes.Buffer
	if err := Permits(&buf, ps, LayoutA5, nil); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, writePDF(t, t.TempDir(), "p.pdf", buf.Bytes()))
	for _, n := range names {
		if !strings.Contains(text, n) {
			t.Errorf("%q broken across lines on the permit:\n%s", n, text)
		}
	}
}
