package i18n

import "testing"

func TestInt(t *testing.T) {
	for _, tc := range []struct {
		n      int
		vi, en string
	}{{0, "0", "0"}, {999, "999", "999"}, {5000, "5.000", "5,000"}, {100000, "100.000", "100,000"}, {-1234567, "-1.234.567", "-1,234,567"}} {
		if got := Vi.Int(tc.n); got != tc.vi {
			t.Errorf("Vi.Int(%d) = %q, want %q", tc.n, got, tc.vi)
		}
		if got := En.Int(tc.n); got != tc.en {
			t.Errorf("En.Int(%d) = %q, want %q", tc.n, got, tc.en)
		}
	}
}

func TestParseAndFallback(t *testing.T) {
	if l, err := Parse("EN"); err != nil || l != En {
		t.Errorf("Parse(EN) = %q, %v", l, err)
	}
	if l, err := Parse(""); err != nil || l != Vi {
		t.Errorf("Parse(\"\") = %q, %v", l, err)
	}
	if _, err := Parse("fr"); err == nil {
		t.Error("fr should be refused")
	}
	Register(map[string]Text{"test.only.vi": {Vi: "chỉ tiếng Việt"}})
	if got := En.T("test.only.vi"); got != "chỉ tiếng Việt" {
		t.Errorf("a missing English text falls back to Vietnamese, got %q", got)
	}
	if got := Vi.T("test.missing"); got != "test.missing" {
		t.Errorf("a missing key shows itself, got %q", got)
	}
}
