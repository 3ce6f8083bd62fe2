package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"thonghanh/cmd/thonghanh/internal/kiemtra"
	"thonghanh/store"
	"thonghanh/store/batchsync"
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

// demoLoginHint is the password the login screen prints with the demo
// accounts. The screen shows it only on a desk the demo seeded (setting
// "demo"), so every desk is handed it: `desk` and `check` open demo
// databases too.
const demoLoginHint = seed.DemoPassword

// defaultDemoDir is where the demo keeps its files unless --dir says
// otherwise: the province's demo central server in central/, the default
// desk beside it, and a second desk of another unit in a folder of its code.
func defaultDemoDir() string { return filepath.Join(os.TempDir(), "thonghanh-demo") }

func runDemo(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "demo", "demo [--dir THƯ_MỤC] [--unit MÃ] [--reset] [--offline] [--lang vi|en]",
		"Một tỉnh trình diễn trên máy này: máy chủ tỉnh chạy ngay trong chương trình (127.0.0.1) và một máy\n"+
			"làm việc của UBND Xã Tân Mỹ Chánh có sẵn dữ liệu mẫu, tự đồng bộ với máy chủ.\n"+
			"Tài khoản thử: canbo, duyet, kiemtra, quantri — mật khẩu: "+seed.DemoPassword+".\n"+
			"Máy thứ hai của đơn vị khác, cùng máy chủ tỉnh, mở song song trong cửa sổ khác:\n"+
			"  thonghanh demo --unit 815     (UBND Thành phố Mỹ Tho; đăng nhập canbo.815, duyet.815, kiemtra.815)\n"+
			"Không dùng dữ liệu hay khóa ký của bản trình diễn cho giấy thật.")
	dir := fs.String("dir", defaultDemoDir(), "thư mục chứa dữ liệu trình diễn")
	unit := fs.Uint("unit", seed.DefaultUnit, "`MÃ` đơn vị của máy làm việc (máy thứ hai: mã đơn vị khác)")
	reset := fs.Bool("reset", false, "xóa dữ liệu trình diễn cũ (máy chủ và các máy) và tạo lại từ đầu")
	offline := fs.Bool("offline", false, "không chạy máy chủ tỉnh: máy làm việc ngoại tuyến")
	lang := fs.String("lang", "vi", "ngôn ngữ giao diện: vi (tiếng Việt) hoặc en (English)")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	l, err := i18n.Parse(*lang)
	if err != nil {
		fmt.Fprintln(io.err, "thonghanh:", err)
		return exitUsage
	}
	if *reset {
		if err := os.RemoveAll(*dir); err != nil {
			fmt.Fprintln(io.err, "thonghanh demo:", err)
			return exitFail
		}
	}
	deskDir := *dir
	if uint32(*unit) != seed.DefaultUnit {
		deskDir = filepath.Join(*dir, fmt.Sprint(*unit))
	}
	path, err := prepareDemoDesk(ctx, deskDir, uint32(*unit), false, io.err)
	if err != nil {
		fmt.Fprintln(io.err, "thonghanh demo:", err)
		return exitFail
	}
	if !*offline {
		url, stop, err := startDemoCentral(ctx, filepath.Join(*dir, "central"), path)
		if err != nil {
			fmt.Fprintln(io.err, "thonghanh demo:", err)
			return exitFail
		}
		defer stop()
		fmt.Fprintf(io.err, "Trang kiểm tra trên điện thoại: %s%s (tài khoản kiemtra; chứng chỉ tự ký của bản trình diễn: trình duyệt sẽ hỏi trước khi mở)\n",
			url, kiemtra.Prefix)
	}
	return openDesk(ctx, io, deskOptions{db: path, lang: l, printDir: filepath.Join(deskDir, "ban-in")})
}

// startDemoCentral runs the demo's central server in this process over dir
// and joins the desk at deskPath to it. Each run listens on a new port, so the
// desk's server address is refreshed every time; its token and pin stay.
func startDemoCentral(ctx context.Context, dir, deskPath string) (url string, stop func(), err error) {
	pages, err := phonePages()
	if err != nil {
		return "", nil, err
	}
	url, _, stop, err = batchsync.StartDemoServer(ctx, dir, seed.DemoRootKey(), pages)
	if err != nil {
		return "", nil, fmt.Errorf("máy chủ tỉnh thử: %w", err)
	}
	db, err := store.Open(ctx, deskPath)
	if err == nil {
		err = batchsync.EnrollDemoDesk(ctx, url, db)
		if err == nil {
			err = db.SetSetting(ctx, store.SettingSyncURL, []byte(url))
		}
		db.Close()
	}
	if err != nil {
		stop()
		return "", nil, fmt.Errorf("nối máy làm việc với máy chủ tỉnh thử: %w", err)
	}
	return url, stop, nil
}

// demoDeskFile is the demo desk's database inside the demo directory.
const demoDeskFile = "desk.db"

// prepareDemoDesk makes sure dir holds a seeded demo desk database and
// returns its path: an existing one is reused unless reset is set. It seeds
// into a temporary file renamed at the end, so an interrupted seed never
// leaves a half-filled demo behind. Progress lines go to log.
func prepareDemoDesk(ctx context.Context, dir string, unit uint32, reset bool, log io.Writer) (string, error) {
	path := filepath.Join(dir, demoDeskFile)
	if reset {
		for _, f := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("xóa dữ liệu cũ %s: %w", f, err)
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
	res, err := seed.Demo(ctx, db, seed.Options{Unit: unit})
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
