package print

import (
	"bytes"
	"errors"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func fixtureLines(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for line := range strings.SplitSeq(string(b), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

func TestValidateText(t *testing.T) {
	for _, c := range []struct {
		in, want, err string
	}{
		{in: "Nguyễn Văn Ánh", want: "Nguyễn Văn Ánh"},
		{in: norm.NFD.String("Trương Thị Thuỷ"), want: "Trương Thị Thuỷ"},
		{in: "  Số 5,\tẤp Bắc\r\n", want: "Số 5, Ấp Bắc"},
		{in: "Tân Mỹ Chánh → KCN Mỹ Tho", want: "Tân Mỹ Chánh → KCN Mỹ Tho"},
		{in: "06:00–18:00 — Loại 4", want: "06:00–18:00 — Loại 4"},
		{in: "", want: ""},
		{in: "Nguyễn 😀", err: `họ tên chứa ký tự không in được: "😀"`},
		{in: "Lê 𠀀", err: `họ tên chứa ký tự không in được: "𠀀"`},
		{in: "Lê\x01", err: `họ tên chứa ký tự không in được: "\x01"`},
		{in: "Lê\u200d", err: `họ tên chứa ký tự không in được: "\u200d"`},
		{in: "阮文", err: `họ tên chứa ký tự không in được: "阮"`},
		{in: "Lê\xff", err: "họ tên không phải văn bản UTF-8 hợp lệ"},
	} {
		got, err := ValidateText("họ tên", c.in)
		switch {
		case c.err != "" && (err == nil || err.Error() != c.err):
			t.Errorf("ValidateText(%q) error %v, want %q", c.in, err, c.err)
		case c.err == "" && err != nil:
			t.Errorf("ValidateText(%q): %v", c.in, err)
		case c.err == "" && got != c.want:
			t.Errorf("ValidateText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	letters := fixtureLines(t, "vietnamese-letters.txt")
	if len(letters) != 146 {
		t.Fatalf("fixture has %d letters, want 146", len(letters))
	}
	for _, l := range letters {
		if _, err := ValidateText("chữ", l); err != nil {
			t.Errorf("Vietnamese letter %q: %v", l, err)
		}
		if got, err := ValidateText("chữ", norm.NFD.String(l)); err != nil || got != l {
			t.Errorf("NFD of %q: %q, %v", l, got, err)
		}
	}
}

// TestBadTextWritesNothing: a character that cannot be printed is an error
// naming the field, before anything is drawn; w receives nothing.
func TestBadTextWritesNothing(t *testing.T) {
	const emoji = `"😀"`
	permitCases := map[string]func(p *Permit){
		"họ tên":           func(p *Permit) { p.HolderName += " 😀" },
		"nơi cư trú":       func(p *Permit) { p.Address = "😀 " + p.Address },
		"lộ trình":         func(p *Permit) { p.Route = "Nhà → 😀" },
		"phạm vi đi lại":   func(p *Permit) { p.Area = append(p.Area, "Xã 😀") },
		"người ký":         func(p *Permit) { p.SignerName = "😀" },
		"cơ quan cấp":      func(p *Permit) { p.Issuer = "UBND 😀" },
		"cơ quan cấp trên": func(p *Permit) { p.IssuerParent = "😀" },
	}
	for field, spoil := range permitCases {
		ps := samplePermits(t, 3)
		spoil(&ps[2])
		for _, layout := range []Layout{LayoutA4Half, LayoutA5} {
			var buf bytes.Buffer
			err := Permits(&buf, ps, layout, nil)
			want := field + " chứa ký tự không in được: " + emoji
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %v, want it to contain %q", field, err, want)
			}
			if err != nil && !strings.Contains(err.Error(), "giấy đi đường thứ 3") {
				t.Errorf("%s: error %q does not say which permit", field, err)
			}
			if buf.Len() != 0 {
				t.Errorf("%s: %d bytes written despite the error", field, buf.Len())
			}
		}
	}
	voucherCases := map[string]func(v *Voucher){
		"người đại diện": func(v *Voucher) { v.Representative = "Lê 😀" },
		"ấp":             func(v *Voucher) { v.Hamlet = "Ấp 😀" },
		"chợ":            func(v *Voucher) { v.Market = "Chợ 😀" },
		"mã hộ":          func(v *Voucher) { v.Household = "😀" },
	}
	for field, spoil := range voucherCases {
		vs := []Voucher{sampleVoucher(0), sampleVoucher(1)}
		spoil(&vs[1])
		var buf bytes.Buffer
		err := Vouchers(&buf, vs, nil)
		want := field + " chứa ký tự không in được: " + emoji
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want it to contain %q", field, err, want)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: %d bytes written despite the error", field, buf.Len())
		}
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestPermitErrors(t *testing.T) {
	base := samplePermits(t, 1)[0]
	for name, c := range map[string]struct {
		spoil func(p *Permit)
		want  string
	}{
		"no name":      {func(p *Permit) { p.HolderName = " " }, "thiếu họ tên"},
		"no serial":    {func(p *Permit) { p.Serial = "" }, "thiếu số giấy"},
		"no issuer":    {func(p *Permit) { p.Issuer = "" }, "thiếu cơ quan cấp"},
		"no dates":     {func(p *Permit) { p.ValidUntil = time.Time{} }, "thiếu thời hạn"},
		"backwards":    {func(p *Permit) { p.ValidUntil = p.ValidFrom.Add(-time.Hour) }, "ngày hết hạn trước ngày bắt đầu"},
		"no issued at": {func(p *Permit) { p.IssuedAt = time.Time{} }, "thiếu ngày cấp"},
		"no QR":        {func(p *Permit) { p.QR = "" }, "thiếu nội dung mã QR"},
		"QR too dense": {func(p *Permit) { p.QR = "TH1:" + strings.Repeat("ABC123$%", 200) }, "mã QR quá dài để in"},
		"QR too long":  {func(p *Permit) { p.QR = strings.Repeat("x", 4000) }, "không tạo được mã QR"},
		"monster": {func(p *Permit) {
			p.Address = strings.Repeat("Số 123 đường Nguyễn Thị Thập, ", 40)
			p.Purpose = strings.Repeat("Vận chuyển nông sản ", 40)
		}, "nội dung quá dài, không vừa khổ giấy"},
	} {
		p := base
		c.spoil(&p)
		var buf bytes.Buffer
		err := Permits(&buf, []Permit{p}, LayoutA4Half, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", name, err, c.want)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: %d bytes written", name, buf.Len())
		}
	}
	if err := Permits(&bytes.Buffer{}, nil, LayoutA5, nil); err == nil {
		t.Error("no permits: no error")
	}
	if err := Permits(&bytes.Buffer{}, []Permit{base}, Layout(7), nil); err == nil {
		t.Error("bad layout: no error")
	}
	if err := Permits(failWriter{}, []Permit{base}, LayoutA5, nil); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("failing writer: %v", err)
	}
	v := sampleVoucher(0)
	v.SlotEnd = v.SlotStart
	if err := Vouchers(&bytes.Buffer{}, []Voucher{v}, nil); err == nil || !strings.Contains(err.Error(), "khung giờ không hợp lệ") {
		t.Errorf("empty slot: %v", err)
	}
}

func TestParseLayout(t *testing.T) {
	for in, want := range map[string]Layout{"a4": LayoutA4Half, "A4-half": LayoutA4Half, " a5 ": LayoutA5} {
		if got, err := ParseLayout(in); err != nil || got != want {
			t.Errorf("ParseLayout(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseLayout("letter"); err == nil {
		t.Error("ParseLayout(letter): no error")
	}
	for _, l := range []Layout{LayoutA4Half, LayoutA5} {
		if back, err := ParseLayout(l.String()); err != nil || back != l {
			t.Errorf("%v does not round-trip: %v %v", l, back, err)
		}
	}
}

func TestDates(t *testing.T) {
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2021, 9, 21, 9, 0, 0, 0, ICT), "ngày 21 tháng 9 năm 2021"},
		{time.Date(2021, 2, 5, 9, 0, 0, 0, ICT), "ngày 05 tháng 02 năm 2021"},
		{time.Date(2021, 12, 1, 9, 0, 0, 0, ICT), "ngày 01 tháng 12 năm 2021"},
		{time.Date(2021, 9, 20, 18, 30, 0, 0, time.UTC), "ngày 21 tháng 9 năm 2021"}, // 01:30 in Vietnam
	} {
		if got := adminDate(c.t); got != c.want {
			t.Errorf("adminDate(%v) = %q, want %q", c.t, got, c.want)
		}
	}
	from := time.Date(2021, 9, 21, 0, 0, 0, 0, time.UTC) // 07:00 ICT
	until := time.Date(2021, 10, 5, 11, 0, 0, 0, time.UTC)
	if got, want := validity(from, until), "từ 07:00 ngày 21/09/2021 đến 18:00 ngày 05/10/2021"; got != want {
		t.Errorf("validity = %q, want %q", got, want)
	}
}

// TestLongNamesFit draws each hard name, the last one 100 characters long,
// on both layouts and on a voucher: it must wrap and keep a readable size.
func TestLongNamesFit(t *testing.T) {
	names := fixtureLines(t, "hard-names.txt")
	long := names[len(names)-1]
	if n := utf8.RuneCountInString(long); n != 100 {
		t.Fatalf("fixture's long name has %d characters, want 100", n)
	}
	ps := make([]Permit, len(names))
	vs := make([]Voucher, len(names))
	for i, name := range names {
		ps[i] = samplePermit(i)
		ps[i].HolderName = name
		vs[i] = sampleVoucher(i)
		vs[i].Representative = name
	}
	sealPermits(t, ps)
	sealVouchers(t, vs)
	for _, layout := range []struct {
		orient, size string
		w            float64
	}{{"L", "A4", 148.5}, {"P", "A5", 148}} {
		d := newDoc(layout.orient, layout.size, "test")
		for i, p := range ps {
			pp, err := preparePermit(p, true)
			if err != nil {
				t.Fatal(err)
			}
			d.addPage()
			if err := d.drawPermit(&pp, 0, 0, layout.w, 210, true); err != nil {
				t.Fatalf("%s %q: %v", layout.size, p.HolderName, err)
			}
			if d.lastBody < 10 {
				t.Errorf("%s %q: body shrunk to %.1f pt", layout.size, p.HolderName, d.lastBody)
			}
			if i == len(ps)-1 {
				t.Logf("%s: 100-character name: body %.1f pt, QR %d modules in %.1f mm", layout.size, d.lastBody, pp.qr.n, pp.qr.side)
			}
		}
	}
	d := newDoc("P", "A4", "test")
	d.addPage()
	for _, v := range vs {
		vp, err := prepareVoucher(v, true)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.drawVoucher(&vp, 0, 0, true); err != nil {
			t.Fatalf("voucher %q: %v", v.Representative, err)
		}
		if d.lastBody < 6.5 {
			t.Errorf("voucher %q: body shrunk to %.1f pt", v.Representative, d.lastBody)
		}
	}

	// The text layer gives every name back whole.
	if _, err := execLook("pdftotext"); err != nil {
		return
	}
	var buf bytes.Buffer
	if err := Permits(&buf, ps, LayoutA4Half, nil); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(pdfText(t, writePDF(t, t.TempDir(), "long.pdf", buf.Bytes()))), " ")
	for _, name := range names {
		if !strings.Contains(text, name) {
			t.Errorf("name %q not found whole in the text layer", name)
		}
	}
}

// TestNFDPrintsNFC: decomposed input (as some keyboards and spreadsheets
// produce it) comes out composed in the PDF's text.
func TestNFDPrintsNFC(t *testing.T) {
	needTools(t, "pdftotext")
	p := samplePermits(t, 1)[0]
	name := "Trương Thị Thuỷ Tiên"
	p.HolderName = norm.NFD.String(name)
	p.Address = norm.NFD.String("Ấp Ông Hổ, xã Tân Hương")
	if p.HolderName == name {
		t.Fatal("NFD did not decompose")
	}
	var buf bytes.Buffer
	if err := Permits(&buf, []Permit{p}, LayoutA5, nil); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, writePDF(t, t.TempDir(), "nfd.pdf", buf.Bytes()))
	if !strings.Contains(text, name) || !strings.Contains(text, "Ấp Ông Hổ, xã Tân Hương") {
		t.Errorf("NFC text missing:\n%s", text)
	}
	if strings.Contains(text, p.HolderName) || !norm.NFC.IsNormalString(text) {
		t.Error("decomposed text reached the PDF")
	}
}

// TestBadQRMidBatch: a QR that cannot be encoded, far into a batch, stops
// the print with an error naming the permit, writes nothing and leaves no
// goroutine behind.
func TestBadQRMidBatch(t *testing.T) {
	ps := samplePermits(t, 40)
	ps[26].QR = strings.Repeat("x", 4000)
	before := runtime.NumGoroutine()
	var buf bytes.Buffer
	err := Permits(&buf, ps, LayoutA4Half, nil)
	if err == nil || !strings.Contains(err.Error(), "giấy đi đường thứ 27") {
		t.Errorf("error %v", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written", buf.Len())
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines before, %d after", before, after)
	}
}

// TestConcurrentPrints: desks print from several screens at once; nothing
// shared may race (run with -race).
func TestConcurrentPrints(t *testing.T) {
	ps := samplePermits(t, 6)
	vs := []Voucher{sampleVoucher(0), sampleVoucher(1), sampleVoucher(2)}
	sealVouchers(t, vs)
	var wg sync.WaitGroup
	sizes := make([]int, 4)
	for g := range 4 {
		wg.Go(func() {
			var w countingWriter
			var err error
			if g%2 == 0 {
				err = Permits(&w, ps, Layout(g/2), nil)
			} else {
				err = Vouchers(&w, vs, nil)
			}
			if err != nil {
				t.Error(err)
			}
			sizes[g] = int(w.n)
		})
	}
	wg.Wait()
	for g, n := range sizes {
		if n == 0 {
			t.Errorf("print %d wrote nothing", g)
		}
	}
}

// TestDecree30Details: the number carries the unit's ký hiệu, a category-2
// permit names the workplace, and a permit valid from the start of the day
// it is issued prints the issue time as its start, not 00:00.
func TestDecree30Details(t *testing.T) {
	needTools(t, "pdftotext")
	p := samplePermit(0)
	p.Symbol = "GĐĐ-UBND"
	p.Category = "Loại 2 — Cán bộ, công chức, viên chức, người lao động đi làm"
	p.Workplace = "Sở Y tế"
	p.IssuedAt = time.Date(2021, 9, 21, 9, 15, 0, 0, ICT)
	p.ValidFrom = time.Date(2021, 9, 21, 0, 0, 0, 0, ICT)
	ps := []Permit{p}
	sealPermits(t, ps)
	var buf bytes.Buffer
	if err := Permits(&buf, ps, LayoutA4Half, nil); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, writePDF(t, t.TempDir(), "p.pdf", buf.Bytes()))
	for _, want := range []string{"Số: " + p.Serial + "/GĐĐ-UBND", "Nơi làm việc:", "Sở Y tế", "từ 09:15 ngày 21/09/2021"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q not on the permit:\n%s", want, text)
		}
	}
	if strings.Contains(text, "từ 00:00") {
		t.Error("a permit issued at 09:15 prints its start as 00:00")
	}
}
