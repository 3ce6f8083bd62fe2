package offline

import (
	"errors"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// MaxFramePixels bounds a camera frame handed to DecodeQR: the page scales
// frames down to about 640×480 before; anything far larger is a mistake.
const MaxFramePixels = 2000 * 2000

// ErrNoCode means no readable QR code was in the frame (the usual answer:
// the camera sees the road, not a permit).
var ErrNoCode = errors.New("không thấy mã QR")

// DecodeQR reads a QR code from an RGBA frame (a canvas's ImageData), for
// browsers without BarcodeDetector (desktop Chromium, iOS Safari).
func DecodeQR(rgba []byte, width, height int) (string, error) {
	var d Decoder
	return d.Decode(rgba, width, height)
}

// Decoder reads frame after frame, reusing its buffer: a camera gives
// several frames a second, and in WebAssembly every collection pauses the
// page. Not for concurrent use.
type Decoder struct{ lum []byte }

// Decode is DecodeQR with the decoder's buffer.
func (d *Decoder) Decode(rgba []byte, width, height int) (string, error) {
	if width <= 0 || height <= 0 || width*height > MaxFramePixels || len(rgba) != width*height*4 {
		return "", errors.New("khung hình không hợp lệ")
	}
	// Luminance in one pass over the bytes: gozxing's image.Image path
	// calls At for every pixel, an allocation each, several times slower in
	// WebAssembly.
	if cap(d.lum) < width*height {
		d.lum = make([]byte, width*height)
	}
	lum := d.lum[:width*height]
	for i := range lum {
		p := rgba[i*4 : i*4+3 : i*4+3]
		lum[i] = byte((int(p[0]) + 2*int(p[1]) + int(p[2])) >> 2)
	}
	return d.read(lum, width, height)
}

// MaxLumaWidth is the widest frame DecodeLuma reads as is: a wider one is
// shrunk by a whole factor first (a 1280×720 camera frame to 640×360),
// which keeps a printed code's modules several pixels wide and the decode
// four times cheaper.
const MaxLumaWidth = 720

// DecodeLuma reads a QR code from a camera frame's luminance plane (the Y
// of the I420 or NV12 frame the camera gives, stride bytes a row), with no
// conversion to colour and back: the page's fast path where the browser
// hands it video frames (WebCodecs' VideoFrame).
func (d *Decoder) DecodeLuma(y []byte, width, height, stride int) (string, error) {
	if width <= 0 || height <= 0 || stride < width || width*height > MaxFramePixels || len(y) < stride*(height-1)+width {
		return "", errors.New("khung hình không hợp lệ")
	}
	k := (width + MaxLumaWidth - 1) / MaxLumaWidth
	w, h := width/k, height/k
	if cap(d.lum) < w*h {
		d.lum = make([]byte, w*h)
	}
	lum := d.lum[:w*h]
	if k == 1 {
		for r := range h {
			copy(lum[r*w:(r+1)*w], y[r*stride:r*stride+w])
		}
		return d.read(lum, w, h)
	}
	if k == 2 { // the usual 1280×720 camera: two rows at a time
		for r := range h {
			out := lum[r*w : (r+1)*w]
			a, b := y[2*r*stride:][:2*w], y[(2*r+1)*stride:][:2*w]
			for c := range out {
				out[c] = byte((int(a[2*c]) + int(a[2*c+1]) + int(b[2*c]) + int(b[2*c+1])) >> 2)
			}
		}
		return d.read(lum, w, h)
	}
	for r := range h {
		out := lum[r*w : (r+1)*w]
		for c := range out {
			sum := 0
			for dy := range k {
				row := y[(r*k+dy)*stride+c*k:][:k]
				for _, v := range row {
					sum += int(v)
				}
			}
			out[c] = byte(sum / (k * k))
		}
	}
	return d.read(lum, w, h)
}

// read decodes a luminance frame.
func (d *Decoder) read(lum []byte, width, height int) (string, error) {
	src, err := gozxing.NewPlanarYUVLuminanceSource(lum, width, height, 0, 0, width, height, false)
	if err != nil {
		return "", ErrNoCode
	}
	bmp, err := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
	if err != nil {
		return "", ErrNoCode
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		return "", ErrNoCode
	}
	return res.GetText(), nil
}
