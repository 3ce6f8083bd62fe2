// Package photo reads every QR code in a photo or a scan of printed
// permits and vouchers: a half-A4 sheet holds two, a voucher sheet eight.
//
// Its room: finding and decoding QR symbols in an image with the pure-Go
// ZXing port (github.com/makiuchi-d/gozxing), trying harder in the ways a
// phone photo needs (both binarisers, the image in tiles, a smaller copy).
// It returns the texts only: it may not touch a database or judge a seal
// (that is store/seal's), and it never imports thonghanh/store or tui.
package photo

import (
	"image"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/multi/qrcode"
	qr "github.com/makiuchi-d/gozxing/qrcode"
	"golang.org/x/image/draw"
)

// ReadAll returns the text of every QR code it finds in img, each once, in
// the order found (top to bottom on a page, roughly). No code is not an
// error: it returns an empty slice.
func ReadAll(img image.Image) []string {
	var out []string
	seen := map[string]bool{}
	add := func(texts []string) {
		for _, t := range texts {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	gray := toGray(img)
	// Sensor noise at dusk breaks the binariser's local thresholds into
	// speckle: a slightly smoothed copy reads far better (at 120 dpi, 12 of
	// 12 A5 permits against 2), the original is kept for modules of two
	// pixels that the smoothing would merge.
	soft := smooth(gray)
	add(decodeMulti(soft))
	add(decodeMulti(gray))
	// The multi reader gives up on codes whose finder patterns it pairs
	// with another code's; tiles of the image hold one code each, most of
	// the time, and the single reader is then more forgiving.
	b := soft.Bounds()
	for _, grid := range [][2]int{{2, 1}, {1, 2}, {2, 2}, {2, 4}} {
		tw, th := b.Dx()/grid[0], b.Dy()/grid[1]
		for gy := range grid[1] {
			for gx := range grid[0] {
				// Tiles overlap by a third so that a code on a border is
				// whole in one of them.
				r := image.Rect(b.Min.X+gx*tw-tw/3, b.Min.Y+gy*th-th/3, b.Min.X+(gx+1)*tw+tw/3, b.Min.Y+(gy+1)*th+th/3).Intersect(b)
				add(decodeOne(soft.SubImage(r)))
			}
		}
	}
	// A large photo is sometimes read better smaller: the finder search
	// steps over rows, and blur reads as noise at full size.
	if b.Dx() > 1600 {
		w := b.Dx() * 2 / 3
		h := b.Dy() * 2 / 3
		small := image.NewGray(image.Rect(0, 0, w, h))
		draw.BiLinear.Scale(small, small.Bounds(), soft, b, draw.Src, nil)
		add(decodeMulti(small))
	}
	return out
}

func toGray(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Bounds(), img, img.Bounds().Min, draw.Src)
	return g
}

var hints = map[gozxing.DecodeHintType]any{
	gozxing.DecodeHintType_TRY_HARDER:       true,
	gozxing.DecodeHintType_POSSIBLE_FORMATS: []gozxing.BarcodeFormat{gozxing.BarcodeFormat_QR_CODE},
}

func decodeMulti(img image.Image) []string {
	src := gozxing.NewLuminanceSourceFromImage(img)
	var texts []string
	for _, bin := range []gozxing.Binarizer{gozxing.NewHybridBinarizer(src), gozxing.NewGlobalHistgramBinarizer(src)} {
		bmp, err := gozxing.NewBinaryBitmap(bin)
		if err != nil {
			continue
		}
		res, _ := qrcode.NewQRCodeMultiReader().DecodeMultiple(bmp, hints)
		for _, r := range res {
			texts = append(texts, r.GetText())
		}
	}
	return texts
}

func decodeOne(img image.Image) []string {
	src := gozxing.NewLuminanceSourceFromImage(img)
	for _, bin := range []gozxing.Binarizer{gozxing.NewHybridBinarizer(src), gozxing.NewGlobalHistgramBinarizer(src)} {
		bmp, err := gozxing.NewBinaryBitmap(bin)
		if err != nil {
			continue
		}
		if r, err := qr.NewQRCodeReader().Decode(bmp, hints); err == nil {
			return []string{r.GetText()}
		}
	}
	return nil
}

// smooth is a 3×3 binomial blur: a module of three pixels or more
// survives it, speckle does not.
func smooth(src *image.Gray) *image.Gray {
	b := src.Bounds()
	out := image.NewGray(b)
	w, h := b.Dx(), b.Dy()
	at := func(x, y int) int {
		x = min(max(x, 0), w-1)
		y = min(max(y, 0), h-1)
		return int(src.Pix[y*src.Stride+x])
	}
	for y := range h {
		for x := range w {
			v := 4*at(x, y) + 2*(at(x-1, y)+at(x+1, y)+at(x, y-1)+at(x, y+1)) +
				at(x-1, y-1) + at(x+1, y-1) + at(x-1, y+1) + at(x+1, y+1)
			out.Pix[y*out.Stride+x] = uint8((v + 8) / 16)
		}
	}
	return out
}
