// Package households reads a commune's household list from the files
// communes keep it in (CSV as Excel saves it in any locale, XLSX workbooks)
// into store.HouseholdRow values. The file formats, their size limit and
// their encodings are handled here so the system of record does not carry a
// spreadsheet library; the header rules and every check of a row are the
// store's (store.HouseholdRows), and writing the list is
// store.DB.ImportHouseholds.
package households

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"

	"thonghanh/store"
)

// ReadFile parses a household list by its name's extension
// (.csv, .xlsx, .xlsm); sheet applies to workbooks only.
func ReadFile(name string, r io.Reader, sheet string) ([]store.HouseholdRow, error) {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".csv"), strings.HasSuffix(lower, ".txt"):
		return ParseCSV(r)
	case strings.HasSuffix(lower, ".xlsx"), strings.HasSuffix(lower, ".xlsm"):
		return ParseXLSX(r, sheet)
	case strings.HasSuffix(lower, ".xls"):
		return nil, problem("tệp .xls (Excel 97–2003) không đọc được: mở bằng Excel và Lưu thành .xlsx hoặc CSV UTF-8")
	}
	return nil, problem("chỉ nhận tệp .csv hoặc .xlsx (tệp đang chọn: %s)", name)
}

// maxListBytes bounds a household file read into memory: a commune of ten
// thousand households is about a megabyte, so this only stops a wrong file.
const maxListBytes = 32 << 20

// ParseCSV reads a household list saved as CSV (comma, semicolon
// or tab separated, as Excel writes it in any locale; a UTF-8 BOM is fine).
// The header row names the columns in any order, in Vietnamese with or
// without diacritics. Every problem, of the file or of any row, comes back
// together in *store.ImportErrors.
func ParseCSV(r io.Reader) ([]store.HouseholdRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxListBytes+1))
	if err != nil {
		return nil, fmt.Errorf("đọc tệp danh sách hộ: %w", err)
	}
	if len(data) > maxListBytes {
		return nil, problem("tệp lớn hơn %d MB, không phải một danh sách hộ", maxListBytes>>20)
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		// Excel's "Unicode Text": UTF-16 behind a byte-order mark, tab separated.
		if data, err = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data); err != nil {
			return nil, problem("tệp UTF-16 hỏng: %v", err)
		}
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalidUTF8(data)], []byte("\n"))
		return nil, &store.ImportErrors{Problems: []store.ImportProblem{{Line: line,
			Reason: "tệp không phải mã UTF-8 (có thể là TCVN3 hoặc Windows-1258): trong Excel chọn Lưu thành \"CSV UTF-8\""}}}
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniffDelimiter(data)
	cr.FieldsPerRecord = -1 // trailing empty cells are often dropped
	var records [][]string
	var lines []int
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &store.ImportErrors{Problems: []store.ImportProblem{{Line: pe.Line, Reason: csvReason(pe)}}}
		}
		if err != nil {
			return nil, fmt.Errorf("đọc tệp CSV: %w", err)
		}
		line, _ := cr.FieldPos(0)
		records = append(records, rec)
		lines = append(lines, line)
	}
	return store.HouseholdRows(records, lines)
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func csvReason(pe *csv.ParseError) string {
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf("dấu ngoặc kép (\") không khớp ở cột thứ %d: ô có dấu ngoặc kép phải được bao trọn trong ngoặc kép", pe.Column)
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf("dấu ngoặc kép (\") nằm giữa ô không có ngoặc bao ở cột thứ %d: viết \"\" thay cho \" hoặc bao cả ô trong ngoặc kép", pe.Column)
	}
	return fmt.Sprintf("tệp CSV hỏng: %v", pe.Err)
}

// sniffDelimiter picks the separator of the header line: Excel writes ';'
// where the decimal mark is a comma, as on Vietnamese Windows.
func sniffDelimiter(data []byte) rune {
	first := data
	inQuote := false
	for i, c := range data {
		if c == '"' {
			inQuote = !inQuote
		}
		if c == '\n' && !inQuote {
			first = data[:i]
			break
		}
	}
	best, bestN := ',', 0
	for _, d := range []rune{',', ';', '\t'} {
		if n := bytes.Count(first, []byte(string(d))); n > bestN {
			best, bestN = d, n
		}
	}
	return best
}

// ParseXLSX reads a household list from an Excel workbook: the
// named sheet, or the first one when sheet is empty. Row numbers in
// problems are Excel's.
func ParseXLSX(r io.Reader, sheet string) ([]store.HouseholdRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxListBytes+1))
	if err != nil {
		return nil, fmt.Errorf("đọc tệp danh sách hộ: %w", err)
	}
	if len(data) > maxListBytes {
		return nil, problem("tệp lớn hơn %d MB, không phải một danh sách hộ", maxListBytes>>20)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 4 * maxListBytes})
	if err != nil {
		return nil, problem("không đọc được tệp Excel (.xlsx): %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, problem("tệp Excel không có trang tính nào")
	}
	if sheet == "" {
		sheet = sheets[0]
	} else {
		found := ""
		for _, s := range sheets {
			if s == sheet || store.Fold(s) == store.Fold(sheet) {
				found = s
				break
			}
		}
		if found == "" {
			return nil, problem("không có trang tính %q; tệp có: %s", sheet, strings.Join(sheets, ", "))
		}
		sheet = found
	}
	// Raw values: a CCCD typed as a number must not come back as 8.2E+10.
	records, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, problem("không đọc được trang tính %q: %v", sheet, err)
	}
	lines := make([]int, len(records))
	for i := range records {
		lines[i] = i + 1
		for j, v := range records[i] {
			records[i][j] = store.WholeNumber(v)
		}
	}
	return store.HouseholdRows(records, lines)
}

// problem is a problem of the file as a whole, in the store's form so a
// caller shows it like any problem of a row.
func problem(format string, args ...any) *store.ImportErrors {
	return &store.ImportErrors{Problems: []store.ImportProblem{{Reason: fmt.Sprintf(format, args...)}}}
}
