package main

import (
	"errors"
	"io"

	"thonghanh/store/central"
)

// writeProvinceReportPDF renders the province report as a PDF (package
// print's renderer, fed from the centre's figures).
func writeProvinceReportPDF(w io.Writer, r central.ProvinceReport) error {
	return errors.New("bản PDF của báo cáo toàn tỉnh chưa có; dùng --csv")
}
