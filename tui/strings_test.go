package tui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"thonghanh/tui/i18n"
)

// TestEveryTextKeyExists finds every literal key the desk's screens look up
// and checks it is registered in both languages: a typo would show the key
// itself on a clerk's screen.
func TestEveryTextKeyExists(t *testing.T) {
	lookup := regexp.MustCompile(`\.Tf?\("([a-z0-9_.]+)"`)
	for _, dir := range []string{".", "common", "login", "intake", "queue", "permits"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range lookup.FindAllStringSubmatch(string(src), -1) {
				k := m[1]
				if strings.HasSuffix(k, ".") {
					continue // a prefix completed at run time ("role." + role)
				}
				if !i18n.Has(k) {
					t.Errorf("%s: text key %q is not registered", f, k)
					continue
				}
				if i18n.Vi.T(k) == "" || i18n.En.T(k) == "" {
					t.Errorf("%s: text key %q lacks a language", f, k)
				}
			}
		}
	}
}
