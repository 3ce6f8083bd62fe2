package store_test

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"thonghanh/store"
	"thonghanh/store/households"
)

const excelHeader = "STT;Mã hộ;Họ và tên chủ hộ;Số CCCD;Ấp\n"

// TestHouseholdListWithTotalsAndBlankRows: Excel lists end with a totals
// row and keep blank rows between hamlets; both are skipped and said, not
// refused.
func TestHouseholdListWithTotalsAndBlankRows(t *testing.T) {
	text := excelHeader +
		"1;TMC-001;Nguyễn Văn An;082070001101;Ấp 1\n" +
		";;;;\n" +
		"2;TMC-002;Lê Thị Bình;082171001102;Ấp 2\n" +
		";Tổng cộng: 2 hộ;;;\n"
	rows, err := households.ParseCSV(strings.NewReader(text))
	if err != nil {
		t.Fatalf("a list with a totals row and a blank row refused: %v", err)
	}
	var kept, skipped []store.HouseholdRow
	for _, r := range rows {
		if r.Skip != "" {
			skipped = append(skipped, r)
		} else {
			kept = append(kept, r)
		}
	}
	if len(kept) != 2 || kept[0].Code != "TMC-001" || kept[1].Code != "TMC-002" {
		t.Fatalf("households read: %+v", kept)
	}
	if len(skipped) != 2 || skipped[0].Line != 3 || skipped[1].Line != 5 || !strings.Contains(skipped[1].Skip, "tổng") {
		t.Fatalf("skipped rows: %+v", skipped)
	}
	db, _ := demoDB(t, 1, 1)
	clerk := login(t, db, "canbo")
	res, err := db.ImportHouseholds(context.Background(), clerk, clerk.Unit, rows)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 2 || len(res.Skipped) != 2 || res.Skipped[1].Line != 5 {
		t.Errorf("import: %+v", res)
	}
}

// TestHouseholdListAsUnicodeText: Excel's "Unicode Text" is UTF-16 with
// tabs; it is read as it is.
func TestHouseholdListAsUnicodeText(t *testing.T) {
	utf8Text := strings.ReplaceAll(excelHeader+"1;TMC-001;Nguyễn Văn An;082070001101;Ấp 1\n", ";", "\t")
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(utf8Text)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := households.ReadFile("ho.txt", strings.NewReader(utf16), "")
	if err != nil {
		t.Fatalf("UTF-16 list refused: %v", err)
	}
	if len(rows) != 1 || rows[0].Representative != "Nguyễn Văn An" || rows[0].Hamlet != "Ấp 1" {
		t.Errorf("rows: %+v", rows)
	}
}

// TestHouseholdRowWithOneCellTooMany: an address with an unquoted
// separator pushes a row one cell right; the row says exactly that, once,
// instead of a wrong problem in every column after it.
func TestHouseholdRowWithOneCellTooMany(t *testing.T) {
	text := "Mã hộ;Họ và tên chủ hộ;Số CCCD;Ấp;Địa chỉ\n" +
		"TMC-001;Nguyễn Văn An;082070001101;Ấp 1;Số 11\n" +
		"TMC-002;Lê Thị Bình;082171001102;Ấp 2;Số 4; hẻm 2\n" +
		"TMC-003;Trần Văn Cư;082072001103;Ấp 2;Số 9\n"
	_, err := households.ParseCSV(strings.NewReader(text))
	got := problemsOf(t, err)
	if len(got) != 1 || !strings.Contains(got[0], "dòng 3") || !strings.Contains(got[0], "6 ô") || !strings.Contains(got[0], "5 cột") {
		t.Errorf("problems %q, want one for line 3 saying it has 6 cells for 5 columns", got)
	}
}
