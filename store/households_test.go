package store_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"thonghanh/store"
	"thonghanh/store/households"
)

var updateFixtures = flag.Bool("update", false, "rewrite the XLSX fixtures under testdata/")

func parseFile(t *testing.T, name, sheet string) ([]store.HouseholdRow, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return households.ReadFile(name, f, sheet)
}

func problemsOf(t *testing.T, err error) []string {
	t.Helper()
	var ie *store.ImportErrors
	if !errors.As(err, &ie) {
		t.Fatalf("want *ImportErrors, got %T %v", err, err)
	}
	if store.ErrorCode(err) != store.EInvalid {
		t.Errorf("ErrorCode = %s, want invalid", store.ErrorCode(err))
	}
	out := make([]string, len(ie.Problems))
	for i, p := range ie.Problems {
		out[i] = p.String()
	}
	return out
}

func TestParseGoodCSV(t *testing.T) {
	rows, err := parseFile(t, "ho-gia-dinh.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 20 {
		t.Fatalf("%d rows, want 20", len(rows))
	}
	// The title line and the header come first: the first household is line 3.
	if rows[0].Line != 3 || rows[0].Code != "TMC-001" || rows[0].Representative != "Nguyễn Văn An" || rows[0].Hamlet != "Ấp 1" ||
		rows[0].Address != "Số 11, Ấp 1" || rows[0].Members != "2" {
		t.Errorf("first row = %+v", rows[0])
	}
}

func TestParseBadCSVReportsEveryRow(t *testing.T) {
	_, err := parseFile(t, "ho-gia-dinh-loi.csv", "")
	got := problemsOf(t, err)
	want := []string{
		`dòng 4, cột "Mã hộ": mã hộ "TMC-101" trùng với dòng 2`,
		`dòng 5, cột "Họ và tên chủ hộ": chứa ký tự không in được trên giấy`,
		`dòng 6, cột "Ấp": không được để trống`,
		`dòng 7, cột "Số CCCD": phải có 12 số (CCCD) hoặc 9 số (CMND)`,
		`dòng 8, cột "Số điện thoại": phải có 10 số`,
		`dòng 9, cột "Số nhân khẩu": phải là số người của hộ`,
		`dòng 10, cột "Số CCCD": số 082070001101 đã ghi cho hộ ở dòng 2`,
	}
	if len(got) != len(want) {
		t.Fatalf("%d problems, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d = %q\nwant prefix %q", i, got[i], want[i])
		}
	}
}

func TestParseCSVFileProblems(t *testing.T) {
	header := "Mã hộ,Họ tên chủ hộ,Số CCCD,Ấp\n"
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "tệp trống"},
		{"only BOM and blank lines", "\uFEFF\n\n", "tệp trống"},
		{"header only", header, "sau dòng tiêu đề không có hộ nào"},
		{"missing columns", "Mã hộ,Họ tên chủ hộ\nA1,Nguyễn Văn An\n", `thiếu cột "Số CCCD"`},
		{"no header", "A1,Nguyễn Văn An,082190001234,Ấp 1\n", "không thấy dòng tiêu đề"},
		{"broken quote", header + "A1,\"Nguyễn Văn An,082190001234,Ấp 1\n", "dòng 2: dấu ngoặc kép"},
		{"bare quote", header + "A1,Nguyễn \"Văn\" An,082190001234,Ấp 1\n", "dòng 2: dấu ngoặc kép"},
		{"same column twice", "Mã hộ,Họ tên chủ hộ,Số CCCD,CMND,Ấp\nA1,Nguyễn Văn An,082190001234,,Ấp 1\n", `cột "CMND": trùng nghĩa với cột "Số CCCD"`},
		{"not utf-8", header + "A1,Nguy\xean V\xe3n An,082190001234,Ap 1\n", "dòng 2: tệp không phải mã UTF-8"},
		{"above U+FFFF", header + "A1,Nguyễn Văn 𠀀,082190001234,Ấp 1\n", `dòng 2, cột "Họ tên chủ hộ": chứa ký tự không in được`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := households.ParseCSV(strings.NewReader(tt.text))
			got := problemsOf(t, err)
			if len(got) == 0 || !strings.Contains(got[0], tt.want) {
				t.Errorf("problems %q, want one containing %q", got, tt.want)
			}
		})
	}
}

func TestParseCSVHeadersInAnyOrderAndSpelling(t *testing.T) {
	text := "so nhan khau\tHAMLET\tSo CCCD\tho ten chu ho\tma ho\tghi chu\n" +
		"3\tẤp 2\t082190001234\tNguyễn Văn An\tb-7\tnhà gần chợ\n"
	rows, err := households.ParseCSV(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Code != "b-7" || rows[0].Hamlet != "Ấp 2" || rows[0].Members != "3" || rows[0].IDNumber != "082190001234" {
		t.Fatalf("rows = %+v", rows)
	}
}

func TestImportHouseholdsGoodCSVStoresNFCAndReimportUpdates(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 60, 5)
	clerk := login(t, db, "canbo")
	rows, err := parseFile(t, "ho-gia-dinh.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	before := map[string]int{"audit": count(t, db, "audit"), "outbox": count(t, db, "outbox")}
	res, err := db.ImportHouseholds(ctx, clerk, clerk.Unit, rows)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res, store.ImportResult{Added: 20}) {
		t.Fatalf("first import = %+v", res)
	}
	if got := count(t, db, "audit") - before["audit"]; got != 1 {
		t.Errorf("%d audit entries, want 1 for the whole import", got)
	}
	if got := count(t, db, "outbox") - before["outbox"]; got != 21 { // 20 households + the audit entry
		t.Errorf("%d outbox ops, want 21", got)
	}
	hh, err := db.Households(ctx, store.HouseholdFilter{Commune: clerk.Unit})
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]store.Household{}
	for _, h := range hh {
		byCode[h.Code] = h
	}
	if h := byCode["TMC-002"]; h.Representative != "Trần Thị Bích" || !norm.NFC.IsNormalString(h.Representative) {
		t.Errorf("decomposed name stored as %q, want NFC", h.Representative)
	}
	if h := byCode["TMC-003"]; h.IDNumber != "311234567" {
		t.Errorf("CMND = %q", h.IDNumber)
	}
	if h := byCode["TMC-004"]; h.IDNumber != "082164001004" {
		t.Errorf("CCCD without its leading zero stored as %q, want 082164001004", h.IDNumber)
	}
	if h := byCode["TMC-006"]; h.Members != 1 {
		t.Errorf("empty members = %d, want 1", h.Members)
	}
	if hs, _ := db.Households(ctx, store.HouseholdFilter{Commune: clerk.Unit, Hamlets: []string{"ap 1"}}); len(hs) != 8 {
		t.Errorf("Ấp 1 has %d households, want 8", len(hs))
	}

	// A second import of the same list, one name corrected: updated by code.
	for i := range rows {
		if rows[i].Code == "TMC-005" {
			rows[i].Representative = "Huỳnh Văn Em Út"
		}
	}
	res, err = db.ImportHouseholds(ctx, clerk, clerk.Unit, rows)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res, store.ImportResult{Updated: 1, Unchanged: 19}) {
		t.Fatalf("re-import = %+v", res)
	}
	if n := count(t, db, "households"); n != 20 {
		t.Errorf("%d households after re-import, want 20", n)
	}
	// A list without the phone column keeps the phones the desk holds.
	short := []store.HouseholdRow{{Code: "TMC-001", Representative: "Nguyễn Văn An", IDNumber: "082061001001", Hamlet: "Ấp 1",
		Address: "Số 11, Ấp 1", Members: "2", Absent: []string{store.ColPhone}}}
	if res, err := db.ImportHouseholds(ctx, clerk, clerk.Unit, short); err != nil || res.Unchanged != 1 {
		t.Errorf("list without phones: %+v %v", res, err)
	}
	if hs, _ := db.Households(ctx, store.HouseholdFilter{Commune: clerk.Unit, Query: "TMC-001"}); len(hs) != 1 || hs[0].Phone != "0912340001" {
		t.Errorf("phone after a list without phones: %+v", hs)
	}
	// A shorter list keeps the households it does not mention.
	res, err = db.ImportHouseholds(ctx, clerk, clerk.Unit, rows[:5])
	if err != nil || res.Missing != 15 || res.Unchanged != 5 {
		t.Errorf("short list: %+v, %v", res, err)
	}
}

func TestImportHouseholdsBadListWritesNothing(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 60, 5)
	clerk := login(t, db, "canbo")
	good, err := parseFile(t, "ho-gia-dinh.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	// The store checks again: rows handed over without a parser are held to
	// the same rules, and one bad row keeps the nineteen good ones out.
	rows := append([]store.HouseholdRow(nil), good...)
	rows[6].IDNumber = "12345"
	rows[9].Representative = "Ngô 🙂"
	before := map[string]int{"households": count(t, db, "households"), "audit": count(t, db, "audit"), "outbox": count(t, db, "outbox")}
	_, err = db.ImportHouseholds(ctx, clerk, clerk.Unit, rows)
	got := problemsOf(t, err)
	if len(got) != 2 || !strings.HasPrefix(got[0], `dòng 9, cột "Số CCCD"`) || !strings.HasPrefix(got[1], `dòng 12, cột "Họ tên chủ hộ"`) {
		t.Errorf("problems = %q", got)
	}
	for table, n := range before {
		if c := count(t, db, table); c != n {
			t.Errorf("%s: %d rows after a refused import, want %d", table, c, n)
		}
	}
	// Only the commune's own staff import its list.
	other := login(t, db, "canbo.28249")
	if _, err := db.ImportHouseholds(ctx, other, clerk.Unit, good); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("another commune's clerk imported: %v", err)
	}
	checker := login(t, db, "kiemtra")
	if _, err := db.ImportHouseholds(ctx, checker, clerk.Unit, good); store.ErrorCode(err) != store.EForbidden {
		t.Errorf("a checker imported: %v", err)
	}
	if _, err := db.ImportHouseholds(ctx, clerk, clerk.Unit, nil); store.ErrorCode(err) != store.EInvalid {
		t.Errorf("empty list: %v", err)
	}
}

// xlsxFixtures are written by -update from these rows, so the binary files
// in testdata can always be remade and reviewed here.
func writeXLSXFixtures(t *testing.T) {
	good := excelize.NewFile()
	defer good.Close()
	sheet := "Danh sách hộ"
	if err := good.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	good.SetCellValue(sheet, "A1", "DANH SÁCH HỘ GIA ĐÌNH ẤP 1, ẤP 2 — XÃ TÂN MỸ CHÁNH")
	good.SetSheetRow(sheet, "A3", &[]any{"STT", "Mã hộ gia đình", "Họ và tên người đại diện", "Số CCCD", "Ấp", "Số nhà", "SĐT", "Nhân khẩu"})
	names := []string{"Nguyễn Thị Hoa", "Trần Văn Lộc", "Lê Thị Mỹ", "Phạm Văn Quý", "Huỳnh Thị Sen", "Võ Văn Tấn"}
	for i, n := range names {
		hamlet := "Ấp 1"
		if i >= 3 {
			hamlet = "Ấp 2"
		}
		var id any = fmt.Sprintf("0821%02d%06d", 70+i, 2000+i)
		if i == 0 {
			id = 82170002000 // typed as a number: Excel keeps no leading zero
		}
		good.SetSheetRow(sheet, fmt.Sprintf("A%d", 4+i), &[]any{i + 1, fmt.Sprintf("X-%02d", 1+i), n, id, hamlet,
			fmt.Sprintf("Số %d", 20+i), fmt.Sprintf("09876%05d", i), 2 + i})
	}
	good.NewSheet("Ghi chú")
	good.SetCellValue("Ghi chú", "A1", "Danh sách do trưởng ấp lập ngày 20/9/2021")
	if err := good.SaveAs(filepath.Join("testdata", "ho-gia-dinh.xlsx")); err != nil {
		t.Fatal(err)
	}

	bad := excelize.NewFile()
	defer bad.Close()
	bad.SetSheetRow("Sheet1", "A1", &[]any{"Mã hộ", "Họ tên chủ hộ", "Số CCCD", "Ấp/Khu phố", "Số nhân khẩu"})
	bad.SetSheetRow("Sheet1", "A2", &[]any{"Y-01", "Đinh Văn Khoa", "082170003001", "Ấp 1", 3})
	bad.SetSheetRow("Sheet1", "A3", &[]any{"", "Cao Thị Liên", "082170003002", "Ấp 1", 2})
	bad.SetSheetRow("Sheet1", "A4", &[]any{"Y-03", "Tạ Văn 42", "082170003003", "Ấp 2", 0})
	bad.SetSheetRow("Sheet1", "A5", &[]any{"Y-04", "La Thị Nga", 8.2170003e+9, "Ấp 2", 1})
	if err := bad.SaveAs(filepath.Join("testdata", "ho-gia-dinh-loi.xlsx")); err != nil {
		t.Fatal(err)
	}
}

func TestParseXLSX(t *testing.T) {
	if *updateFixtures {
		writeXLSXFixtures(t)
	}
	rows, err := parseFile(t, "ho-gia-dinh.xlsx", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 6 || rows[0].Line != 4 || rows[0].Code != "X-01" || rows[0].IDNumber != "82170002000" || rows[5].Members != "7" {
		t.Fatalf("rows = %+v", rows)
	}
	// By name, folded: the same sheet.
	if named, err := parseFile(t, "ho-gia-dinh.xlsx", "danh sach ho"); err != nil || len(named) != 6 {
		t.Errorf("named sheet: %d rows, %v", len(named), err)
	}
	if _, err := parseFile(t, "ho-gia-dinh.xlsx", "Ghi chú"); err == nil {
		t.Error("the notes sheet parsed as a household list")
	}
	_, err = parseFile(t, "ho-gia-dinh.xlsx", "Trang 9")
	if got := problemsOf(t, err); !strings.Contains(got[0], `không có trang tính "Trang 9"`) || !strings.Contains(got[0], "Danh sách hộ, Ghi chú") {
		t.Errorf("missing sheet: %q", got)
	}

	db, _ := demoDB(t, 60, 5)
	clerk := login(t, db, "canbo")
	res, err := db.ImportHouseholds(context.Background(), clerk, clerk.Unit, rows)
	if err != nil || res.Added != 6 {
		t.Fatalf("import: %+v %v", res, err)
	}
	hh, _ := db.Households(context.Background(), store.HouseholdFilter{Commune: clerk.Unit, Query: "X-01"})
	if len(hh) != 1 || hh[0].IDNumber != "082170002000" || hh[0].Phone != "0987600000" {
		t.Errorf("X-01 = %+v", hh)
	}

	_, err = parseFile(t, "ho-gia-dinh-loi.xlsx", "")
	got := problemsOf(t, err)
	want := []string{
		`dòng 3, cột "Mã hộ": không được để trống`,
		`dòng 4, cột "Họ tên chủ hộ": chỉ gồm chữ cái`,
		`dòng 4, cột "Số nhân khẩu": phải là số người của hộ`,
		`dòng 5, cột "Số CCCD": phải có 12 số (CCCD) hoặc 9 số (CMND)`,
	}
	if len(got) != len(want) {
		t.Fatalf("problems:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d = %q, want prefix %q", i, got[i], want[i])
		}
	}
}
