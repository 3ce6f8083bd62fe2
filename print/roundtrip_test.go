package print

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"thonghanh/store/seal"
)

// TestPermitsRoundTrip prints 200 sealed permits two to a sheet, scans the
// pages the way a checkpoint would, and verifies every seal.
func TestPermitsRoundTrip(t *testing.T) {
	needTools(t, "pdftoppm", "zbarimg", "pdftotext")
	ps := samplePermits(t, 200)
	var buf bytes.Buffer
	var pages []int
	if err := Permits(&buf, ps, LayoutA4Half, func(done, total int) {
		if total != len(ps) {
			t.Errorf("progress total %d, want %d", total, len(ps))
		}
		pages = append(pages, done)
	}); err != nil {
		t.Fatal(err)
	}
	if len(pages) != 100 || pages[0] != 2 || pages[99] != 200 {
		t.Errorf("progress: %d calls, first %v", len(pages), pages[:min(3, len(pages))])
	}
	dir := t.TempDir()
	pdf := writePDF(t, dir, "permits.pdf", buf.Bytes())
	pngs := rasterise(t, pdf)
	if len(pngs) != 100 {
		t.Errorf("%d pages, want 100", len(pngs))
	}

	bySerial := map[string]Permit{}
	byText := map[string]Permit{}
	for _, p := range ps {
		bySerial[p.Serial] = p
		byText[p.QR] = p
	}
	checker := testChecker(time.Date(2021, 9, 22, 10, 0, 0, 0, ICT))
	found := map[string]bool{}
	for _, text := range scanQRs(t, pngs) {
		p, ok := byText[text]
		if !ok {
			t.Errorf("decoded a text that was not printed: %.60q…", text)
			continue
		}
		if found[text] {
			t.Errorf("%s decoded twice", p.Serial)
		}
		found[text] = true
		res := checker.Verify(text)
		if res.Verdict != seal.Valid {
			t.Errorf("%s: verdict %s (%s)", p.Serial, res.Verdict, res.Detail)
			continue
		}
		if res.Payload.Serial != p.Serial || res.Payload.Name != p.HolderName {
			t.Errorf("%s: seal says serial %q, name %q", p.Serial, res.Payload.Serial, res.Payload.Name)
		}
	}
	if len(found) != len(ps) {
		t.Errorf("decoded %d of %d QR codes", len(found), len(ps))
	}

	text := pdfText(t, pdf)
	if !norm.NFC.IsNormalString(text) {
		t.Error("pdftotext output is not NFC")
	}
	for _, p := range ps {
		if !strings.Contains(text, p.HolderName) {
			t.Errorf("%s: name %q not in the text layer", p.Serial, p.HolderName)
		}
		if !strings.Contains(text, "Số: "+p.Serial) {
			t.Errorf("serial %s not in the text layer", p.Serial)
		}
	}
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"GIẤY ĐI ĐƯỜNG", "Tân Hương, ngày 21 tháng 9 năm 2021", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH",
		"từ 07:00 ngày 21/09/2021 đến 18:00 ngày 05/10/2021"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q not in the text layer", want)
		}
	}
}

// voucherOrder is the order a hamlet head expects: Vietnamese alphabet
// (a ă â b c d đ e ê … o ô ơ …), numbers as numbers.
var voucherOrder = []string{"Ấp 2", "Ấp 10", "Ấp Bắc", "Ấp Bình Thạnh", "Ấp Cầu Xây", "Ấp Đông",
	"Ấp Mỹ Lợi", "Ấp Nam", "Ấp Ông Hổ", "Ấp Tân Phú", "Khu phố Trung Lương"}

// sortedVoucherBatch returns vouchers in the expected order (3 households
// per hamlet, codes 2 < 9 < 10 numerically) and the same batch shuffled.
func sortedVoucherBatch(t testing.TB) (want, shuffled []Voucher) {
	i := 0
	for _, hamlet := range voucherOrder {
		for _, hh := range []string{"HGĐ-2", "HGĐ-9", "HGĐ-10"} {
			v := sampleVoucher(i)
			v.Hamlet = hamlet
			if i%4 == 0 {
				v.Hamlet = norm.NFD.String(hamlet) // same hamlet, typed another way
			}
			v.Household = hh
			v.Serial = fmt.Sprintf("28249-1-2021-P%06d", 900-i) // not in print order
			want = append(want, v)
			i++
		}
	}
	sealVouchers(t, want)
	shuffled = append([]Voucher(nil), want...)
	r := rand.New(rand.NewPCG(7, 8))
	r.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
	return want, shuffled
}

func TestVoucherSortOrder(t *testing.T) {
	want, shuffled := sortedVoucherBatch(t)
	keep := append([]Voucher(nil), shuffled...)
	preps := make([]voucherPrep, len(shuffled))
	for i, v := range shuffled {
		var err error
		if preps[i], err = prepareVoucher(v, false); err != nil {
			t.Fatal(err)
		}
	}
	sortVouchers(preps)
	for i := range want {
		if preps[i].serial != want[i].Serial {
			t.Fatalf("position %d: %s (%s %s), want %s (%s %s)", i, preps[i].serial, preps[i].hamlet,
				preps[i].household, want[i].Serial, norm.NFC.String(want[i].Hamlet), want[i].Household)
		}
	}
	for i := range keep {
		if keep[i].Serial != shuffled[i].Serial {
			t.Fatal("Vouchers reordered the caller's slice")
		}
	}
}

// TestVouchersRoundTrip prints a shuffled batch, checks the pages come out
// sorted by hamlet and household, and verifies every seal after a scan.
func TestVouchersRoundTrip(t *testing.T) {
	needTools(t, "pdftoppm", "zbarimg", "pdftotext")
	want, shuffled := sortedVoucherBatch(t) // 33 vouchers, 3 in each of 11 hamlets: 11 sheets
	var buf bytes.Buffer
	var progress []int
	if err := Vouchers(&buf, shuffled, func(done, total int) { progress = append(progress, done) }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(progress) != "[3 6 9 12 15 18 21 24 27 30 33]" {
		t.Errorf("progress %v: want a sheet per hamlet", progress)
	}
	dir := t.TempDir()
	pdf := writePDF(t, dir, "vouchers.pdf", buf.Bytes())

	// Reading order: a sheet per hamlet, named at its top; on a sheet,
	// left to right, top to bottom. Each cell is cropped (in points) and
	// identified by its serial.
	cellW, cellH := voucherW/25.4*72, voucherH/25.4*72
	for i, v := range want {
		page, cell := i/3+1, i%3
		if cell == 0 {
			head := pdfText(t, pdf, "-f", fmt.Sprint(page), "-l", fmt.Sprint(page), "-r", "72", "-x", "0", "-y", "0", "-W", "595", "-H", "54")
			if !strings.Contains(head, "PHIẾU ĐI CHỢ — "+norm.NFC.String(v.Hamlet)) || !strings.Contains(head, "tờ 1/1") {
				t.Errorf("sheet %d: head reads %q, want hamlet %s", page, head, norm.NFC.String(v.Hamlet))
			}
		}
		cx, cy := voucherCell(cell)
		x, y := cx/25.4*72, cy/25.4*72
		text := pdfText(t, pdf, "-f", fmt.Sprint(page), "-l", fmt.Sprint(page), "-r", "72",
			"-x", fmt.Sprint(int(x)), "-y", fmt.Sprint(int(y)), "-W", fmt.Sprint(int(cellW)), "-H", fmt.Sprint(int(cellH)))
		if !strings.Contains(text, "Số: "+v.Serial) {
			t.Fatalf("page %d cell %d: want voucher %s (%s, %s), cell reads:\n%s", page, cell+1, v.Serial,
				norm.NFC.String(v.Hamlet), v.Household, text)
		}
		for _, s := range []string{"PHIẾU ĐI CHỢ", norm.NFC.String(v.Hamlet), v.Representative} {
			if !strings.Contains(text, s) {
				t.Errorf("voucher %s: %q missing from its cell", v.Serial, s)
			}
		}
	}

	byText := map[string]Voucher{}
	for _, v := range want {
		byText[v.QR] = v
	}
	found := map[string]bool{}
	for _, text := range scanQRs(t, rasterise(t, pdf)) {
		v, ok := byText[text]
		if !ok {
			t.Errorf("decoded a text that was not printed: %.60q…", text)
			continue
		}
		found[text] = true
		res := testChecker(v.SlotStart.Add(10 * time.Minute)).Verify(text)
		if res.Verdict != seal.Valid || res.Payload.Serial != v.Serial || res.Payload.Household != v.Household {
			t.Errorf("%s: verdict %s (%s), serial %q, household %q", v.Serial, res.Verdict, res.Detail,
				res.Payload.Serial, res.Payload.Household)
		}
	}
	if len(found) != len(want) {
		t.Errorf("decoded %d of %d voucher QR codes", len(found), len(want))
	}
}
