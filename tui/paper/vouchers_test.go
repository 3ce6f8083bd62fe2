package paper_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
	"thonghanh/store/slots"
	"thonghanh/tui/paper"
)

// TestPrintVouchersWritesAPDFAndAudits issues a week of vouchers for twelve
// households of the demo zone, prints them and reads the PDF back.
func TestPrintVouchersWritesAPDFAndAudits(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetClock(func() time.Time { return time.Date(2021, 9, 21, 8, 0, 0, 0, store.Vietnam) })
	if _, err := seed.Demo(ctx, db, seed.Options{People: 60, PerCategory: 5, Seed: 1,
		PasswordParams: &store.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1}, KeyParams: &seal.CheapKeyParams}); err != nil {
		t.Fatal(err)
	}
	approver, err := db.Login(ctx, "duyet", seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	var rows []store.HouseholdRow
	for i := range 12 {
		rows = append(rows, store.HouseholdRow{Code: fmt.Sprintf("TMC-%03d", i+1), Representative: "Trương Thị Thảo",
			IDNumber: fmt.Sprintf("08217%d%06d", i%10, 500+i), Hamlet: fmt.Sprintf("Ấp %d", 1+i%2)})
	}
	if _, err := db.ImportHouseholds(ctx, approver, approver.Unit, rows); err != nil {
		t.Fatal(err)
	}
	zones, _ := db.Zones(ctx, approver.Unit)
	plan, err := db.PlanVouchers(ctx, zones[0].ID, slots.Params{Start: time.Date(2021, 9, 22, 0, 0, 0, 0, store.Vietnam),
		Days: 7, TripsPerWeek: 2, SlotMinutes: 60, Pattern: slots.Alternate})
	if err != nil {
		t.Fatal(err)
	}
	serials, err := db.IssueVouchers(ctx, approver, signer, plan)
	if err != nil {
		t.Fatal(err)
	}

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
