package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"thonghanh/store"
	"thonghanh/store/seed"
	"thonghanh/tui/i18n"
)

func init() {
	register(&command{
		name:    "demo",
		summary: "thử cả hệ thống trên máy này: máy trình diễn có sẵn dữ liệu mẫu",
		run:     runDemo,
	})
}

// defaultDemoDir is where the demo keeps its files unless --dir says otherwise.
func defaultDemoDir() string { return filepath.Join(os.TempDir(), "thonghanh-demo") }

func runDemo(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "demo", "demo [--dir THƯ_MỤC] [--reset] [--lang vi|en]",
		"Tạo (nếu chưa có) một máy trình diễn của UBND Xã Tân Mỹ Chánh với dữ liệu mẫu của cả tỉnh\n"+
			"rồi mở màn hình làm việc. Tài khoản thử: canbo, duyet, kiemtra, quantri — mật khẩu: demo.\n"+
			"Không dùng dữ liệu hay khoá ký của bản trình diễn cho giấy thật.")
	dir := fs.String("dir", defaultDemoDir(), "thư mục chứa dữ liệu trình diễn")
	reset := fs.Bool("reset", false, "xoá dữ liệu trình diễn cũ và tạo lại từ đầu")
	lang := fs.String("lang", "vi", "ngôn ngữ giao diện: vi (tiếng Việt) hoặc en (English)")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	l, err := i18n.Parse(*lang)
	if err != nil {
		fmt.Fprintln(io.err, "thonghanh:", err)
		return exitUsage
	}
	path, err := prepareDemoDesk(ctx, *dir, *reset, io.err)
	if err != nil {
		fmt.Fprintln(io.err, "thonghanh demo:", err)
		return exitFail
	}
	return openDesk(ctx, io, deskOptions{db: path, lang: l, printDir: filepath.Join(*dir, "ban-in")})
}

// demoDeskFile is the demo desk's database inside the demo directory.
const demoDeskFile = "desk.db"

// prepareDemoDesk makes sure dir holds a seeded demo desk database and
// returns its path: an existing one is reused unless reset is set. It seeds
// into a temporary file renamed at the end, so an interrupted seed never
// leaves a half-filled demo behind. Progress lines go to log.
func prepareDemoDesk(ctx context.Context, dir string, reset bool, log io.Writer) (string, error) {
	path := filepath.Join(dir, demoDeskFile)
	if reset {
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("xoá dữ liệu cũ %s: %w", f, err)
			}
		}
	}
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("tạo thư mục %s: %w", dir, err)
	}
	tmp := path + ".tmp"
	for _, f := range []string{tmp, tmp + "-wal", tmp + "-shm"} {
		os.Remove(f)
	}
	fmt.Fprintf(log, "Đang tạo dữ liệu trình diễn trong %s…\n", dir)
	start := time.Now()
	db, err := store.Open(ctx, tmp)
	if err != nil {
		return "", err
	}
	res, err := seed.Demo(ctx, db, seed.Options{})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("tạo dữ liệu mẫu: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	fmt.Fprintf(log, "Xong sau %s: %d người, %d hồ sơ chờ duyệt.\n", time.Since(start).Round(100*time.Millisecond), res.People, res.Pending)
	return path, nil
}
