package batchsync

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

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
