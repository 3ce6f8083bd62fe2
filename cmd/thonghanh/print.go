package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"thonghanh/print"
	"thonghanh/store"
	"thonghanh/tui/paper"
)

func init() {
	register(&command{name: "print", summary: "in giấy đi đường hoặc phiếu đi chợ ra tệp PDF, không cần mở màn hình", run: runPrint})
}

var printSubs = map[string]string{
	"permits":  "in giấy đi đường đã cấp (2 giấy mỗi tờ A4, hoặc A5)",
	"vouchers": "in phiếu đi chợ đã phát (8 phiếu mỗi tờ A4, xếp theo ấp rồi mã hộ)",
}

func runPrint(ctx context.Context, args []string, io stdio) int {
	return subcommand(ctx, "print", "print permits|vouchers --db TỆP --officer TÊN [...] [--out TỆP.pdf]", args, io, printSubs,
		map[string]func(context.Context, []string, stdio) int{"permits": printPermits, "vouchers": printVouchers})
}

// splitList reads "A,B, C" into its non-empty parts, each once: a serial
// typed twice is still one paper and one audit entry.
func splitList(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// dayRange turns --date into the Vietnam day it names.
func dayRange(s string) (from, until time.Time, err error) {
	d, err := store.ParseDate("--date", s)
	if err != nil {
		return from, until, err
	}
	return d, d.AddDate(0, 0, 1), nil
}

func printPermits(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "print permits", "print permits [--db TỆP] --officer TÊN [--password-file TỆP] (--serials A,B | --date NGÀY) [--layout a4|a5] [--out TỆP.pdf]",
		"In giấy đi đường đã cấp của đơn vị ra PDF và ghi vào nhật ký ai đã in.\n"+
			"--date chọn các giấy cấp trong ngày đó (giấy đã thu hồi không in).\n"+
			"Không có --out: ghi vào thư mục in của máy, tên tệp tự đặt.")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	of := addOfficerFlags(fs, "cán bộ in")
	serials := fs.String("serials", "", "số giấy, cách nhau bằng dấu phẩy")
	date := fs.String("date", "", "ngày cấp, dạng 2021-09-21 hoặc 21/09/2021")
	layoutName := fs.String("layout", "a4", "khổ in: a4 (2 giấy mỗi tờ A4) hoặc a5")
	out := fs.String("out", "", "tệp PDF cần ghi")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	layout, err := print.ParseLayout(*layoutName)
	if err != nil {
		fmt.Fprintln(io.err, "print permits:", err)
		return exitUsage
	}
	if (*serials == "") == (*date == "") {
		fmt.Fprintln(io.err, "print permits: cần đúng một trong --serials, --date")
		return exitUsage
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "print permits", err)
	}
	defer db.Close()
	officer, _, err := of.login(ctx, db, io)
	if err != nil {
		return fail(io, "print permits", err)
	}
	list := splitList(*serials)
	if *date != "" {
		from, until, err := dayRange(*date)
		if err != nil {
			return fail(io, "print permits", err)
		}
		permits, err := db.Permits(ctx, store.PermitFilter{Unit: officer.Unit, Received: true, From: from, Until: until})
		if err != nil {
			return fail(io, "print permits", err)
		}
		for i := len(permits) - 1; i >= 0; i-- { // oldest first: the order they were issued
			if permits[i].RevokedAt.IsZero() {
				list = append(list, permits[i].Serial)
			}
		}
	}
	if len(list) == 0 {
		return fail(io, "print permits", fmt.Errorf("không có giấy nào để in"))
	}
	path, err := paper.PrintPermits(ctx, db, officer, list, paper.Dest{File: *out}, layout, nil)
	if err != nil {
		return fail(io, "print permits", err)
	}
	fmt.Fprintf(io.out, "Đã in %d giấy đi đường vào %s\n", len(list), path)
	sayPrintFolder(io, *out)
	return exitOK
}

// sayPrintFolder tells, when no --out was given, that the PDF went to the
// desk's print folder (the TUI's too) and how to put it elsewhere.
func sayPrintFolder(io stdio, out string) {
	if out == "" {
		fmt.Fprintln(io.out, "Tệp nằm trong thư mục in của máy (cùng thư mục màn hình làm việc in vào); ghi --out TỆP.pdf để lưu nơi khác.")
	}
}

func printVouchers(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "print vouchers", "print vouchers [--db TỆP] --officer TÊN [--password-file TỆP] (--zone VÙNG | --date NGÀY | --slot-date NGÀY | --serials A,B) [--out TỆP.pdf]",
		"In phiếu đi chợ đã phát ra PDF, 8 phiếu mỗi tờ A4, xếp theo ấp rồi mã hộ để trưởng ấp phát theo thứ tự,\n"+
			"và ghi vào nhật ký ai đã in. --zone, --date (ngày phát) và --slot-date (ngày đi chợ) dùng chung được;\n"+
			"khi chọn theo vùng hoặc ngày, phiếu đã dùng hoặc đã thu hồi được bỏ qua.\n"+
			"VÙNG là số thứ tự trong `thonghanh zone list`, mã vùng, hoặc tên vùng.")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	of := addOfficerFlags(fs, "cán bộ in")
	zone := fs.String("zone", "", "vùng: số thứ tự, mã hoặc tên")
	date := fs.String("date", "", "ngày phát phiếu, dạng 2021-09-21 hoặc 21/09/2021")
	slotDate := fs.String("slot-date", "", "ngày đi chợ ghi trên phiếu")
	serials := fs.String("serials", "", "số phiếu, cách nhau bằng dấu phẩy")
	out := fs.String("out", "", "tệp PDF cần ghi (mặc định: thư mục in của máy)")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if *serials == "" && *zone == "" && *date == "" && *slotDate == "" {
		fmt.Fprintln(io.err, "print vouchers: chọn phiếu bằng --zone, --date, --slot-date hoặc --serials")
		return exitUsage
	}
	if *serials != "" && (*zone != "" || *date != "" || *slotDate != "") {
		fmt.Fprintln(io.err, "print vouchers: --serials không dùng chung với --zone, --date, --slot-date")
		return exitUsage
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "print vouchers", err)
	}
	defer db.Close()
	officer, _, err := of.login(ctx, db, io)
	if err != nil {
		return fail(io, "print vouchers", err)
	}
	list := splitList(*serials)
	if len(list) == 0 {
		f := store.VoucherFilter{Commune: officer.Unit, Unused: true}
		if *zone != "" {
			z, err := resolveZone(ctx, db, officer.Unit, *zone)
			if err != nil {
				return fail(io, "print vouchers", err)
			}
			f.ZoneID = z.ID
		}
		if *date != "" {
			if f.IssuedFrom, f.IssuedUntil, err = dayRange(*date); err != nil {
				return fail(io, "print vouchers", err)
			}
		}
		if *slotDate != "" {
			if f.SlotFrom, f.SlotUntil, err = dayRange(*slotDate); err != nil {
				return fail(io, "print vouchers", err)
			}
		}
		vs, err := db.Vouchers(ctx, f)
		if err != nil {
			return fail(io, "print vouchers", err)
		}
		for _, v := range vs {
			if !v.Revoked {
				list = append(list, v.Serial)
			}
		}
	}
	if len(list) == 0 {
		return fail(io, "print vouchers", fmt.Errorf("không có phiếu nào để in"))
	}
	path, err := paper.PrintVouchers(ctx, db, officer, list, paper.Dest{File: *out}, nil)
	if err != nil {
		return fail(io, "print vouchers", err)
	}
	fmt.Fprintf(io.out, "Đã in %d phiếu đi chợ (%d tờ A4) vào %s\n", len(list), (len(list)+7)/8, path)
	sayPrintFolder(io, *out)
	return exitOK
}
