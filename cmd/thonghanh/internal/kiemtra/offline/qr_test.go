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

// lumaFrame draws text's QR code into the Y plane of a 640k×360k camera
// frame whose rows are padded to stride bytes, as a phone's camera gives it.
func lumaFrame(t testing.TB, text string, k, stride int) []byte {
	t.Helper()
	w, h := 640*k, 360*k
	out := make([]byte, stride*h)
	var code *qr.Code
	if text != "" {
		var err error
		if code, err = qr.Encode(text, qr.Q); err != nil {
			t.Fatal(err)
		}
	}
	seed := uint32(9)
	for y := range h {
		for x := range w {
			v := 200
			if code != nil {
				module := 230 * k / code.Size
				mx, my := (x-250*k)/module, (y-60*k)/module
				if x >= 250*k && y >= 60*k && mx < code.Size && my < code.Size && code.Black(mx, my) {
					v = 60
				}
			}
			seed = seed*1664525 + 1013904223
			out[y*stride+x] = byte(v + int(seed>>24)%25 - 12)
		}
	}
	return out
}

// A camera frame's luminance plane, as wide as MaxLumaWidth or two or three
// times wider, with padded rows, reads back as the permit's exact text; bare paper is no code, and a
// plane shorter than its size and stride say is refused.
func TestDecodeLuma(t *testing.T) {
	f, err := vectortest.Load()
	if err != nil {
		t.Fatal(err)
	}
	text := f.Cases[0].Text
	var d offline.Decoder
	for k, stride := range map[int]int{1: 704, 2: 1344, 3: 1920} {
		if got, err := d.DecodeLuma(lumaFrame(t, text, k, stride), 640*k, 360*k, stride); err != nil || got != text {
			t.Errorf("DecodeLuma of %d×%d = %q, %v; want the permit's text", 640*k, 360*k, got, err)
		}
	}
	if _, err := d.DecodeLuma(lumaFrame(t, "", 2, 1280), 1280, 720, 1280); err != offline.ErrNoCode {
		t.Errorf("bare paper: %v", err)
	}
	if _, err := d.DecodeLuma(make([]byte, 1280*719), 1280, 720, 1280); err == nil || err == offline.ErrNoCode {
		t.Errorf("a short plane: %v", err)
	}
	if _, err := d.DecodeLuma(make([]byte, 1280*720), 1280, 720, 1000); err == nil || err == offline.ErrNoCode {
		t.Errorf("a stride under the width: %v", err)
	}
}

// BenchmarkDecodeLuma is a 1280×720 camera frame's luminance plane
// through the decoder natively, shrunk to 640×360 first.
func BenchmarkDecodeLuma(b *testing.B) {
	f, err := vectortest.Load()
	if err != nil {
		b.Fatal(err)
	}
	y := lumaFrame(b, f.Cases[0].Text, 2, 1280)
	var d offline.Decoder
	for b.Loop() {
		if _, err := d.DecodeLuma(y, 1280, 720, 1280); err != nil {
			b.Fatal(err)
		}
	}
}
