package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"thonghanh/store"
	"thonghanh/store/seed"
	"thonghanh/store/storetest"
)

// TestPrintPermitsCommand approves part of a demo queue through the store
// (the command line has no approval) and prints it by date and by serial.
func TestPrintPermitsCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "desk.db")
	db := storetest.Desk(t, file, 60, 5)
	approver, signer := storetest.Approver(t, db)
	res := storetest.ApproveFirst(t, db, approver, signer, 3)
	db.Close()
	t.Setenv(envPassword, seed.DemoPassword)

	runCmd := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(ctx, args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
		return code, out.String(), errb.String()
	}
	pdf := filepath.Join(dir, "giay.pdf")
	code, out, stderr := runCmd("print", "permits", "--db", file, "--officer", "canbo", "--date", "21/09/2021", "--layout", "a5", "--out", pdf)
	if code != exitOK || !strings.Contains(out, "Đã in 3 giấy đi đường vào "+pdf) {
		t.Fatalf("print by date: %d %q %q", code, out, stderr)
	}
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatalf("no PDF written: %v", err)
	}
	code, out, stderr = runCmd("print", "permits", "--db", file, "--officer", "canbo", "--serials", res[0].Serial+","+res[0].Serial,
		"--out", filepath.Join(dir, "mot.pdf"))
	if code != exitOK || !strings.Contains(out, "Đã in 1 giấy") {
		t.Fatalf("print by serial: %d %q %q", code, out, stderr)
	}
	// Without --out the PDF goes to the desk's print folder, and the line
	// says which folder that is and how to choose another.
	home := t.TempDir()
	t.Setenv("HOME", home)
	code, out, stderr = runCmd("print", "permits", "--db", file, "--officer", "canbo", "--serials", res[1].Serial)
	folder := filepath.Join(home, "ThongHanh", "ban-in")
	if code != exitOK || !strings.Contains(out, "vào "+folder+string(filepath.Separator)) || !strings.Contains(out, "thư mục in của máy") ||
		!strings.Contains(out, "--out") {
		t.Errorf("print without --out should say the folder %s: %d %q %q", folder, code, out, stderr)
	}
	if pdfs, _ := filepath.Glob(filepath.Join(folder, "*.pdf")); len(pdfs) != 1 {
		t.Errorf("PDFs in the print folder: %v", pdfs)
	}
	if code, _, stderr = runCmd("print", "permits", "--db", file, "--officer", "duyet.28249", "--serials", res[0].Serial, "--out",
		filepath.Join(dir, "khac.pdf")); code != exitFail || !strings.Contains(stderr, "không có cán bộ") {
		t.Errorf("another unit's officer printed: %d %q", code, stderr)
	}

	db, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, _ := db.Permit(ctx, res[0].Serial)
	if p.Printed != 2 {
		t.Errorf("permit printed %d times, want 2", p.Printed)
	}
	if n, problem, err := db.VerifyAudit(ctx); err != nil || problem != nil || n == 0 {
		t.Errorf("audit: %d %v %v", n, problem, err)
	}
}
