package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestFitLinesCutsAndPads(t *testing.T) {
	got := FitLines("một\nhai dòng rất dài ở đây\nba\nbốn", 10, 3)
	lines := strings.Split(got, "\n")
	if len(lines) != 3 || lines[0] != "một" || lines[2] != "ba" {
		t.Fatalf("FitLines cut to %q", lines)
	}
	if w := ansi.StringWidth(lines[1]); w > 10 || !strings.HasSuffix(lines[1], "…") {
		t.Errorf("a long line is %d wide: %q", w, lines[1])
	}
	if got := FitLines("a", 5, 3); got != "a\n\n" {
		t.Errorf("padding: %q", got)
	}
}
