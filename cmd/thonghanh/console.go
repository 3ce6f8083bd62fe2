package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/store/central"
	"thonghanh/tui/i18n"
	"thonghanh/tui/report"
)

const consoleDescription = `Mở màn hình Báo cáo của tỉnh trên máy chủ (chỉ xem, không sửa gì): mỗi đơn vị
một dòng, theo huyện, có dòng cộng của huyện và của toàn tỉnh: hồ sơ nhận, duyệt,
từ chối, chuyển, còn chờ và chờ lâu nhất, giấy đã cấp, giấy bị thu hồi, dấu hiệu
lạm dụng trên 1.000 giấy; biểu đồ số giấy mỗi ngày; các điểm cần chú ý.
Phím: s hoặc 1…9 đổi cột sắp xếp, r đảo chiều, / tìm đơn vị (gõ không dấu được),
enter xem chi tiết đơn vị, p đổi khoảng ngày, ? trợ giúp, q thoát.
Bỏ trống --from và --to: 30 ngày gần nhất, đến hôm nay.

Ví dụ:
  thonghanh server console --dir /srv/thonghanh --from 01/09/2021 --to 30/09/2021`

func serverConsole(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "server console", "server console --dir THƯ_MỤC [--from NGÀY --to NGÀY] [--lang vi|en]", consoleDescription)
	dir := dirFlag(fs)
	from := fs.String("from", "", "từ `NGÀY` (dd/mm/yyyy; bỏ trống: 29 ngày trước --to)")
	to := fs.String("to", "", "đến `NGÀY` (tính cả ngày đó; bỏ trống: hôm nay)")
	lang := fs.String("lang", "vi", "`NGÔN_NGỮ` của màn hình: vi hoặc en")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(io.err, "server console: không nhận tham số %q\n", strings.Join(fs.Args(), " "))
		return exitUsage
	}
	l, err := i18n.Parse(*lang)
	if err != nil {
		fmt.Fprintln(io.err, "server console:", err)
		return exitUsage
	}
	// The dates are checked before the centre is opened: a typo costs
	// nothing.
	fromT, toT, err := consolePeriod(*from, *to, time.Now())
	if err != nil {
		fmt.Fprintln(io.err, "server console:", store.ErrorText(err, false))
		return exitUsage
	}
	db, code := openCentral(ctx, io, "server console", *dir)
	if db == nil {
		return code
	}
	defer db.Close()
	p := tea.NewProgram(consoleModel(ctx, db, l, fromT, toT), tea.WithContext(ctx), tea.WithInput(io.in), tea.WithOutput(io.out))
	if _, err := p.Run(); err != nil && ctx.Err() == nil {
		fmt.Fprintln(io.err, "server console:", err)
		return exitFail
	}
	return exitOK
}

// consoleModel is the Báo cáo screen over the centre's figures.
func consoleModel(ctx context.Context, db *central.DB, l i18n.Lang, from, to time.Time) *report.Model {
	return report.New(report.Options{Ctx: ctx, Lang: l, Load: db.ProvinceReport, From: from, To: to,
		Today: func() time.Time { return db.Now().In(store.Vietnam) }})
}

// consolePeriod reads --from and --to: by default the 30 days to today,
// and 30 days to --to or from --from when only one is given.
func consolePeriod(from, to string, now time.Time) (time.Time, time.Time, error) {
	n := now.In(store.Vietnam)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, store.Vietnam)
	var f, t time.Time
	var err error
	if to != "" {
		if t, err = store.ParseDate("--to", to); err != nil {
			return f, t, err
		}
	}
	if from != "" {
		if f, err = store.ParseDate("--from", from); err != nil {
			return f, t, err
		}
	}
	switch {
	case from == "" && to == "":
		t = today
		f = t.AddDate(0, 0, -29)
	case from == "":
		f = t.AddDate(0, 0, -29)
	case to == "":
		t = f.AddDate(0, 0, 29)
		if t.After(today) {
			t = today
		}
	}
	switch {
	case f.After(t):
		return f, t, fmt.Errorf("--from %s sau --to %s: ngày bắt đầu phải trước hoặc bằng ngày kết thúc", f.Format("02/01/2006"), t.Format("02/01/2006"))
	case t.Sub(f) >= report.MaxDays*24*time.Hour:
		return f, t, fmt.Errorf("từ %s đến %s quá dài: báo cáo dài nhất %d ngày", f.Format("02/01/2006"), t.Format("02/01/2006"), report.MaxDays)
	}
	return f, t, nil
}
