package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"thonghanh/print"
	"thonghanh/print/phonesim"
	"thonghanh/store/seal"
)

// needPhotoTools skips without pdftoppm and zbarimg, except on CI, and
// under the race detector (.ci/run runs this test without it).
func needPhotoTools(t *testing.T) {
	t.Helper()
	if raceEnabled {
		t.Skip("pixel work under -race takes minutes; .ci/run runs this test without -race")
	}
	for _, name := range []string{"pdftoppm", "zbarimg"} {
		if _, err := exec.LookPath(name); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s not found (CI is set): install poppler-utils and zbar-tools", name)
			}
			t.Skipf("%s not found: install poppler-utils and zbar-tools", name)
		}
	}
}

// TestVerifyImageReadsEveryCodeOnAPhoto prints half-A4 sheets of sealed
// permits, makes of each sheet a phone photo of a photocopied print held
// back from the sheet (print/phonesim, the strengths of the print field
// test at 120 dpi), and checks `thonghanh verify PHOTO`: it gives a verdict
// for every code on the sheet, and reads at least as many codes as zbarimg
// on the same photos.
func TestVerifyImageReadsEveryCodeOnAPhoto(t *testing.T) {
	needPhotoTools(t)
	e := newVerifyEnv(t)
	var permits []print.Permit
	for i := range 16 {
		p := permitPayload()
		p.Serial = fmt.Sprintf("28249-1-2021-%06d", 200+i)
		p.Name = []string{"Lê Nguyễn Hoàng Phương Vy", "Trần Văn Út", "Huỳnh Thị Ngọc Bích", "Võ Minh Quốc"}[i%4]
		permits = append(permits, print.Permit{Serial: p.Serial, Issuer: "UBND XÃ TÂN MỸ CHÁNH", Place: "Tân Mỹ Chánh",
			IssuedAt: p.IssuedAt, HolderName: p.Name, IDNumber: p.IDNumber, Address: "Ấp Bắc, xã Tân Mỹ Chánh",
			Category: "Loại 4", Purpose: "Mua lương thực", Area: []string{"Xã Tân Mỹ Chánh"}, Route: p.Route,
			ValidFrom: p.ValidFrom, ValidUntil: p.ValidUntil, SignerTitle: "CHỦ TỊCH", SignerName: "Trương Văn Hải",
			QR: e.seal(t, p)})
	}
	var pdf bytes.Buffer
	if err := print.Permits(&pdf, permits, print.LayoutA4Half, nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdfPath := filepath.Join(dir, "sheets.pdf")
	if err := os.WriteFile(pdfPath, pdf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-gray", "-r", "200", pdfPath, filepath.Join(dir, "sheet")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "sheet-*.pgm"))
	if len(pages) != len(permits)/2 {
		t.Fatalf("%d pages, want %d", len(pages), len(permits)/2)
	}
	phone := phonesim.Params{PrintBlurMM: 0.07, DPI: 120, AngleDeg: 3, CameraBlurPx: 0.7,
		Black: 0.30, White: 0.80, Noise: 0.03, JPEGQuality: 75}
	var photos []string
	for i, page := range pages {
		g, err := phonesim.ReadPGM(page)
		if err != nil {
			t.Fatal(err)
		}
		jpg, _, err := phonesim.Capture(phonesim.Print(g, 200, phone.PrintBlurMM), 200, phone, uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		photos = append(photos, e.write(fmt.Sprintf("photo-%02d.jpg", i), jpg))
	}

	ours := 0
	for _, photo := range photos {
		r := runVerifyCmd(t, "", append(e.files(), "--at", morning, "--json", photo)...)
		var results []verifyJSON
		if err := json.Unmarshal([]byte(r.out), &results); err != nil {
			var one verifyJSON
			if json.Unmarshal([]byte(r.out), &one) != nil {
				t.Errorf("%s: exit %d, output not JSON\n%s%s", photo, r.code, r.out, r.errOut)
				continue
			}
			results = []verifyJSON{one}
		}
		for _, v := range results {
			if v.Verdict != seal.Valid {
				t.Errorf("%s: a code read as %s (%s)", photo, v.Verdict, v.Detail)
				continue
			}
			ours++
		}
	}
	out, err := exec.Command("zbarimg", append([]string{"--raw", "-q", "-Sdisable", "-Sqrcode.enable"}, photos...)...).Output()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 4) {
		t.Fatalf("zbarimg: %v", err)
	}
	zbar := 0
	for line := range strings.SplitSeq(string(out), "\n") {
		if strings.HasPrefix(line, seal.Prefix) {
			zbar++
		}
	}
	t.Logf("%d photos of two permits each: verify read %d codes, zbarimg %d", len(photos), ours, zbar)
	if ours < zbar {
		t.Errorf("verify read %d codes, zbarimg %d: verify must read at least as many", ours, zbar)
	}
	if ours < len(permits)*95/100 {
		t.Errorf("verify read %d of %d codes", ours, len(permits))
	}
}
