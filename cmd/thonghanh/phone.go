package main

import (
	"context"
	"fmt"
	"net/http"
	"text/tabwriter"

	"thonghanh/cmd/thonghanh/internal/kiemtra"
	"thonghanh/store"
)

// phonePages is the phone checkpoint page, mounted beside the central
// server's protocol (the transport carries it without knowing it).
func phonePages() (map[string]http.Handler, error) {
	page, err := kiemtra.New()
	if err != nil {
		return nil, err
	}
	return map[string]http.Handler{kiemtra.Prefix: page}, nil
}

// serverPhones lists and revokes the phones checkers logged in on.
func serverPhones(ctx context.Context, args []string, io stdio) int {
	subs := map[string]string{
		"list":   "liệt kê các điện thoại đã đăng nhập trang kiểm tra",
		"revoke": "thu hồi điện thoại ĐIỆN_THOẠI: lần kết nối sau nó bị đăng xuất và không kiểm tra được nữa",
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		w, code := io.out, exitOK
		if len(args) == 0 {
			w, code = io.err, exitUsage
		}
		subcommandHelp(w, "Cách dùng: thonghanh server phones LỆNH --dir THƯ_MỤC ...\n"+
			"Ví dụ: thonghanh server phones list --dir /srv/thonghanh\n\nCác lệnh:", subs)
		return code
	}
	switch args[0] {
	case "list":
		fs := newFlags(io, "server phones list", "server phones list --dir THƯ_MỤC",
			"Liệt kê các điện thoại đã đăng nhập trang kiểm tra "+kiemtra.Prefix+": mã, tài khoản, đơn vị, tên máy,\nlúc đăng nhập, lần dùng cuối, còn hiệu lực.\nVí dụ: thonghanh server phones list --dir /srv/thonghanh")
		dir := dirFlag(fs)
		if ok, code := parseFlags(fs, io, args[1:]); !ok {
			return code
		}
		db, code := openCentral(ctx, io, "server phones list", *dir)
		if db == nil {
			return code
		}
		defer db.Close()
		phones, err := db.Phones(ctx)
		if err != nil {
			return fail(io, "server phones list", err)
		}
		tw := tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ĐIỆN THOẠI\tTÀI KHOẢN\tĐƠN VỊ\tTÊN MÁY\tĐĂNG NHẬP\tDÙNG LẦN CUỐI\tHIỆU LỰC")
		for _, p := range phones {
			state := "có"
			if !p.RevokedAt.IsZero() {
				state = "THU HỒI " + store.FormatDateTime(p.RevokedAt)
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", p.ID, p.Username, p.Unit, p.Label,
				store.FormatDateTime(p.CreatedAt), store.FormatDateTime(p.LastUsedAt), state)
		}
		tw.Flush()
		return exitOK
	case "revoke":
		fs := newFlags(io, "server phones revoke", "server phones revoke --dir THƯ_MỤC ĐIỆN_THOẠI",
			"Thu hồi một điện thoại (mất máy, cán bộ chuyển công tác): lần kết nối sau trang kiểm tra báo lý do,\nxóa danh sách trên máy và đòi đăng nhập lại.\nVí dụ: thonghanh server phones revoke --dir /srv/thonghanh 01J9Z…")
		dir := dirFlag(fs)
		if ok, code := parseFlags(fs, io, args[1:]); !ok {
			return code
		}
		if fs.NArg() != 1 {
			fmt.Fprintln(io.err, "server phones revoke: cần đúng một mã ĐIỆN_THOẠI (xem server phones list)")
			return exitUsage
		}
		db, code := openCentral(ctx, io, "server phones revoke", *dir)
		if db == nil {
			return code
		}
		defer db.Close()
		if err := db.RevokePhone(ctx, fs.Arg(0)); err != nil {
			return fail(io, "server phones revoke", err)
		}
		fmt.Fprintf(io.out, "Đã thu hồi điện thoại %s\n", fs.Arg(0))
		return exitOK
	}
	fmt.Fprintf(io.err, "server phones: không có lệnh %q\n", args[0])
	return exitUsage
}
