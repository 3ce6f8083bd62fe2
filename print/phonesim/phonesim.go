// Package phonesim turns a clean render of a printed page into what a
// phone at a checkpoint sees: toner spread of a cheap laser print (and its
// photocopy), the camera's resolution, a hand's tilt, lost contrast in sun
// or at dusk, sensor noise and JPEG compression. It exists for the tests
// that hold the printed QR codes to a decode rate (print) and the verify
// command to zbarimg (cmd/thonghanh).
//
// Its room: pure-Go image processing on grey images, deterministic for a
// given seed. It may not touch a database, a terminal or a decoder: it
// knows nothing of QR codes, only of paper and cameras.
package phonesim

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strconv"

	"golang.org/x/image/draw"
)

// Params is one degradation. Every strength is in physical units so that
// it can be compared with published figures (see the print tests).
type Params struct {
	Name string
	// PrintBlurMM is the standard deviation, in millimetres on paper, of
	// the Gaussian that models toner spread (and a photocopy of it).
	PrintBlurMM float64
	// DPI is the capture resolution on paper, pixels per inch.
	DPI float64
	// AngleDeg is the tilt of the phone against the sheet.
	AngleDeg float64
	// CameraBlurPx is the standard deviation, in captured pixels, of the
	// lens and focus blur (and hand shake).
	CameraBlurPx float64
	// Black and White are the captured levels (0–1) of toner and paper:
	// the symbol contrast is White−Black.
	Black, White float64
	// Noise is the standard deviation of the sensor noise, 0–1.
	Noise float64
	// JPEGQuality is the quality of the photo's JPEG (0 = not compressed).
	JPEGQuality int
}

// ReadPGM reads a binary PGM (P5, 8 bits), what pdftoppm -gray writes.
func ReadPGM(path string) (*image.Gray, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var fields []int
	magic := ""
	for len(fields) < 3 {
		tok, err := pnmToken(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if magic == "" {
			magic = tok
			if magic != "P5" {
				return nil, fmt.Errorf("%s: not a binary PGM (%q)", path, magic)
			}
			continue
		}
		v, err := strconv.Atoi(tok)
		if err != nil {
			return nil, fmt.Errorf("%s: bad header %q", path, tok)
		}
		fields = append(fields, v)
	}
	if fields[2] != 255 {
		return nil, fmt.Errorf("%s: maxval %d, want 255", path, fields[2])
	}
	img := image.NewGray(image.Rect(0, 0, fields[0], fields[1]))
	if _, err := io.ReadFull(r, img.Pix); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

// pnmToken reads one whitespace-separated header token, skipping comments,
// and the single whitespace byte after it.
func pnmToken(r *bufio.Reader) (string, error) {
	var tok []byte
	for {
		c, err := r.ReadByte()
		if err != nil {
			return "", err
		}
		switch {
		case c == '#' && len(tok) == 0:
			if _, err := r.ReadString('\n'); err != nil {
				return "", err
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if len(tok) > 0 {
				return string(tok), nil
			}
		default:
			tok = append(tok, c)
		}
	}
}

// Print applies the printer's toner spread to a page rendered at dpi.
func Print(src *image.Gray, dpi, blurMM float64) *image.Gray {
	return Blur(src, blurMM/25.4*dpi)
}

// Capture is what the phone makes of a printed page rendered at dpi: the
// image at p.DPI, tilted, blurred, with the contrast, noise and JPEG of p.
// It returns the JPEG bytes (or PNG-free raw grey when JPEGQuality is 0,
// as a JPEG at quality 100) and the decoded image.
func Capture(printed *image.Gray, dpi float64, p Params, seed uint64) ([]byte, *image.Gray, error) {
	b := printed.Bounds()
	scale := p.DPI / dpi
	w, h := int(math.Round(float64(b.Dx())*scale)), int(math.Round(float64(b.Dy())*scale))
	small := Downscale(printed, w, h)
	img := Rotate(small, p.AngleDeg)
	img = Blur(img, p.CameraBlurPx)
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	lo, span := p.Black*255, (p.White - p.Black)
	for i, v := range img.Pix {
		f := lo + float64(v)*span
		if p.Noise > 0 {
			f += r.NormFloat64() * p.Noise * 255
		}
		img.Pix[i] = clamp(f)
	}
	q := p.JPEGQuality
	if q == 0 {
		q = 100
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		return nil, nil, err
	}
	dec, err := jpeg.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		return nil, nil, err
	}
	g, ok := dec.(*image.Gray)
	if !ok {
		g = image.NewGray(dec.Bounds())
		draw.Draw(g, g.Bounds(), dec, dec.Bounds().Min, draw.Src)
	}
	return buf.Bytes(), g, nil
}

func clamp(f float64) uint8 {
	switch {
	case f <= 0:
		return 0
	case f >= 255:
		return 255
	}
	return uint8(f + 0.5)
}

// Blur is a separable Gaussian blur of standard deviation sigma pixels
// (none below 0.05), edges extended.
func Blur(src *image.Gray, sigma float64) *image.Gray {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	if sigma < 0.05 {
		for y := range h {
			copy(out.Pix[y*out.Stride:y*out.Stride+w], src.Pix[(y)*src.Stride:(y)*src.Stride+w])
		}
		return out
	}
	rad := int(math.Ceil(3 * sigma))
	k := make([]float32, 2*rad+1)
	var sum float32
	for i := range k {
		d := float64(i - rad)
		k[i] = float32(math.Exp(-d * d / (2 * sigma * sigma)))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	tmp := make([]float32, w*h)
	for y := range h {
		row := src.Pix[y*src.Stride : y*src.Stride+w]
		for x := range w {
			var acc float32
			for i, kv := range k {
				xx := min(max(x+i-rad, 0), w-1)
				acc += kv * float32(row[xx])
			}
			tmp[y*w+x] = acc
		}
	}
	for y := range h {
		for x := range w {
			var acc float32
			for i, kv := range k {
				yy := min(max(y+i-rad, 0), h-1)
				acc += kv * tmp[yy*w+x]
			}
			out.Pix[y*out.Stride+x] = clamp(float64(acc))
		}
	}
	return out
}

// Rotate turns src by deg degrees about its centre, bilinear, on the same
// canvas; what comes in from outside is white paper.
func Rotate(src *image.Gray, deg float64) *image.Gray {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	s, c := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(w-1)/2, float64(h-1)/2
	at := func(x, y int) float64 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return 255
		}
		return float64(src.Pix[y*src.Stride+x])
	}
	for y := range h {
		for x := range w {
			dx, dy := float64(x)-cx, float64(y)-cy
			sx, sy := c*dx+s*dy+cx, -s*dx+c*dy+cy
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			fx, fy := sx-float64(x0), sy-float64(y0)
			v := (at(x0, y0)*(1-fx)+at(x0+1, y0)*fx)*(1-fy) + (at(x0, y0+1)*(1-fx)+at(x0+1, y0+1)*fx)*fy
			out.Pix[y*out.Stride+x] = clamp(v)
		}
	}
	return out
}

// Downscale resamples src to w×h by area averaging: each captured pixel
// integrates the light of the paper it covers, as a sensor pixel does.
// (x/image/draw's kernels take seconds a page here, having no fast path
// into a grey image.)
func Downscale(src *image.Gray, w, h int) *image.Gray {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	cols, rows := areaWeights(sw, w), areaWeights(sh, h)
	tmp := make([]float32, w*sh)
	for y := range sh {
		row := src.Pix[y*src.Stride : y*src.Stride+sw]
		for x, ws := range cols {
			var acc float32
			for _, t := range ws {
				acc += t.w * float32(row[t.i])
			}
			tmp[y*w+x] = acc
		}
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y, ws := range rows {
		o := out.Pix[y*out.Stride : y*out.Stride+w]
		acc := make([]float32, w)
		for _, t := range ws {
			line := tmp[t.i*w : t.i*w+w]
			for x := range acc {
				acc[x] += t.w * line[x]
			}
		}
		for x, v := range acc {
			o[x] = clamp(float64(v))
		}
	}
	return out
}

type tap struct {
	i int
	w float32
}

// areaWeights gives, for each of the n output pixels, the source pixels of
// the m it covers and their shares of its area.
func areaWeights(m, n int) [][]tap {
	scale := float64(m) / float64(n)
	out := make([][]tap, n)
	for j := range out {
		lo, hi := float64(j)*scale, float64(j+1)*scale
		for i := int(lo); i < m && float64(i) < hi; i++ {
			cover := math.Min(hi, float64(i+1)) - math.Max(lo, float64(i))
			if cover > 1e-9 {
				out[j] = append(out[j], tap{i, float32(cover / scale)})
			}
		}
	}
	return out
}
