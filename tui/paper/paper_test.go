package paper_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"thonghanh/print"
	"thonghanh/store"
	"thonghanh/store/storetest"
	"thonghanh/tui/paper"
)

func TestIssuerWording(t *testing.T) {
	units := store.NewUnitIndex(mustUnits(t))
	tests := []struct {
		code                                  uint32
		parent, name, place, signerFor, title string
	}{
		{28291, "UBND THÀNH PHỐ MỸ THO", "ỦY BAN NHÂN DÂN XÃ TÂN MỸ CHÁNH", "Tân Mỹ Chánh", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"},
		{28249, "UBND THÀNH PHỐ MỸ THO", "ỦY BAN NHÂN DÂN PHƯỜNG 5", "Mỹ Tho", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"},
		{820101, "UBND TỈNH TIỀN GIANG", "SỞ CÔNG THƯƠNG", "Tiền Giang", "", "GIÁM ĐỐC"},
		{store.CommandCentreFor(28291), "UBND XÃ TÂN MỸ CHÁNH", "BAN CHỈ HUY PHÒNG, CHỐNG DỊCH COVID-19 XÃ TÂN MỸ CHÁNH", "Tân Mỹ Chánh", "TM. BAN CHỈ HUY", "TRƯỞNG BAN"},
	}
	for _, tt := range tests {
		got := paper.IssuerOf(units, tt.code)
		want := paper.Issuer{Parent: tt.parent, Name: tt.name, Place: tt.place, SignerFor: tt.signerFor, Title: tt.title, Symbol: got.Symbol, Short: got.Short}
		if got != want {
			t.Errorf("IssuerOf(%d) = %+v\nwant %+v", tt.code, got, want)
		}
	}
}

// TestSignerByPosition: a deputy signs "KT." the head (Decree 30/2020).
func TestSignerByPosition(t *testing.T) {
	units := store.NewUnitIndex(mustUnits(t))
	for _, tt := range []struct {
		code             uint32
		signerFor, title string
	}{
		{28291, "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"},
		{820101, "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"},
	} {
		is := paper.IssuerFor(units, tt.code, store.PositionDeputy)
		if is.SignerFor != tt.signerFor || is.Title != tt.title {
			t.Errorf("deputy of %d signs %q / %q, want %q / %q", tt.code, is.SignerFor, is.Title, tt.signerFor, tt.title)
		}
	}
	if is := paper.IssuerOf(units, 28291); is.Symbol != "GĐĐ-UBND" {
		t.Errorf("a commune's ký hiệu is %q", is.Symbol)
	}
}

func mustUnits(t *testing.T) []store.Unit {
	u, err := store.ProvinceUnits()
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestPrintPermitsWritesAPDFAndAudits approves part of the demo queue,
// prints it, reads the PDF back as text and checks the audit log.
func TestPrintPermitsWritesAPDFAndAudits(t *testing.T) {
	ctx := context.Background()
	db := storetest.Desk(t, filepath.Join(t.TempDir(), "desk.db"), 60, 8)
	approver, signer := storetest.Approver(t, db)
	res := storetest.ApproveFirst(t, db, approver, signer, 4)
	var serials []string
	for _, r := range res {
		serials = append(serials, r.Serial)
	}
	before, _, _ := db.VerifyAudit(ctx)
	dir := t.TempDir()
	path, err := paper.PrintPermits(ctx, db, approver, serials, paper.Dest{Dir: dir}, print.LayoutA4Half, nil)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != dir || !strings.HasSuffix(path, ".pdf") {
		t.Fatalf("printed to %s, want a PDF in %s", path, dir)
	}
	after, problem, _ := db.VerifyAudit(ctx)
	if problem != nil || after-before != int64(len(serials)) {
		t.Errorf("audit entries for the print: %d (problem %v), want %d", after-before, problem, len(serials))
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext missing in CI")
		}
		t.Skip("pdftotext not installed")
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, s := range serials {
		p, _ := db.Permit(ctx, s)
		if !strings.Contains(text, p.HolderName) || !strings.Contains(text, s) {
			t.Errorf("PDF lacks holder %q or serial %s", p.HolderName, s)
		}
	}
	for _, want := range []string{"GIẤY ĐI ĐƯỜNG", "ỦY BAN NHÂN DÂN", "XÃ TÂN MỸ CHÁNH", "UBND THÀNH PHỐ MỸ THO", "CHỦ TỊCH", "/GĐĐ-UBND", approver.FullName} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
	if _, err := paper.PrintPermits(ctx, db, approver, nil, paper.Dest{Dir: dir}, print.LayoutA4Half, nil); err == nil {
		t.Error("printing nothing succeeded")
	}
}
