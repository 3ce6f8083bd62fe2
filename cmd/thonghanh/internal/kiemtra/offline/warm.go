package offline

import (
	"encoding/hex"
	"math"
	"time"
)

// Warm is a made-up camera scan, for the page to run once while it waits
// for the camera: a frame of bare paper, and a frame holding a real
// permit's code (store/seal's valid-permit test vector, as a desk prints
// it: level Q, version 13) photographed at a slant, with a few modules
// spoilt so the error correction runs too, then the vector's own lists to
// verify the text read, signature and all (VALID). In WebAssembly each
// function is compiled when it first runs, the Go heap grows on the first
// large frame and ed25519 builds its tables on first use: run through the
// page's own calls, this makes none of that wait for the officer's first
// code.
type Warm struct {
	Paper, Frame  []byte // Width×Height luminance planes, a row every Width bytes
	Width, Height int
	Text          string // what Frame's code reads as
	Lists         Lists  // lists that verify Text
	Checkpoint    uint32
	At            time.Time // when Text is VALID at Checkpoint
}

// NewWarm draws the warm-up's frames.
func NewWarm() Warm {
	const w, h = 640, 480
	paper := make([]byte, w*h)
	for i := range paper {
		paper[i] = 200
	}
	trust, _ := hex.DecodeString(warmTrust)
	rev, _ := hex.DecodeString(warmRevocations)
	return Warm{Paper: paper, Frame: warmFrame(w, h), Width: w, Height: h, Text: warmText,
		Lists: Lists{Root: warmRoot, Trust: trust, Revocations: rev, Units: warmUnits}, Checkpoint: warmCheckpoint, At: time.Unix(warmAt, 0)}
}

// warmFrame draws warmModules into a w×h luminance frame: grey paper with
// noise, the code 4 pixels a module turned by 3°, off centre, and one
// module in every 97 of its inside flipped.
func warmFrame(w, h int) []byte {
	n := len(warmModules)
	const module, turn = 4.0, 3 * math.Pi / 180
	cx, cy := float64(w)/2+40, float64(h)/2-20
	sin, cos := math.Sincos(turn)
	out := make([]byte, w*h)
	seed := uint32(11)
	for y := range h {
		for x := range w {
			dx, dy := float64(x)-cx, float64(y)-cy
			mx := int(math.Floor((cos*dx+sin*dy)/module + float64(n)/2))
			my := int(math.Floor((-sin*dx+cos*dy)/module + float64(n)/2))
			v := 200
			if mx >= 0 && my >= 0 && mx < n && my < n {
				dark := warmModules[my][mx] == '#'
				if inside := mx > 8 && my > 8 && mx < n-9 && my < n-9; inside && (my*n+mx)%97 == 0 {
					dark = !dark
				}
				if dark {
					v = 60
				}
			}
			seed = seed*1664525 + 1013904223
			out[y*w+x] = byte(v + int(seed>>24)%25 - 12)
		}
	}
	return out
}
