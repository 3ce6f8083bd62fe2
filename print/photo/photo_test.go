package photo

import (
	"image"
	"image/color"
	"image/draw"
	"slices"
	"testing"

	"github.com/skip2/go-qrcode"
)

// TestReadAllFindsEveryCode: two codes side by side, as on a half-A4
// sheet, both read; a blank image reads none.
func TestReadAllFindsEveryCode(t *testing.T) {
	sheet := image.NewGray(image.Rect(0, 0, 1200, 560))
	draw.Draw(sheet, sheet.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	texts := []string{"TH1:ONE-CODE-ON-THE-LEFT", "TH1:ANOTHER-ON-THE-RIGHT"}
	for i, text := range texts {
		q, err := qrcode.New(text, qrcode.High)
		if err != nil {
			t.Fatal(err)
		}
		img := q.Image(400)
		draw.Draw(sheet, img.Bounds().Add(image.Pt(100+i*600, 80)), img, image.Point{}, draw.Src)
	}
	got := ReadAll(sheet)
	slices.Sort(got)
	want := slices.Clone(texts)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("read %q, want %q", got, want)
	}
	blank := image.NewGray(image.Rect(0, 0, 300, 300))
	if got := ReadAll(blank); len(got) != 0 {
		t.Errorf("a blank image read %q", got)
	}
}
