package batchsync

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"thonghanh/store"
	"thonghanh/store/central"
)

// WriteReportCSV writes a unit's accountability report as CSV in UTF-8 with
// a byte-order mark, so Excel opens the Vietnamese text correctly.
func WriteReportCSV(w io.Writer, r central.Report) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	rows := [][]string{
		{"Báo cáo trách nhiệm cấp giấy đi đường"},
		{"Đơn vị", strconv.FormatUint(uint64(r.Unit.Code), 10), r.Unit.CommitteeName()},
		{"Từ ngày", store.FormatDate(r.From), "Đến ngày", store.FormatDate(r.To)},
		{},
		{"Hồ sơ theo loại và trạng thái"},
		{"Loại", "Tên loại", "Trạng thái", "Số hồ sơ"},
	}
	for _, c := range r.Applications {
		rows = append(rows, []string{strconv.Itoa(c.Category), store.CategoryName(c.Category), store.StatusName(c.Status), strconv.Itoa(c.Count)})
	}
	rows = append(rows, []string{}, []string{"Giấy đi đường theo người duyệt"},
		[]string{"Mã cán bộ", "Tên đăng nhập", "Họ và tên", "Số giấy đã cấp", "Số giấy bị thu hồi"})
	for _, p := range r.Permits {
		rows = append(rows, []string{p.OfficerID, p.Username, p.FullName, strconv.Itoa(p.Issued), strconv.Itoa(p.Revoked)})
	}
	rows = append(rows, []string{}, []string{"Giấy bị thu hồi"}, []string{"Số giấy", "Thời điểm thu hồi", "Lý do"})
	for _, v := range r.Revocations {
		rows = append(rows, []string{v.Serial, store.FormatDateTime(v.RevokedAt), v.Reason})
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("ghi báo cáo CSV: %w", err)
	}
	return nil
}

// provinceCSVHeader names the province report's columns, in Vietnamese for
// the province's staff who open it in Excel; the per-category columns
// follow the report's categories.
func provinceCSVHeader(r central.ProvinceReport) []string {
	h := []string{"Dòng", "Mã huyện", "Huyện", "Mã đơn vị", "Đơn vị", "Tiếp nhận trực tiếp", "Tiếp nhận trực tuyến",
		"Đã duyệt", "Từ chối", "Chuyển đơn vị có thẩm quyền", "Chờ xử lý cuối kỳ", "Hồ sơ chờ lâu nhất (ngày)"}
	for _, c := range r.Categories {
		h = append(h, fmt.Sprintf("Giấy loại %d", c.Code))
	}
	h = append(h, "Tổng số giấy")
	for _, c := range r.Categories {
		h = append(h, fmt.Sprintf("Loại %d: thời hạn trung bình (ngày)", c.Code), fmt.Sprintf("Loại %d: dài nhất (ngày)", c.Code),
			fmt.Sprintf("Loại %d: tối đa (ngày)", c.Code), fmt.Sprintf("Loại %d: số giấy vượt tối đa", c.Code))
	}
	return append(h, "Giấy bị thu hồi", "Lý do thu hồi", "Ngoài khu vực", "Ngoài khung giờ", "Quá nhiều chốt trong ngày",
		"Dấu hiệu lạm dụng trên 1.000 giấy")
}

// WriteProvinceReportCSV writes the province report as CSV, UTF-8 with a
// byte-order mark (Excel on a Vietnamese PC): one row per unit with its
// district, then each district's total, then the province's. Decimals use
// the Vietnamese comma; a row's first column says which kind it is.
func WriteProvinceReportCSV(w io.Writer, r central.ProvinceReport) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	rows := [][]string{provinceCSVHeader(r)}
	for _, d := range r.Districts {
		for _, u := range d.Units {
			rows = append(rows, provinceCSVRow(r, "Đơn vị", d.Code, d.Name, u))
		}
	}
	for _, d := range r.Districts {
		rows = append(rows, provinceCSVRow(r, "Tổng huyện", d.Code, d.Name, d.Totals))
	}
	rows = append(rows, provinceCSVRow(r, "Tổng tỉnh", 0, "", r.Province))
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("ghi báo cáo CSV: %w", err)
	}
	return nil
}

func provinceCSVRow(r central.ProvinceReport, kind string, district uint32, districtName string, u central.UnitFigures) []string {
	code := func(c uint32) string {
		if c == 0 {
			return ""
		}
		return strconv.FormatUint(uint64(c), 10)
	}
	row := []string{kind, code(district), districtName, code(u.Code), u.Name, strconv.Itoa(u.ReceivedWalkIn), strconv.Itoa(u.ReceivedOnline),
		strconv.Itoa(u.Approved), strconv.Itoa(u.Rejected), strconv.Itoa(u.Forwarded), strconv.Itoa(u.PendingAtEnd),
		decimal(u.OldestPending.Hours() / 24)}
	if kind == "Tổng huyện" {
		row[3], row[4] = "", ""
	}
	for i := range r.Categories {
		row = append(row, strconv.Itoa(u.PermitsByCategory[i]))
	}
	row = append(row, strconv.Itoa(u.PermitsTotal))
	for i := range r.Categories {
		v := u.Validity[i]
		row = append(row, decimal(v.AvgDays), strconv.Itoa(v.LongDays), strconv.Itoa(v.MaxDays), strconv.Itoa(v.OverMax))
	}
	reasons := make([]string, len(u.RevocationReasons))
	for i, rc := range u.RevocationReasons {
		reasons[i] = fmt.Sprintf("%s (%d)", rc.Reason, rc.Count)
	}
	return append(row, strconv.Itoa(u.Revoked), strings.Join(reasons, "; "), strconv.Itoa(u.Abuse.OutsideArea),
		strconv.Itoa(u.Abuse.OutsideHours), strconv.Itoa(u.Abuse.ManyCheckpoints), decimal(u.AbusePer1000))
}

// decimal writes a figure with one decimal, the Vietnamese way: 12,5.
func decimal(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', 1, 64), ".", ",", 1)
}
