package print

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// needTools skips the test when a command-line tool is missing, or fails it
// when CI is set: on CI a missing tool is a broken image, not a reason to
// skip the only end-to-end check.
func needTools(t *testing.T, names ...string) {
	t.Helper()
	for _, name := range names {
		if _, err := exec.LookPath(name); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s not found (CI is set): install poppler-utils and zbar-tools", name)
			}
			t.Skipf("%s not found: install poppler-utils and zbar-tools", name)
		}
	}
}

func execLook(name string) (string, error) { return exec.LookPath(name) }

func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// writePDF writes b to dir/name and returns its path.
func writePDF(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// rasterise renders every page at 150 dpi, as a cheap office scanner or a
// phone camera at arm's length sees it, and returns the image files. It
// writes PPM, not PNG: the pixels are the same, zbarimg reads both, and
// compressing 1754×1240 PNGs is 90% of pdftoppm's time (0.4 s a page
// against 0.05 s), minutes of a shared machine for 100 pages.
func rasterise(t *testing.T, pdf string) []string {
	t.Helper()
	prefix := strings.TrimSuffix(pdf, ".pdf")
	run(t, "pdftoppm", "-r", "150", pdf, prefix)
	files, err := filepath.Glob(prefix + "-*.ppm")
	if err != nil || len(files) == 0 {
		t.Fatalf("pdftoppm wrote no image for %s (%v)", pdf, err)
	}
	return files
}

// rasterisePNG renders one page at dpi as PNG and returns its path.
func rasterisePNG(t *testing.T, pdf string, page, dpi int) string {
	t.Helper()
	prefix := strings.TrimSuffix(pdf, ".pdf") + fmt.Sprintf("-p%d", page)
	run(t, "pdftoppm", "-r", fmt.Sprint(dpi), "-png", "-singlefile", "-f", fmt.Sprint(page), "-l", fmt.Sprint(page), pdf, prefix)
	return prefix + ".png"
}

// scanQRs decodes every QR in the images with one zbarimg call and
// returns the texts, one per symbol found.
func scanQRs(t *testing.T, pngs []string) []string {
	t.Helper()
	args := append([]string{"--raw", "-q", "-Sdisable", "-Sqrcode.enable"}, pngs...)
	cmd := exec.Command("zbarimg", args...)
	out, err := cmd.Output()
	// zbarimg exits 4 when some image holds no symbol: the count below
	// tells what matters.
	if err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 4 {
			t.Fatalf("zbarimg: %v", err)
		}
	}
	var texts []string
	for line := range strings.SplitSeq(string(out), "\n") {
		if line != "" {
			texts = append(texts, line)
		}
	}
	return texts
}

func pdfText(t *testing.T, pdf string, extra ...string) string {
	t.Helper()
	args := append(append([]string{"-enc", "UTF-8"}, extra...), pdf, "-")
	return string(run(t, "pdftotext", args...))
}
