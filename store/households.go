package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// HouseholdRow is one row of a household list as the commune typed it: raw
// text, checked only by ImportHouseholds (and by HouseholdRows, which the
// file readers of store/households call, running the same checks so a
// clerk sees every problem before anything is written).
type HouseholdRow struct {
	Line           int // line (CSV) or row (XLSX) in the file; 0 = position in the slice
	Code           string
	Representative string
	IDNumber       string
	Hamlet         string
	Address        string
	Phone          string
	Members        string // empty = 1: the representative at least
	// Skip, when not empty, says why the row holds no household and is
	// passed over (a blank row between hamlets, Excel's totals row): the
	// import reports it rather than refusing the file.
	Skip string
	// Absent names the optional columns (ColAddress, ColPhone, ColMembers)
	// the file does not have: a re-import keeps what the desk holds for
	// them instead of clearing it, so a short list erases nothing.
	Absent []string
}

func (r HouseholdRow) absent(col string) bool {
	for _, a := range r.Absent {
		if a == col {
			return true
		}
	}
	return false
}

// ImportResult says what an import changed.
type ImportResult struct {
	Added     int // households new to the commune
	Updated   int // households already known by their code whose details changed
	Unchanged int // households already known, identical
	// Missing counts households the desk holds for the commune that the
	// list does not mention. They are kept: a list that forgot a hamlet
	// must not silently take vouchers away from it.
	Missing int
	// Skipped are the rows passed over (HouseholdRow.Skip), with why.
	Skipped []ImportProblem
}

// ImportProblem is one thing wrong with a household list.
type ImportProblem struct {
	Line   int    // 0 = the file as a whole
	Column string // the column as headed in the file; empty = the whole line
	Reason string // Vietnamese
}

func (p ImportProblem) String() string {
	switch {
	case p.Line > 0 && p.Column != "":
		return fmt.Sprintf("dòng %d, cột %q: %s", p.Line, p.Column, p.Reason)
	case p.Line > 0:
		return fmt.Sprintf("dòng %d: %s", p.Line, p.Reason)
	case p.Column != "":
		return fmt.Sprintf("cột %q: %s", p.Column, p.Reason)
	}
	return p.Reason
}

// ImportErrors lists every problem of a household list. When it is
// returned, nothing was imported.
type ImportErrors struct {
	Problems []ImportProblem
}

func (e *ImportErrors) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "danh sách hộ có %d lỗi, chưa nhập hộ nào:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n- ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap lets ErrorCode classify a bad list as EInvalid like any bad input.
func (e *ImportErrors) Unwrap() error {
	return &Error{Code: EInvalid, Message: e.Error()}
}

// Columns of a household list.
type householdColumn int

const (
	hcCode householdColumn = iota
	hcName
	hcID
	hcHamlet
	hcAddress
	hcPhone
	hcMembers
	numHouseholdColumns
)

// Column names as messages print them when the file's own header is unknown.
const (
	ColHouseholdCode  = "Mã hộ"
	ColRepresentative = "Họ tên chủ hộ"
	ColIDNumber       = "Số CCCD"
	ColHamlet         = "Ấp/Khu phố"
	ColAddress        = "Địa chỉ"
	ColPhone          = "Số điện thoại"
	ColMembers        = "Số nhân khẩu"
)

var householdColumnNames = [numHouseholdColumns]string{
	ColHouseholdCode, ColRepresentative, ColIDNumber, ColHamlet, ColAddress, ColPhone, ColMembers,
}

func (c householdColumn) required() bool { return c <= hcHamlet }

// householdHeaders maps a header, folded by headerKey, to its column. Lists
// come from many communes and templates, so the usual wordings are all here;
// anything else falls through to guessHeader's keyword rules.
var householdHeaders = func() map[string]householdColumn {
	m := map[string]householdColumn{}
	add := func(c householdColumn, names ...string) {
		for _, n := range names {
			m[headerKey(n)] = c
		}
	}
	add(hcCode, "Mã hộ", "Mã số hộ", "Mã hộ gia đình", "Mã số hộ gia đình", "Mã HGĐ", "Mã", "household code", "code")
	add(hcName, "Họ tên chủ hộ", "Họ và tên chủ hộ", "Tên chủ hộ", "Chủ hộ", "Họ tên", "Họ và tên",
		"Người đại diện", "Họ tên người đại diện", "Họ và tên người đại diện", "Họ tên chủ hộ / người đại diện",
		"Họ tên chủ hộ hoặc người đại diện", "Đại diện hộ", "representative", "name")
	add(hcID, "Số CCCD", "CCCD", "Số CCCD/CMND", "CCCD/CMND", "Số CMND", "CMND", "Số CMND/CCCD", "Số định danh",
		"Số định danh cá nhân", "Số giấy tờ tùy thân", "id number")
	add(hcHamlet, "Ấp", "Ấp/Khu phố", "Khu phố", "Ấp/KP", "Ấp, khu phố", "Ấp/Tổ", "Thôn", "Thôn/Ấp", "hamlet")
	add(hcAddress, "Địa chỉ", "Số nhà", "Địa chỉ nơi ở", "Nơi ở", "address")
	add(hcPhone, "Số điện thoại", "Điện thoại", "SĐT", "Số ĐT", "ĐT", "phone")
	add(hcMembers, "Số nhân khẩu", "Nhân khẩu", "Số người", "Số thành viên", "Số khẩu", "members")
	return m
}()

// headerKey folds a header for matching: no diacritics, lower case, every
// run of punctuation a single space ("Ấp/Khu phố" → "ap khu pho").
func headerKey(s string) string {
	s = Fold(s)
	var b strings.Builder
	space := true
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// guessHeader recognises a header by its keywords when no wording matched.
func guessHeader(k string) (householdColumn, bool) {
	padded := " " + k + " "
	has := func(w string) bool { return strings.Contains(padded, " "+w+" ") }
	switch {
	case strings.HasPrefix(k, "ma ho") || strings.HasPrefix(k, "ma so ho"):
		return hcCode, true
	case has("cccd") || has("cmnd") || has("dinh danh"):
		return hcID, true
	case has("dien thoai") || has("sdt"):
		return hcPhone, true
	case has("nhan khau"):
		return hcMembers, true
	case has("chu ho") || has("dai dien"):
		return hcName, true
	case has("dia chi"):
		return hcAddress, true
	case strings.HasPrefix(k, "ap ") || has("khu pho"):
		return hcHamlet, true
	}
	return 0, false
}

func matchHeader(h string) (householdColumn, bool) {
	k := headerKey(h)
	if k == "" {
		return 0, false
	}
	if c, ok := householdHeaders[k]; ok {
		return c, true
	}
	return guessHeader(k)
}

// WholeNumber writes a number Excel stored in exponent or decimal form
// ("8.2091000123E10", "4.0") as the whole number it is; anything else comes
// back unchanged. Readers of workbooks apply it to every cell.
func WholeNumber(v string) string {
	if !strings.ContainsAny(v, "Ee.") {
		return v
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f != float64(int64(f)) || f < 0 || f >= 1e15 {
		return v
	}
	return strconv.FormatInt(int64(f), 10)
}

func fileProblem(format string, args ...any) *ImportErrors {
	return &ImportErrors{Problems: []ImportProblem{{Reason: fmt.Sprintf(format, args...)}}}
}

// headerSearchRows is how far down a header is looked for: communes' sheets
// often open with a title and a date above the table.
const headerSearchRows = 10

// HouseholdRows finds the header among the records of a household list (the
// cells of each line or row as a file reader found them; lines[i] is the
// file's number for records[i]), maps the columns and returns the data rows
// checked as ImportHouseholds checks them, or every problem of the file and
// its rows in *ImportErrors.
func HouseholdRows(records [][]string, lines []int) ([]HouseholdRow, error) {
	header := -1
	var cols [numHouseholdColumns]int
	var names [numHouseholdColumns]string
	var problems []ImportProblem
	seen := 0
	for i, rec := range records {
		if blank(rec) {
			continue
		}
		if seen++; seen > headerSearchRows {
			break
		}
		found := 0
		for _, cell := range rec {
			if _, ok := matchHeader(cell); ok {
				found++
			}
		}
		if found >= 2 {
			header = i
			break
		}
	}
	if header < 0 {
		if seen == 0 {
			return nil, fileProblem("tệp trống, không có dòng nào")
		}
		return nil, fileProblem("không thấy dòng tiêu đề trong %d dòng đầu: cần các cột %s, %s, %s, %s",
			headerSearchRows, ColHouseholdCode, ColRepresentative, ColIDNumber, ColHamlet)
	}
	headerLine := lines[header]
	for i := range cols {
		cols[i] = -1
	}
	for j, cell := range records[header] {
		c, ok := matchHeader(cell)
		if !ok {
			continue // STT, ghi chú…: columns of no use here are ignored
		}
		label := strings.TrimSpace(NFC(cell))
		if cols[c] >= 0 {
			problems = append(problems, ImportProblem{Line: headerLine, Column: label,
				Reason: fmt.Sprintf("trùng nghĩa với cột %q (cùng là %s): chỉ giữ một cột", names[c], householdColumnNames[c])})
			continue
		}
		cols[c], names[c] = j, label
	}
	for c := range numHouseholdColumns {
		if c.required() && cols[c] < 0 {
			problems = append(problems, ImportProblem{Line: headerLine,
				Reason: fmt.Sprintf("thiếu cột %q", householdColumnNames[c])})
		}
	}
	if len(problems) > 0 {
		return nil, &ImportErrors{Problems: problems}
	}
	cell := func(rec []string, c householdColumn) string {
		if j := cols[c]; j >= 0 && j < len(rec) {
			return rec[j]
		}
		return ""
	}
	var absent []string
	for c := range numHouseholdColumns {
		if !c.required() && cols[c] < 0 {
			absent = append(absent, householdColumnNames[c])
		}
	}
	// A cell past the header's last column is a row pushed right, most
	// often by a separator typed inside an unquoted cell: every column
	// after it would be wrong, so the row says that and nothing else.
	width := 0
	for j, h := range records[header] {
		if strings.TrimSpace(h) != "" {
			width = j + 1
		}
	}
	var rows, checked []HouseholdRow
	var wide []ImportProblem
	data := 0
	for i := header + 1; i < len(records); i++ {
		rec := records[i]
		r := HouseholdRow{Line: lines[i], Code: cell(rec, hcCode), Representative: cell(rec, hcName),
			IDNumber: cell(rec, hcID), Hamlet: cell(rec, hcHamlet), Address: cell(rec, hcAddress),
			Phone: cell(rec, hcPhone), Members: cell(rec, hcMembers), Absent: absent}
		switch {
		case blank([]string{r.Code, r.Representative, r.IDNumber, r.Hamlet, r.Address, r.Phone, r.Members}):
			r.Skip = "trống" // an empty line, or one holding only a row number
		case totalsRow(rec):
			r.Skip = "tổng cộng"
		}
		if r.Skip != "" {
			rows = append(rows, r)
			continue
		}
		data++
		if n := cells(rec); n > width {
			wide = append(wide, ImportProblem{Line: r.Line, Reason: fmt.Sprintf("có %d ô mà dòng tiêu đề chỉ có %d cột: "+
				"có lẽ một ô chứa dấu phân cách (dấu phẩy hoặc chấm phẩy) mà không nằm trong ngoặc kép", n, width)})
			continue
		}
		rows = append(rows, r)
		checked = append(checked, r)
	}
	for len(rows) > 0 && rows[len(rows)-1].Skip == "trống" {
		rows = rows[:len(rows)-1] // blank rows after the list are no news
	}
	if data == 0 {
		return nil, &ImportErrors{Problems: []ImportProblem{{Line: headerLine, Reason: "sau dòng tiêu đề không có hộ nào"}}}
	}
	if len(wide) == data && data > 1 {
		return nil, &ImportErrors{Problems: []ImportProblem{{Line: headerLine, Reason: fmt.Sprintf("mọi dòng đều có nhiều ô hơn "+
			"dòng tiêu đề (%d cột): dòng tiêu đề thiếu tên một cột", width)}}}
	}
	_, problems = validateHouseholds(checked, names)
	if problems = append(wide, problems...); len(problems) > 0 {
		slices.SortStableFunc(problems, func(a, b ImportProblem) int { return a.Line - b.Line })
		return nil, &ImportErrors{Problems: problems}
	}
	return rows, nil
}

// cells is the number of cells up to the last one not blank.
func cells(rec []string) int {
	for j := len(rec) - 1; j >= 0; j-- {
		if strings.TrimSpace(rec[j]) != "" {
			return j + 1
		}
	}
	return 0
}

// totalsRow reports a spreadsheet's totals line ("Tổng cộng: 40 hộ",
// "Tổng số hộ", "Cộng"): its first cell with text starts so, and it holds
// no ID number. "Tống", a family name, folds the same as "tổng", so a
// name alone is not enough.
func totalsRow(rec []string) bool {
	for _, c := range rec {
		f := Fold(c)
		if f == "" || isDigitsOnly(f) {
			continue // the STT column, or a count
		}
		for _, p := range []string{"tong cong", "tong so", "tong:", "cong:", "total"} {
			if strings.HasPrefix(f, p) || f == "cong" || f == "tong" {
				for _, c := range rec {
					if n := strings.TrimSpace(c); len(n) >= 9 && isDigitsOnly(n) {
						return false // an ID number: a household after all
					}
				}
				return true
			}
		}
		return false
	}
	return false
}

func isDigitsOnly(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// validateHouseholds checks every row and returns the cleaned households,
// or every problem of every row. names are the file's own headers, so a
// message names the column as the clerk sees it; empty entries fall back to
// the standard names.
func validateHouseholds(rows []HouseholdRow, names [numHouseholdColumns]string) ([]Household, []ImportProblem) {
	for c, n := range names {
		if n == "" {
			names[c] = householdColumnNames[c]
		}
	}
	var problems []ImportProblem
	out := make([]Household, 0, len(rows))
	codes := map[string]int{}
	ids := map[string]int{}
	for i, r := range rows {
		line := r.Line
		if line == 0 {
			line = i + 1
		}
		bad := func(c householdColumn, err error) {
			reason := err.Error()
			var e *Error
			if errors.As(err, &e) {
				reason = e.Message
			}
			problems = append(problems, ImportProblem{Line: line, Column: names[c], Reason: reason})
		}
		var h Household
		var err error

		if h.Code, err = CleanText(ColHouseholdCode, r.Code, 30); err != nil {
			bad(hcCode, err)
		} else if h.Code = strings.ToUpper(h.Code); h.Code == "" {
			bad(hcCode, errors.New("không được để trống"))
		} else if prev, dup := codes[h.Code]; dup {
			bad(hcCode, fmt.Errorf("mã hộ %q trùng với dòng %d", h.Code, prev))
		} else {
			codes[h.Code] = line
		}

		if h.Representative, err = ValidateName(r.Representative); err != nil {
			bad(hcName, err)
		}

		id := strings.TrimSpace(r.IDNumber)
		switch {
		case id == "":
			bad(hcID, errors.New("không được để trống: phiếu đi chợ ghi số CCCD của người đi chợ"))
		case looksScientific(id):
			bad(hcID, fmt.Errorf("số %q đã bị Excel đổi sang dạng số mũ và mất chữ số: định dạng cột là Văn bản (Text) rồi gõ lại", id))
		default:
			if h.IDNumber, err = ValidateIDNumber(restoreLeadingZero(id, 11), time.Time{}, ""); err != nil {
				bad(hcID, err)
			} else if prev, dup := ids[h.IDNumber]; dup {
				bad(hcID, fmt.Errorf("số %s đã ghi cho hộ ở dòng %d: mỗi người chỉ đại diện một hộ", h.IDNumber, prev))
			} else {
				ids[h.IDNumber] = line
			}
		}

		if h.Hamlet, err = CleanText(FieldHamlet, r.Hamlet, 100); err != nil {
			bad(hcHamlet, err)
		} else if h.Hamlet == "" {
			bad(hcHamlet, errors.New("không được để trống: phiếu chia theo ấp"))
		}

		if h.Address, err = CleanText(FieldAddress, r.Address, 200); err != nil {
			bad(hcAddress, err)
		}

		if phone, cerr := CleanText(FieldPhone, r.Phone, 20); cerr != nil {
			bad(hcPhone, cerr)
		} else if h.Phone, err = ValidatePhone(restoreLeadingZero(phone, 9)); err != nil {
			bad(hcPhone, err)
		}

		h.Members = 1
		if m := strings.TrimSpace(r.Members); m != "" {
			n, err := strconv.Atoi(WholeNumber(m))
			if err != nil || n < 1 || n > 99 {
				bad(hcMembers, fmt.Errorf("phải là số người của hộ, từ 1 đến 99 (đang ghi %q)", m))
			} else {
				h.Members = n
			}
		}
		out = append(out, h)
	}
	return out, problems
}

// restoreLeadingZero puts back the 0 that Excel drops from a number typed
// into a General cell: every CCCD starts with 0 (the province codes are
// 001–096) and every mobile number with 0, so an all-digit value one short
// and not starting with 0 can only have lost it.
func restoreLeadingZero(s string, short int) string {
	s = strings.TrimSpace(s)
	if len(s) != short || s[0] == '0' {
		return s
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return s
		}
	}
	return "0" + s
}

func looksScientific(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil && strings.ContainsAny(s, "Ee") && !strings.HasPrefix(s, "0")
}

// canImportHouseholds: a commune's own staff keep its list; a checker at a
// checkpoint does not. System() is the seed or a system job; a zero
// Officer is nobody.
func canImportHouseholds(o Officer, commune uint32) error {
	if o.IsSystem() {
		return nil
	}
	if o.ID == "" {
		return forbidden("cần đăng nhập để nhập danh sách hộ")
	}
	if o.Unit != commune {
		return forbidden("chỉ cán bộ của xã mới được nhập danh sách hộ của xã")
	}
	if !o.Has(RoleClerk) && !o.Has(RoleApprover) && !o.Has(RoleAdmin) {
		return forbidden("tài khoản %s không được nhập danh sách hộ", o.Username)
	}
	return nil
}

// ImportHouseholds writes a commune's household list: a household already
// known by its code (within the commune) is updated, a new one added, none
// removed. Every row is checked first; if any is bad the result is
// *ImportErrors listing all of them and nothing is written. The whole list,
// its outbox ops and one audit entry commit in one transaction.
func (db *DB) ImportHouseholds(ctx context.Context, officer Officer, commune uint32, rows []HouseholdRow) (ImportResult, error) {
	var res ImportResult
	if err := canImportHouseholds(officer, commune); err != nil {
		return res, err
	}
	units, err := db.Units(ctx)
	if err != nil {
		return res, err
	}
	if u, ok := units.Get(commune); !ok || u.Kind != KindCommunePC {
		return res, invalid(FieldCommune, "mã %d không phải xã, phường, thị trấn", commune)
	}
	var skipped []ImportProblem
	kept := make([]HouseholdRow, 0, len(rows))
	for _, r := range rows {
		if r.Skip != "" {
			skipped = append(skipped, ImportProblem{Line: r.Line, Reason: r.Skip})
			continue
		}
		kept = append(kept, r)
	}
	rows = kept
	if len(rows) == 0 {
		return res, fileProblem("danh sách không có hộ nào")
	}
	households, problems := validateHouseholds(rows, [numHouseholdColumns]string{})
	if len(problems) > 0 {
		return res, &ImportErrors{Problems: problems}
	}
	err = db.Write(ctx, func(tx *Tx) error {
		res = ImportResult{}
		// The commune's households, read once: a list of ten thousand is
		// matched in memory, not with a query per row (codes are unique in
		// the list, validateHouseholds saw to it).
		stored := map[string]Household{}
		rowsOf, err := tx.Query(`SELECT id, code, representative, id_number, hamlet, address, phone, members FROM households
			WHERE commune = ?`, commune)
		if err != nil {
			return err
		}
		for rowsOf.Next() {
			var h Household
			if err := rowsOf.Scan(&h.ID, &h.Code, &h.Representative, &h.IDNumber, &h.Hamlet, &h.Address, &h.Phone, &h.Members); err != nil {
				rowsOf.Close()
				return err
			}
			stored[h.Code] = h
		}
		rowsOf.Close()
		if err := rowsOf.Err(); err != nil {
			return err
		}
		known := len(stored)
		ins, err := tx.Prepare(`INSERT INTO households (id, commune, code, representative, folded, id_number, hamlet, address,
			phone, members, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		upd, err := tx.Prepare(`UPDATE households SET representative = ?, folded = ?, id_number = ?, hamlet = ?, address = ?,
			phone = ?, members = ?, updated_at = ? WHERE id = ?`)
		if err != nil {
			return err
		}
		for i, h := range households {
			h.Commune, h.UpdatedAt = commune, tx.Now
			old, found := stored[h.Code]
			op := "create"
			switch {
			case found:
				h.ID = old.ID
				if r := rows[i]; len(r.Absent) > 0 {
					if r.absent(ColAddress) {
						h.Address = old.Address
					}
					if r.absent(ColPhone) {
						h.Phone = old.Phone
					}
					if r.absent(ColMembers) {
						h.Members = old.Members
					}
				}
				if old.Representative == h.Representative && old.IDNumber == h.IDNumber && old.Hamlet == h.Hamlet &&
					old.Address == h.Address && old.Phone == h.Phone && old.Members == h.Members {
					res.Unchanged++
					continue
				}
				if _, err := upd.Exec(h.Representative, Fold(h.Representative), h.IDNumber, h.Hamlet, h.Address, h.Phone,
					h.Members, tx.Now.Unix(), h.ID); err != nil {
					return fmt.Errorf("cập nhật hộ %s: %w", h.Code, err)
				}
				res.Updated++
				op = "update"
			default:
				h.ID = NewID(tx.Now)
				if _, err := ins.Exec(h.ID, commune, h.Code, h.Representative, Fold(h.Representative), h.IDNumber, h.Hamlet,
					h.Address, h.Phone, h.Members, tx.Now.Unix()); err != nil {
					return fmt.Errorf("thêm hộ %s: %w", h.Code, err)
				}
				res.Added++
			}
			if err := tx.enqueue("household", h.ID, op, h); err != nil {
				return err
			}
		}
		res.Missing = known - res.Updated - res.Unchanged
		detail := fmt.Sprintf("nhập danh sách %d hộ: thêm %d, cập nhật %d, không đổi %d", len(households), res.Added, res.Updated, res.Unchanged)
		return tx.Audit(officer.ID, commune, ActionImport, "household_list", strconv.FormatUint(uint64(commune), 10), detail)
	})
	if err != nil {
		return ImportResult{}, err
	}
	res.Skipped = skipped
	return res, nil
}

// HouseholdFilter selects households.
type HouseholdFilter struct {
	Commune uint32   // required
	Hamlets []string // compared folded; empty = every hamlet
	Query   string   // folded name words, ID-number prefix or household code prefix
	Limit   int
}

// Households lists a commune's households by code.
func (db *DB) Households(ctx context.Context, f HouseholdFilter) ([]Household, error) {
	where := []string{"commune = ?"}
	args := []any{f.Commune}
	if q := strings.TrimSpace(f.Query); q != "" {
		if isDigits(q) {
			where = append(where, "(id_number >= ? AND id_number < ?)")
			args = append(args, q, q+":")
		} else {
			where = append(where, "(code LIKE ? OR (' ' || folded) LIKE ?)")
			args = append(args, strings.ToUpper(q)+"%", "% "+Fold(q)+"%")
		}
	}
	query := `SELECT id, commune, code, representative, id_number, hamlet, address, phone, members, updated_at FROM households
		WHERE ` + strings.Join(where, " AND ") + ` ORDER BY code`
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	want := map[string]bool{}
	for _, h := range f.Hamlets {
		if k := Fold(h); k != "" {
			want[k] = true
		}
	}
	var out []Household
	for rows.Next() {
		var h Household
		var updated int64
		if err := rows.Scan(&h.ID, &h.Commune, &h.Code, &h.Representative, &h.IDNumber, &h.Hamlet, &h.Address, &h.Phone,
			&h.Members, &updated); err != nil {
			return nil, err
		}
		if len(want) > 0 && !want[Fold(h.Hamlet)] {
			continue
		}
		h.UpdatedAt = time.Unix(updated, 0)
		out = append(out, h)
		if f.Limit > 0 && len(out) >= f.Limit {
			break
		}
	}
	return out, rows.Err()
}
