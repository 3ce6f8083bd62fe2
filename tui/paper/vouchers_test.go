package paper_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"thonghanh/store/storetest"
	"thonghanh/tui/paper"
)

// TestPrintVouchersWritesAPDFAndAudits issues a week of vouchers for twelve
// households of the demo zone, prints them and reads the PDF back.
func TestPrintVouchersWritesAPDFAndAudits(t *testing.T) {
	ctx := context.Background()
	db := storetest.Desk(t, filepath.Join(t.TempDir(), "desk.db"), 60, 5)
	approver, signer := storetest.Approver(t, db)
	storetest.Households(t, db, approver, 12, func(int) string { return "Trương Thị Thảo" })
	serials, _ := storetest.WeekOfVouchers(t, db, approver, signer)
	vs, err := paper.Vouchers(ctx, db, serials)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 24 || vs[0].Issuer != "UBND XÃ TÂN MỸ CHÁNH" || vs[0].Serial != serials[0] || vs[0].Representative != "Trương Thị Thảo" {
		t.Fatalf("print values: %d, first %+v", len(vs), vs[0])
	}
	if _, err := paper.Vouchers(ctx, db, []string{"28291-1-2021-V999999"}); err == nil || !strings.Contains(err.Error(), "không có phiếu") {
		t.Errorf("unknown serial: %v", err)
	}

	before, _, _ := db.VerifyAudit(ctx)
	dir := t.TempDir()
	var pages []int
	path, err := paper.PrintVouchers(ctx, db, approver, append(serials, serials[0]), paper.Dest{Dir: dir}, func(done, total int) {
		pages = append(pages, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != dir || !strings.Contains(filepath.Base(path), "phieu-di-cho") {
		t.Fatalf("printed to %s", path)
	}
	// 8 per sheet, each hamlet on sheets of its own: 12 + 12 in two hamlets.
	if fmt.Sprint(pages) != "[8 12 20 24]" {
		t.Errorf("progress %v, want sheets of 8 and 4 for each of two hamlets", pages)
	}
	after, problem, _ := db.VerifyAudit(ctx)
	if problem != nil || after-before != 24 {
		t.Errorf("audit entries for the print: %d (%v), want 24", after-before, problem)
	}
	if v, _ := db.Voucher(ctx, serials[0]); v.Printed != 1 {
		t.Errorf("printed count %d, want 1", v.Printed)
	}
	if _, err := paper.PrintVouchers(ctx, db, approver, nil, paper.Dest{Dir: dir}, nil); err == nil {
		t.Error("printing nothing succeeded")
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
	for _, want := range []string{"PHIẾU ĐI CHỢ", "UBND XÃ TÂN MỸ CHÁNH", "TMC-001", serials[23], "Trương Thị Thảo"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
}
