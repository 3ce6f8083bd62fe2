package kiemtra

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
)

// iconSizes are the PNG icons the manifest lists: Android's Chrome installs
// a page only with a PNG of at least 192 pixels, and draws its splash
// screen from the 512 one.
var iconSizes = []int{192, 512}

// The icon's colours: the page's header green and white.
var (
	iconGreen = color.RGBA{0x14, 0x53, 0x2d, 0xff}
	iconWhite = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// drawIcon draws icon.svg's tick at size×size pixels, drawn here rather
// than kept as a file so nothing built is committed. The green fills the
// square (the launcher cuts its own shape: a "maskable" icon) and the tick
// stays inside the middle 80% circle every mask keeps.
func drawIcon(size int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	s := float64(size) / 96 // icon.svg's viewBox is 96 units
	// The tick: (26,50) → (40,64) → (70,32), 10 units wide, round ends.
	pts := [][2]float64{{26, 50}, {40, 64}, {70, 32}}
	half := 5 * s
	for y := range size {
		for x := range size {
			px, py := float64(x)+0.5, float64(y)+0.5
			d := math.Inf(1)
			for i := 0; i+1 < len(pts); i++ {
				d = min(d, segmentDistance(px, py, pts[i][0]*s, pts[i][1]*s, pts[i+1][0]*s, pts[i+1][1]*s))
			}
			// Coverage of a pixel by the stroke's edge, for smooth edges.
			a := min(max(half-d+0.5, 0), 1)
			img.SetRGBA(x, y, blend(iconGreen, iconWhite, a))
		}
	}
	return img
}

func segmentDistance(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := ((px-ax)*dx + (py-ay)*dy) / (dx*dx + dy*dy)
	t = min(max(t, 0), 1)
	return math.Hypot(px-(ax+t*dx), py-(ay+t*dy))
}

func blend(under, over color.RGBA, a float64) color.RGBA {
	mix := func(u, o uint8) uint8 { return uint8(math.Round(float64(u)*(1-a) + float64(o)*a)) }
	return color.RGBA{mix(under.R, over.R), mix(under.G, over.G), mix(under.B, over.B), 0xff}
}

// iconPNG is drawIcon's picture as PNG bytes.
func iconPNG(size int) ([]byte, error) {
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, drawIcon(size)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
