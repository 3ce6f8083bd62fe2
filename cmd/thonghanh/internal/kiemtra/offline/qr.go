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
