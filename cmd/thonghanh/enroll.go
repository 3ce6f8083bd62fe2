package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"thonghanh/store"
	"thonghanh/store/batchsync"
)

func init() {
	register(&command{name: "enroll", summary: "đăng ký máy này với máy chủ tỉnh bằng mã dùng một lần", run: runEnroll})
}

func runEnroll(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "enroll", "enroll URL MÃ --approver TÊN --fingerprint VÂN_TAY [--password-file TỆP] [--db TỆP]",
		"Đăng ký máy này làm một bàn làm việc của đơn vị mà quản trị tỉnh đã cấp MÃ (server enroll-code).\n"+
			"Máy tự tạo khóa ký; khóa bí mật không bao giờ rời máy, chỉ được lưu sau khi mã hóa bằng mật khẩu của\n"+
			"người duyệt (--approver). Máy chủ chứng nhận khóa công khai cho đơn vị và trả về mã truy cập, khóa gốc\n"+
			"của tỉnh, danh sách tin cậy và thu hồi. Chứng chỉ máy chủ được ghim: lần sau máy từ chối mọi chứng chỉ khác.\n"+
			"--fingerprint là bắt buộc: lấy vân tay do server init in ra qua một kênh tin cậy (giấy, điện thoại).\n"+
			"Chỉ ở phòng thử nghiệm mới dùng --insecure-skip-fingerprint (tin chứng chỉ gặp lần đầu).")
	dbPath := fs.String("db", defaultDeskDB(), "`TỆP` cơ sở dữ liệu của máy (tạo mới)")
	pin := fs.String("fingerprint", "", "vân tay SHA-256 của chứng chỉ máy chủ, do server init in ra")
	skipPin := fs.Bool("insecure-skip-fingerprint", false, "chỉ cho phòng thử nghiệm: đăng ký không có vân tay, tin chứng chỉ gặp lần đầu")
	approver := fs.String("approver", "", "tên đăng nhập của người duyệt sẽ giữ khóa ký của máy")
	passFile := fs.String("password-file", "", "`TỆP` chứa mật khẩu của người duyệt (không có thì hỏi)")
	// The usage (and the README) put the flags after URL and MÃ.
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	pos := fs.Args()
	if len(pos) != 2 || *approver == "" {
		fmt.Fprintln(io.err, "enroll: cần URL, MÃ và --approver TÊN (xem thonghanh enroll --help)")
		return exitUsage
	}
	if err := batchsync.CheckFingerprint(*pin, *skipPin); err != nil {
		return fail(io, "enroll", err)
	}
	password, err := readSecret(io, *passFile, "", "Mật khẩu của người duyệt "+*approver+": ")
	if err != nil {
		return fail(io, "enroll", err)
	}
	if err := os.MkdirAll(filepath.Dir(*dbPath), 0o700); err != nil {
		return fail(io, "enroll", err)
	}
	db, err := store.Open(ctx, *dbPath)
	if err != nil {
		return fail(io, "enroll", err)
	}
	defer db.Close()
	host, _ := os.Hostname()
	res, err := batchsync.Enroll(ctx, db, batchsync.EnrollOptions{URL: pos[0], Code: pos[1], Pin: *pin, InsecureSkipFingerprint: *skipPin,
		Approver: *approver, Password: password, Hostname: host})
	if err != nil {
		return fail(io, "enroll", err)
	}
	fmt.Fprintf(io.out, "Đã đăng ký: %s (mã máy %s)\n", res.Desk.Label, res.Desk.ID)
	fmt.Fprintf(io.out, "Cơ sở dữ liệu: %s\n", *dbPath)
	fmt.Fprintf(io.out, "Chứng chỉ máy chủ đã ghim: %s\n", res.Pin)
	if res.TOFU {
		fmt.Fprintln(io.err, "Lưu ý: chứng chỉ được tin ở lần kết nối đầu (--insecure-skip-fingerprint). Hãy so vân tay trên với vân tay")
		fmt.Fprintln(io.err, "mà `thonghanh server init` đã in; nếu khác, xóa tệp này và báo quản trị tỉnh ngay.")
	}
	fmt.Fprintf(io.out, "Khóa ký của máy đã được mã hóa cho người duyệt %s.\n", *approver)
	return exitOK
}
