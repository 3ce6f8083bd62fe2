package store

import (
	"strings"
	"testing"
	"time"
)

func TestValidateIDNumber(t *testing.T) {
	born1990 := time.Date(1990, 5, 1, 0, 0, 0, 0, Vietnam)
	born2003 := time.Date(2003, 5, 1, 0, 0, 0, 0, Vietnam)
	tests := []struct {
		id    string
		birth time.Time
		sex   string
		ok    bool
	}{
		{"082090123456", born1990, SexMale, true},
		{"082190123456", born1990, SexFemale, true},
		{"082203123456", born2003, SexMale, true},
		{"082303123456", born2003, SexFemale, true},
		{"082090123456", born1990, SexFemale, false}, // sex digit says male
		{"082290123456", born1990, SexMale, false},   // century digit says 2000s
		{"082091123456", born1990, SexMale, false},   // year digits say 1991
		{"003090123456", born1990, SexMale, false},   // 003 is no province
		{"08209012345", born1990, SexMale, false},    // 11 digits
		{"08209012345a", born1990, SexMale, false},
		{"312345678", time.Time{}, "", true}, // CMND
		{"", time.Time{}, "", false},
	}
	for _, tt := range tests {
		_, err := ValidateIDNumber(tt.id, tt.birth, tt.sex)
		if (err == nil) != tt.ok {
			t.Errorf("ValidateIDNumber(%q, %d, %q) = %v, want ok=%v", tt.id, tt.birth.Year(), tt.sex, err, tt.ok)
		}
		if err != nil && ErrorCode(err) != EInvalid {
			t.Errorf("ValidateIDNumber(%q) code = %s, want invalid", tt.id, ErrorCode(err))
		}
	}
}

func TestValidatePhone(t *testing.T) {
	tests := map[string]string{
		"0912345678":      "0912345678",
		"091 234 5678":    "0912345678",
		"+84912345678":    "0912345678",
		"0321234567":      "0321234567",
		"":                "",
		"0112345678":      "!", // 011 is no mobile prefix
		"091234567":       "!",
		"09123456789":     "!",
		"0912-34567x":     "!",
		"02733123456":     "!", // landline, 11 digits
		"0951234567":      "!", // 095 (S-Fone) is gone
		"+84 91 234 5678": "0912345678",
	}
	for in, want := range tests {
		got, err := ValidatePhone(in)
		if want == "!" {
			if err == nil {
				t.Errorf("ValidatePhone(%q) = %q, want error", in, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("ValidatePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestValidateName(t *testing.T) {
	decomposed := "Nguye\u0302\u0303n Va\u0306n \u0110u\u031b\u0301c" // NFD "Nguyễn Văn Đức"
	got, err := ValidateName("  " + decomposed + "  ")
	if err != nil || got != "Nguyễn Văn Đức" {
		t.Fatalf("decomposed name = %q, %v; want NFC Nguyễn Văn Đức", got, err)
	}
	for _, ok := range []string{"Lê Thị Hồng", "O'Neil Nguyễn", "Trần-Lê A.", "Y Bi Aliô"} {
		if _, err := ValidateName(ok); err != nil {
			t.Errorf("ValidateName(%q) = %v", ok, err)
		}
	}
	long := ""
	for range 101 {
		long += "a"
	}
	for _, bad := range []string{"", "   ", "Nguyễn Văn 😀", "Nguyễn Văn 2", "Lê<script>", long, "Lê\u0000Văn"} {
		if _, err := ValidateName(bad); err == nil {
			t.Errorf("ValidateName(%q) accepted", bad)
		}
	}
}

func TestFold(t *testing.T) {
	tests := map[string]string{
		"Nguyễn Văn Đức":        "nguyen van duc",
		"ĐẶNG THỊ ÁNH  TUYẾT":   "dang thi anh tuyet",
		"Nguye\u0302\u0303n":    "nguyen",
		"  Huỳnh   Kim Phượng ": "huynh kim phuong",
		"Xã Tân Mỹ Chánh":       "xa tan my chanh",
		"Thị trấn Vĩnh Bình":    "thi tran vinh binh",
	}
	for in, want := range tests {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseHours(t *testing.T) {
	from, to, err := ParseHours("06:00–18:30")
	if err != nil || from != 360 || to != 1110 {
		t.Fatalf("ParseHours = %d, %d, %v", from, to, err)
	}
	if _, _, err := ParseHours("18:00-06:00"); err == nil {
		t.Error("hours ending before they start were accepted")
	}
	if _, _, err := ParseHours("sáng"); err == nil {
		t.Error("free text accepted as hours")
	}
}

func TestCleanTextTrimsCollapsesAndComposes(t *testing.T) {
	for in, want := range map[string]string{
		"Ấp 3":                 "Ấp 3",
		"  Ấp   3 ":            "Ấp 3",
		"Ấp\t3\n":              "Ấp 3",
		"Ấp\u00a03":            "Ấp 3",
		"Ấp \u3000 3":          "Ấp 3",
		"Nha\u0300 → Be\u0323": "Nhà → Bẹ",
		"":                     "",
		"   ":                  "",
	} {
		got, err := CleanText("Địa chỉ", in, 100)
		if err != nil || got != want {
			t.Errorf("CleanText(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"Ấp 3 😀", "Ấp\u00003", strings.Repeat("a", 101)} {
		if _, err := CleanText("Địa chỉ", bad, 100); err == nil {
			t.Errorf("CleanText(%q) accepted", bad)
		}
	}
}
