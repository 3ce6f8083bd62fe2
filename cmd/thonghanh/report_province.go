package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"thonghanh/store"
	"thonghanh/store/batchsync"
)

// serverReportProvince writes the province's accountability report (every
// unit side by side, by district) as a PDF and/or a CSV.
func serverReportProvince(ctx context.Context, args []string, io stdio) int {
	const what = "server report province"
	fs := newFlags(io, what, "server report province --dir THƯ_MỤC --from NGÀY --to NGÀY (--out TỆP.pdf | --csv TỆP.csv) [--force] [--number SỐ] [--signer TÊN]",
		"Báo cáo toàn tỉnh gửi Chủ tịch UBND tỉnh: theo từng huyện rồi từng đơn vị, hồ sơ tiếp nhận (trực tiếp,\n"+
			"trực tuyến), đã duyệt, từ chối, chuyển đơn vị có thẩm quyền, còn chờ cuối kỳ; giấy đã cấp theo loại và\n"+
			"thời hạn so với mức tối đa; giấy bị thu hồi và lý do; dấu hiệu lạm dụng tại chốt trên 1.000 giấy; các\n"+
			"điểm cần chú ý. --out ghi bản PDF (có biểu đồ), --csv ghi bảng số liệu (UTF-8 có BOM, mở được bằng\n"+
			"Excel); có thể ghi cả hai. Khoảng ngày tính cả hai ngày đầu và cuối, giờ Việt Nam.")
	dir := dirFlag(fs)
	from := fs.String("from", "", "từ `NGÀY` (dd/mm/yyyy)")
	to := fs.String("to", "", "đến `NGÀY` (dd/mm/yyyy, tính cả ngày đó)")
	out := fs.String("out", "", "ghi báo cáo PDF ra `TỆP`")
	csvFile := fs.String("csv", "", "ghi bảng số liệu CSV ra `TỆP`")
	force := fs.Bool("force", false, "ghi đè tệp --out, --csv đã có")
	var h reportHeader
	fs.StringVar(&h.Number, "number", "", "`SỐ` văn bản in trên bản PDF, ví dụ 125/BC-TTCH (bỏ trống: để chỗ trống cho văn thư ghi)")
	fs.StringVar(&h.SignerFor, "signer-for", "KT. CHỈ HUY TRƯỞNG", "`THẨM_QUYỀN` ký in trên bản PDF")
	fs.StringVar(&h.SignerTitle, "signer-title", "CHỈ HUY PHÓ", "`CHỨC_VỤ` của người ký")
	fs.StringVar(&h.SignerName, "signer", "", "`TÊN` người ký (bỏ trống: để trống, ký tay)")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if *from == "" || *to == "" {
		fmt.Fprintf(io.err, "%s: cần cả --from và --to (dd/mm/yyyy)\n", what)
		return exitUsage
	}
	if *out == "" && *csvFile == "" {
		fmt.Fprintf(io.err, "%s: cần --out TỆP.pdf hoặc --csv TỆP.csv\n", what)
		return exitUsage
	}
	fromT, err := store.ParseDate("--from", *from)
	if err != nil {
		return fail(io, what, err)
	}
	toT, err := store.ParseDate("--to", *to)
	if err != nil {
		return fail(io, what, err)
	}
	if fromT.After(toT) {
		fmt.Fprintf(io.err, "%s: ngày bắt đầu %s sau ngày kết thúc %s\n", what, store.FormatDate(fromT), store.FormatDate(toT))
		return exitFail
	}
	if today := store.StartOfDay(time.Now()); toT.After(today) {
		fmt.Fprintf(io.err, "%s: ngày kết thúc %s chưa tới (hôm nay là %s): báo cáo chỉ tính những ngày đã qua\n",
			what, store.FormatDate(toT), store.FormatDate(today))
		return exitFail
	}
	// Every file is checked before anything is read, and written whole or
	// not at all.
	for _, f := range []string{*out, *csvFile} {
		if f == "" {
			continue
		}
		if err := checkOutput(f, *force); err != nil {
			fmt.Fprintf(io.err, "%s: %v\n", what, err)
			return exitFail
		}
	}
	if *out != "" && *out == *csvFile {
		fmt.Fprintf(io.err, "%s: --out và --csv phải là hai tệp khác nhau\n", what)
		return exitFail
	}
	db, code := openCentral(ctx, io, what, *dir)
	if db == nil {
		return code
	}
	defer db.Close()
	r, err := db.ProvinceReport(ctx, fromT, toT)
	if err != nil {
		return fail(io, what, err)
	}
	var pdf, csv bytes.Buffer
	if *out != "" {
		if err := writeProvinceReportPDF(&pdf, r, h); err != nil {
			return fail(io, what, err)
		}
	}
	if *csvFile != "" {
		if err := batchsync.WriteProvinceReportCSV(&csv, r); err != nil {
			return fail(io, what, err)
		}
	}
	for _, o := range []struct {
		file string
		data []byte
	}{{*out, pdf.Bytes()}, {*csvFile, csv.Bytes()}} {
		if o.file == "" {
			continue
		}
		if err := writeOutput(o.file, o.data, *force); err != nil {
			fmt.Fprintf(io.err, "%s: %v\n", what, err)
			return exitFail
		}
		fmt.Fprintf(io.err, "Đã ghi %s\n", o.file)
	}
	fmt.Fprintf(io.out, "Báo cáo toàn tỉnh từ %s đến %s: %d huyện, %d giấy đã cấp, %d điểm cần chú ý.\n",
		store.FormatDate(r.From), store.FormatDate(r.To), len(r.Districts), r.Province.PermitsTotal, len(r.Attention))
	return exitOK
}

// checkOutput refuses, before any work, a file that exists (without force)
// or a folder that is not there or not writable.
func checkOutput(file string, force bool) error {
	if st, err := os.Stat(file); err == nil {
		if st.IsDir() {
			return fmt.Errorf("%s là một thư mục, không phải tệp", file)
		}
		if !force {
			return fmt.Errorf("tệp %s đã có; thêm --force để ghi đè", file)
		}
	}
	d := filepath.Dir(file)
	st, err := os.Stat(d)
	if err != nil || !st.IsDir() {
		return fmt.Errorf("không có thư mục %s để ghi %s", d, file)
	}
	probe, err := os.CreateTemp(d, ".thonghanh-*")
	if err != nil {
		return fmt.Errorf("không ghi được vào thư mục %s", d)
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// writeOutput writes data to file through a temporary file in the same
// folder, so a failure leaves no half-written report; without force an
// existing file is never replaced.
func writeOutput(file string, data []byte, force bool) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), ".thonghanh-*")
	if err != nil {
		return fmt.Errorf("không ghi được %s: %w", file, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o640)
	}
	if err != nil {
		return fmt.Errorf("không ghi được %s: %w", file, err)
	}
	if force {
		err = os.Rename(tmp.Name(), file)
	} else if err = os.Link(tmp.Name(), file); errors.Is(err, os.ErrExist) {
		return fmt.Errorf("tệp %s đã có; thêm --force để ghi đè", file)
	}
	if err != nil {
		return fmt.Errorf("không ghi được %s: %w", file, err)
	}
	return nil
}
