package main

import (
	"context"
	"fmt"
	"os"

	"thonghanh/store"
)

func init() {
	register(&command{name: "audit", summary: "kiểm tra nhật ký trách nhiệm (audit verify)", run: runAudit})
	register(&command{name: "backup", summary: "sao lưu cơ sở dữ liệu đang dùng ra một tệp", run: runBackup})
}

func runAudit(ctx context.Context, args []string, io stdio) int {
	return subcommand(ctx, "audit", "audit verify [--db TỆP]", args, io,
		map[string]string{"verify": "kiểm tra chuỗi băm của nhật ký; báo mục đầu tiên bị sửa hoặc xóa"},
		map[string]func(context.Context, []string, stdio) int{"verify": auditVerify})
}

func auditVerify(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "audit verify", "audit verify [--db TỆP]",
		"Đọc lại toàn bộ nhật ký trách nhiệm và kiểm tra chuỗi băm. Thoát 0 nếu nguyên vẹn, 1 nếu có mục bị sửa hoặc xóa.\n"+
			"Trên máy đã đồng bộ, nhật ký còn được so với mục cuối máy chủ tỉnh đã xác nhận và với bản sao trong hàng\n"+
			"chờ gửi: xóa bớt các mục cuối, hay sửa một mục rồi tính lại cả chuỗi, đều bị phát hiện. Các mục ghi sau\n"+
			"lần đồng bộ cuối thì chỉ máy chủ tỉnh đối chiếu được (thonghanh server audit verify).")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		fmt.Fprintln(io.err, "audit:", err)
		return exitFail
	}
	defer db.Close()
	n, problem, err := db.VerifyAudit(ctx)
	if err != nil {
		fmt.Fprintln(io.err, "audit:", err)
		return exitFail
	}
	if problem != nil {
		fmt.Fprintf(io.out, "KHÔNG NGUYÊN VẸN: %s (đã đọc %d mục)\n", problem, n)
		return exitFail
	}
	fmt.Fprintf(io.out, "Nguyên vẹn: %d mục, chuỗi băm khớp từ đầu đến cuối.\n", n)
	if seq, _, ok, err := db.AuditAnchor(ctx); err == nil && ok {
		fmt.Fprintf(io.out, "Máy chủ tỉnh đã xác nhận đến mục %d; các mục sau đó chưa được đối chiếu.\n", seq)
	}
	return exitOK
}

func serverAudit(ctx context.Context, args []string, io stdio) int {
	return subcommand(ctx, "server audit", "server audit verify --dir THƯ_MỤC", args, io,
		map[string]string{"verify": "kiểm tra chuỗi băm nhật ký của từng máy mà máy chủ giữ; báo mục hỏng đầu tiên và các mục bị từ chối"},
		map[string]func(context.Context, []string, stdio) int{"verify": serverAuditVerify})
}

// auditRefusalKinds names a refused entry's fault for the province's admin.
var auditRefusalKinds = map[string]string{"gap": "thiếu mục trước", "fork": "rẽ nhánh", "hash": "mã băm sai"}

func serverAuditVerify(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "server audit verify", "server audit verify --dir THƯ_MỤC",
		"Kiểm tra nhật ký trách nhiệm của máy chủ và chuỗi băm nhật ký của từng máy mà máy chủ đã nhận, từ mục đầu tiên;\n"+
			"báo mục hỏng đầu tiên của mỗi máy (mã máy, đơn vị, số mục, lỗi) và các mục máy gửi lên bị từ chối vì không\n"+
			"nối tiếp (rẽ nhánh, thiếu mục, mã băm sai). Thoát 0 nếu tất cả nguyên vẹn, 1 nếu có gì phải xem xét.")
	dir := dirFlag(fs)
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	db, code := openCentral(ctx, io, "server audit verify", *dir)
	if db == nil {
		return code
	}
	defer db.Close()
	bad := false
	n, problem, err := db.VerifyAudit(ctx)
	if err != nil {
		return fail(io, "server audit verify", err)
	}
	if problem != nil {
		bad = true
		fmt.Fprintf(io.out, "Máy chủ: KHÔNG NGUYÊN VẸN: %s (đã đọc %d mục)\n", problem, n)
	} else {
		fmt.Fprintf(io.out, "Máy chủ: nguyên vẹn, %d mục.\n", n)
	}
	checks, err := db.VerifyDeskAudits(ctx)
	if err != nil {
		return fail(io, "server audit verify", err)
	}
	for _, c := range checks {
		who := fmt.Sprintf("Máy %s (đơn vị %d", c.DeskID, c.Unit)
		if c.Label != "" {
			who += ", " + c.Label
		}
		who += ")"
		if c.Problem != nil {
			fmt.Fprintf(io.out, "%s: KHÔNG NGUYÊN VẸN: %s (máy chủ giữ %d mục)\n", who, c.Problem, c.Entries)
		} else {
			fmt.Fprintf(io.out, "%s: nguyên vẹn, %d mục.\n", who, c.Entries)
		}
		const shown = 10
		for i, r := range c.Refusals {
			if i == shown {
				fmt.Fprintf(io.out, "  … và %d mục bị từ chối khác\n", len(c.Refusals)-shown)
				break
			}
			fmt.Fprintf(io.out, "  BỊ TỪ CHỐI mục %d (%s, %d lần, lần cuối %s): %s\n", r.Seq, auditRefusalKinds[r.Kind], r.Attempts,
				store.FormatDateTime(r.LastAt), r.Reason)
		}
		bad = bad || c.Bad()
	}
	if bad {
		fmt.Fprintln(io.out, "Có nhật ký bị sửa, xóa hoặc rẽ nhánh: cần xem xét.")
		return exitFail
	}
	fmt.Fprintf(io.out, "Tất cả nguyên vẹn: %d máy.\n", len(checks))
	return exitOK
}

func runBackup(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "backup", "backup [--db TỆP] TỆP_SAO_LƯU",
		"Chép một bản nhất quán của cơ sở dữ liệu, kể cả khi đang có người làm việc (SQLite VACUUM INTO).")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu cần sao lưu")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(io.err, "backup: cần đúng một TỆP_SAO_LƯU")
		return exitUsage
	}
	target := fs.Arg(0)
	if _, err := os.Stat(target); err == nil {
		fmt.Fprintf(io.err, "backup: %s đã có, không ghi đè\n", target)
		return exitFail
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		fmt.Fprintln(io.err, "backup:", err)
		return exitFail
	}
	defer db.Close()
	if err := db.Backup(ctx, target); err != nil {
		fmt.Fprintln(io.err, "backup:", err)
		return exitFail
	}
	fmt.Fprintf(io.out, "Đã sao lưu %s vào %s\n", *dbPath, target)
	return exitOK
}
