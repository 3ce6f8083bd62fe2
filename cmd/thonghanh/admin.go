package main

import (
	"context"
	"fmt"
	"os"
)

func init() {
	register(&command{name: "audit", summary: "kiểm tra nhật ký trách nhiệm (audit verify)", run: runAudit})
	register(&command{name: "backup", summary: "sao lưu cơ sở dữ liệu đang dùng ra một tệp", run: runBackup})
}

func runAudit(ctx context.Context, args []string, io stdio) int {
	return subcommand(ctx, "audit", "audit verify [--db TỆP]", args, io,
		map[string]string{"verify": "kiểm tra chuỗi băm của nhật ký; báo mục đầu tiên bị sửa hoặc xoá"},
		map[string]func(context.Context, []string, stdio) int{"verify": auditVerify})
}

func auditVerify(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "audit verify", "audit verify [--db TỆP]",
		"Đọc lại toàn bộ nhật ký trách nhiệm và kiểm tra chuỗi băm. Thoát 0 nếu nguyên vẹn, 1 nếu có mục bị sửa hoặc xoá.")
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
