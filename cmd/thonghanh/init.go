package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"thonghanh/store"
	"thonghanh/store/seed"
)

func init() {
	register(&command{name: "init", summary: "tạo cơ sở dữ liệu mới cho một bàn làm việc (--demo: cả tỉnh mẫu)", run: runInit})
}

func runInit(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "init", "init [--demo] [--unit MÃ] THƯ_MỤC",
		"Tạo desk.db trong THƯ_MỤC. Với --demo: nạp 184 đơn vị hành chính của Tiền Giang, các sở, ban, ngành,\n"+
			"ban chỉ huy, doanh nghiệp, cán bộ (mật khẩu \""+seed.DemoPassword+"\"), khoảng 1.000 người và hồ sơ chờ duyệt mọi loại.\n"+
			"Không có --demo: chỉ nạp danh sách đơn vị; máy sẽ nhận danh tính khi `thonghanh enroll`.")
	demo := fs.Bool("demo", false, "nạp dữ liệu mẫu của cả tỉnh")
	unit := fs.Uint("unit", seed.DefaultUnit, "đơn vị của bàn làm việc mẫu (mã GSO)")
	people := fs.Int("people", 1000, "số người mẫu")
	perCat := fs.Int("per-category", 300, "số hồ sơ chờ duyệt của mỗi loại")
	seedN := fs.Uint64("seed", 1, "hạt giống ngẫu nhiên: cùng hạt giống cho cùng dữ liệu")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(io.err, "init: cần đúng một THƯ_MỤC")
		fs.Usage()
		return exitUsage
	}
	dir := fs.Arg(0)
	file := filepath.Join(dir, "desk.db")
	if _, err := os.Stat(file); err == nil {
		fmt.Fprintf(io.err, "init: %s đã có, không ghi đè (xóa nó trước nếu muốn tạo lại)\n", file)
		return exitFail
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		fmt.Fprintln(io.err, "init:", err)
		return exitFail
	}
	db, err := store.Open(ctx, file)
	if err != nil {
		fmt.Fprintln(io.err, "init:", err)
		return exitFail
	}
	defer db.Close()
	if !*demo {
		if err := db.SeedProvince(ctx); err != nil {
			fmt.Fprintln(io.err, "init:", err)
			return exitFail
		}
		fmt.Fprintf(io.out, "Đã tạo %s với danh sách đơn vị của tỉnh. Tiếp theo: thonghanh enroll URL MÃ --db %s\n", file, file)
		return exitOK
	}
	fmt.Fprintln(io.err, "Đang tạo dữ liệu mẫu…")
	res, err := seed.Demo(ctx, db, seed.Options{Unit: uint32(*unit), People: *people, PerCategory: *perCat, Seed: *seedN})
	if err != nil {
		fmt.Fprintln(io.err, "init:", err)
		return exitFail
	}
	fmt.Fprintf(io.out, "Đã tạo %s: %s\n", file, res.Desk.Label)
	fmt.Fprintf(io.out, "%d người, %d hồ sơ chờ duyệt. Tài khoản (mật khẩu %q):\n", res.People, res.Pending, seed.DemoPassword)
	for _, a := range res.Accounts {
		fmt.Fprintf(io.out, "  %-8s %-17s %s\n", a.Username, store.RoleName(a.Role), a.Name)
	}
	fmt.Fprintf(io.out, "Mở: thonghanh --db %s\n", file)
	return exitOK
}
