package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"thonghanh/store"
	"thonghanh/store/households"
)

func init() {
	register(&command{name: "import", summary: "nhập danh sách hộ gia đình (CSV, XLSX) cho phiếu đi chợ", run: runImport})
}

var importSubs = map[string]string{
	"households": "nhập danh sách hộ của xã từ tệp .csv hoặc .xlsx; sai một dòng là không nhập gì",
}

func runImport(ctx context.Context, args []string, io stdio) int {
	return subcommand(ctx, "import", "import households [--db TỆP] --officer TÊN [--commune MÃ] TỆP.csv|TỆP.xlsx", args, io, importSubs,
		map[string]func(context.Context, []string, stdio) int{"households": importHouseholds})
}

const importDescription = `Nhập danh sách hộ gia đình mà xã quản lý, để chia lượt và phát phiếu đi chợ.
Tệp .csv (UTF-8, phân cách bằng dấu phẩy, chấm phẩy hoặc tab) hoặc .xlsx (trang tính
đầu tiên, hoặc --sheet). Dòng tiêu đề ghi tên cột theo thứ tự tùy ý:
  Mã hộ, Họ tên chủ hộ (người đại diện), Số CCCD, Ấp/Khu phố   (bắt buộc)
  Địa chỉ, Số điện thoại, Số nhân khẩu                          (không bắt buộc)
Hộ đã có (cùng mã hộ trong xã) được cập nhật, không thêm trùng.
Có một dòng sai là không nhập hộ nào: lệnh in mọi dòng sai và thoát 1.`

func importHouseholds(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "import households", "import households [--db TỆP] --officer TÊN [--password-file TỆP] [--commune MÃ] [--sheet TÊN] TỆP", importDescription)
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	commune := fs.Uint("commune", 0, "mã xã (GSO) của danh sách; mặc định: xã của máy")
	of := addOfficerFlags(fs, "cán bộ nhập")
	sheet := fs.String("sheet", "", "tên trang tính trong tệp .xlsx (mặc định: trang đầu tiên)")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(io.err, "import households: cần đúng một TỆP danh sách")
		return exitUsage
	}
	file := fs.Arg(0)
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "import households", err)
	}
	defer db.Close()

	officer, _, err := of.login(ctx, db, io)
	if err != nil {
		return fail(io, "import households", err)
	}
	code := uint32(*commune)
	if code == 0 {
		desk, err := db.Desk(ctx)
		if err != nil {
			return fail(io, "import households", fmt.Errorf("chưa biết xã của danh sách: ghi --commune MÃ (%w)", err))
		}
		code = desk.Unit
	}

	f, err := os.Open(file)
	if err != nil {
		return fail(io, "import households", err)
	}
	rows, err := households.ReadFile(file, f, *sheet)
	f.Close()
	if err == nil {
		var res store.ImportResult
		res, err = db.ImportHouseholds(ctx, officer, code, rows)
		if err == nil {
			units, _ := db.Units(ctx)
			fmt.Fprintf(io.out, "Đã nhập danh sách hộ của %s từ %s: thêm %d hộ, cập nhật %d hộ, %d hộ không đổi.\n",
				units.Name(code), filepath.Base(file), res.Added, res.Updated, res.Unchanged)
			if res.Missing > 0 {
				fmt.Fprintf(io.out, "Lưu ý: %d hộ đã có trên máy không có trong tệp này; các hộ đó được giữ nguyên.\n", res.Missing)
			}
			for _, p := range res.Skipped {
				fmt.Fprintf(io.out, "Bỏ qua %s.\n", p.String())
			}
			return exitOK
		}
	}
	var ie *store.ImportErrors
	if errors.As(err, &ie) {
		fmt.Fprintf(io.err, "%s: %d lỗi, chưa nhập hộ nào.\n", filepath.Base(file), len(ie.Problems))
		for _, p := range ie.Problems {
			fmt.Fprintln(io.err, p.String())
		}
		return exitFail
	}
	return fail(io, "import households", err)
}
