package offline_test

import (
	"testing"

	"rsc.io/qr"

	"thonghanh/cmd/thonghanh/internal/kiemtra/offline"
	"thonghanh/cmd/thonghanh/internal/kiemtra/vectortest"
)

// frame draws text's QR code into a 640×480 RGBA camera frame: grey paper,
// dark ink, off centre, with noise.
func frame(t testing.TB, text string) []byte {
	t.Helper()
	code, err := qr.Encode(text, qr.Q)
	if err != nil {
		t.Fatal(err)
	}
	const w, h = 640, 480
	module := 230 / code.Size
	x0, y0 := 250, 150
	out := make([]byte, w*h*4)
	seed := uint32(7)
	for y := range h {
		for x := range w {
			v := 200
			mx, my := (x-x0)/module, (y-y0)/module
			if x >= x0 && y >= y0 && mx < code.Size && my < code.Size && code.Black(mx, my) {
				v = 60
			}
			seed = seed*1664525 + 1013904223
			v += int(seed>>24)%25 - 12
			i := (y*w + x) * 4
			out[i], out[i+1], out[i+2], out[i+3] = byte(v), byte(v-5), byte(v-10), 255
		}
	}
	return out
}

// A camera frame holding a sealed permit reads back as its exact text; a
// frame of paper only, or a frame of the wrong size, is no code.
func TestDecodeQR(t *testing.T) {
	f, err := vectortest.Load()
	if err != nil {
		t.Fatal(err)
	}
	text := f.Cases[0].Text
	got, err := offline.DecodeQR(frame(t, text), 640, 480)
	if err != nil || got != text {
		t.Fatalf("DecodeQR = %q, %v; want the permit's text", got, err)
	}
	blank := make([]byte, 640*480*4)
	for i := range blank {
		blank[i] = 200
	}
	if _, err := offline.DecodeQR(blank, 640, 480); err != offline.ErrNoCode {
		t.Errorf("blank frame: %v", err)
	}
	if _, err := offline.DecodeQR(blank, 641, 480); err == nil {
		t.Error("a frame of the wrong size was read")
	}
}

// BenchmarkDecodeQR is one camera frame through the decoder natively; the
// page runs the same in WebAssembly (the README has both figures).
func BenchmarkDecodeQR(b *testing.B) {
	f, err := vectortest.Load()
	if err != nil {
		b.Fatal(err)
	}
	img := frame(b, f.Cases[0].Text)
	for b.Loop() {
		if _, err := offline.DecodeQR(img, 640, 480); err != nil {
			b.Fatal(err)
		}
	}
}
